"""Values derived from packaged and model files (the tone models' n-gram trees, the language
model's state table, the securities universe's rows), kept between runs in the user's cache
folder so that a process does not rebuild them at start.

An entry is named by a hash of everything it is derived from: the source files' bytes, the
code that builds it and the Python that reads it, so a changed model file or a new release
finds no stale entry, only a missing one. Entries are written whole to a temporary file and
renamed (two processes may write the same entry at once; either's file is the same), and one
that does not read back as written (a CRC-32 of its payload: a check against a damaged or
cut file; the name is what ties it to its sources) is ignored and built again. A mapped
table's check is recorded beside it once done, and made again only when its file was
written since (`_map`). Nothing needs the cache: an unwritable folder only means building
at every start. Writing an entry removes the oldest entries of its name past the newest
`KEEP_PER_NAME` (`_prune`): each release, source change or configuration makes new names,
and nothing else ever removed the old ones. It removes the marks whose entry is gone and
the temporary files a killed writer left too (`_remove_leftovers`).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import mmap
import os
import re
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from glob import escape as glob_escape
from pathlib import Path
from typing import TypeVar, cast

log = logging.getLogger(__name__)

T = TypeVar("T")

# Where the cache folder is, before the platform's default: tests point it at a tmp folder.
ENV_VAR = "TRACKER_CACHE_DIR"
# The entries' layout; a new one makes new names, so old files are never misread.
_MAGIC = b"tracker-cache-1\n"
# The magic, then the payload's CRC-32 in 8 bytes (little-endian): the payload begins at
# 24, where a mapped array of 8-byte numbers is aligned.
_HEADER = len(_MAGIC) + 8


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
    # marshal's format, and an array's item sizes, belong to the Python that reads them.
    for part in (_MAGIC, sys.version.encode(), name.encode(), extra.encode()):
        key.update(part)
        key.update(b"\0")
    folder = cache_dir()
    known = _known_digests(folder)
    learnt = False
    for source in sources:
        digest, new = _source_digest(Path(source), known)
        key.update(digest)
        learnt |= new
    if learnt:
        _write(folder / _DIGESTS, marshal.dumps(known))
    return folder / f"{name}-{key.hexdigest()[:32]}.cache"


# The source files' SHA-256 digests, kept between runs in one file of the cache folder by
# each file's identity and times (`_identity`), as a checked table's mark is: hashing the
# entries' sources (the models, the universe, tracker/extract's code: 60 files, 10 MB)
# took 18 ms of every start, and a run now reads them only when they were written since.
# A digest is kept only for a file whose times are settled (`_SETTLED_NS`) and were the
# same after reading it as before; not on Windows (`_TRUSTS_CHANGE_TIMES`).
_DIGESTS = "sources.digests"
# More files than this (old checkouts' paths pile up) and the list starts again.
_MAX_DIGESTS = 4096
# {absolute path: (its `_identity`, its digest)}, per cache folder.
_Digests = dict[str, tuple[tuple[int, ...], bytes]]
_digests: tuple[Path, _Digests] | None = None


def _known_digests(folder: Path) -> _Digests:
    global _digests
    if _digests is None or _digests[0] != folder:
        payload = _read(folder / _DIGESTS) if _TRUSTS_CHANGE_TIMES else None
        try:
            known = marshal.loads(payload) if payload is not None else {}
        except (EOFError, ValueError, TypeError):
            known = {}
        if not isinstance(known, dict) or len(known) > _MAX_DIGESTS:
            known = {}
        _digests = (folder, known)
    return _digests[1]


def _source_digest(path: Path, known: _Digests) -> tuple[bytes, bool]:
    """(the SHA-256 of `path`'s bytes, whether it was added to `known`)."""
    name = os.path.abspath(path)
    try:
        before = _identity(os.stat(name))
    except OSError:
        before = None
    kept = known.get(name)
    if (before is not None and isinstance(kept, tuple) and len(kept) == 2
            and kept[0] == before and isinstance(kept[1], bytes)):
        return kept[1], False
    digest = hashlib.sha256(path.read_bytes()).digest()
    if (not _TRUSTS_CHANGE_TIMES or before is None or not _settled(before)
            or _identity(os.stat(name)) != before):
        return digest, False
    known[name] = (before, digest)
    return digest, True


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], extra: str = "") -> T:
    """`build()`, read from the cache when an entry derived from the same `sources` and
    `extra` is there, else built and stored. The value must be of marshal's types (dicts,
    lists, tuples, strings, numbers)."""
    path = entry_path(name, sources, extra)
    payload = _read(path)
    if payload is not None:
        try:
            return cast(T, marshal.loads(payload))
        except (EOFError, ValueError, TypeError):
            log.warning("cache entry %s does not read: building it again", path)
    value = build()
    _write_entry(path, marshal.dumps(value))  # type: ignore[arg-type]
    return value


