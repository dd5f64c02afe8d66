"""Reports: read mentions from the store, filter, aggregate, and render tables or a briefing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd

from tracker.config import Config
from tracker.errors import TrackerError
from tracker.reports.aggregate import FREQ_NAMES, FREQS, MEASURES, build_table, wide_table
from tracker.reports.briefing import BriefingSpec, prepare_briefing, render_briefing
from tracker.reports.charts import write_chart
from tracker.reports.filters import MentionFilter, apply_filters, keep_min_mentions
from tracker.reports.render import render_csv, render_markdown
from tracker.store.database import Store

FORMATS = ("csv", "md")
SHAPES = ("long", "wide")
BRIEFING_CHART_SERIES = 5


@dataclass(frozen=True)
class ReportSpec:
    """What to report: table (None: ticker for CSV, the briefing for Markdown), period
    length, format, shape, measure of the wide shape, date range (inclusive days), filters,
    and whether the CSV starts with a byte-order mark for Excel."""

    by: str | None = None
    freq: str = "D"
    fmt: str = "csv"
    since: date | None = None
    until: date | None = None
    shape: str = "long"
    measure: str = "mentions"
    excel: bool = False
    filters: MentionFilter = field(default_factory=MentionFilter)

    @property
    def is_briefing(self) -> bool:
        return self.fmt == "md" and self.by is None

    def check(self) -> None:
        """Raise TrackerError for a combination that has no meaning."""
        if self.fmt not in FORMATS:
            raise TrackerError(f"unknown format {self.fmt!r}; use csv or md")
        if self.freq not in FREQS:
            raise TrackerError(f"unknown frequency {self.freq!r}; use one of {', '.join(FREQS)}")
        if self.shape not in SHAPES or self.measure not in MEASURES:
            raise TrackerError(f"unknown shape {self.shape!r} or measure {self.measure!r}")
        if self.excel and self.fmt != "csv":
            raise TrackerError("--excel applies to CSV output; drop it or use --format csv")
        if self.is_briefing and self.shape != "long":
            raise TrackerError("the briefing has one shape; use --by ticker or --by group "
                               "with --shape wide")
        if self.since and self.until and self.since > self.until:
            raise TrackerError(f"--since {self.since} is after --until {self.until}")


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
                 "is_repeat")


def read_mentions(store: Store, cfg: Config, since: date | None, until: date | None,
                  flt: MentionFilter, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The stored mentions between `since` and `until` (local days) that `flt` keeps;
    `columns` reads only those (it must hold what `flt` reads)."""
    start, end = _bounds(since, until, cfg)
    frame = store.mentions_frame(start, end, columns)
    # A reposted passage's mentions count once (tracker/extract/passages.py).
    frame = frame[~frame["is_repeat"].astype(bool)]
    return apply_filters(frame, flt)


def report_table(frame: pd.DataFrame, spec: ReportSpec, cfg: Config) -> pd.DataFrame:
    """The long or wide table of `spec` from a filtered mentions frame (pure)."""
    by = spec.by or "ticker"
    table = build_table(frame, by, spec.freq, cfg.timezone)
    table = keep_min_mentions(table, by, spec.filters.min_mentions)
    if spec.shape == "wide":
        return wide_table(table, by, spec.measure, spec.freq)
    return table


def build_report(store: Store, cfg: Config, spec: ReportSpec, charts_dir: Path | None = None,
                 out: Path | None = None) -> str:
    """The rendered report for `spec`, as text.

    For the briefing, `charts_dir` (if given) receives PNG charts of the top tickers and
    of the groups, linked from the briefing relative to `out` (default: the working folder).
    """
    spec.check()
    if charts_dir is not None and not spec.is_briefing:
        raise TrackerError("--charts belongs to the briefing (--format md without --by); "
                           "use tracker chart for other charts")
    if spec.is_briefing:
        # The briefing reads history before --since on its own terms (see BriefingSpec).
        frame = read_mentions(store, cfg, None, spec.until, spec.filters)
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
    if spec.fmt == "csv":
        return render_csv(table, spec.freq, excel=spec.excel)
    return render_markdown(table, _title(spec, table), _notes(spec, frame), spec.freq)


def briefing_text(frame: pd.DataFrame, spec: ReportSpec, cfg: Config,
                  charts_dir: Path | None = None, out: Path | None = None) -> str:
    """The Markdown briefing of a filtered mentions frame, drawing its charts if asked."""
    bspec = BriefingSpec(
        freq=spec.freq, since=spec.since, until=spec.until,
        min_mentions=spec.filters.min_mentions, group_order=tuple(cfg.group_keywords),
        filters=tuple(spec.filters.describe()),
    )
    briefing = prepare_briefing(frame, bspec, cfg.timezone)
    charts: dict[str, str] = {}
    if charts_dir is not None and briefing.periods and not briefing.window.empty:
        base = out.parent if out is not None else Path.cwd()
        tops = briefing.window[briefing.window["symbol"].isin(
            briefing.top_symbols[:BRIEFING_CHART_SERIES])]
        for by, subset, caption in (("ticker", tops, "Top tickers: mentions and tone"),
                                    ("group", briefing.window, "Groups: mentions and tone")):
            if subset.empty or (by == "group" and not subset["groups"].fillna("").any()):
                continue
            path = charts_dir / f"briefing-{by}s-{FREQ_NAMES[spec.freq]}.png"
            write_chart(subset, by, spec.freq, cfg.timezone, path, briefing.periods,
                        limit=BRIEFING_CHART_SERIES)
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
    return notes
