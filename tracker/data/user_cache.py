"""Values derived from packaged and model files (the tone models' n-gram trees), kept
between runs in the user's cache folder so that a process does not rebuild them at start.

An entry is named by a hash of everything it is derived from: the source files' bytes, the
code that builds it and the Python that reads it, so a changed model file or a new release
finds no stale entry, only a missing one. Entries are written whole to a temporary file and
renamed (two processes may write the same entry at once; either's file is the same), and one
that does not read back as written is ignored and built again. Nothing needs the cache: an
unwritable folder only means building at every start.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar, cast

log = logging.getLogger(__name__)

T = TypeVar("T")

# Where the cache folder is, before the platform's default: tests point it at a tmp folder.
ENV_VAR = "TRACKER_CACHE_DIR"
# The entries' layout; a new one makes new names, so old files are never misread.
_MAGIC = b"tracker-cache-1\n"
_DIGEST = hashlib.sha256().digest_size


def cache_dir() -> Path:
    """The folder entries are kept in: $TRACKER_CACHE_DIR, else the platform's user cache
    folder (as platformdirs places it) with a `tracker` folder inside."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "tracker" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "tracker"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tracker"


def entry_path(name: str, sources: Iterable[Path], extra: str = "") -> Path:
    """The file of the entry `name` derived from `sources` (and `extra`, what else the
    build depends on, such as its arguments)."""
    key = hashlib.sha256()
    # marshal's format belongs to the Python release that reads it.
    for part in (_MAGIC, sys.version.encode(), name.encode(), extra.encode()):
        key.update(part)
        key.update(b"\0")
    for source in sources:
        key.update(Path(source).read_bytes())
        key.update(b"\0")
    return cache_dir() / f"{name}-{key.hexdigest()[:32]}.marshal"


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], extra: str = "") -> T:
    """`build()`, read from the cache when an entry derived from the same `sources` and
    `extra` is there, else built and stored. The value must be of marshal's types (dicts,
    lists, tuples, strings, numbers)."""
    path = entry_path(name, sources, extra)
    found = _read(path)
    if found is not None:
        return cast(T, found)
    value = build()
    _write(path, marshal.dumps(value))  # type: ignore[arg-type]
    return value


def _read(path: Path) -> object | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, digest, payload = (data[:len(_MAGIC)], data[len(_MAGIC):len(_MAGIC) + _DIGEST],
                             data[len(_MAGIC) + _DIGEST:])
    if head != _MAGIC or hashlib.sha256(payload).digest() != digest:
        log.warning("cache entry %s is damaged: building it again", path)
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        log.warning("cache entry %s does not read: building it again", path)
        return None


def _write(path: Path, payload: bytes) -> None:
    # A temporary file in the same folder, renamed over the entry: a reader sees the old
    # file, none, or the whole new one, and two writers of one entry write the same bytes.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        log.info("cache entry %s not written (%s): it is built at each start", path, err)
