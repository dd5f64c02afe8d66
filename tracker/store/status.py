"""What `tracker status` shows: the last runs, and the database's size, revision and span."""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from tracker.extract.universe_age import universe_age
from tracker.store.database import Store
from tracker.store.migrate import current_revision
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


def _run(row: Any) -> dict[str, Any]:
    """A runs row with its times as naive UTC (tracker/store/runtimes.py); a stored value
    that is no time stays as its text, rather than pass for a killed run's missing end."""
    run = dict(row)
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
                                     else ingest_runs.c[f] for f in RUN_FIELDS))
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
    data["runs"] = [{k: plain(v) for k, v in run.items()} for run in status.runs]
    return data


def _mb(size: int | None) -> str:
    return "unknown size" if size is None else f"{size / 1e6:.1f} MB"


def _stamp(value: datetime | str | None) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value[:16] if value else "-"  # a stored text that is no time, as it is


def _alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine (signal 0 checks, sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or a value this system cannot check
    return True


# How much later than its run's start a process may seem to have started and still be the
# run's: /proc gives the boot time in whole seconds, and the clock may have been set since.
_START_SLACK = timedelta(minutes=5)


def _started_after(pid: int, start: datetime | str | None) -> bool:
    """Whether process `pid` started after the run that recorded it had started, so is
    another process given its number (a reboot or the numbers' wrap reuse them), not the
    run's. Linux's /proc tells; elsewhere, or when it cannot be read, False."""
    if not isinstance(start, datetime):
        return False
    try:
        # Field 22 of /proc/PID/stat, the start in clock ticks after boot, is the 20th
        # after the command's closing bracket (the command may hold spaces).
        ticks = int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19])
        boot = next(int(line.split()[1]) for line in
                    Path("/proc/stat").read_text().splitlines() if line.startswith("btime "))
        began = datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), UTC)
    except (OSError, ValueError, IndexError, StopIteration):
        return False
    return began.replace(tzinfo=None) > start + _START_SLACK


def _took(run: dict[str, Any], newest: bool) -> str:
    start, end = run["started_at"], run["finished_at"]
    if run.get("stopped_by"):
        return "stopped"  # by SIGTERM or SIGINT, its row written on the way out
    if end is None:
        pid = run.get("pid")
        if isinstance(pid, int) and pid > 0 and run.get("host") == socket.gethostname():
            # Its process tells: a run stopped by `kill -9` showed `running` until the next.
            # A process that started after the run is another one with its number: a run
            # killed by a reboot showed `running` while the number was taken again.
            return "running" if _alive(pid) and not _started_after(pid, start) else "killed"
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
