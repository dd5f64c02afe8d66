"""Reports: read mentions from the store, filter, aggregate, and render tables or a briefing."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tracker.errors import OptionsError
from tracker.extract.text.plural import counted
from tracker.reports.aggregate import build_table, mark_names, wide_table
from tracker.reports.briefing import (
    SPARK_POINTS,
    Briefing,
    BriefingSpec,
    localize,
    prepare_briefing,
    render_briefing,
)
from tracker.reports.briefing_sql import briefing_from_db
from tracker.reports.charts import ChartError, write_table_chart
from tracker.reports.filters import (
    MentionFilter,
    apply_filters,
    explain_filters,
    keep_min_mentions,
    why_empty,
)
from tracker.reports.render import drop_zero_columns, render_csv, render_json, render_markdown
from tracker.reports.spec import (
    FREQ_NAMES,
    TAG_COLUMNS,
    ReportSpec,
    check_range,
    notes,
    title,
)
from tracker.reports.sqlaggregate import aggregate_stored, stored_extent, stored_stats
from tracker.reports.sqlempty import DatabaseProbe, stored_range
from tracker.reports.sqlfilters import sql_filter
from tracker.store.database import Store
from tracker.store.upsert import utc_naive

if TYPE_CHECKING:
    from tracker.config import Config

log = logging.getLogger(__name__)

BRIEFING_CHART_SERIES = 5
# A chart without a date range shows this many of the last periods that hold data.
CHART_PERIODS = SPARK_POINTS




def _bounds(since: date | None, until: date | None,
            cfg: Config) -> tuple[datetime | None, datetime | None]:
    tz = cfg.timezone
    start = datetime.combine(since, time(), tz) if since else None
    # --until names the last day reported, so the bound is the start of the next day.
    end = datetime.combine(until + timedelta(days=1), time(), tz) if until else None
    return start, end


# What a report table, its notes and every filter read: not the sentences, offsets or
# authors, which the briefing quotes and which are most of a mention's bytes.
TABLE_COLUMNS = ("post_id", "source", "published", "published_from", "lang", "ticker",
                 "market", "name", "kind", "instrument", "groups", "tone", "label", "confidence",
                 "is_repeat", "author_tag", "genre")


def read_mentions(store: Store, cfg: Config, since: date | None, until: date | None,
                  flt: MentionFilter, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The stored mentions between `since` and `until` (local days) that `flt` keeps;
    `columns` reads only those (it must hold what `flt` reads)."""
    start, end = _bounds(since, until, cfg)
    return _kept(store.mentions_frame(start, end, columns), flt)


def _kept(frame: pd.DataFrame, flt: MentionFilter) -> pd.DataFrame:
    # A reposted passage's mentions count once (tracker/extract/passages.py).
    frame = frame[~frame["is_repeat"].astype(bool)]
    return apply_filters(frame, flt)


def _briefing(store: Store, cfg: Config, spec: ReportSpec) -> Briefing:
    """The briefing of `spec`: counted by the database when SQL can express its filters
    (`sql_filter`), so its memory does not grow with the mentions stored; with `--sources`,
    from every mention up to `until`, read and filtered in memory."""
    flt = spec.filters
    if sql_filter(flt, store.engine.dialect.name) is None:
        frame = read_mentions(store, cfg, None, spec.until, flt)
        return prepare_briefing(frame, briefing_spec(spec, cfg), cfg.timezone)
    _, until = _bounds(None, spec.until, cfg)
    return briefing_from_db(store.engine, briefing_spec(spec, cfg), cfg.timezone, flt,
                            utc_naive(until))


def explain_empty(store: Store, cfg: Config, since: date | None, until: date | None,
                  flt: MentionFilter) -> str:
    """Why a report between `since` and `until` filtered by `flt` has no mentions: the
    date range or the filter that emptied the set, with the keys that do exist.

    Asked of the database (COUNT and DISTINCT queries) when SQL can express `flt`; with
    `--sources`, of the range's mentions read into memory."""
    start, end = _bounds(since, until, cfg)
    with store.engine.connect() as conn:
        probe = DatabaseProbe(conn, utc_naive(start), utc_naive(end))
        if probe.count(None) == 0:
            first, last = stored_range(conn)
            if first is None or last is None:
                return "no dated mentions stored yet (run `tracker ingest` first)"
            tz = cfg.timezone
            first_local, last_local = (pd.Timestamp(t, tz="UTC").tz_convert(tz)
                                       for t in (first, last))
            return (f"no mentions from {since or 'the start'} to {until or 'the end'}; the "
                    f"stored mentions run from {first_local:%Y-%m-%d} to {last_local:%Y-%m-%d}")
        if sql_filter(flt, store.engine.dialect.name) is not None:
            reason = explain_filters(probe, flt)
        else:
            reason = why_empty(read_mentions(store, cfg, since, until, MentionFilter(),
                                             TABLE_COLUMNS), flt)
    return reason or (f"no ticker or group has at least {counted(flt.min_mentions, 'mention')}"
                      "; lower --min-mentions")


