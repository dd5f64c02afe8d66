"""A PostgreSQL lock another session holds (a `LOCK TABLE` left open in psql) is waited for
a while, then given up, naming who holds it; the wait for another refresh is not limited."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.refreshkit import make_job, write_feed
from tracker.errors import SourceError, StoreError
from tracker.extract.models import Post, RawPost
from tracker.ingest.analyze import Analyzer
from tracker.ingest.refresh import refresh
from tracker.store import pglocks
from tracker.store.database import Store, posts
from tracker.store.lock import RunLock

psycopg = pytest.importorskip("psycopg")  # the dev extra holds it, as CI installs it


@pytest.fixture
def store(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setattr(pglocks, "LOCK_WAIT_S", 0.5)
    opened = Store(pg_url)
    yield opened
    opened.close()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _post(analyzer: Analyzer, line: int) -> Post:
    post = analyzer.analyze(RawPost("a.jsonl", f"$NVDA soars {line}", line=line))
    assert post is not None
    return post


def test_a_lock_held_by_another_session_is_given_up_naming_it(
        store: Store, pg_url: str, analyzer: Analyzer) -> None:
    # The statement waited for the lock for as long as the other session held it: a cron
    # refresh for ever, each hour's run one more (the server answers, so it is not silent).
    with psycopg.connect(_libpq(pg_url), application_name="psql") as other:
        # A safety net, not a timing assertion: the server ends the other session 20 s
        # on, so that a statement waiting without end fails the test rather than hang it.
        other.execute("SET idle_in_transaction_session_timeout = '20s'")
        other.execute("LOCK TABLE mentions IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(StoreError) as raised:
            store.add_posts([_post(analyzer, 1)])
        pid = other.info.backend_pid
    message = str(raised.value)
    assert message.startswith("postgresql") and ": waited 0.5 s for a lock another session " \
        f"holds (server backend {pid} (user " in message
    assert ", application psql, " in message and ", in a transaction since 20" in message
    assert message.endswith(
        " holding AccessExclusiveLock on mentions); what this command had not committed was "
        "rolled back, what was stored before is kept: end that session or let it finish, "
        "then run again (the wait is PostgreSQL's lock_timeout)")
    assert list(store.iter_rows(posts)) == []  # the post went with its mentions' rollback
    store.add_posts([_post(analyzer, 2)])  # released, the store goes on
    assert len(list(store.iter_rows(posts))) == 1


def test_a_lock_timeout_the_user_set_is_kept(pg_url: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pglocks, "LOCK_WAIT_S", 0.5)
    own = Store(pg_url + "?options=-c%20lock_timeout%3D1500")
    default = Store(pg_url)
    try:
        for store, shown in ((own, "1500ms"), (default, "500ms")):
            with store.engine.connect() as conn:
                assert conn.execute(text("SHOW lock_timeout")).scalar_one() == shown
    finally:
        own.close()
        default.close()


def test_waiting_for_another_refresh_is_not_limited(store: Store, pg_url: str) -> None:
    # `refresh --wait` and the schema upgrade wait for the holder for as long as it runs.
    first = RunLock(store.engine, pg_url, "refresh:test")
    assert first.acquire()
    threading.Timer(1.5, first.release).start()  # three times the lock wait
    second = Store(pg_url)
    waiting = RunLock(second.engine, pg_url, "refresh:test")
    try:
        assert waiting.acquire(wait=True)
    finally:
        waiting.release()
        second.close()


def test_refresh_stops_at_the_first_lock_given_up(
        store: Store, pg_url: str, tmp_path: Path) -> None:
    # Each further file waited as long again, said "not stored, will retry next run", and
    # the run went on: a cron run of many files waited a minute for each.
    cfg = make_job(tmp_path, pg_url, batch_size=1)
    for name in ("a", "b", "c"):
        write_feed(tmp_path / "in" / f"{name}.jsonl", 0, 2, prefix=name)
    failures: list[SourceError] = []
    with psycopg.connect(_libpq(pg_url)) as other:
        other.execute("SET idle_in_transaction_session_timeout = '20s'")  # a safety net
        other.execute("LOCK TABLE mentions IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(StoreError, match="waited 0.5 s for a lock another session holds"):
            refresh(cfg, store, on_failure=failures.append)
    assert failures == []
    assert list(store.iter_rows(posts)) == []
