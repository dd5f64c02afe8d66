"""tracker.extract.text.once: a value built on first use, once, however many threads ask."""

from __future__ import annotations

import threading
import time

from tracker.extract.text.once import once


def test_built_on_the_first_call_and_kept() -> None:
    calls: list[int] = []

    @once
    def value() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert calls == []
    first = value()
    assert value() is first and calls == [1]


def test_threads_asking_at_once_get_one_value_built_once() -> None:
    calls: list[int] = []
    start = threading.Barrier(8)

    @once
    def value() -> object:
        calls.append(1)
        time.sleep(0.05)  # long enough for the other threads to arrive while it builds
        return object()

    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(value())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and len(got) == 8 and all(g is got[0] for g in got)
