"""Schema upgrades: a first-release database upgrades in place and keeps every row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    inspect,
    select,
)

from tracker.errors import StoreError
from tracker.ingest.analyze import post_id
from tracker.store import migrate
from tracker.store.database import Store
from tracker.store.schema import metadata

# The schema exactly as the first release (main, store.py) created it, frozen here.
V1 = MetaData()
V1_POSTS = Table(
    "posts", V1,
    Column("id", String(40), primary_key=True), Column("source", Text, nullable=False),
    Column("source_id", Text), Column("line", Integer), Column("url", Text),
    Column("author", Text), Column("title", Text), Column("lang", String(8), nullable=False),
    Column("published", DateTime), Column("published_from", String(8)), Column("tone", Float),
    Column("text", Text, nullable=False), Column("ingested_at", DateTime, nullable=False),
    Column("run_id", Integer),
)
V1_MENTIONS = Table(
    "mentions", V1,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", String(40), ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("ticker", String(32), nullable=False), Column("market", String(8)),
    Column("name", Text), Column("kind", String(16), nullable=False),
    Column("start_offset", Integer, nullable=False), Column("end_offset", Integer, nullable=False),
    Column("sentence", Text, nullable=False), Column("confidence", Float, nullable=False),
    Column("groups", Text, nullable=False), Column("tone", Float), Column("label", String(8)),
    Column("is_repeat", Boolean, nullable=False),
    Index("ix_mentions_post", "post_id"), Index("ix_mentions_ticker", "ticker", "market"),
)
V1_RUNS = Table(
    "ingest_runs", V1,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False), Column("finished_at", DateTime),
    Column("command", String(32), nullable=False),
    *(Column(n, Integer, nullable=False) for n in (
        "files_seen", "files_failed", "posts_seen", "posts_added", "mentions_added", "failures")),
)


def _fill_v1(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    V1.create_all(engine)
    stamp = datetime(2026, 5, 1, 12, 0)
    post_rows = [dict(id=f"p{i:03d}", source=f"f{i}.txt", source_id=None, line=None, url=None,
                      author="a", title=f"t{i}", lang="en", published=stamp, published_from="text",
                      tone=0.1 * (i % 5), text=f"$T{i} text", ingested_at=stamp, run_id=1)
                 for i in range(60)]
    mention_rows = [dict(post_id=f"p{i:03d}", ticker=f"T{i}", market="US", name=None,
                         kind="cashtag", start_offset=0, end_offset=3, sentence="s",
                         confidence=1.0, groups="gpu;memory", tone=0.2, label="positive",
                         is_repeat=False) for i in range(60) for _ in range(2)]
    with engine.begin() as conn:
        conn.execute(insert(V1_POSTS), post_rows)
        conn.execute(insert(V1_MENTIONS), mention_rows)
        conn.execute(insert(V1_RUNS), [dict(started_at=stamp, finished_at=stamp, command="ingest",
                                            files_seen=60, files_failed=0, posts_seen=60,
                                            posts_added=60, mentions_added=120, failures=0)])
    snap = _snapshot(engine)
    engine.dispose()
    return snap


def _snapshot(engine) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {
            "posts": sorted(tuple(r) for r in conn.execute(select(*V1_POSTS.c))),
            "mentions": sorted(tuple(r) for r in conn.execute(select(*V1_MENTIONS.c))),
            "ingest_runs": sorted(tuple(r) for r in conn.execute(select(*V1_RUNS.c))),
        }


def _rekeyed(snap: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """`snap` with each post under the id revision 0006 gives it (by author and text)."""
    new_ids = {row[0]: post_id(row[11], row[2], row[5]) for row in snap["posts"]}
    return {
        "posts": sorted((new_ids[r[0]], *r[1:]) for r in snap["posts"]),
        "mentions": sorted((r[0], new_ids[r[1]], *r[2:]) for r in snap["mentions"]),
        "ingest_runs": snap["ingest_runs"],
    }


def _check_upgrade(url: str) -> None:
    _check_upgraded(url, _fill_v1(url))


def _check_upgraded(url: str, before: dict[str, list[tuple]]) -> None:
    store = Store(url)  # opening an older database upgrades it
    try:
        # Every row kept; posts with an author are keyed by it since 0006.
        assert _snapshot(store.engine) == _rekeyed(before)
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.HEAD_REVISION
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert store.counts() == {"posts": 60, "mentions": 120, "ingest_runs": 1}
    finally:
        store.close()


def test_first_release_database_upgrades_and_keeps_every_row(tmp_path: Path) -> None:
    _check_upgrade(f"sqlite:///{tmp_path / 'old.db'}")


def test_first_release_database_upgrades_on_postgresql(pg_url: str) -> None:
    _check_upgrade(pg_url)


def test_migrations_build_the_same_schema_as_a_new_database(db_url: str) -> None:
    engine = create_engine(db_url)
    from alembic import command
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "head")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


def test_a_new_database_is_stamped_as_alembic_stamps_one(tmp_path: Path) -> None:
    # A new database gets alembic's version table without alembic (migrate.VERSION_TABLE):
    # the same DDL and row as alembic's own stamp writes.
    def version_table(url: str) -> tuple[str, list[tuple[str, ...]]]:
        engine = create_engine(url)
        with engine.connect() as conn:
            ddl = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'").scalar_one()
            rows = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM alembic_version")]
        engine.dispose()
        return ddl, rows

    ours = f"sqlite:///{tmp_path / 'ours.db'}"
    Store(ours).close()
    theirs = f"sqlite:///{tmp_path / 'theirs.db'}"
    engine = create_engine(theirs)
    with engine.begin() as conn:
        metadata.create_all(conn)
        MigrationContext.configure(conn).stamp(migrate._scripts(), migrate.HEAD_REVISION)
    engine.dispose()
    assert version_table(ours) == version_table(theirs)
    assert version_table(ours)[1] == [(migrate.HEAD_REVISION,)]


def test_an_upgrade_stopped_part_way_leaves_the_database_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite committed each CREATE and ALTER on its own: stopped part way (Ctrl-C, a kill),
    # the upgrade left alembic_version made but empty and the first revisions applied, and
    # every later command failed with "table alembic_version already exists".
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    before = _fill_v1(url)
    upgrade = command.upgrade

    def stopped(config, revision):  # type: ignore[no-untyped-def]
        upgrade(config, "0003")
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "upgrade", stopped)
    engine = create_engine(url)
    with pytest.raises(KeyboardInterrupt):
        migrate.upgrade(engine, url)
    assert sorted(inspect(engine).get_table_names()) == ["ingest_runs", "mentions", "posts"]
    assert _snapshot(engine) == before
    engine.dispose()
    monkeypatch.setattr(command, "upgrade", upgrade)
    _check_upgraded(url, before)


def test_an_older_read_only_database_says_it_must_be_upgraded(tmp_path: Path) -> None:
    # It said "the database is read-only ...; reports can read it", which they cannot.
    path = tmp_path / "old.db"
    before = _fill_v1(f"sqlite:///{path}")
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert str(caught.value).endswith(
        ": the database is from an older tracker (schema 0001) and read-only, so it cannot "
        f"be upgraded to {migrate.HEAD_REVISION} for this one to read; make it writable, or "
        "upgrade a copy (tracker db upgrade --db COPY)")
    engine = create_engine(f"sqlite:///{path}")
    assert _snapshot(engine) == before
    engine.dispose()


# How long the other writer keeps its lock once the upgrade has asked for it: the upgrade
# waits meanwhile, where the fault failed at once. At most STATEMENT_WAIT for the asking (a
# test that never sees it fails).
LOCK_HELD_AFTER = 0.2
STATEMENT_WAIT = 10.0


def test_an_upgrade_waits_for_another_process_writing(tmp_path: Path) -> None:
    # Begun as a reader, the upgrade's first write while another connection held the write
    # lock failed at once, without SQLite's wait: "the database is locked by another
    # process (waited 30 s)", from any command opening an older database during a write.
    # The write lock is let go once the upgrade has asked for it (its first statement that
    # writes, BEGIN IMMEDIATE included) and LOCK_HELD_AFTER later: a fault fails at that
    # statement, within a millisecond, and a fixed 1.5 s from the start kept every run
    # waiting (docs/performance.md, "The test suite, eighth pass").
    import re
    import sqlite3
    import threading
    import time

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    path = tmp_path / "old.db"
    before = _fill_v1(f"sqlite:///{path}")
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")  # as tracker keeps it: readers read meanwhile
    writer.execute("BEGIN IMMEDIATE")  # the write lock
    asked = threading.Event()
    writes = re.compile(r"\s*(BEGIN IMMEDIATE|CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", re.I)

    def on_statement(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if writes.match(statement):
            asked.set()

    def let_go() -> None:
        asked.wait(STATEMENT_WAIT)
        time.sleep(LOCK_HELD_AFTER)
        writer.execute("COMMIT")

    done = threading.Thread(target=let_go)
    event.listen(Engine, "before_cursor_execute", on_statement)
    done.start()
    try:
        store = Store(f"sqlite:///{path}")
    finally:
        event.remove(Engine, "before_cursor_execute", on_statement)
        done.join()
        writer.close()
    assert asked.is_set()
    store.close()
    assert store.revisions == ("0001", migrate.HEAD_REVISION)
    _check_upgraded(f"sqlite:///{path}", before)


def test_head_revision_constant_matches_the_scripts() -> None:
    assert migrate.script_head() == migrate.HEAD_REVISION


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    Store(url).close()
    engine = create_engine(url)
    assert migrate.upgrade(engine, url) == (migrate.HEAD_REVISION, migrate.HEAD_REVISION)
    assert "source_files" in inspect(engine).get_table_names()


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this tracker"):
        Store(url)


def test_upgrade_from_0005_rekeys_posts_and_keeps_every_row(tmp_path: Path) -> None:
    """A database at the previous head: each record keeps its mentions, file links and
    passages held under its new id."""
    from alembic import command

    from tracker.store.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'r3.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0005")
        stamp = datetime(2026, 5, 1)
        rows = [("old1", "r9", None, "$TSLA 🚀"), ("old2", None, "ann", "$NVDA up"),
                ("old3", None, None, "$AMD flat")]
        for pid, sid, author, text_ in rows:
            conn.execute(insert(Table("posts", MetaData(), autoload_with=conn)).values(
                id=pid, source="f.jsonl", source_id=sid, author=author, lang="en",
                text=text_, ingested_at=stamp))
            conn.execute(insert(Table("mentions", MetaData(), autoload_with=conn)).values(
                post_id=pid, ticker="T", kind="cashtag", start_offset=0, end_offset=1,
                sentence=text_, confidence=1.0, groups="", is_repeat=False))
        files = Table("source_files", MetaData(), autoload_with=conn)
        conn.execute(insert(files).values(id=1, path="f.jsonl", size=1, mtime_ns=1, sha256="x",
                                          bytes_read=1, lines_read=3, posts=3,
                                          first_seen=stamp, updated_at=stamp))
        links = Table("post_sources", MetaData(), autoload_with=conn)
        conn.execute(insert(links), [{"file_id": 1, "post_id": r[0], "line": i}
                                     for i, r in enumerate(rows)])
        holders = Table("passage_holders", MetaData(), autoload_with=conn)
        conn.execute(insert(holders), [{"passage": f"p{i}", "ticker": "T", "post_id": r[0]}
                                       for i, r in enumerate(rows)])
    engine.dispose()
    store = Store(url)
    try:
        expected = {post_id(t, s, a) for _, s, a, t in rows}
        assert "old3" not in expected  # sanity: text-only ids are hashes, not "old3"
        with store.engine.connect() as conn:
            ids = set(conn.execute(select(Table("posts", MetaData(), autoload_with=conn).c.id))
                      .scalars())
            linked = set(conn.execute(select(Table("post_sources", MetaData(),
                                                   autoload_with=conn).c.post_id)).scalars())
            mentioned = set(conn.execute(select(Table("mentions", MetaData(),
                                                      autoload_with=conn).c.post_id)).scalars())
            held = set(conn.execute(select(Table("passage_holders", MetaData(),
                                                 autoload_with=conn).c.post_id)).scalars())
            assert "author_tag" in {c["name"] for c in inspect(conn).get_columns("posts")}
        # Posts with an id or author are re-keyed; the text-only one keeps its old id.
        assert ids == linked == mentioned == held == {post_id(rows[0][3], "r9"),
                                             post_id(rows[1][3], None, "ann"), "old3"}
        assert store.counts() == {"posts": 3, "mentions": 3, "ingest_runs": 0}
    finally:
        store.close()


def test_revision_0004_names_each_passage_first_holder(db_url: str) -> None:
    """Holders come from the stored flags; a pair left with only repeats (its first holder
    deleted before 0004) gets its earliest mention's post back as holder."""
    from alembic import command
    from sqlalchemy import text

    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003")
        for pid in ("p1", "p2", "p3"):
            conn.execute(text(
                "INSERT INTO posts (id, source, lang, text, ingested_at) "
                "VALUES (:id, 'f', 'en', 'x', :at)"), {"id": pid, "at": datetime(2026, 1, 1)})
        for pid, passage, repeat in (("p1", "aa", False), ("p2", "aa", True),
                                     ("p2", "bb", True), ("p3", "bb", True)):
            conn.execute(text(
                "INSERT INTO mentions (post_id, ticker, kind, start_offset, end_offset, "
                "sentence, confidence, groups, is_repeat, passage) VALUES "
                "(:pid, 'TSLA', 'cashtag', 0, 5, 'x', 1, '', :rep, :passage)"),
                {"pid": pid, "rep": repeat, "passage": passage})
    engine.dispose()
    store = Store(db_url)
    try:
        with store.engine.connect() as conn:
            holders = sorted(tuple(r) for r in conn.execute(text(
                "SELECT passage, ticker, post_id FROM passage_holders")))
            flags = sorted(tuple(r) for r in conn.execute(text(
                "SELECT post_id, passage, is_repeat FROM mentions")))
    finally:
        store.close()
    assert holders == [("aa", "TSLA", "p1"), ("bb", "TSLA", "p2")]
    assert flags == [("p1", "aa", False), ("p2", "aa", True), ("p2", "bb", False),
                     ("p3", "bb", True)]


