"""The name matcher's index (`NameMatcher.state`), kept in the user's cache between runs.

Why: building it walks the whole universe (30,000 Securities made, five passes over them),
0.2 s of CPU at every start, the largest single part of a one-post ingest's; reading it
back costs less than half of that (docs/performance.md, issue 23's tenth pass).

The entry is named (tracker.data.user_cache) by everything the index is derived from: the
code under tracker/extract (the matcher, its rules and the readers of the lists), the
common-words file, the universe's files, and the list's curated layer with the keys it
hides. A build that comes to read another file must add it to `_DATA`. A Security in the
index is kept as a reference (its place in the curated layer, or its universe row), so
the matcher read back holds the list's own objects, as a built one does. A list over a
universe not read from files (rows given in code) is not cached.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
from importlib import resources
from pathlib import Path
from typing import cast

from tracker.data.user_cache import entry_path, read_entry, write_entry
from tracker.extract.securities import Security, SecurityList
from tracker.extract.words import COMMON_WORDS_FILE

log = logging.getLogger(__name__)

_EXTRACT = Path(__file__).resolve().parent
# The packaged data files the build reads besides the universe's.
_DATA = (COMMON_WORDS_FILE,)


def index_entry(securities: SecurityList) -> Path | None:
    """The cache entry of `securities`' index; None when it is not cached."""
    universe = securities.universe
    if universe is not None and not universe.sources:
        return None
    code = sorted(_EXTRACT.rglob("*.py"))
    data = [Path(str(resources.files("tracker.data").joinpath(name))) for name in _DATA]
    # The keys that hide universe rows, third in the list's signature.
    hidden = cast("frozenset[tuple[str, str]]", securities.signature()[2])
    curated = repr((tuple(securities), sorted(hidden)))
    extra = hashlib.sha256(curated.encode("utf-8", "surrogatepass")).hexdigest()
    if universe is None:
        extra += " no universe"
    return entry_path("name-index", [*code, *data, *(universe.sources if universe else ())],
                      extra)


def read_index(path: Path, securities: SecurityList) -> dict[str, object] | None:
    """The index stored at `path` for `securities`, its references made the list's
    Securities again; None when there is none, or it does not read."""
    payload = read_entry(path)
    if payload is None:
        return None
    try:
        state = _Reader(io.BytesIO(payload), securities).load()
    except Exception as err:  # noqa: BLE001 - any unreadable entry is only built again
        log.warning("cache entry %s does not read (%s): building it again", path, err)
        return None
    return state if isinstance(state, dict) else None


def write_index(path: Path, securities: SecurityList, state: dict[str, object]) -> None:
    """Store `state`, the index of `securities`, at `path`; nothing when a Security in it
    belongs to neither of the list's layers."""
    out = io.BytesIO()
    try:
        _Writer(out, securities).dump(state)
    except _Unlisted as err:
        log.debug("name index not cached: %s", err)
        return
    write_entry(path, out.getvalue())


class _Unlisted(Exception):
    """A Security that neither layer of the list holds: no reference can name it."""


class _Writer(pickle.Pickler):
    def __init__(self, file: io.BytesIO, securities: SecurityList) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._curated = {id(sec): i for i, sec in enumerate(securities.securities)}
        self._universe = securities.universe

    def persistent_id(self, obj: object) -> int | None:
        # A curated Security by its place, a universe row's after them (see _Reader).
        if type(obj) is not Security:
            return None
        at = self._curated.get(id(obj))
        if at is not None:
            return at
        row = self._universe.row_of(obj) if self._universe is not None else None
        if row is None:
            raise _Unlisted(repr(obj))
        return len(self._curated) + row


# The classes and functions an index names besides built-in types: an entry naming any
# other is not read, since unpickling calls what an entry names and the cache folder may be
# shared ($TRACKER_CACHE_DIR). A new kind of object in NameMatcher.state() belongs here
# (tests/extract/test_name_index.py fails until it is).
_GLOBALS = frozenset({("tracker.extract.names", "_Alias"), ("re", "_compile")})


class _Reader(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, securities: SecurityList) -> None:
        super().__init__(file)
        self._curated = securities.securities
        self._universe = securities.universe

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _GLOBALS:
            raise pickle.UnpicklingError(f"{module}.{name} is no part of a name index")
        return super().find_class(module, name)

    def persistent_load(self, pid: object) -> Security:
        if not isinstance(pid, int) or pid < 0:
            raise pickle.UnpicklingError(f"not a security's reference: {pid!r}")
        if pid < len(self._curated):
            return self._curated[pid]
        if self._universe is None:
            raise pickle.UnpicklingError(f"no universe for row reference {pid}")
        return self._universe.security(pid - len(self._curated))
