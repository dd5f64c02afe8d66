"""A SQLite write waiting for another process's lock: a signal stops the wait at once, where
it took effect only when the wait ended (30 s: SQLite's own wait is C code that Python's
signal handlers cannot break into)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lockkit import Holder
from tracker.extract.models import RawPost, RunCounts
from tracker.ingest.analyze import Analyzer
from tracker.store import sqlitewait
from tracker.store.database import Store, ingest_runs, posts


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 't.db'}")
    yield opened
    opened.close()


@pytest.fixture
def ctrl_c_interrupts() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt here, whatever handler an earlier test left (in the
    whole suite in one process, the signal did not)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _interrupt_soon() -> threading.Timer:
    # Sent once the write below is waiting: SQLite's first slice of the wait starts at once.
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.usefixtures("ctrl_c_interrupts")
def test_a_signal_stops_a_write_waiting_for_the_lock(store: Store, tmp_path: Path,
                                                     analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("a.jsonl", "$NVDA soars", line=1))
    assert post is not None
    run_id = store.start_run("ingest")
    with Holder(tmp_path / "t.db") as holder:
        timer = _interrupt_soon()
        with pytest.raises(KeyboardInterrupt):
            with store.recording_stop(run_id, RunCounts()):
                store.add_posts([post], run_id)
        holder.release()
        timer.join()
    # The stop came while the other process still held the lock (it came when the wait
    # ended, 30 s on, and the post was stored after the stop, or when the lock was freed).
    assert not holder.gave_up
    assert list(store.iter_rows(posts)) == []
    # Its stop could not be recorded under the other process's lock, which it waited for
    # only briefly; the run has no end, as a killed one.
    (row,) = store.iter_rows(ingest_runs)
    assert row["finished_at"] is None


def test_a_wait_ends_with_the_lock_as_before(store: Store, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlitewait, "BUSY_TIMEOUT_MS", 300)
    with Holder(tmp_path / "t.db"), pytest.raises(Exception, match="database is locked"):
        store.start_run("ingest")
    # Freed, the write goes through; a write that waited for a lock freed meanwhile does too.
    assert store.start_run("ingest") == 1
    monkeypatch.undo()
    with Holder(tmp_path / "t.db") as holder:
        threading.Timer(0.3, holder.release).start()
        assert store.start_run("ingest") == 2
