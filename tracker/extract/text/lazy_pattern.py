"""Regular expressions compiled on their first use, not when their module is imported.

Why: the extractors and scorers compile about 250 patterns at import, and compiling is
Python code (re._parser, re._compiler); a one-post English ingest calls a quarter of them,
and the rest cost it about 50 ms of CPU at every start (docs/performance.md, "one-post
ingest's fixed cost, branch speed29"). A pattern that a run reaches costs what it did, at
its first use instead.
"""

from __future__ import annotations

import re
from typing import Any, cast

# What the first use binds to the instance: the compiled pattern's own methods and
# attributes, so that later uses find them as plain attributes, without __getattr__.
_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
          "scanner", "flags", "groups", "groupindex")


class _Bound:
    """A _LazyPattern once compiled: its methods are the compiled pattern's, held by the
    instance. A class of its own, without __getattr__: a class with one has every attribute
    looked up through a Python-level hook, 0.1-0.2 us more a call."""

    pattern: str
    _flags: int

    def __repr__(self) -> str:
        return f"lazy_pattern({self.pattern!r}, {self._flags!r})"


class _LazyPattern(_Bound):
    """A stand-in for `re.compile(pattern, flags)` that compiles on first attribute use.

    Only for patterns used through their methods (P.search(...), P.sub(...), map(P.match,
    ...)): `re.sub(P, ...)`, `isinstance(P, re.Pattern)` or a pickle need the real one."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern  # as re.Pattern.pattern; other patterns are built from it
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Reached only for what the instance does not hold yet: its first use.
        if name not in _BOUND:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attr in _BOUND:
            setattr(self, attr, getattr(compiled, attr))
        self.__class__ = _Bound  # type: ignore[assignment]  # compiled: no __getattr__ now
        return getattr(compiled, name)


def lazy_pattern(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled when first used (see _LazyPattern)."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, int(flags)))