def chart_table(store: Store, cfg: Config, by: str, freq: str, since: date | None,
                until: date | None, flt: MentionFilter) -> pd.DataFrame:
    """The long table a chart of `by` draws (mentions and tone per period and key), from
    `since` to `until` (local days).

    The database aggregates it when SQL can express `flt` (`sql_filter`), so a chart reads
    one row per period and key, not every mention; with `--sources` the mentions are read
    and aggregated in memory. Raises ChartError, saying why, when no dated mention matches.
    """
    check_range(since, until)
    start, end = _bounds(since, until, cfg)
    if sql_filter(flt, store.engine.dialect.name) is None:
        frame = read_mentions(store, cfg, since, until, flt, TABLE_COLUMNS)
        dated = frame["published"].notna().any()
    else:
        frame = None
        dated = stored_extent(store, flt, start, end)[1] is not None
    if not dated:
        raise ChartError(f"nothing to chart: {explain_empty(store, cfg, since, until, flt)}")
    if frame is not None:
        table = build_table(frame, by, freq, cfg.timezone)
    else:
        table = aggregate_stored(store, by, freq, cfg.timezone, start, end, flt)
    # As `report` keeps them: --min-mentions was accepted and ignored, every ticker drawn.
    kept = keep_min_mentions(table, by, flt.min_mentions)
    if kept.empty and not table.empty:
        raise ChartError(f"nothing to chart: no {by} has at least "
                         f"{counted(flt.min_mentions, 'mention')}; lower --min-mentions")
    return kept


def report_table(frame: pd.DataFrame, spec: ReportSpec, cfg: Config) -> pd.DataFrame:
    """The long or wide table of `spec` from a filtered mentions frame (pure)."""
    by = spec.by or "ticker"
    table = build_table(frame, by, spec.freq, cfg.timezone)
    table = keep_min_mentions(table, by, spec.filters.min_mentions)
    if spec.shape == "wide":
        return wide_table(table, by, spec.measure, spec.freq, top=spec.top)
    return table


def build_report(store: Store, cfg: Config, spec: ReportSpec, charts_dir: Path | None = None,
                 out: Path | None = None, notices: list[str] | None = None) -> str:
    """The rendered report for `spec`, as text.

    For the briefing, `charts_dir` (if given) receives PNG charts of the top tickers and
    of the groups, linked from the briefing relative to `out` (default: the working folder).
    When the report has no rows, `notices` (if given) receives why (`explain_empty`): an
    empty report is not an error, but its reader should learn which filter emptied it.
    """
    spec.check()
    if charts_dir is not None and not spec.is_briefing:
        raise OptionsError("--charts belongs to the briefing (--format md without --by); "
                           "use tracker chart for other charts")
    if spec.is_briefing:
        # The briefing reads history before --since on its own terms (see BriefingSpec).
        briefing = _briefing(store, cfg, spec)
        if notices is not None and not briefing.periods:
            notices.append(explain_empty(store, cfg, spec.since, spec.until, spec.filters))
        return _briefing_markdown(briefing, spec, cfg, charts_dir, out, store)
    in_database = _database_range(store, cfg, spec)
    if in_database is not None:
        return _from_database(store, cfg, spec, *in_database)
    frame, table = _memory_table(store, cfg, spec)
    if notices is not None and (table.empty or len(table.columns) <= 1):
        notices.append(explain_empty(store, cfg, spec.since, spec.until, spec.filters))
    if spec.fmt == "csv":
        return render_csv(table, spec.freq, excel=spec.excel)
    if spec.fmt == "json":
        return render_json(table, spec.freq)
    return _markdown(table, spec, _frame_stats(frame))


def report_frame(store: Store, cfg: Config, spec: ReportSpec) -> pd.DataFrame:
    """The table of `spec` (not the briefing) as `build_report` renders it, unrendered."""
    spec.check()
    if spec.is_briefing:
        raise OptionsError("the briefing is text, not a table; give by='ticker' or 'group'")
    in_database = _database_range(store, cfg, spec)
    if in_database is not None:
        start, end, _stats = in_database
        return aggregate_stored(store, spec.by or "ticker", spec.freq, cfg.timezone, start, end)
    return _memory_table(store, cfg, spec)[1]


