"""The briefing counted by the database: per-period aggregates and a bounded set of quotes.

`briefing_from_db` builds the same `Briefing` as `prepare_briefing` over every mention the
filter keeps, but the database does the counting (GROUP BY period and symbol, period and
group), so what Python holds grows with the tickers, groups and periods shown, never with
the mentions stored. Quotes come from a query per top ticker and label, ordered by tone and
read a page at a time until a sentence carries words. SQLite and PostgreSQL alike; the
filter must have an SQL form (`sqlfilters.sql_filter`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from tracker.reports.briefing import (
    Briefing,
    BriefingCounts,
    BriefingPlan,
    BriefingSpec,
    briefed_periods,
    finish_briefing,
    localize,
    plan_briefing,
)
from tracker.reports.briefing_tables import (
    GROUP_COLUMNS,
    GROUP_TOP_COLUMNS,
    QUOTE_PICKS,
    carries_words,
    quote_cells,
)
from tracker.reports.filters import MentionFilter
from tracker.reports.spec import FREQS
from tracker.reports.sqlaggregate import (
    aggregate_in_db,
    as_datetime,
    dated_extent,
    filter_sql,
    groups_join,
    period_sql,
    where_sql,
)
from tracker.reports.trends import SYMBOL_PERIOD_COLUMNS

# `aggregate.symbol` in SQL: TICKER.MARKET, or the ticker alone without a market.
SYMBOL = "CASE WHEN COALESCE(m.market, '') <> '' THEN m.ticker || '.' || m.market ELSE m.ticker END"
# What Python's str.strip() strips (every character str.isspace() holds; none is above U+3000),
# so an author of blanks counts as no author here as in trends.voices.
_BLANKS = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
# Rows of quote candidates read at a time: the first nearly always carries words.
QUOTE_PAGE = 20
_FROM = "FROM mentions m JOIN posts p ON p.id = m.post_id"


def _utc(local: pd.Timestamp, tz: tzinfo) -> datetime:
    """A local period start as naive UTC (`localize`)."""
    return localize(local, tz).tz_convert("UTC").tz_localize(None).to_pydatetime()


def _local(stamp: Any, tz: tzinfo) -> pd.Timestamp:
    return pd.Timestamp(stamp, tz="UTC").tz_convert(tz).tz_localize(None)


class _Query:
    """The briefing's mentions in one connection: a filter's clauses and a UTC range."""

    def __init__(self, conn: Connection, flt: MentionFilter, tz: tzinfo) -> None:
        self.conn, self.flt, self.tz = conn, flt, tz
        self.found = filter_sql(conn, flt)
        self.postgres = conn.dialect.name == "postgresql"

    def run(self, select: str, since: datetime | None, until: datetime | None,
            tail: str = "", join: str = "", where: str = "", **params: Any) -> list[Any]:
        clauses = where_sql(self.found, since, until) + (f" AND {where}" if where else "")
        sql = f"SELECT {select} {_FROM} {join} WHERE {clauses} {tail}"
        bound = {"tz": str(self.tz), "since": since, "until": until, **self.found.params,
                 **params}
        return list(self.conn.execute(text(sql), bound).all())

    def period(self, freq: str) -> str:
        return period_sql(self.conn, freq, self.tz)

    def voice(self) -> str:
        """trends.voices in SQL: the post's author, else the post itself."""
        author = f"{'btrim' if self.postgres else 'trim'}(COALESCE(p.author, ''), :blanks)"
        return f"CASE WHEN {author} <> '' THEN 'author:' || {author} ELSE 'post:' || m.post_id END"


def _periods(rows: Sequence[Any], whole: pd.Timestamp | None) -> pd.Series:
    values = pd.to_datetime(pd.Series([r[0] for r in rows], dtype=object))
    return pd.Series(whole, index=values.index) if whole is not None else values


def _symbol_table(q: _Query, freq: str, since: datetime, until: datetime | None,
                  whole: pd.Timestamp | None) -> pd.DataFrame:
    """trends.period_table of the history [since, until)."""
    period = "0" if whole is not None else q.period(freq)
    rows = q.run(f"{period} AS period, {SYMBOL} AS symbol, COUNT(*), "
                 f"COUNT(DISTINCT m.post_id), COUNT(DISTINCT {q.voice()}), AVG(m.tone)",
                 since, until, f"GROUP BY 1, {SYMBOL}", blanks=_BLANKS)
    table = pd.DataFrame([tuple(r) for r in rows], columns=SYMBOL_PERIOD_COLUMNS)
    if table.empty:
        return pd.DataFrame(columns=SYMBOL_PERIOD_COLUMNS)
    table["period"] = _periods(rows, whole)
    for col in ("mentions", "posts", "voices"):
        table[col] = table[col].astype(int)
    table["tone"] = table["tone"].astype(float)
    return table.sort_values(["period", "symbol"], kind="mergesort").reset_index(drop=True)


