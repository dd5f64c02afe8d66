"""Write the report files a refresh keeps up to date, and render reports from database
aggregates when there are too many mentions to load."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from tracker.config import Config
from tracker.ingest.jobs import RefreshJob, load_job
from tracker.reports.render import render_csv, render_markdown, write_atomic
from tracker.store.database import Store

log = logging.getLogger(__name__)


def sql_threshold(cfg: Config) -> int:
    value = cfg.raw.get("reports", {}).get("sql_threshold", 200000)
    return value if isinstance(value, int) and not isinstance(value, bool) else 200000


def use_database(store: Store, cfg: Config, since: datetime | None,
                 until: datetime | None) -> dict[str, int] | None:
    """The range's counts when it holds more mentions than [reports] sql_threshold."""
    stats = store.mention_stats(since, until)
    return stats if stats["mentions"] > sql_threshold(cfg) else None


def render_from_database(store: Store, cfg: Config, spec: object, since: datetime | None,
                         until: datetime | None, stats: dict[str, int]) -> str:
    """The report for `spec` (a tracker.reports.report.ReportSpec), aggregated by the database."""
    from tracker.reports.report import (
        _title,  # report imports this module lazily; no cycle at import
    )

    by, freq, fmt = spec.by, spec.freq, spec.fmt  # type: ignore[attr-defined]
    table = store.aggregate_frame(by, freq, cfg.timezone, since, until)
    if fmt == "csv":
        return render_csv(table, freq, excel=spec.excel)  # type: ignore[attr-defined]
    filters = [f"{k} {getattr(spec, k).isoformat()}" for k in ("since", "until")
               if getattr(spec, k)]
    notes = [f"Filters: {', '.join(filters) if filters else 'none'}."]
    if stats["mentions"]:
        notes.append(
            f"{stats['mentions']} mentions in {stats['posts']} posts; {stats['from_file']} posts "
            f"dated by their file's modification time; {stats['undated']} undated posts left out.")
    notes.append("tone: mean mention tone, -1 (negative) to 1 (positive); "
                 "positive/negative/neutral: mentions per label.")
    return render_markdown(table, _title(spec, table), notes, freq)  # type: ignore[arg-type]


def _stale(path: Path, changed: datetime | None) -> bool:
    if not path.exists():
        return True
    if changed is None:
        return False
    written = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    return written <= changed


def write_reports(cfg: Config, store: Store, job: RefreshJob | None = None,
                  force: bool = False) -> list[Path]:
    """Re-render the configured reports that are missing or older than the data's last
    change (by any machine); each file is replaced atomically. Returns the files written."""
    from tracker.reports.report import ReportSpec, build_report

    job = job or load_job(cfg)
    changed = store.last_change()
    written = []
    for table in job.tables:
        for fmt in table.formats:
            path = job.reports_folder / f"{table.file}.{fmt}"
            if force or _stale(path, changed):
                write_atomic(path, build_report(store, cfg, ReportSpec(table.by, table.freq, fmt)))
                log.info("wrote %s", path)
                written.append(path)
    return written
