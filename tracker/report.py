"""Reports: read mentions from the store, aggregate, and render with a title and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from .aggregate import FREQ_NAMES, build_table
from .config import Config
from .errors import TrackerError
from .render import render_csv, render_markdown
from .store import Store

FORMATS = ("csv", "md")


@dataclass(frozen=True)
class ReportSpec:
    """What to report: table, period length, format and date range (inclusive days)."""

    by: str = "ticker"
    freq: str = "D"
    fmt: str = "csv"
    since: date | None = None
    until: date | None = None


def _bounds(spec: ReportSpec, cfg: Config) -> tuple[datetime | None, datetime | None]:
    tz = cfg.timezone
    since = datetime.combine(spec.since, time(), tz) if spec.since else None
    # --until names the last day reported, so the bound is the start of the next day.
    until = datetime.combine(spec.until + timedelta(days=1), time(), tz) if spec.until else None
    if since and until and since >= until:
        raise TrackerError(f"--since {spec.since} is after --until {spec.until}")
    return since, until


def build_report(store: Store, cfg: Config, spec: ReportSpec) -> str:
    """The rendered report for `spec`, as text."""
    if spec.fmt not in FORMATS:
        raise TrackerError(f"unknown format {spec.fmt!r}; use csv or md")
    since, until = _bounds(spec, cfg)
    from .publish import render_from_database, use_database  # large data: GROUP BY in SQL

    stats = use_database(store, cfg, since, until)
    if stats is not None:
        return render_from_database(store, cfg, spec, since, until, stats)
    frame = store.mentions_frame(since, until)
    table = build_table(frame, spec.by, spec.freq, cfg.timezone)
    if spec.fmt == "csv":
        return render_csv(table, spec.freq)
    return render_markdown(table, _title(spec, table), _notes(spec, frame), spec.freq)


def _title(spec: ReportSpec, table: pd.DataFrame) -> str:
    title = f"Mentions by {spec.by}, {FREQ_NAMES[spec.freq]}"
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
