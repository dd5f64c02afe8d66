"""A PostgreSQL server that stops answering while a statement runs (frozen, or cut off):
the statement is given up, saying so, where it was waited for without end. A server that
is only busy (here: a statement waiting for a lock another connection holds) answers a new
connection and is waited for."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tracker.errors import StoreError
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.store.database import Store, posts

psycopg = pytest.importorskip("psycopg")  # the dev extra holds it, as CI installs it
serverwatch = pytest.importorskip("tracker.store.serverwatch")


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    opened = Store(pg_url)
    yield opened
    opened.close()


@pytest.fixture
def locked(pg_url: str, store: Store) -> Iterator[threading.Event]:
    """Table posts locked by another connection until the event is set (or 30 s pass): a
    write to it hears nothing from the server meanwhile."""
    release, held = threading.Event(), threading.Event()
    engine = create_engine(pg_url)

    def hold() -> None:
        with engine.begin() as conn:
            conn.execute(text("LOCK TABLE posts IN ACCESS EXCLUSIVE MODE"))
            held.set()
            release.wait(30)  # a safety net, not a timing assertion

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(30)
    yield release
    release.set()
    holder.join()
    engine.dispose()


def _post(analyzer: Analyzer) -> object:
    post = analyzer.analyze(RawPost("a.jsonl", "$NVDA soars", line=1))
    assert post is not None
    return post


def test_a_silent_server_is_given_up(store: Store, locked: threading.Event,
                                     analyzer: Analyzer,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A new connection gets no answer either, as from a frozen server.
    def no_answer(*args: object, **kwargs: object) -> None:
        raise psycopg.OperationalError("connection timeout expired")

    monkeypatch.setattr(serverwatch, "ANSWER_WAIT_S", 0.3)
    monkeypatch.setattr(serverwatch.psycopg, "connect", no_answer)
    with pytest.raises(StoreError) as raised:
        store.add_posts([_post(analyzer)])
    message = str(raised.value)
    assert message.startswith("postgresql")
    assert ": the database server stopped answering while a statement ran (the server " \
        "stopped answering (nothing for " in message
    assert "a new connection failed: connection timeout expired)): frozen, or cut off; the " \
        "batch in flight was not committed, what was stored before is kept: check the " \
        "server, then run again" in message
    locked.set()
    monkeypatch.undo()
    assert list(store.iter_rows(posts)) == []  # nothing of the batch was stored
    store.add_posts([_post(analyzer)])  # the store goes on with a new connection
    assert len(list(store.iter_rows(posts))) == 1


def test_a_busy_server_is_waited_for(store: Store, locked: threading.Event,
                                     analyzer: Analyzer,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    connect = serverwatch.psycopg.connect

    def answering(*args: object, **kwargs: object) -> object:
        asked.append(1)
        if len(asked) == 2:
            locked.set()  # the lock is freed after the server answered twice
        return connect(*args, **kwargs)

    monkeypatch.setattr(serverwatch, "ANSWER_WAIT_S", 0.3)
    monkeypatch.setattr(serverwatch.psycopg, "connect", answering)
    assert store.add_posts([_post(analyzer)]) == (1, 1)
    assert len(asked) >= 2


def test_a_server_at_its_connection_limit_is_waited_for(
        store: Store, locked: threading.Event, analyzer: Analyzer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A live server at max_connections refuses the new connection, answering so (this
    # message is libpq's, from a PostgreSQL 15 server started with max_connections=5 and
    # five connections held): it answered, so it is busy, not silent.
    asked: list[int] = []

    def full(*args: object, **kwargs: object) -> None:
        asked.append(1)
        if len(asked) == 2:
            locked.set()
        raise psycopg.OperationalError(
            'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
            "FATAL:  sorry, too many clients already")

    monkeypatch.setattr(serverwatch, "ANSWER_WAIT_S", 0.3)
    monkeypatch.setattr(serverwatch.psycopg, "connect", full)
    assert store.add_posts([_post(analyzer)]) == (1, 1)
    assert len(asked) >= 2
