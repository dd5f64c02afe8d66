"""A PostgreSQL lock that another session holds: how long tracker waits for it, and who holds it.

PostgreSQL waits for a lock without end by default, and a server whose one session holds a
lock (a `LOCK TABLE` left open in psql, a transaction a program forgot to end) answers every
other question: the watch of a silent server (serverwatch.py) finds it busy and waits on,
and a cron `refresh` waited for ever, each hour's run one more. So tracker's sessions wait
LOCK_WAIT_S for a lock (PostgreSQL's `lock_timeout`, which the server enforces), unless the
user set a `lock_timeout` of their own (the URL's `?options=-c lock_timeout=...`,
PGOPTIONS, `ALTER ROLE ... SET`), which is kept. The statement that waited too long fails
with a StoreError naming the sessions that hold locks keeping writers out; its transaction
is rolled back, so what it wrote is not stored.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.errors import StoreError

log = logging.getLogger(__name__)

# Seconds a statement waits for a lock another session holds. Twice the silent server's
# ANSWER_WAIT_S, well beyond a batch's commit, for which another tracker's writes wait.
LOCK_WAIT_S = 60

# PostgreSQL's SQLSTATE for "canceling statement due to lock timeout" (lock_not_available).
_LOCK_NOT_AVAILABLE = "55P03"

# The table lock modes that keep a writer out (they conflict with ROW EXCLUSIVE, which an
# INSERT, UPDATE or DELETE takes); a reader is kept out by ACCESS EXCLUSIVE alone.
_BLOCKING_MODES = ("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock")

# The sessions, other than the one asking, that hold a table lock keeping writers out, or
# sit idle in a transaction holding any lock on a table (whose rows a writer may wait on);
# the oldest transaction first, three at most. Columns another user's session does not
# show are NULL.
_HOLDERS = text(f"""
SELECT a.pid, a.usename, a.application_name, host(a.client_addr), a.state, a.xact_start,
       string_agg(DISTINCT l.mode || ' on ' || l.relation::regclass::text, ', ')
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND (l.mode IN ({", ".join(f"'{m}'" for m in _BLOCKING_MODES)})
       OR a.state LIKE 'idle in transaction%')
GROUP BY a.pid, a.usename, a.application_name, a.client_addr, a.state, a.xact_start
ORDER BY a.xact_start NULLS LAST
LIMIT 3""")

def limit_lock_waits(dbapi_conn: Any, _record: Any) -> None:
    """On each new connection (SQLAlchemy's "connect" event): set lock_timeout to
    LOCK_WAIT_S, unless the session has one already (the user's own, kept)."""
    cursor = dbapi_conn.cursor()
    try:
        # A literal, not a parameter: the drivers differ in how they take them.
        cursor.execute(f"SELECT set_config('lock_timeout', '{int(LOCK_WAIT_S * 1000)}ms', "
                       "false) WHERE current_setting('lock_timeout') = '0'")
    finally:
        cursor.close()
    # Committed: a setting made in a transaction later rolled back is undone with it.
    dbapi_conn.commit()


def _sqlstate(exc: BaseException) -> str | None:
    # psycopg 3 says `sqlstate`, psycopg2 `pgcode`.
    return getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)


def lock_wait_is_store_error(context: Any) -> None:
    """A statement that waited lock_timeout for a lock (SQLAlchemy's "handle_error" event)
    raises StoreError, naming who holds locks on the database's tables."""
    orig = context.original_exception
    if _sqlstate(orig) != _LOCK_NOT_AVAILABLE:
        return
    url = context.engine.url.render_as_string(hide_password=True)
    waited, holders = _holders(context.engine)
    held = "; ".join(holders) if holders else (
        "no session holds a table lock now: a row another writer's transaction had not "
        "committed, or a lock since released")
    raise StoreError(
        f"{url}: waited {waited} for a lock another session holds ({held}); what this "
        "command had not committed was rolled back, what was stored before is kept: end "
        "that session or let it finish, then run again (the wait is PostgreSQL's "
        "lock_timeout)") from orig


def _holders(engine: Any) -> tuple[str, list[str]]:
    """How long the session waited (its lock_timeout), and the sessions holding locks that
    keep writers out, each in a phrase; ("its lock_timeout", []) when they cannot be read."""
    try:
        with engine.connect() as conn:
            waited_ms = int(conn.execute(text(
                "SELECT setting FROM pg_settings WHERE name = 'lock_timeout'")).scalar_one())
            rows = conn.execute(_HOLDERS).all()
    except (SQLAlchemyError, ValueError) as exc:
        log.info("the sessions holding locks could not be read (%s)", exc)
        return "its lock_timeout", []
    return f"{waited_ms / 1000:g} s", [_describe(row) for row in rows]


def _describe(row: Any) -> str:
    pid, user, application, client, state, since, locks = row
    known = [f"user {user}" if user else "", f"application {application}" if application
             else "", f"from {client}" if client else "",
             f"in a transaction since {_utc(since)}" if since else "", state or ""]
    said = ", ".join(part for part in known if part)
    return f"server backend {pid}" + (f" ({said})" if said else "") + f" holding {locks}"


def _utc(when: datetime) -> str:
    return f"{when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if when.tzinfo else str(when)


def lock_waited(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from, is a lock waited for too long: a run
    with more to store stops there, where each further batch waited as long again."""
    seen: BaseException | None = exc
    while seen is not None:
        if _sqlstate(seen) == _LOCK_NOT_AVAILABLE:
            return True
        seen = seen.__cause__
    return False
