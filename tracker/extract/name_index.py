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

import bisect
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
        file = io.BytesIO(payload)
        # First the references the index holds, then the index (see write_index).
        table = _referenced(_Reader(file, {}).load(), securities)
        state = _Reader(file, table).load()
    except Exception as err:  # noqa: BLE001 - any unreadable entry is only built again
        if isinstance(err, KeyError):
            # The index's persistent_load is the table's __getitem__: its KeyError says
            # only the reference ("(0)"), so the log says what it means.
            err = pickle.UnpicklingError(f"reference {err.args[0]!r} not listed first")
        log.warning("cache entry %s does not read (%s): building it again", path, err)
        return None
    return state if isinstance(state, dict) else None


def write_index(path: Path, securities: SecurityList, state: dict[str, object]) -> None:
    """Store `state`, the index of `securities`, at `path`; nothing when a Security in it
    belongs to neither of the list's layers.

    The entry is two pickles: the sorted references of the Securities the index holds,
    then the index. Why: the reader makes those Securities in one pass and looks each
    reference up in a dict from C (`dict.__getitem__` as the unpickler's
    `persistent_load`), where a Python `persistent_load` cost a call per reference, 24,000
    of them (docs/performance.md, issue 23's twenty-first pass)."""
    out = io.BytesIO()
    writer = _Writer(out, securities)
    try:
        writer.dump(state)
    except _Unlisted as err:
        log.debug("name index not cached: %s", err)
        return
    refs = pickle.dumps(sorted(writer.refs), protocol=pickle.HIGHEST_PROTOCOL)
    write_entry(path, refs + out.getvalue())


def _referenced(refs: object, securities: SecurityList) -> dict[int, Security]:
    """Each reference of `refs` (an entry's first pickle) with its Security: a curated
    Security by its place, a universe row's after them (see _Writer)."""
    if not isinstance(refs, list):
        raise pickle.UnpicklingError(f"not a list of references: {type(refs).__name__}")
    refs = sorted(refs)  # a TypeError for anything but numbers
    if refs and (type(refs[0]) is not int or refs[0] < 0):
        raise pickle.UnpicklingError(f"not a security's reference: {refs[0]!r}")
    curated = securities.securities
    cut = bisect.bisect_left(refs, len(curated))
    found = [curated[pid] for pid in refs[:cut]]
    if cut < len(refs):
        if securities.universe is None:
            raise pickle.UnpicklingError(f"no universe for row reference {refs[cut]}")
        # An index names most of the universe (21,700 of 30,000 rows): made in one pass.
        found += securities.universe.securities(pid - len(curated) for pid in refs[cut:])
    return dict(zip(refs, found, strict=True))


class _Unlisted(Exception):
    """A Security that neither layer of the list holds: no reference can name it."""


class _Writer(pickle.Pickler):
    def __init__(self, file: io.BytesIO, securities: SecurityList) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._curated = {id(sec): i for i, sec in enumerate(securities.securities)}
        self._universe = securities.universe
        # Every reference written, for the reader to make their Securities first.
        self.refs: set[int] = set()

    def persistent_id(self, obj: object) -> int | None:
        # A curated Security by its place, a universe row's after them (see _referenced).
        if type(obj) is not Security:
            return None
        at = self._curated.get(id(obj))
        if at is None:
            row = self._universe.row_of(obj) if self._universe is not None else None
            if row is None:
                raise _Unlisted(repr(obj))
            at = len(self._curated) + row
        self.refs.add(at)
        return at


# The classes and functions an index names besides built-in types: an entry naming any
# other is not read, since unpickling calls what an entry names and the cache folder may be
# shared ($TRACKER_CACHE_DIR). A new kind of object in NameMatcher.state() belongs here
# (tests/extract/test_name_index.py fails until it is).
_GLOBALS = frozenset({("tracker.extract.names", "_Alias"), ("re", "_compile")})


class _Reader(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, table: dict[int, Security]) -> None:
        super().__init__(file)
        # A reference the entry's first pickle did not list is a KeyError: not read.
        self.persistent_load = table.__getitem__  # type: ignore[method-assign]

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _GLOBALS:
            raise pickle.UnpicklingError(f"{module}.{name} is no part of a name index")
        return super().find_class(module, name)
