"""What `tracker refresh` does, from the [sources], [refresh] and [reports] config sections
(typed and checked by tracker.config)."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from tracker.config import Config, ReportTable, glob_root


@dataclass(frozen=True)
class RefreshJob:
    """Where refresh reads (absolute paths and glob patterns) and what it writes."""

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

    def missing_glob_roots(self) -> list[tuple[str, str]]:
        """The folders the glob patterns start from (their parts before the first wildcard)
        that are not there, each with its pattern: an unmounted share (or a mistyped folder)
        matches nothing, like an emptied one."""
        roots = []
        for pattern in self.globs:
            root = glob_root(pattern)
            if not root.exists():
                roots.append((str(root), pattern))
        return roots


def load_job(cfg: Config) -> RefreshJob:
    """The refresh job `cfg` describes (its paths already taken from the config's folder)."""
    return RefreshJob(
        paths=cfg.sources.paths,
        globs=cfg.sources.globs,
        batch_size=cfg.refresh.batch_size,
        stale_after=cfg.refresh.stale_after,
        reports_folder=cfg.reports.folder,
        tables=cfg.reports.tables,
    )
