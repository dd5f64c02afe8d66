"""Values built once per process on first use (a model, a dictionary), whichever thread
asks first."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """A function that returns `build()`, calling it on the first call only.

    Threads that call while it is being built wait for it rather than build a second copy,
    and later calls take no lock.
    """
    lock = threading.Lock()
    built: list[T] = []

    @functools.wraps(build)
    def get() -> T:
        if not built:
            with lock:
                if not built:
                    built.append(build())
        return built[0]

    return get
