"""The run lock when its PostgreSQL session is lost under it (a server restart, an admin's
pg_terminate_backend, a network cut): releasing it must not turn a finished run into a
traceback, since the server has already dropped a lost session's advisory locks."""

from __future__ import annotations

from sqlalchemy import text

from tracker.store.database import Store
from tracker.store.lock import RunLock


def test_a_lock_whose_session_was_cut_is_released_quietly(pg_url: str) -> None:
    store = Store(pg_url)
    try:
        lock = RunLock(store.engine, pg_url, "refresh:cut")
        assert lock.acquire(wait=False)
        assert lock._conn is not None
        pid = lock._conn.execute(text("SELECT pg_backend_pid()")).scalar()
        lock._conn.commit()
        with store.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            admin.commit()
        lock.release()  # raised OperationalError (AdminShutdown) before
        # The lock is free: another process takes it at once.
        again = RunLock(store.engine, pg_url, "refresh:cut")
        assert again.acquire(wait=False)
        again.release()
    finally:
        store.close()
