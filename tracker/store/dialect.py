"""SQL that differs between SQLite and PostgreSQL, written once for both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from tracker.errors import StoreError


def insert_ignore(conn: Connection, table: Table, keys: list[str]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO NOTHING for the connection's dialect."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
    raise StoreError(f"{dialect}: unsupported database; use SQLite or PostgreSQL")
