"""The one parser of SQLite URLs: the lock, the status line and the store agree on the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.store.database import Store, database_exists
from tracker.store.lock import RunLock
from tracker.store.url import sqlite_path


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:///t.db", Path("t.db")),
    ("sqlite:////srv/tracker/t.db", Path("/srv/tracker/t.db")),
    ("sqlite:///t.db?timeout=5", Path("t.db")),
    ("sqlite+pysqlite:///data/t.db?mode=ro&uri=true", Path("data/t.db")),
    ("sqlite:///file:/srv/t.db?mode=ro&uri=true", Path("/srv/t.db")),
    ("sqlite:///:memory:", None),
    ("sqlite://", None),
    ("postgresql+psycopg://tracker@dbhost/tracker?sslmode=require", None),
    ("not a url", None),
], ids=["relative", "absolute", "query", "driver-and-query", "uri-filename", "memory", "memory-short",
        "postgresql", "not-a-url"])
def test_sqlite_path(url: str, path: Path | None) -> None:
    assert sqlite_path(url) == path


def test_a_query_string_names_the_same_file_everywhere(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 't.db'}?timeout=5"
    assert not database_exists(url)
    store = Store(url)
    try:
        assert (tmp_path / "sub" / "t.db").is_file() and database_exists(url)
        with RunLock(store.engine, url, "refresh:x"):
            assert (tmp_path / "sub" / "t.db.refresh.lock").is_file()
    finally:
        store.close()
    assert sorted(p.name for p in (tmp_path / "sub").iterdir() if "?" in p.name) == []


SECRET_URL = "postgresql+psycopg://tracker:s3cret@dbhost:5432/tracker"


def test_messages_show_a_url_without_its_password() -> None:
    # An error line ends up in cron's mail and the logs.
    from sqlalchemy.exc import OperationalError

    from tracker.errors import StoreError
    from tracker.ingest.cluster import require_server_database
    from tracker.store.database import explain
    from tracker.store.migrate import check_is_tracker_database
    from tracker.store.url import shown_url

    assert shown_url(SECRET_URL) == "postgresql+psycopg://tracker:***@dbhost:5432/tracker"
    assert shown_url("sqlite:///tracker.db?mode=ro") == "sqlite:///tracker.db?mode=ro"
    assert shown_url("not a url") == "not a url"
    locked = OperationalError("SELECT 1", {}, Exception("database is locked"))
    messages = [explain(SECRET_URL, locked)]
    for raising in (lambda: check_is_tracker_database(["moz_places"], SECRET_URL),
                    lambda: Store(SECRET_URL.replace("+psycopg", "+nosuchdriver"))):
        with pytest.raises(StoreError) as caught:
            raising()
        messages.append(str(caught.value))
    with pytest.raises(Exception) as caught:
        require_server_database(SECRET_URL.replace("postgresql+psycopg", "mysql"))
    messages.append(str(caught.value))
    for message in messages:
        assert "tracker:***@dbhost" in message and "s3cret" not in message


@pytest.mark.parametrize("name", ["a?b.db", "a%41.db", "100%.db", "a?x=1.db"],
                         ids=["question-mark", "percent-escape", "percent", "query-like"])
def test_a_db_path_holding_a_question_mark_or_percent_is_that_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    # `--db a?b.db` stored its posts in a file `a` (the URL's query string `?b.db` dropped in
    # silence), `--db a%41.db` in `aA.db`.
    from click.testing import CliRunner

    from tracker.cli import cli
    from tracker.config import load_config

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(
        '{"id": "1", "text": "$NVDA up", "published": "2026-03-02T10:00:00Z"}\n', "utf-8")
    out = CliRunner().invoke(cli, ["ingest", "in", "--db", name])
    assert out.exit_code == 0, out.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [name]
    assert sqlite_path(load_config(None, db_url=name).db_url) == tmp_path / name
    out = CliRunner().invoke(cli, ["export", "posts", "--db", name])
    assert out.exit_code == 0 and out.output.count("\n") == 2  # the header and the post


def test_a_read_only_reopening_reads_a_file_holding_a_question_mark(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The immutable reopening (a WAL database in a folder that cannot be written) named
    # `file:.../a?b.db?mode=ro...` in a URL string: it opened `a`, or failed.
    from sqlalchemy.exc import OperationalError

    path = tmp_path / "a?b.db"
    Store(f"sqlite:///{str(path).replace('?', '%3F')}").close()
    store = Store(f"sqlite:///{str(path).replace('?', '%3F')}", create=False)
    try:
        monkeypatch.setattr("tracker.store.database.os.access", lambda *_: False)
        refused = OperationalError("SELECT 1", {}, Exception("unable to open database file"))
        assert store._reopen_read_only(refused)
        assert sqlite_path(str(store.engine.url)) is not None
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA database_list").one()[2] == str(path)
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("a?b.db")) == []


@pytest.mark.parametrize(("name", "old"), [("a%41.db", "aA.db"), ("a?b.db", "a"),
                                           ("x%20y/t.db", "x y/t.db")],
                         ids=["percent-escape", "question-mark", "escaped-folder"])
def test_a_db_path_whose_database_an_earlier_tracker_kept_elsewhere_says_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str) -> None:
    # Before sqlite_url quoted them, `--db a%41.db` kept its posts in `aA.db`: the same
    # --db after the upgrade opened a new, empty `a%41.db` and said nothing.
    from tracker.config import load_config
    from tracker.errors import ConfigError

    monkeypatch.chdir(tmp_path)
    (tmp_path / old).parent.mkdir(parents=True, exist_ok=True)
    Store(f"sqlite:///{tmp_path / old}").close()
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(ConfigError) as caught:
        load_config(None, db_url=name)
    assert f"rename {tmp_path / old} to {tmp_path / name}" in str(caught.value)
    assert not (tmp_path / name).exists()
    # Once renamed (or once the new file exists), the path opens as written.
    (tmp_path / old).rename(tmp_path / name)
    assert sqlite_path(load_config(None, db_url=name).db_url) == tmp_path / name


def test_a_db_path_with_an_earlier_reading_that_is_no_database_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.config import load_config

    monkeypatch.chdir(tmp_path)
    (tmp_path / "aA.db").write_text("notes\n", "utf-8")
    assert sqlite_path(load_config(None, db_url="a%41.db").db_url) == tmp_path / "a%41.db"