def _database_range(store: Store, cfg: Config, spec: ReportSpec
                    ) -> tuple[datetime | None, datetime | None, dict[str, int]] | None:
    """The range and its counts when the database aggregates the table of `spec`, else None.

    Large data is aggregated by the database (GROUP BY period, ticker), not in memory; it
    can only do the long shape without filters.
    """
    if spec.shape != "long" or spec.filters != MentionFilter():
        return None
    start, end = _bounds(spec.since, spec.until, cfg)
    stats = stored_stats(store, start, end)
    return (start, end, stats) if stats["mentions"] > cfg.reports.sql_threshold else None


def _memory_table(store: Store, cfg: Config, spec: ReportSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The filtered mentions, and the table of `spec` aggregated from them in memory."""
    frame = read_mentions(store, cfg, spec.since, spec.until, spec.filters, TABLE_COLUMNS)
    return frame, report_table(frame, spec, cfg)


def _frame_stats(frame: pd.DataFrame) -> dict[str, int]:
    posts = frame.drop_duplicates("post_id")
    return {"mentions": len(frame), "posts": len(posts),
            "from_file": int((posts["published_from"] == "file").sum()),
            "undated": int(posts["published"].isna().sum())}


def _from_database(store: Store, cfg: Config, spec: ReportSpec, since: datetime | None,
                   until: datetime | None, stats: dict[str, int]) -> str:
    """The report for `spec`, aggregated by the database; `stats` counts the range."""
    table = mark_names(
        aggregate_stored(store, spec.by or "ticker", spec.freq, cfg.timezone, since, until))
    if spec.fmt == "csv":
        return render_csv(table, spec.freq, excel=spec.excel)
    if spec.fmt == "json":
        return render_json(table, spec.freq)
    return _markdown(table, spec, stats)


def _markdown(table: pd.DataFrame, spec: ReportSpec, stats: dict[str, int]) -> str:
    """The Markdown table of `spec`: the tag columns and their note only when a post
    carried a tag."""
    shown = drop_zero_columns(table, TAG_COLUMNS)
    tags = any(c in shown.columns for c in TAG_COLUMNS)
    return render_markdown(shown, title(spec, table), notes(spec, stats, tags), spec.freq)


def briefing_spec(spec: ReportSpec, cfg: Config) -> BriefingSpec:
    """What the briefing of `spec` covers and shows."""
    return BriefingSpec(
        freq=spec.freq, span=spec.span, since=spec.since, until=spec.until,
        min_mentions=spec.filters.min_mentions, group_order=tuple(cfg.group_keywords),
        filters=tuple(spec.filters.describe()),
    )


def briefing_text(frame: pd.DataFrame, spec: ReportSpec, cfg: Config,
                  charts_dir: Path | None = None, out: Path | None = None,
                  store: Store | None = None) -> str:
    """The Markdown briefing of a filtered mentions frame, counted in memory (the path of
    `--sources`, which SQL cannot express), drawing its charts if asked; with `store`, it
    also says how many posts of its period named no ticker."""
    briefing = prepare_briefing(frame, briefing_spec(spec, cfg), cfg.timezone)
    return _briefing_markdown(briefing, spec, cfg, charts_dir, out, store)


def _briefing_markdown(briefing: Briefing, spec: ReportSpec, cfg: Config,
                       charts_dir: Path | None, out: Path | None, store: Store | None) -> str:
    if store is not None and briefing.periods:
        start, end = (None if t is None else localize(t, cfg.timezone).to_pydatetime()
                      for t in briefing.post_range())
        briefing = dataclasses.replace(briefing,
                                       silent_posts=store.count_silent_posts(start, end))
    charts: dict[str, str] = {}
    if charts_dir is not None and briefing.chart_periods and briefing.chart_table is not None:
        base = out.parent if out is not None else Path.cwd()
        tops = briefing.top_symbols[:BRIEFING_CHART_SERIES]
        for by, keys, caption in (("ticker", tops, "Top tickers: mentions and tone"),
                                  ("group", None, "Groups: mentions and tone")):
            if by == "ticker" and not keys:
                continue
            table = briefing.chart_table(by)
            if table.empty:
                continue
            path = charts_dir / f"briefing-{by}s-{FREQ_NAMES[spec.freq]}.png"
            try:
                write_table_chart(table, by, spec.freq, path, briefing.chart_periods,
                                  limit=BRIEFING_CHART_SERIES, keys=keys)
            except (ChartError, ValueError) as exc:
                # A chart matplotlib cannot draw costs that chart, never the briefing.
                log.warning("chart %s not drawn: %s", path, exc)
                continue
            charts[caption] = os.path.relpath(path, base)
    return render_briefing(briefing, charts)
