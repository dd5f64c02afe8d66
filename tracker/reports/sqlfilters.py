"""Report filters as SQL: the WHERE clauses that keep the mentions `apply_filters` keeps.

The same meaning as tracker.reports.filters.apply_filters, row for row, so the database can
aggregate (and bound) what a filtered report counts. `--sources` is the one filter with no
SQL form (a folder, an exact path or a glob, matched the way pathlib and fnmatch do): with
it, `sql_filter` returns None and the caller reads the mentions and filters them in memory.
The query must alias the mentions table `m` and the posts table `p`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.reports.choices import ALL_INSTRUMENTS, DEFAULT_INSTRUMENTS
from tracker.reports.filters import MentionFilter, ticker_keys


@dataclass(frozen=True)
class SqlFilter:
    """WHERE clauses (joined with AND) and their bound parameters."""

    clauses: tuple[str, ...]
    params: dict[str, Any]

    def where(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1 = 1"


def _in(column: str, name: str, values: tuple[str, ...] | list[str],
        params: dict[str, Any]) -> str:
    names = []
    for i, value in enumerate(values):
        params[f"{name}{i}"] = value
        names.append(f":{name}{i}")
    return f"{column} IN ({', '.join(names)})"


def _contains_group(dialect: str, index: int) -> str:
    """Whether `m.groups` ("a;b") holds the group bound as :group{index}."""
    haystack = "';' || COALESCE(m.groups, '') || ';'"
    needle = f"';' || :group{index} || ';'"
    if dialect == "postgresql":
        return f"strpos({haystack}, {needle}) > 0"
    return f"instr({haystack}, {needle}) > 0"


def sql_filter(flt: MentionFilter, dialect: str) -> SqlFilter | None:
    """The clauses keeping what `flt` keeps (min_mentions aside: it applies to tables), and
    never a reposted passage's mentions; None when `flt` has a filter SQL cannot express."""
    if flt.sources:
        return None
    params: dict[str, Any] = {}
    # A reposted passage's mentions count once (tracker/extract/passages.py).
    clauses = ["NOT m.is_repeat"]
    if flt.tickers:
        keys = [key for t in flt.tickers for key in ticker_keys(t)]
        anywhere = sorted({ticker for ticker, market in keys if market is None})
        placed = sorted({f"{ticker}.{market}" for ticker, market in keys if market is not None})
        either = []
        if anywhere:
            either.append(_in("UPPER(m.ticker)", "ticker", anywhere, params))
        if placed:
            either.append(_in("UPPER(m.ticker) || '.' || UPPER(COALESCE(m.market, ''))",
                              "symbol", placed, params))
        clauses.append("(" + " OR ".join(either) + ")")
    if ALL_INSTRUMENTS not in flt.instruments:
        wanted = _in("m.instrument", "instrument", flt.instruments or DEFAULT_INSTRUMENTS,
                     params)
        # A mention stored before instruments were recorded has none; it counts by default.
        clauses.append(wanted if flt.instruments else f"(m.instrument IS NULL OR {wanted})")
    if flt.langs:
        clauses.append(_in("p.lang", "lang", flt.langs, params))
    if flt.kinds:
        clauses.append(_in("m.kind", "kind", flt.kinds, params))
    if flt.genres:
        # Posts stored before genres were read have none: they count as social, the genre
        # they were scored as (as in apply_filters).
        clauses.append(_in("COALESCE(p.genre, 'social')", "genre", flt.genres, params))
    if flt.min_confidence:
        params["min_confidence"] = flt.min_confidence
        clauses.append("COALESCE(m.confidence, 1.0) >= :min_confidence")
    if not flt.private:
        # Private companies (SpaceX, OpenAI) are tracked without a market.
        clauses.append("COALESCE(m.market, '') <> ''")
    if not flt.file_dates:
        clauses.append("(p.published_from IS NULL OR p.published_from <> 'file')")
    if flt.groups:
        for i, group in enumerate(flt.groups):
            params[f"group{i}"] = group
        clauses.append("(" + " OR ".join(_contains_group(dialect, i)
                                         for i in range(len(flt.groups))) + ")")
    return SqlFilter(tuple(clauses), params)