def cached_table(name: str, sources: Iterable[Path], typecode: str,
                 build: Callable[[], array], extra: str = "") -> Sequence[int]:
    """`build()`, an array of `typecode`, as a read-only view of the cache's file mapped
    into memory (or the built array itself where the entry cannot be written).

    Why mapped: the file is not read at start, and only the pages a process looks up are
    brought in (a 39 MB table of which one post reads a few pages).
    """
    path = entry_path(name, sources, f"{extra}\0array {typecode}")
    found = _map(path, typecode)
    if found is not None:
        return found
    value = build()
    if value.typecode != typecode:
        raise ValueError(f"cache entry {name}: built an array of {value.typecode!r}, "
                         f"not {typecode!r}")
    _write_entry(path, memoryview(value).cast("B"))
    return _map(path, typecode) or value


def read_entry(path: Path) -> bytes | None:
    """The payload of the entry at `path` (an `entry_path`); None when there is none or it
    is damaged. For values `cached` cannot keep (marshal's types only)."""
    return _read(path)


def write_entry(path: Path, payload: bytes) -> None:
    """Store `payload` as the entry at `path`; a folder that cannot be written is no error."""
    _write_entry(path, payload)


# How many entries of one name (`entry_path`'s `name`) are kept: the newest, by the time
# each was written. Enough for a few installs or configurations used side by side (each
# has entries of its own); one more of them rebuilds its entry at its next start, which is
# what any missing entry costs. Without a bound the folder grew by an entry at each release,
# source change or configuration, up to 700 MB (the language table is 30 MB).
KEEP_PER_NAME = 4
# An entry's file name: its name, a dash, 32 hex digits of its key (`entry_path`).
_ENTRY = re.compile(r"(?P<name>.+)-[0-9a-f]{32}\.cache")


# A temporary file (`_write`) this old has no live writer (the largest entry, 30 MB, is
# written in seconds): a writer killed before its rename left it, and nothing else removes it.
_ABANDONED_S = 3600
_MARK = ".checked"
_TEMPORARY = ".tmp"
# A temporary file of ours: the file it was for, a dot, mkstemp's 8 characters. Nothing else
# is touched, as $TRACKER_CACHE_DIR may name a folder other programs use too.
_OURS = re.compile(rf"(?:{_ENTRY.pattern}(?:{re.escape(_MARK)})?|{re.escape(_DIGESTS)})"
                   rf"\.[a-z0-9_]{{8}}{re.escape(_TEMPORARY)}")


def _write_entry(path: Path, payload: bytes | memoryview) -> None:
    _write(path, payload)
    _prune(path)
    _remove_leftovers(path.parent)


def _remove_leftovers(folder: Path) -> None:
    """Remove what no entry uses: a mark whose entry is gone (pruned by another process
    between its check and its mark), and a temporary file older than `_ABANDONED_S`. Any
    failure is left to the next write."""
    try:
        with os.scandir(folder) as found:
            names = {e.name: e for e in found if e.is_file(follow_symlinks=False)}
    except OSError:
        return
    now = time.time()
    for name, item in names.items():
        try:
            if name.endswith(_MARK) and _ENTRY.fullmatch(name[:-len(_MARK)]):
                gone = name[:-len(_MARK)] not in names
            elif _OURS.fullmatch(name):
                gone = now - item.stat(follow_symlinks=False).st_mtime > _ABANDONED_S
            else:
                continue
            if gone:
                os.unlink(item.path)
        except OSError:
            pass


def _prune(path: Path) -> None:
    """Remove the entries of `path`'s name older than its `KEEP_PER_NAME` newest, each with
    its mark. A process that has one mapped keeps its pages (the file goes when it unmaps
    it), and one about to read it builds it again. Any failure is left to the next write."""
    own = _ENTRY.fullmatch(path.name)
    if own is None:
        return
    try:
        dated = []
        for entry in path.parent.glob(f"{glob_escape(own['name'])}-*.cache"):
            found = _ENTRY.fullmatch(entry.name)
            if found is not None and found["name"] == own["name"]:
                dated.append((entry.stat().st_mtime_ns, entry.name, entry))
    except OSError:
        return
    dated.sort(reverse=True)
    for _, _, old in dated[KEEP_PER_NAME:]:
        if old == path:
            continue
        for gone in (old, _mark_path(old)):
            try:
                gone.unlink(missing_ok=True)
            except OSError:
                pass


