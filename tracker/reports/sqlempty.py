"""Why a report is empty, asked of the database: COUNT and DISTINCT queries, no mentions read.

`DatabaseProbe` answers `filters.explain_filters` the way `why_empty` answers it from a
frame, for filters with an SQL form (`sqlfilters.sql_filter`); what it holds grows with the
distinct keys, groups, languages, kinds, sources and genres stored, not with the mentions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.reports.filters import MentionFilter
from tracker.reports.sqlaggregate import as_datetime
from tracker.reports.sqlfilters import sql_filter

_FROM = "FROM mentions m JOIN posts p ON p.id = m.post_id"
# The columns `explain_filters` asks about, as the mentions frame names them.
_COLUMNS = {"groups": "m.groups", "lang": "p.lang", "kind": "m.kind",
            "instrument": "m.instrument", "source": "p.source", "genre": "p.genre"}


class DatabaseProbe:
    """The stored mentions published in [since, until) (naive UTC; None: open, undated
    posts included) that MentionFilter() keeps, the set `why_empty` reads as a frame."""

    def __init__(self, conn: Connection, since: datetime | None,
                 until: datetime | None) -> None:
        self.conn = conn
        self.base = ["p.published >= :since"] if since is not None else []
        self.base += ["p.published < :until"] if until is not None else []
        self.params: dict[str, Any] = {"since": since, "until": until}

    def _where(self, flt: MentionFilter | None) -> tuple[str, dict[str, Any]]:
        clauses, params = list(self.base), dict(self.params)
        for each in (MentionFilter(), flt) if flt is not None else (MentionFilter(),):
            found = sql_filter(each, self.conn.dialect.name)
            if found is None:
                raise ValueError("this filter has no SQL form; explain it from a frame")
            clauses += found.clauses
            params.update(found.params)
        return " AND ".join(clauses), params

    def count(self, flt: MentionFilter | None) -> int:
        where, params = self._where(flt)
        return int(self.conn.execute(text(f"SELECT COUNT(*) {_FROM} WHERE {where}"),
                                     params).scalar_one())

    def values(self, column: str, flt: MentionFilter | None) -> list[object]:
        where, params = self._where(flt)
        return list(self.conn.execute(text(
            f"SELECT DISTINCT {_COLUMNS[column]} {_FROM} WHERE {where}"), params).scalars())

    def keys(self) -> list[str]:
        where, params = self._where(None)
        rows = self.conn.execute(text(
            f"SELECT DISTINCT m.ticker, m.market {_FROM} WHERE {where}"), params).all()
        return sorted({f"{t}.{m}" if m else str(t) for t, m in rows})


def stored_range(conn: Connection) -> tuple[datetime | None, datetime | None]:
    """The first and last publication (naive UTC) of any stored mention's post."""
    first, last = conn.execute(text(
        f"SELECT MIN(p.published), MAX(p.published) {_FROM}")).one()
    return as_datetime(first), as_datetime(last)
