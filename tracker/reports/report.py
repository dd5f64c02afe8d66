"""Reports: read mentions from the store, filter, aggregate, and render tables or a briefing."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd

from tracker.config import Config
from tracker.errors import OptionsError
from tracker.reports.aggregate import FREQ_NAMES, FREQS, MEASURES, build_table, wide_table
from tracker.reports.briefing import (
    SPANS,
    SPARK_POINTS,
    BriefingSpec,
    prepare_briefing,
    render_briefing,
)
from tracker.reports.charts import ChartError, write_chart
from tracker.reports.filters import MentionFilter, apply_filters, keep_min_mentions, why_empty
from tracker.reports.render import render_csv, render_json, render_markdown
from tracker.store.database import Store

log = logging.getLogger(__name__)

FORMATS = ("csv", "md", "json")
SHAPES = ("long", "wide")
BRIEFING_CHART_SERIES = 5
# The wide shape keeps this many keys (most mentioned first) and sums the rest in `other`,
# so gapped data over many tickers stays a table a spreadsheet can open.
WIDE_TOP = 50
# A chart without a date range shows this many of the last periods that hold data.
CHART_PERIODS = SPARK_POINTS


@dataclass(frozen=True)
class ReportSpec:
    """What to report: table (None: ticker for CSV, the briefing for Markdown), period
    length, format, shape, measure of the wide shape, date range (inclusive days), filters,
    whether the CSV starts with a byte-order mark for Excel, the briefing's span (`latest`
    period or `all` of it) and how many keys the wide shape keeps before `other`."""

    by: str | None = None
    freq: str = "D"
    fmt: str = "csv"
    since: date | None = None
    until: date | None = None
    shape: str = "long"
    measure: str = "mentions"
    excel: bool = False
    filters: MentionFilter = field(default_factory=MentionFilter)
    span: str = "latest"
    top: int = WIDE_TOP

    @property
    def is_briefing(self) -> bool:
        return self.fmt == "md" and self.by is None

    def check(self) -> None:
        """Raise OptionsError for a combination that has no meaning."""
        if self.fmt not in FORMATS:
            raise OptionsError(f"unknown format {self.fmt!r}; use {', '.join(FORMATS)}")
        if self.freq not in FREQS:
            raise OptionsError(f"unknown frequency {self.freq!r}; use one of {', '.join(FREQS)}")
        if self.shape not in SHAPES or self.measure not in MEASURES:
            raise OptionsError(f"unknown shape {self.shape!r} or measure {self.measure!r}")
        if self.measure in ("tag_ratio", "tag_agreement") and (self.by or "ticker") != "ticker":
            raise OptionsError(f"--measure {self.measure} is per ticker; use --by ticker")
        if self.excel and self.fmt != "csv":
            raise OptionsError("--excel applies to CSV output; drop it or use --format csv")
        if self.is_briefing and self.shape != "long":
            raise OptionsError("the briefing has one shape; use --by ticker or --by group "
                               "with --shape wide")
        if self.span not in SPANS:
            raise OptionsError(f"unknown span {self.span!r}; use one of {', '.join(SPANS)}")
        if self.top < 1:
            raise OptionsError(f"--top must be 1 or more, not {self.top}")
        if self.since and self.until and self.since > self.until:
            raise OptionsError(f"--since {self.since} is after --until {self.until}")


# The days a report can cover: pandas keeps time stamps from 1677-09-21 to 2262-04-11, and
# a day's bounds move by up to a day in the configured time zone and a period beyond it.
FIRST_DAY, LAST_DAY = date(1678, 1, 1), date(2261, 12, 31)


TAG_NOTE = ("tagged: mentions in posts their authors tagged ([input] tag_field); "
            "tag_positive/tag_negative: by that tag; tag_agree: where the tag equals the label.")


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
                 "market", "name", "kind", "groups", "tone", "label", "confidence",
                 "is_repeat", "author_tag")


def read_mentions(store: Store, cfg: Config, since: date | None, until: date | None,
                  flt: MentionFilter, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The stored mentions between `since` and `until` (local days) that `flt` keeps;
    `columns` reads only those (it must hold what `flt` reads)."""
    start, end = _bounds(since, until, cfg)
    frame = store.mentions_frame(start, end, columns)
    # A reposted passage's mentions count once (tracker/extract/passages.py).
    frame = frame[~frame["is_repeat"].astype(bool)]
    return apply_filters(frame, flt)


