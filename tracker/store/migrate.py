"""Schema versions: create a new database at the latest revision, upgrade an older one.

The revisions live in tracker/store/migrations (Alembic, run in code: no alembic.ini). A database
made by the first release has no `alembic_version` table; it is recognised by its `posts`
table and treated as revision 0001. Upgrades run under a lock, so several processes (or
machines) opening an old database at once upgrade it once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.errors import StoreError
from tracker.store.lock import RunLock
from tracker.store.schema import metadata
from tracker.store.url import shown_url

if TYPE_CHECKING:
    # Alembic is imported where a database is created or upgraded, not on every open of one
    # already at HEAD_REVISION: its import cost 0.2-0.7 s of each command's start-up.
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

FIRST_REVISION = "0001"
HEAD_REVISION = "0011"  # tests check this names the newest file in migrations/versions

# Alembic's own version table, as its DefaultImpl.version_table_impl defines it: a new
# database is stamped with it directly, without importing alembic and reading every revision
# file (0.2-0.3 s of a first ingest). tests/store/test_migrate.py holds it to alembic's DDL.
VERSION_TABLE = Table("alembic_version", MetaData(),
                      Column("version_num", String(32), nullable=False),
                      PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    """An Alembic config pointing at the packaged migrations, built in code."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(resources.files("tracker.store") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    # The packaged revisions, read (each file compiled and run) once per process rather
    # than on every new database.
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def script_head() -> str:
    """The newest revision shipped in tracker/store/migrations."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The database's revision; FIRST_REVISION for a first-release database, None if empty."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "posts" in tables:
        return FIRST_REVISION
    return None


def check_is_tracker_database(tables: Iterable[str], url: str) -> None:
    """Raise StoreError when `tables`, a database's, are some but none of tracker's (another
    program's SQLite file given as --db): writing a schema into it would change a file the
    user never meant tracker to touch, and every command would then report nothing."""
    names = set(tables)
    if names and not names & {"alembic_version", "posts"}:
        shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
        raise StoreError(f"{shown_url(url)}: not a tracker database: it holds other tables "
                         f"({shown}) and none of tracker's; check --db or [database] url, or "
                         "give a new file or an empty database")


def _fast_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def _begin_ddl(conn: Connection, write: bool = False) -> None:
    """On SQLite, open the transaction now, so that it holds the schema changes too: Python's
    sqlite3 opens one only before INSERT, UPDATE or DELETE, and CREATE and ALTER committed
    one by one. An upgrade stopped part way (Ctrl-C, a kill, a full disk) left
    alembic_version made but empty and the first revisions' tables and columns added, and
    every later command failed: "table alembic_version already exists". Now the upgrade is
    whole or not at all. (PostgreSQL's transactions hold schema changes already.)

    `write`: the transaction will write, so it takes the write lock first (BEGIN IMMEDIATE),
    waiting for another writer as long as any write waits. Begun as a reader, its first
    write while another process wrote failed at once, without SQLite's wait (a reader
    turned writer could deadlock), as `the database is locked by another process (waited
    30 s)`: any command opening an older database failed so while anything wrote to it."""
    if conn.dialect.name != "sqlite":
        return
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", False):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def upgrade(engine: Engine, url: str) -> tuple[str | None, str]:
    """Bring the database to the latest revision; returns (revision before, revision after)."""
    try:
        return _upgrade(engine, url)
    except SQLAlchemyError as exc:
        if "already exists" not in str(exc) and "duplicate column" not in str(exc):
            raise
        # Its alembic_version dropped or emptied (in the sqlite3 shell), a database of the
        # latest schema was read as an older one, and the upgrade met its own tables:
        # "duplicate column name: files_new", "table alembic_version already exists".
        raise StoreError(
            f"{shown_url(url)}: the database holds tables of a later schema than the revision "
            "it records (its alembic_version table was dropped or emptied outside tracker); "
            "nothing was changed: restore it from a backup") from exc


def _upgrade(engine: Engine, url: str) -> tuple[str | None, str]:
    with RunLock(engine, url, "upgrade"):
        with engine.begin() as conn:
            _begin_ddl(conn)
            check_is_tracker_database(inspect(conn).get_table_names(), url)
            before = current_revision(conn)
            if before is None:
                # A new database: create the tables in one step, then record the revision.
                metadata.create_all(conn)
                VERSION_TABLE.create(conn)
                conn.execute(VERSION_TABLE.insert().values(version_num=HEAD_REVISION))
                return before, HEAD_REVISION
        if before == HEAD_REVISION:
            return before, before
        if before is not None and before not in {r.revision for r in _scripts().walk_revisions()}:
            raise StoreError(
                f"{shown_url(url)}: the database is at schema revision {before}, newer than "
                f"this tracker knows ({HEAD_REVISION}); upgrade tracker")
        from alembic import command

        try:
            with engine.begin() as conn:
                _begin_ddl(conn, write=True)
                if "alembic_version" not in inspect(conn).get_table_names():
                    command.stamp(alembic_config(conn), FIRST_REVISION)
                log.info("upgrading %s from schema %s to %s", url, before, HEAD_REVISION)
                command.upgrade(alembic_config(conn), HEAD_REVISION)
        except SQLAlchemyError as exc:
            if "readonly" not in str(exc) and "read-only" not in str(exc):
                raise
            # Else "the database is read-only ...; reports can read it", which they cannot
            # until it is upgraded.
            raise StoreError(
                f"{shown_url(url)}: the database is from an older tracker (schema "
                f"{before or FIRST_REVISION}) and read-only, so it cannot be upgraded to "
                f"{HEAD_REVISION} for this one to read; make it writable, or upgrade a copy "
                "(tracker db upgrade --db COPY)") from exc
        return before, HEAD_REVISION


def ensure_current(engine: Engine, url: str) -> tuple[str | None, str]:
    """Upgrade the database if it is not at the latest revision (cheap when it is); returns
    (revision before, revision after), as `upgrade` does."""
    if _fast_revision(engine) == HEAD_REVISION:
        return HEAD_REVISION, HEAD_REVISION
    with engine.connect() as conn:  # before the upgrade makes a lock file beside it
        check_is_tracker_database(inspect(conn).get_table_names(), url)
    return upgrade(engine, url)