def _read(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = data[_HEADER:]
    if data[:len(_MAGIC)] != _MAGIC or data[len(_MAGIC):_HEADER] != _crc(payload):
        log.warning("cache entry %s is damaged: building it again", path)
        return None
    return payload


def _map(path: Path, typecode: str) -> memoryview | None:
    itemsize = array(typecode).itemsize
    try:
        with path.open("rb", buffering=0) as f:
            stat = os.fstat(f.fileno())
            size = stat.st_size - _HEADER
            head = f.read(_HEADER)
            if head[:len(_MAGIC)] != _MAGIC or size <= 0 or size % itemsize:
                log.warning("cache entry %s is damaged: building it again", path)
                return None
            mark = _checked_mark(stat, head)
            if not _is_marked(path, mark):
                # The check reads the file through a small buffer, not the mapping: the
                # pages of the mapping stay out of memory until looked up.
                crc, chunk = 0, bytearray(1 << 20)
                while n := f.readinto(chunk):
                    crc = zlib.crc32(memoryview(chunk)[:n], crc)
                if head[len(_MAGIC):] != crc.to_bytes(8, "little"):
                    log.warning("cache entry %s is damaged: building it again", path)
                    return None
                if _TRUSTS_CHANGE_TIMES and _settled(_identity(stat)):
                    _write(_mark_path(path), mark)
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    return memoryview(mapped)[_HEADER:].cast(typecode)  # type: ignore[call-overload]


# A mapped entry's CRC-32 is checked once, then recorded in a mark beside it: the check
# reads the whole file (28 MiB for the language model's table, 20 ms of every run that
# reads English) where a run looks up a few pages. The mark holds the file's identity
# and times as they were when its bytes were checked (device, inode, size, modification
# and change times in ns) and its header; any write to the file, in place or by
# replacing it, gives it another change time (which no program sets back), so a marked
# file whose identity still matches has the bytes that were checked. What the mark does
# not see is a change below the file system (a disk's bit rot after the check).
# A file changed within the clock tick of its check could keep its times: a mark is only
# written for a file whose times are older than this (as git's index treats a file
# "racily clean"), so a run just after a build checks the entry again and marks it then.
_SETTLED_NS = 2_000_000_000
# Marks and kept digests (below) rest on the change time. On Windows st_ctime is the
# creation time, which a rewrite in place keeps: there, every run checks and hashes.
_TRUSTS_CHANGE_TIMES = sys.platform != "win32"


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _checked_mark(stat: os.stat_result, head: bytes) -> bytes:
    return " ".join(map(str, _identity(stat))).encode() + b" " + head.hex().encode()


def _mark_path(path: Path) -> Path:
    return path.with_name(path.name + _MARK)


def _is_marked(path: Path, mark: bytes) -> bool:
    # The mark is written as an entry is (`_write`): its file is that entry's bytes.
    if not _TRUSTS_CHANGE_TIMES:
        return False
    try:
        return _mark_path(path).read_bytes() == _MAGIC + _crc(mark) + mark
    except OSError:
        return False


def _settled(identity: tuple[int, ...]) -> bool:
    # An `_identity`, whose last two numbers are the modification and change times.
    return time.time_ns() - max(identity[-2:]) > _SETTLED_NS


def _crc(payload: bytes | memoryview | array) -> bytes:
    return zlib.crc32(payload).to_bytes(8, "little")


def _may_create(folder: Path) -> bool:
    """Whether the cache may make `folder`: never by making the user's home folder. A service
    account's home is often a path that does not exist (HOME=/nonexistent under cron or
    systemd), and a cache is no reason to make one."""
    if os.environ.get(ENV_VAR):
        return True
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no entry in the password database
        return False
    return home.is_dir() or not folder.is_relative_to(home)


def _write(path: Path, payload: bytes | memoryview) -> None:
    # A temporary file in the same folder, renamed over the entry: a reader sees the old
    # file, none, or the whole new one, and two writers of one entry write the same bytes.
    if not path.parent.is_dir() and not _may_create(path.parent):
        log.info("cache entry %s not written (no home folder): it is built at each start", path)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=_TEMPORARY, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + _crc(payload))
                out.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        log.info("cache entry %s not written (%s): it is built at each start", path, err)