def explain_empty(store: Store, cfg: Config, since: date | None, until: date | None,
                  flt: MentionFilter) -> str:
    """Why a report between `since` and `until` filtered by `flt` has no mentions: the
    date range or the filter that emptied the set, with the keys that do exist."""
    frame = read_mentions(store, cfg, since, until, MentionFilter(), TABLE_COLUMNS)
    if frame.empty:
        everything = store.mentions_frame(columns=["post_id", "published"])["published"].dropna()
        if everything.empty:
            return "no dated mentions stored yet (run `tracker ingest` first)"
        tz = cfg.timezone
        first, last = everything.min().tz_convert(tz), everything.max().tz_convert(tz)
        return (f"no mentions from {since or 'the start'} to {until or 'the end'}; the stored "
                f"mentions run from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    return why_empty(frame, flt) or (f"no ticker or group has at least {flt.min_mentions} "
                                     "mentions; lower --min-mentions")


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
        frame = read_mentions(store, cfg, None, spec.until, spec.filters)
        if notices is not None and frame["published"].dropna().empty:
            notices.append(explain_empty(store, cfg, None, spec.until, spec.filters))
        return briefing_text(frame, spec, cfg, charts_dir, out)
    if spec.shape == "long" and spec.filters == MentionFilter():
        # Large data is aggregated by the database (GROUP BY period, ticker), not in memory.
        from tracker.reports.publish import render_from_database, use_database

        start, end = _bounds(spec.since, spec.until, cfg)
        stats = use_database(store, cfg, start, end)
        if stats is not None:
            return render_from_database(store, cfg, spec, start, end, stats)
    frame = read_mentions(store, cfg, spec.since, spec.until, spec.filters, TABLE_COLUMNS)
    table = report_table(frame, spec, cfg)
    if notices is not None and (table.empty or len(table.columns) <= 1):
        notices.append(explain_empty(store, cfg, spec.since, spec.until, spec.filters))
    if spec.fmt == "csv":
        return render_csv(table, spec.freq, excel=spec.excel)
    if spec.fmt == "json":
        return render_json(table, spec.freq)
    return render_markdown(table, _title(spec, table), _notes(spec, frame), spec.freq)


def briefing_text(frame: pd.DataFrame, spec: ReportSpec, cfg: Config,
                  charts_dir: Path | None = None, out: Path | None = None) -> str:
    """The Markdown briefing of a filtered mentions frame, drawing its charts if asked."""
    bspec = BriefingSpec(
        freq=spec.freq, span=spec.span, since=spec.since, until=spec.until,
        min_mentions=spec.filters.min_mentions, group_order=tuple(cfg.group_keywords),
        filters=tuple(spec.filters.describe()),
    )
    briefing = prepare_briefing(frame, bspec, cfg.timezone)
    charts: dict[str, str] = {}
    if charts_dir is not None and briefing.chart_periods and not briefing.window.empty:
        base = out.parent if out is not None else Path.cwd()
        window = briefing.window
        tops = briefing.top_symbols[:BRIEFING_CHART_SERIES]
        for by, keys, caption in (("ticker", tops, "Top tickers: mentions and tone"),
                                  ("group", None, "Groups: mentions and tone")):
            if (by == "ticker" and not keys) or (
                    by == "group" and not window["groups"].fillna("").any()):
                continue
            path = charts_dir / f"briefing-{by}s-{FREQ_NAMES[spec.freq]}.png"
            try:
                write_chart(window, by, spec.freq, cfg.timezone, path, briefing.chart_periods,
                            limit=BRIEFING_CHART_SERIES, keys=keys)
            except (ChartError, ValueError) as exc:
                # A chart matplotlib cannot draw costs that chart, never the briefing.
                log.warning("chart %s not drawn: %s", path, exc)
                continue
            charts[caption] = os.path.relpath(path, base)
    return render_briefing(briefing, charts)


def _title(spec: ReportSpec, table: pd.DataFrame) -> str:
    title = f"Mentions by {spec.by}, {FREQ_NAMES[spec.freq]}"
    if spec.shape == "wide":
        title += f" ({spec.measure} per period)"
    first = spec.since or (table["period"].min().date() if not table.empty else None)
    last = spec.until or (table["period"].max().date() if not table.empty else None)
    if first and last:
        title += f", {first.isoformat()} to {last.isoformat()}"
    return title


def _notes(spec: ReportSpec, frame: pd.DataFrame) -> list[str]:
    filters = []
    if spec.since:
        filters.append(f"since {spec.since.isoformat()}")
    if spec.until:
        filters.append(f"until {spec.until.isoformat()}")
    filters += spec.filters.describe()
    notes = [f"Filters: {', '.join(filters) if filters else 'none'}."]
    if not frame.empty:
        posts = frame.drop_duplicates("post_id")
        undated = int(posts["published"].isna().sum())
        from_file = int((posts["published_from"] == "file").sum())
        notes.append(
            f"{len(frame)} mentions in {len(posts)} posts; {from_file} posts dated by their "
            f"file's modification time; {undated} undated posts left out."
        )
    notes.append("tone: mean mention tone, -1 (negative) to 1 (positive); "
                 "positive/negative/neutral: mentions per label.")
    if spec.by == "ticker" and spec.shape == "long":
        notes.append(TAG_NOTE)
    return notes
