"""Whether a post's source (the path it was read from) matches a user's path patterns."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import PurePath


def source_matches(source: str, patterns: Sequence[str]) -> bool:
    """True when `source` is one of `patterns` exactly, matches one as a glob pattern, or
    lies under one as a folder."""
    for pattern in patterns:
        if source == pattern or fnmatchcase(source, pattern):
            return True
        folder = PurePath(pattern)
        if folder in PurePath(source).parents:
            return True
    return False
