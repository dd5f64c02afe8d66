"""Another process's write lock on a SQLite file, held from a thread of the test's own."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

# How long the other process holds its lock at most: far more than a stop takes, far less
# than the 30 s SQLite waited before. A safety net for the ordering checked, not a timing
# assertion.
HELD_S = 10


class Holder:
    """Another connection holding the file's write lock until `release()` or HELD_S."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = threading.Event()
        self.done = threading.Event()
        self.gave_up = False
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        self.held.set()
        self.gave_up = not self.done.wait(HELD_S)
        conn.rollback()
        conn.close()

    def __enter__(self) -> Holder:
        self.thread.start()
        assert self.held.wait(HELD_S)
        return self

    def release(self) -> None:
        self.done.set()

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.thread.join()
