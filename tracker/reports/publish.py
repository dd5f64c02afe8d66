"""Write the report files a refresh keeps up to date ([reports] tables), atomically."""

from __future__ import annotations

import glob
import json
import logging
import os
import stat
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


def _read_written(record: Path) -> dict[str, object]:
    """The record of written reports, by config file; empty when missing or unreadable
    (nothing is then removed: only a file the record names, unchanged since, ever is)."""
    try:
        data = json.loads(record.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        # ValueError: bad JSON, bad UTF-8, a NUL byte. The next write replaces the record
        # with this config's files alone: the other configs' files it named are kept.
        log.warning("%s: cannot read the record of written reports (%s); no report file "
                    "of a table taken out of the config is removed this run", record, exc)
        return {}
    return data if isinstance(data, dict) else {}


def _plain_name(name: object) -> bool:
    """A file name in the reports folder itself: never a path, a hidden file or the record.
    A damaged or hand-edited record reached os.stat with a NUL (a ValueError traceback)."""
    return (isinstance(name, str) and bool(name) and not name.startswith(".")
            and "\0" not in name and "/" not in name and os.sep not in name
            and (os.altsep is None or os.altsep not in name))


def _valid_stamp(stamp: object) -> bool:
    return (isinstance(stamp, list) and len(stamp) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in stamp))


def _entries(record: Path, key: str, entry: object) -> dict[str, list[int]]:
    """This config's entry of the record: its well-formed names and stamps. Any other is
    left out (said once), so its file is kept: nothing proves refresh wrote it."""
    if not isinstance(entry, dict):
        if entry is not None:
            log.warning("%s: the entry of %s is not a table of files; none of its files "
                        "is removed", record, key)
        return {}
    kept = {name: stamp for name, stamp in entry.items()
            if _plain_name(name) and _valid_stamp(stamp)}
    if len(kept) < len(entry):
        log.warning("%s: of the %d files named for %s, %d are no plain file name with its "
                    "size and time; those are kept", record, len(entry), key,
                    len(entry) - len(kept))
    return kept


def _remove(path: Path, stamp: list[int]) -> None:
    """Delete `path` if it is the regular file refresh wrote (same size and time)."""
    try:
        found = path.lstat()
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(found.st_mode):
        # A folder or a link someone put there under that name: not what refresh wrote.
        return
    if [found.st_size, found.st_mtime_ns] != stamp:
        log.info("kept %s: no [reports] table writes it any more, but it changed since "
                 "refresh wrote it", path)
        return
    try:
        path.unlink()
    except OSError as exc:
        log.warning("%s: no [reports] table writes it any more, but it cannot be removed "
                    "(%s); it is kept", path, exc.strerror or exc)
        return
    log.info("removed %s: no [reports] table writes it any more", path)


def _forget_dropped(cfg: Config, written: list[Path]) -> None:
    """Remove the report files this config's tables had refresh write and no table writes
    now (a table taken out, a format dropped, a file renamed), each only if unchanged since;
    then record the files its tables write now. Their old files stayed for ever, read by
    whoever looked at the folder as if kept up to date."""
    folder = cfg.reports.folder
    record = folder / WRITTEN
    key = str(cfg.path.resolve()) if cfg.path is not None else ""
    if record.is_symlink() or (record.exists() and not record.is_file()):
        # Rewritten through a link (as reports are), the record replaced the file the link
        # named, whatever it held, with JSON.
        log.warning("%s: not a regular file (a link, a folder); refresh neither reads nor "
                    "replaces it, so no report file of a table taken out of the config is "
                    "removed", record)
        return
    every = _read_written(record)
    before = _entries(record, key, every.get(key))
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
        if name not in names:
            _remove(folder / name, stamp)
    if now == every.get(key, {}):
        return
    if now:
        every[key] = now
    else:
        every.pop(key, None)
    try:
        write_atomic(record, json.dumps(every, ensure_ascii=False, indent=1, sort_keys=True)
                     + "\n")
    except (OSError, TrackerError) as exc:
        # The reports are written; a record that cannot be kept (a folder in its place, a
        # full disk) only means the next run removes no file this one wrote.
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        log.warning("%s: cannot write the record of written reports (%s); report files of "
                    "tables taken out of the config later are kept", record, why)