def _group_tables(q: _Query, freq: str, since: datetime, until: datetime | None,
                  current: pd.Timestamp, whole: pd.Timestamp | None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """briefing_tables.group_tables of the periods from `since` (the previous period's start,
    or the current one's) to `until`, from one GROUP BY period, group and symbol."""
    join, group = groups_join(q.conn)
    where = f"{group} <> ''"
    if q.flt.groups:
        # Only the wanted groups count, as apply_filters keeps only those.
        where += f" AND {group} IN ({', '.join(f':group{i}' for i in range(len(q.flt.groups)))})"
    period = "0" if whole is not None else q.period(freq)
    rows = q.run(f"{period} AS period, {group} AS grp, {SYMBOL} AS symbol, COUNT(*), "
                 "SUM(m.tone), COUNT(m.tone)", since, until, f"GROUP BY 1, {group}, {SYMBOL}",
                 join, where)
    if not rows:
        return pd.DataFrame(columns=GROUP_COLUMNS), pd.DataFrame(columns=GROUP_TOP_COLUMNS)
    detail = pd.DataFrame([tuple(r) for r in rows],
                          columns=["period", "group", "symbol", "mentions", "summed", "scored"])
    detail["period"] = _periods(rows, whole)
    detail["summed"] = detail["summed"].astype(float)
    for col in ("mentions", "scored"):
        detail[col] = detail[col].astype(int)
    groups = detail.groupby(["period", "group"]).agg(
        mentions=("mentions", "sum"), tickers=("symbol", "size"), summed=("summed", "sum"),
        scored=("scored", "sum")).reset_index()
    # The mean over the group's scored mentions; summed per symbol first, so its last bits
    # may differ from pandas' mean, which TONE_DIGITS absorbs.
    groups["tone"] = groups["summed"] / groups["scored"].where(groups["scored"] > 0)
    tops = detail[detail["period"] == current][GROUP_TOP_COLUMNS].reset_index(drop=True)
    return groups[GROUP_COLUMNS], tops


def _names(q: _Query, since: datetime, until: datetime | None,
           wanted: list[str]) -> dict[str, str]:
    """The first name (by publication, post and offset) of each `wanted` symbol: a query
    each, which stops at the first named mention in publication order."""
    names: dict[str, str] = {}
    for sym in wanted:
        found = q.run("m.name", since, until,
                      "ORDER BY p.published, m.post_id, m.start_offset LIMIT 1",
                      where=f"m.name IS NOT NULL AND {SYMBOL} = :symbol", symbol=sym)
        if found:
            names[sym] = str(found[0][0])
    return names


def _quote_order(q: _Query) -> str:
    # Most positive first for ▲, most negative first for ▼; ties go to the earliest post and
    # offset, post ids in code-point order as pandas sorts them.
    order_id = 'm.post_id COLLATE "C"' if q.postgres else "m.post_id"
    return (f"CASE WHEN m.label = 'positive' THEN -m.tone ELSE m.tone END, p.published, "
            f"{order_id}, m.start_offset")


_QUOTE_COLUMNS = "m.tone, m.sentence, p.source, p.source_id, p.author, p.published"


def _quotes(q: _Query, since: datetime, until: datetime | None,
            wanted: list[str]) -> list[dict[str, str]]:
    """briefing_tables.quote_rows over the current period [since, until): per symbol and
    label, its first QUOTE_PAGE scored mentions by tone in one ranked query; a pair none of
    whose first page carries words reads on, a page at a time."""
    if not wanted:
        return []
    marks = {f"want{i}": s for i, s in enumerate(wanted)}
    labels = [label for _mark, label, _pick in QUOTE_PICKS]
    inner = (f"SELECT {SYMBOL} AS symbol, m.label AS label, {_QUOTE_COLUMNS}, ROW_NUMBER() "
             f"OVER (PARTITION BY {SYMBOL}, m.label ORDER BY {_quote_order(q)}) AS pos "
             f"{_FROM} WHERE {where_sql(q.found, since, until)} AND "
             f"{SYMBOL} IN ({', '.join(':' + k for k in marks)}) AND "
             "m.label IN (:positive, :negative) AND m.tone IS NOT NULL")
    ranked = q.conn.execute(text(f"SELECT * FROM ({inner}) AS ranked WHERE pos <= :page"), {
        "since": since, "until": until, "page": QUOTE_PAGE, "positive": labels[0],
        "negative": labels[1], **q.found.params, **marks}).all()
    first: dict[tuple[str, str], list[Any]] = {}
    for row in ranked:
        first.setdefault((str(row[0]), str(row[1])), []).append(row)
    rows: list[dict[str, str]] = []
    for sym in wanted:
        for mark, label, _pick in QUOTE_PICKS:
            page = sorted(first.get((sym, label), []), key=lambda r: r[-1])
            found = next((r[2:-1] for r in page if carries_words(str(r[3]))), None)
            offset = QUOTE_PAGE
            while found is None and len(page) == QUOTE_PAGE:
                page = q.run(_QUOTE_COLUMNS, since, until,
                             f"ORDER BY {_quote_order(q)} LIMIT :page OFFSET :offset",
                             where=f"{SYMBOL} = :symbol AND m.label = :label AND "
                             "m.tone IS NOT NULL", symbol=sym, label=label, page=QUOTE_PAGE,
                             offset=offset)
                found = next((r for r in page if carries_words(str(r[1]))), None)
                offset += QUOTE_PAGE
            if found is not None:
                tone, sentence, source, source_id, author, published = found
                rows.append(quote_cells(sym, mark, float(tone), sentence, source, source_id,
                                        author, _local(published, q.tz)))
    return rows


def _counts(q: _Query, spec: BriefingSpec, plan: BriefingPlan, since: datetime,
            until: datetime | None) -> tuple[BriefingCounts, list[pd.Timestamp]]:
    """The briefing's counts over the history [since, until), and the `freq` periods of it
    that hold mentions."""
    periods = briefed_periods(spec, plan)
    whole = periods[0] if spec.span == "all" else None
    current = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    symbols = _symbol_table(q, spec.freq, since, until, whole)
    if whole is None:
        with_data = sorted(set(symbols["period"]))
    else:
        with_data = sorted(pd.to_datetime(pd.Series(
            [r[0] for r in q.run(f"DISTINCT {q.period(spec.freq)}", since, until)],
            dtype=object)))
    group_since = since if whole is not None else max(since, _utc(previous or current, q.tz))
    groups, tops = _group_tables(q, spec.freq, group_since, until, current, whole)
    now_since = since if whole is not None else max(since, _utc(current, q.tz))
    posts_sql = ("COUNT(DISTINCT m.post_id), "
                 "COUNT(DISTINCT CASE WHEN p.published_from = 'file' THEN m.post_id END)")
    first = last = None
    days = 0
    if whole is None:
        posts, from_file = q.run(posts_sql, now_since, until)[0]
    else:
        # The whole span is the current period: one pass counts its posts and its extent.
        posts, from_file, low, high, days = q.run(
            f"{posts_sql}, MIN(p.published), MAX(p.published), COUNT(DISTINCT {q.period('D')})",
            since, until)[0]
        first = _local(as_datetime(low), q.tz) if low is not None else None
        last = _local(as_datetime(high), q.tz) if high is not None else None
    counts = BriefingCounts(symbols, groups, tops, int(posts), int(from_file), first, last,
                            int(days))
    return counts, list(with_data)


def briefing_from_db(engine: Engine, spec: BriefingSpec, tz: tzinfo, flt: MentionFilter,
                     until: datetime | None) -> Briefing:
    """The briefing of `spec` over the stored mentions `flt` keeps, published before `until`
    (naive UTC: the end of `spec.until`, as `report._bounds` gives it), counted in the
    database; the same `Briefing` as `prepare_briefing` of those mentions."""
    with engine.connect() as conn:
        q = _Query(conn, flt, tz)
        first, last, undated = dated_extent(conn, flt, None, until)
        plan = plan_briefing(spec, None if first is None else _local(first, tz),
                             None if last is None else _local(last, tz))
        if plan is None:
            return Briefing(spec, str(tz), [], undated)
        since = _utc(plan.start, tz)
        counts, with_data = _counts(q, spec, plan, since, until)
        current = briefed_periods(spec, plan)[-1]
        if spec.span == "all":
            now_since, now_until = since, until
        else:
            following = (pd.Period(current, freq=FREQS[spec.freq]) + 1).start_time
            now_since = max(since, _utc(current, tz))
            now_until = _utc(following, tz) if until is None else min(until, _utc(following, tz))
        briefing = finish_briefing(
            spec, tz, plan, undated, counts, with_data,
            lambda wanted: _names(q, since, until, wanted),
            lambda wanted: _quotes(q, now_since, now_until, wanted))

    def chart_table(by: str) -> pd.DataFrame:
        with engine.connect() as conn:
            return aggregate_in_db(conn, by, spec.freq, tz, since, until, flt,
                                   wall_clock=True)

    return replace(briefing, chart_table=chart_table)
