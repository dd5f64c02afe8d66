"""The wait for another process's lock on a SQLite file, in slices a signal can stop."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

# How long a statement waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 30000
# How long SQLite itself waits at a time (its busy_timeout). Its wait is C code that Python's
# signal handlers cannot break into: Ctrl-C or SIGTERM to a command waiting 30 s for another
# process's write lock took effect only when the wait ended. Between slices the wait is back
# in Python, where a signal stops it.
SLICE_MS = 100
# How long a command that was stopped waits to record its stop: at once matters more.
STOPPING_MS = 1000

_SQLITE_BUSY = 5
# The wait of the block run under waiting_briefly(); None: BUSY_TIMEOUT_MS.
_wait_ms: ContextVar[int | None] = ContextVar("_wait_ms", default=None)

_T = TypeVar("_T")


def _waiting(call: Callable[..., _T], *args: Any) -> _T:
    """`call(*args)`, tried again while it fails on another process's lock after SQLite
    waited its slice for it, until BUSY_TIMEOUT_MS (or the stop's wait) is spent.

    A failure SQLite did not wait for (a reader turned writer, which it fails at once lest
    two deadlock, or a snapshot gone stale) is raised at once, as before.
    """
    deadline: float | None = None
    while True:
        began = time.monotonic()
        try:
            return call(*args)
        except sqlite3.OperationalError as exc:
            now = time.monotonic()
            if (getattr(exc, "sqlite_errorcode", None) != _SQLITE_BUSY
                    or now - began < SLICE_MS / 2000):
                raise
            if deadline is None:
                total = _wait_ms.get()
                total = BUSY_TIMEOUT_MS if total is None else total
                deadline = began + total / 1000
            if now + SLICE_MS / 1000 > deadline:
                raise


class WaitingCursor(sqlite3.Cursor):
    """A cursor whose statements wait for another process's lock in slices."""

    def execute(self, sql: str, parameters: Any = (), /) -> WaitingCursor:
        return _waiting(super().execute, sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> WaitingCursor:
        if not isinstance(seq_of_parameters, list | tuple):
            # An iterator is spent by a failed try; SQLite's own wait is left to it.
            return super().executemany(sql, seq_of_parameters)
        return _waiting(super().executemany, sql, seq_of_parameters)


class WaitingConnection(sqlite3.Connection):
    """The connection SQLAlchemy makes (`connect_args={"factory": WaitingConnection}`): its
    cursors and its commit wait for another process's lock in slices a signal can stop."""

    def cursor(self, factory: Any = WaitingCursor) -> Any:
        return super().cursor(factory)

    def commit(self) -> None:
        _waiting(super().commit)


@contextmanager
def waiting_briefly() -> Iterator[None]:
    """Run the block with each lock wait cut to STOPPING_MS: for a command recording that a
    signal stopped it, which should not wait 30 s more for the lock it was stopped waiting
    for."""
    token = _wait_ms.set(STOPPING_MS)
    try:
        yield
    finally:
        _wait_ms.reset(token)
