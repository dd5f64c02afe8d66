"""A database server that accepts a connection and never answers: the command gives up,
saying so, where it waited for ever (a cron `refresh` too, each hour's run one more)."""

from __future__ import annotations

import socket
import threading

import pytest

from tracker.errors import StoreError
from tracker.store import database
from tracker.store.database import Store
from tracker.store.sqlitewait import WaitingConnection


@pytest.fixture
def mute_server():  # type: ignore[no-untyped-def]
    """A port that accepts connections and says nothing on them (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    yield listener.getsockname()[1]
    listener.close()


# Slow: libpq waits at least 2 s whatever the timeout given, twice (CI runs it).
@pytest.mark.slow
@pytest.mark.parametrize(("ours", "query", "waits"), [(1, "", 1), (600, "?connect_timeout=1", 600)],
                         ids=["tracker's", "the url's"])
def test_a_server_that_never_answers_is_given_up(mute_server: int,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 ours: int, query: str, waits: int) -> None:
    pytest.importorskip("psycopg")  # the dev extra holds it, as CI installs it
    monkeypatch.setattr(database, "CONNECT_TIMEOUT_S", ours)
    url = f"postgresql+psycopg://tracker@127.0.0.1:{mute_server}/tracker{query}"
    raised: list[BaseException] = []

    def open_it() -> None:
        try:
            Store(url).close()
        except StoreError as exc:
            raised.append(exc)

    opener = threading.Thread(target=open_it, daemon=True)  # left behind if it hangs
    opener.start()
    opener.join(60)
    assert not opener.is_alive(), "still connecting after 60 s"
    [error] = raised
    assert str(error).startswith(f"{url}: the database server did not answer (")
    assert str(error).endswith(f"tracker waits {waits} s, or a URL's ?connect_timeout=); "
                               "check that it is up and reachable")


@pytest.mark.parametrize(("url", "timeout"), [
    ("postgresql://tracker@dbhost/tracker", {"connect_timeout": database.CONNECT_TIMEOUT_S}),
    ("postgresql+psycopg://tracker@dbhost/tracker", {"connect_timeout": database.CONNECT_TIMEOUT_S}),
    ("postgresql+psycopg2://tracker@dbhost/tracker", {"connect_timeout": database.CONNECT_TIMEOUT_S}),
    ("postgresql+psycopg://tracker@dbhost/tracker?connect_timeout=5", {}),
    ("postgresql+pg8000://tracker@dbhost/tracker", {}),
    ("sqlite:///tracker.db", {"factory": WaitingConnection}),  # its own: test_lock_wait.py
], ids=["default driver", "psycopg", "psycopg2", "the url's", "pg8000", "sqlite"])
def test_the_timeout_goes_only_to_drivers_that_take_it(monkeypatch: pytest.MonkeyPatch,
                                                       url: str, timeout: dict[str, int]
                                                       ) -> None:
    # pg8000's connect() has no connect_timeout: given it, every connection was a TypeError.
    made: list[dict[str, object]] = []
    real = database.create_engine

    def recording(_url: str, **kwargs: object) -> object:
        made.append(kwargs.get("connect_args", {}))  # type: ignore[arg-type]
        return real("sqlite://")  # an engine, for the events listened to on it

    monkeypatch.setattr(database, "create_engine", recording)
    database._engine(url)
    assert made == [timeout]
