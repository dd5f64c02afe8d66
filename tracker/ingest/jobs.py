"""What `tracker refresh` does: the [sources], [refresh] and [reports] config sections.

The config schema (tracker.config) has already checked the sections' keys and the kinds of
their values; what it cannot say (a positive batch size, a report table's values) is
checked here.
"""

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
    stale_after: float  # seconds
    tables: tuple[ReportTable, ...]

    def covers(self, path: str) -> bool:
        """Whether `path` lies in this job's sources (only such files are pruned)."""
        target = Path(path)
        return (any(target == p or target.is_relative_to(p) for p in self.paths)
                or any(fnmatch(path, pattern) for pattern in self.globs))

    def expand_globs(self) -> list[Path]:
        return [Path(hit) for pattern in self.globs
                for hit in glob.glob(pattern, recursive=True)]


def _strings(value: str | list[str]) -> list[str]:
    # The schema lets a single string stand for a list of one.
    return [value] if isinstance(value, str) else value


def _table(item: dict[str, Any], where: str, index: int) -> ReportTable:
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
    sources, reports = cfg.raw["sources"], cfg.raw["reports"]
    batch = cfg.raw["refresh"]["batch_size"]
    if not isinstance(batch, int) or batch < 1:
        raise ConfigError(f"{where}: [refresh] batch_size must be a positive whole number")
    stale = cfg.raw["refresh"]["stale_after"]
    if (isinstance(stale, bool) or not isinstance(stale, int | float)
            or not 0 < stale < 24 * 365 * 100):
        raise ConfigError(f"{where}: [refresh] stale_after must be a positive number of hours, "
                          f"not {stale!r}")
    # Read when the reports are written; checked now, so that refresh stops before it
    # stores anything rather than after.
    sql_threshold(cfg)
    return RefreshJob(
        base=base,
        paths=tuple(base / p for p in _strings(sources["paths"])),
        globs=tuple(str(base / g) for g in _strings(sources["globs"])),
        batch_size=batch,
        stale_after=float(stale) * 3600,
        reports_folder=base / reports["folder"],
        tables=tuple(_table(t, where, i) for i, t in enumerate(reports["tables"])),
    )
