"""SQL that differs between SQLite and PostgreSQL, written once for both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from tracker.errors import StoreError


def insert_ignore(conn: Connection, table: Table, keys: list[str]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO NOTHING for the connection's dialect."""
    # Each dialect's module is imported when a connection uses it: PostgreSQL's pulls in its
    # asyncpg driver module and asyncio, 0.05-0.07 s of every SQLite run's start.
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
    raise StoreError(f"{dialect}: unsupported database; use SQLite or PostgreSQL")
