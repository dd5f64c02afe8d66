"""What `tracker refresh` does: the [sources], [refresh] and [reports] config sections."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from tracker.config import Config
from tracker.errors import ConfigError
from tracker.reports.spec import FORMATS, FREQS, sql_threshold


@dataclass(frozen=True)
class ReportTable:
    """One configured report: written as `file`.<format> for each of `formats`."""

    file: str
    by: str
    freq: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class RefreshJob:
    """Where refresh reads (absolute paths and glob patterns) and what it writes."""

    base: Path
    paths: tuple[Path, ...]
    globs: tuple[str, ...]
    batch_size: int
    reports_folder: Path
    tables: tuple[ReportTable, ...]
    sql_threshold: int

    def covers(self, path: str) -> bool:
        """Whether `path` lies in this job's sources (only such files are pruned)."""
        target = Path(path)
        return (any(target == p or target.is_relative_to(p) for p in self.paths)
                or any(fnmatch(path, pattern) for pattern in self.globs))

    def expand_globs(self) -> list[Path]:
        return [Path(hit) for pattern in self.globs
                for hit in glob.glob(pattern, recursive=True)]


def _list(section: dict[str, Any], key: str, where: str, name: str) -> list[str]:
    value = section.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [{name}] {key} must be a list of strings")
    return value


def _table(item: Any, where: str, index: int) -> ReportTable:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: [reports] tables[{index}] must be a table")
    file = item.get("file")
    by = item.get("by", "ticker")
    freq = item.get("freq", "D")
    formats = item.get("formats", ["csv"])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(file, str) or not file or "/" in file or file.startswith("."):
        raise ConfigError(f"{where}: [reports] tables[{index}] file must be a plain file name")
    if by not in ("ticker", "group"):
        raise ConfigError(f"{where}: [reports] tables[{index}] by must be ticker or group")
    if freq not in FREQS:
        raise ConfigError(f"{where}: [reports] tables[{index}] freq must be one of "
                          f"{', '.join(FREQS)}")
    if not formats or any(f not in FORMATS for f in formats):
        raise ConfigError(f"{where}: [reports] tables[{index}] formats must be some of "
                          f"{', '.join(FORMATS)}")
    return ReportTable(file, by, freq, tuple(formats))


def load_job(cfg: Config) -> RefreshJob:
    """The refresh job `cfg` describes; relative paths are taken from the config's folder."""
    where = str(cfg.path or "config")
    base = (cfg.path.resolve().parent if cfg.path else Path.cwd().resolve())
    sources = cfg.raw.get("sources", {})
    reports = cfg.raw.get("reports", {})
    refresh = cfg.raw.get("refresh", {})
    batch = refresh.get("batch_size", 500)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ConfigError(f"{where}: [refresh] batch_size must be a positive whole number")
    tables = reports.get("tables", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{where}: [reports] tables must be a list of tables")
    return RefreshJob(
        base=base,
        paths=tuple(base / p for p in _list(sources, "paths", where, "sources")),
        globs=tuple(str(base / g) for g in _list(sources, "globs", where, "sources")),
        batch_size=batch,
        reports_folder=base / str(reports.get("folder", "reports")),
        tables=tuple(_table(t, where, i) for i, t in enumerate(tables)),
        sql_threshold=sql_threshold(cfg),
    )
