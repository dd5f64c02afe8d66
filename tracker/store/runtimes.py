"""The times of `ingest_runs` rows as any writer stored them, read as naive UTC.

Tracker writes naive UTC (`2026-12-07 08:57:47.347230`). SQLite keeps a DateTime as text, so
a store written by another release, another program or by hand may hold a time with a UTC
offset (`2026-12-07T08:00:00+08:00`), or text that is no time at all. SQLAlchemy read the
first as an aware datetime, which `tracker status` then subtracted from a naive one (a
`TypeError` traceback), and the second not at all (a `ValueError` from inside SQLAlchemy).
The columns are therefore read as they are stored and parsed here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, type_coerce
from sqlalchemy.sql.elements import ColumnElement


def stored_text(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`column` as stored: SQLite's text as it is (PostgreSQL's timestamps still come back
    as datetimes, its driver's own reading), for `read_run_time`."""
    return type_coerce(column, Text)


def read_run_time(value: object) -> datetime | None:
    """A stored run time as naive UTC; None for NULL and for what is no time."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            # 3.11's fromisoformat reads a space or a T, fractions, and Z or an offset.
            stamp = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp
