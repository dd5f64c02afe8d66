"""What `tracker status` shows: the last runs, and the database's size, revision and span."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text

from tracker.extract.universe_age import universe_age
from tracker.store.database import Store
from tracker.store.migrate import current_revision
from tracker.store.processes import runs_process
from tracker.store.runtimes import read_run_time, stored_text
from tracker.store.schema import ingest_runs, mentions, posts, source_files
from tracker.store.url import sqlite_path

RUN_FIELDS = ("id", "command", "host", "started_at", "finished_at", "files_seen", "files_new",
              "files_changed", "files_failed", "posts_added", "mentions_added",
              "posts_removed", "failures", "stopped_by", "pid")


@dataclass(frozen=True)
class Status:
    """A database at a glance."""

    url: str
    revision: str | None
    size_bytes: int | None
    posts: int
    mentions: int
    files: int
    first: datetime | None
    last: datetime | None
    runs: list[dict[str, Any]]
    # How old the packaged securities universe is (tracker/extract/universe_age.py).
    universe: str = ""


def _size(store: Store) -> int | None:
    path = sqlite_path(store.url)
    if path is not None:
        return sum(os.path.getsize(p) for p in (path, path.with_name(path.name + "-wal"))
                   if p.exists())
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())"))
            return int(size.scalar_one())
    return None


_TIMES = ("started_at", "finished_at")
_PROCESS = "_process_start"


def _run(row: Any) -> dict[str, Any]:
    """A runs row with its times as naive UTC (tracker/store/runtimes.py); a stored value
    that is no time stays as its text, rather than pass for a killed run's missing end."""
    run = {key: row[key] for key in RUN_FIELDS}
    # Not shown (a boot id and clock ticks): it tells the run's process apart, in _took.
    run[_PROCESS] = row["process_start"]
    for key in _TIMES:
        value = run[key]
        stamp = read_run_time(value)
        run[key] = stamp if stamp is not None or value is None else str(value)
    return run


def database_status(store: Store, runs: int = 10) -> Status:
    """Counts, time span (UTC) and the last `runs` runs, newest first."""
    with store.engine.connect() as conn:
        first, last = conn.execute(select(func.min(posts.c.published),
                                          func.max(posts.c.published))).one()
        count = {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                 for t in (posts, mentions, source_files)}
        rows = conn.execute(select(*(stored_text(ingest_runs.c[f]).label(f) if f in _TIMES
                                     else ingest_runs.c[f] for f in RUN_FIELDS),
                                   ingest_runs.c.process_start)
                            .order_by(ingest_runs.c.id.desc()).limit(runs))
        recent = [_run(r._mapping) for r in rows]
        revision = current_revision(conn)
    return Status(store.engine.url.render_as_string(hide_password=True), revision, _size(store),
                  count["posts"], count["mentions"], count["source_files"], first, last, recent,
                  universe_age().describe(datetime.now(UTC).date()))


def status_to_dict(status: Status) -> dict[str, Any]:
    """The status as JSON-ready values: times as ISO 8601 strings (UTC, no zone)."""
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    data = {k: plain(v) for k, v in asdict(status).items() if k != "runs"}
    data["runs"] = [{k: plain(v) for k, v in run.items() if k != _PROCESS}
                    for run in status.runs]
    return data


def _mb(size: int | None) -> str:
    return "unknown size" if size is None else f"{size / 1e6:.1f} MB"


def _stamp(value: datetime | str | None) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value[:16] if value else "-"  # a stored text that is no time, as it is


def _took(run: dict[str, Any], newest: bool) -> str:
    start, end = run["started_at"], run["finished_at"]
    if run.get("stopped_by"):
        return "stopped"  # by SIGTERM or SIGINT, its row written on the way out
    if end is None:
        pid = run.get("pid")
        if isinstance(pid, int) and pid > 0 and run.get("host") == socket.gethostname():
            # Its process tells: a run stopped by `kill -9` showed `running` until the next,
            # and one whose pid another process has since taken showed `running` for ever.
            identity = run.get(_PROCESS)
            live = runs_process(pid, start if isinstance(start, datetime) else None,
                                identity if isinstance(identity, str) else None)
            return "running" if live else "killed"
        return "running" if newest else "killed?"
    if isinstance(start, datetime) and isinstance(end, datetime):
        return f"{(end - start).total_seconds():.0f}s"
    return "?"


def format_status(status: Status) -> str:
    """The status as text lines for a terminal or a log.

    `fail` counts every failure of a run, bad records and unreadable files alike (the exit
    code's reason), not the unreadable files alone."""
    lines = [
        f"database: {status.url} (schema {status.revision or 'empty'}, {_mb(status.size_bytes)})",
        f"posts: {status.posts}, mentions: {status.mentions}, files refresh tracks: {status.files}",
        f"published: {_stamp(status.first)} to {_stamp(status.last)} UTC",
        f"securities: {status.universe}",
        "",
        "last runs (UTC):",
        f"{'id':>5}  {'command':<8} {'started':<16}  {'took':>6}  {'files':>6} {'new':>5} "
        f"{'chg':>5} {'fail':>5}  {'+posts':>7} {'+ment':>7} {'-posts':>6}",
    ]
    for run in status.runs:
        took = _took(run, run is status.runs[0])
        lines.append(
            f"{run['id']:>5}  {run['command']:<8} {_stamp(run['started_at']):<16}  {took:>6}  "
            f"{run['files_seen']:>6} {run['files_new']:>5} {run['files_changed']:>5} "
            f"{run['failures']:>5}  {run['posts_added']:>7} {run['mentions_added']:>7} "
            f"{run['posts_removed']:>6}")
    if not status.runs:
        lines.append("  (none yet)")
    return "\n".join(lines) + "\n"
