"""Write the report files a refresh keeps up to date ([reports] tables), atomically."""

from __future__ import annotations

import glob
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import TrackerError
from tracker.reports.render import write_atomic
from tracker.reports.report import build_report
from tracker.reports.spec import ReportSpec
from tracker.store.database import Store

if TYPE_CHECKING:
    from tracker.config import Config

log = logging.getLogger(__name__)

# In the reports folder (which refresh never reads as posts): per config file, the report
# files its [reports] tables had refresh write, each with its size and modification time
# then. A table taken out of the config leaves a file named here, and only such a file is
# removed; one since rewritten by anyone else (another config, a person) differs and stays.
WRITTEN = ".tracker-written.json"


def _stale(path: Path, changed: datetime | None) -> bool:
    if not path.exists():
        return True
    if changed is None:
        return False
    written = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    return written <= changed


def _config_written(cfg: Config) -> datetime | None:
    """When the config file was last written, as naive UTC; None without one."""
    if cfg.path is None:
        return None
    try:
        return datetime.fromtimestamp(cfg.path.stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:
        return None


def check_reports_folder(folder: Path) -> None:
    """Raise TrackerError unless report files can be written in `folder` (made if missing).

    A refresh checks before it stores anything: posts committed and reports then failing
    would fail the same way on every later run.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK | os.X_OK)
    except OSError as exc:
        raise TrackerError(f"{folder}: the reports folder cannot be made ({exc.strerror}); "
                           "fix the path or set [reports] folder in the config") from exc
    if not writable:
        raise TrackerError(f"{folder}: the reports folder is not writable; fix its "
                           "permissions or set [reports] folder in the config")


def remove_stale_temps(path: Path, before: float) -> list[Path]:
    """Delete the temporary files a killed atomic write of `path` left (`.NAME.XXXX.tmp`),
    those last written before `before` (a time.time()): a writer still at work is newer."""
    removed = []
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if tmp.stat().st_mtime < before:
                tmp.unlink()
                removed.append(tmp)
        except FileNotFoundError:
            continue
    return removed


def write_reports(cfg: Config, store: Store, force: bool = False,
                  temps_before: float | None = None) -> list[Path]:
    """Re-render the configured reports that are missing or older than the data's last
    change (by any machine) or than the config file; each file is replaced atomically.
    Returns the files written.

    With `temps_before` (when the caller took the refresh lock), temporary files that
    killed writes of these reports left and that are older are deleted first.
    """
    # The config too: a table given another freq or `by` kept its old rows, under the old
    # file name, until posts next came or went (for ever, for sources that no longer grow).
    changed = max((t for t in (store.last_change(), _config_written(cfg)) if t is not None),
                  default=None)
    written = []
    if temps_before is not None:
        for tmp in remove_stale_temps(cfg.reports.folder / WRITTEN, temps_before):
            log.info("removed %s, left by a killed write", tmp)
    for table in cfg.reports.tables:
        for fmt in table.formats:
            path = cfg.reports.folder / f"{table.file}.{fmt}"
            if temps_before is not None:
                for tmp in remove_stale_temps(path, temps_before):
                    log.info("removed %s, left by a killed write", tmp)
            if force or _stale(path, changed):
                write_atomic(path, build_report(store, cfg, ReportSpec(table.by, table.freq, fmt)))
                log.info("wrote %s", path)
                written.append(path)
    _forget_dropped(cfg, written)
    return written


def _stamp(path: Path) -> list[int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def _read_written(record: Path) -> dict[str, dict[str, list[int]]]:
    """The record of written reports; empty when missing or unreadable (nothing is then
    removed: only a file the record names, unchanged since, ever is)."""
    try:
        data = json.loads(record.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read the record of written reports (%s); no report file "
                    "of a table taken out of the config is removed this run", record, exc)
        return {}
    return data if isinstance(data, dict) else {}


def _forget_dropped(cfg: Config, written: list[Path]) -> None:
    """Remove the report files this config's tables had refresh write and no table writes
    now (a table taken out, a format dropped, a file renamed), each only if unchanged since;
    then record the files its tables write now. Their old files stayed for ever, read by
    whoever looked at the folder as if kept up to date."""
    folder = cfg.reports.folder
    record = folder / WRITTEN
    key = str(cfg.path.resolve()) if cfg.path is not None else ""
    every = _read_written(record)
    before = every.get(key)
    before = before if isinstance(before, dict) else {}
    names = {f"{t.file}.{fmt}" for t in cfg.reports.tables for fmt in t.formats}
    fresh = {p.name for p in written}
    now: dict[str, list[int]] = {}
    for name in sorted(names):
        # A file refresh did not rewrite this run keeps its entry; one without (written
        # before this record was kept) is the current table's, which refresh replaces.
        stamp = _stamp(folder / name) if name in fresh or name not in before else before[name]
        if stamp is not None:
            now[name] = stamp
    for name, stamp in sorted(before.items()):
        if name in names or os.sep in name or name.startswith("."):
            continue
        path = folder / name
        if _stamp(path) == stamp:
            path.unlink()
            log.info("removed %s: no [reports] table writes it any more", path)
        elif path.exists():
            log.info("kept %s: no [reports] table writes it any more, but it changed since "
                     "refresh wrote it", path)
    if now == before:
        return
    if now:
        every[key] = now
    else:
        every.pop(key, None)
    write_atomic(record, json.dumps(every, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
