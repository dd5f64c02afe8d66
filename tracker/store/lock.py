"""Locks that keep two tracker processes from doing the same work at once.

SQLite: an operating-system lock (filelock: flock on Unix, LockFileEx on Windows) on a file
beside the database (`tracker.db.refresh.lock`), with the holder's pid and host in a file
beside it (`...lock.holder`; filelock empties the lock file itself on every attempt).
PostgreSQL: a session advisory lock. Both belong to the process (or its connection): when a
run is killed the operating system or the server drops the lock, so a stale lock is taken
over by the next run without any clean-up. A holder that is alive but stalled (a read that
never returns) keeps it, so a held lock tells its holder's age (`holder_age`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import time
from datetime import UTC, datetime
from types import TracebackType

from filelock import FileLock, Timeout
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from tracker.store.url import sqlite_path

log = logging.getLogger(__name__)


_SINCE = re.compile(r" since (\S+)$")


def format_age(seconds: float) -> str:
    """`seconds` as a person reads it: "45 s", "12 min", "7 h 5 min", "3 d 4 h"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def _key(name: str) -> int:
    """A signed 64-bit advisory-lock key for `name`."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class RunLock:
    """An exclusive lock named `name` on the database behind `engine`.

    `acquire(wait=False)` returns False at once when another process holds it; `holder`
    then says who and for how long, when it is known, and `holder_age` is that age in
    seconds. Use as a context manager after a successful acquire.
    """

    def __init__(self, engine: Engine, url: str, name: str) -> None:
        self.engine = engine
        self.name = name
        self.holder: str | None = None
        self.holder_age: float | None = None
        db_file = sqlite_path(url)
        self._path = db_file.with_name(f"{db_file.name}.{name.split(':', 1)[0]}.lock") \
            if db_file else None
        self._file_lock = FileLock(self._path) if self._path else None
        self._conn: Connection | None = None
        self._held = False

    def acquire(self, wait: bool = False) -> bool:
        if self.engine.dialect.name == "postgresql":
            return self._acquire_pg(wait)
        if self._path is None or self._file_lock is None:  # in memory: nobody else sees it
            self._held = True
            return True
        holder = self._path.with_name(self._path.name + ".holder")
        self._path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._file_lock.acquire(timeout=-1 if wait else 0)
        except Timeout:
            try:
                self._describe(holder.read_text("utf-8").strip() or None)
            except OSError:
                self.holder = None
            return False
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        holder.write_text(f"pid {os.getpid()} on {socket.gethostname()} since {since}\n",
                          "utf-8")
        self._held = True
        return True

    def _describe(self, text: str | None) -> None:
        """`holder` and `holder_age` from the holder file's line (older ones lack "since")."""
        self.holder, self.holder_age = text, None
        match = _SINCE.search(text or "")
        if text is None or match is None:
            return
        try:
            since = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return
        self.holder_age = time.time() - since.timestamp()
        self.holder = f"{text[:match.start()]}, running for {format_age(self.holder_age)}"

    def _acquire_pg(self, wait: bool) -> bool:
        conn = self.engine.connect()
        func = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        if wait:
            # For as long as the holder takes (another refresh, an upgrade): the lock
            # waits of tracker's sessions end after a minute (pglocks.py), this one's not.
            conn.execute(text("SET LOCAL lock_timeout = 0"))
        got = conn.execute(text(f"SELECT {func}(:k)"), {"k": _key(self.name)}).scalar()
        conn.commit()  # the lock is the session's; leave no transaction open
        if wait or got:
            self._conn = conn
            self._held = True
            return True
        self.holder = self._pg_holder(conn)
        conn.close()
        return False

    def _pg_holder(self, conn: Connection) -> str | None:
        key = _key(self.name)
        # The holder's session start, as the lock is taken as soon as its session opens.
        row = conn.execute(text(
            "SELECT a.pid, a.client_addr, a.backend_start, "
            "EXTRACT(EPOCH FROM now() - a.backend_start) FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.objsubid = 1 "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = :k"),
            {"k": key}).first()
        conn.rollback()
        if row is None:
            return None
        self.holder_age = float(row[3])
        return (f"server backend {row[0]} from {row[1] or 'local socket'} since "
                f"{row[2]:%Y-%m-%d %H:%M}, running for {format_age(self.holder_age)}")

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(self.name)})
                self._conn.commit()
            except DBAPIError as exc:
                # The session is gone (server restarted, backend terminated, network cut),
                # and the server dropped its advisory locks with it: nothing is left to
                # release, and the run's own outcome must not become a traceback.
                log.warning("lock %s: its database session was already lost (%s)",
                            self.name, type(exc.orig).__name__)
            finally:
                self._conn.close()
                self._conn = None
        if self._file_lock is not None and self._file_lock.is_locked:
            self._file_lock.release()
        self._held = False

    def __enter__(self) -> RunLock:
        if not self._held:
            self.acquire(wait=True)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