@pytest.mark.parametrize("create", [False, True], ids=["read", "create"])
def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path,
                                                             create: bool) -> None:
    # Given as --db, a SQLite file of another program used to get tracker's schema written
    # into it, by `status` and `report` too.
    path = tmp_path / "places.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE moz_places (id INTEGER, url TEXT)")
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"not a tracker database: it holds other tables "
                                         r"\(moz_places\) and none of tracker's"):
        Store(f"sqlite:///{path}", create=create)
    assert inspect(create_engine(f"sqlite:///{path}")).get_table_names() == ["moz_places"]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["places.sqlite"]  # no lock file beside it


def test_backfill_pieces_stored_before_0009_upgrade_with_nothing_to_say(db_url: str) -> None:
    engine = create_engine(db_url)
    from alembic import command
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0008")
        conn.exec_driver_sql(
            "INSERT INTO backfill_parts (path, start, stop, size, mtime_ns, posts_read, "
            "posts_added, mentions_added, run_id, finished_at) "
            "VALUES ('a.jsonl', 0, 10, 10, 1, 3, 2, 1, NULL, '2026-12-06 00:00:00')")
    engine.dispose()
    store = Store(db_url)  # upgrades in place
    (piece,) = store.stored_pieces(["a.jsonl"]).values()
    store.close()
    assert (piece.posts_read, piece.posts_added, piece.mentions_added) == (3, 2, 1)
    assert (piece.failures, piece.warnings, piece.warnings_counted, piece.empty_posts) == (
        [], [], 0, 0)
