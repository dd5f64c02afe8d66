"""tracker.data.user_cache: entries named by what they derive from, written whole, rebuilt
when damaged, and never required."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import textwrap
import time
import zlib
from array import array
from pathlib import Path

import pytest

from tracker.data import user_cache as cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "model.bin"
    path.write_bytes(b"weights v1")
    return path


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


VALUE = {("w:", 2, " "): {"not": {"good": 3}}, "list": [1, 2.5, "x", None, (b"y",)]}


def test_an_entry_is_built_once_then_read(folder: Path, source: Path) -> None:
    calls, build = _counting(VALUE)
    assert cache.cached("trees", [source], build) == VALUE
    assert cache.cached("trees", [source], build) == VALUE
    assert len(calls) == 1
    [entry] = folder.glob("*.cache")
    assert entry.name.startswith("trees-") and entry.suffix == ".cache"


def test_a_changed_source_or_extra_finds_no_old_entry(folder: Path, source: Path) -> None:
    calls, build = _counting(VALUE)
    cache.cached("trees", [source], build)
    cache.cached("trees", [source], build, extra="other families")
    source.write_bytes(b"weights v2")
    cache.cached("trees", [source], build)
    assert len(calls) == 3
    assert len(list(folder.glob("*.cache"))) == 3


@pytest.mark.parametrize("damage", [
    lambda b: b[:-7],
    lambda b: b[:-1] + bytes([b[-1] ^ 1]),
    lambda b: b"not a cache entry",
    lambda b: b"",
], ids=["truncated", "flipped-byte", "garbage", "empty"])
def test_a_damaged_entry_is_built_again_and_replaced(folder: Path, source: Path,
                                                      damage: object) -> None:
    calls, build = _counting(VALUE)
    cache.cached("trees", [source], build)
    [entry] = folder.glob("*.cache")
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    assert cache.cached("trees", [source], build) == VALUE
    assert len(calls) == 2
    assert entry.read_bytes() == good


def test_an_unwritable_folder_only_means_building_each_time(
        tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))
    calls, build = _counting(VALUE)
    assert cache.cached("trees", [source], build) == VALUE
    assert cache.cached("trees", [source], build) == VALUE
    assert len(calls) == 2


def test_a_home_folder_that_does_not_exist_is_not_made(
        tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A service account under cron: HOME=/nonexistent. The cache builds, and makes no home.
    home = tmp_path / "nonexistent"
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(sys, "platform", "linux")
    calls, build = _counting(VALUE)
    assert cache.cached("trees", [source], build) == VALUE
    assert cache.cached("trees", [source], build) == VALUE
    assert len(calls) == 2
    assert not home.exists()
    home.mkdir()
    assert cache.cached("trees", [source], build) == VALUE
    assert (home / ".cache" / "tracker").is_dir()


def test_the_default_folder_is_the_platforms_user_cache(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform in ("win32", "darwin"):
        assert cache.cache_dir().name in ("Cache", "tracker")
    else:
        assert cache.cache_dir() == tmp_path / "xdg" / "tracker"


def test_a_table_entry_is_mapped_whole_and_rebuilt_when_damaged(
        folder: Path, source: Path) -> None:
    table = array("I", range(0, 3_000_000, 3))
    calls, build = _counting(table)
    first = cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
    found = cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
    assert isinstance(found, memoryview) and found.format == "I" and found.readonly
    assert (first.tolist(), found.tolist(), len(calls)) == (table.tolist(),) * 2 + (1,)
    [entry] = folder.glob("*.cache")
    good = entry.read_bytes()
    for damaged in (good[:-3], good[:-4], good[:-5] + bytes([good[-5] ^ 8]) + good[-4:],
                    good[:24]):
        entry.write_bytes(damaged)
        again = cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
        assert again.tolist() == table.tolist()
        assert entry.read_bytes() == good
    assert len(calls) == 5
    # Another typecode is another entry, and a build of the wrong one is refused.
    with pytest.raises(ValueError, match="not 'H'"):
        cache.cached_table("dfa", [source], "H", build)  # type: ignore[arg-type]


def test_a_table_is_the_built_array_where_no_entry_can_be_written(
        tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))
    table = array("I", [5, 6, 7])
    assert cache.cached_table("dfa", [source], "I", lambda: table) is table


# Two processes write one entry over and over while reading it back: a reader sees a
# whole entry every time, never a part of one.
WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import marshal
    from tracker.data import user_cache as cache
    value = {str(i): list(range(i % 50)) for i in range(20000)}
    payload = marshal.dumps(value)
    path = Path(sys.argv[1])
    for _ in range(40):
        cache._write(path, payload)
        assert cache._read(path) == payload
    print("ok")
""")


def test_two_processes_write_one_entry_at_once(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "trees-0.cache"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [(p.returncode, out) for p, (out, _err) in zip(procs, outs, strict=True)] \
        == [(0, "ok\n"), (0, "ok\n")], outs
    assert [f.name for f in path.parent.iterdir()] == [path.name]  # no temporary file left


# A settling time for the tests of files just written: with the real 2 s, they held only
# while the test ran within 2 s of writing its file.
SETTLING_LONGER_THAN_ANY_STALL = 3600 * 10**9


def _crc_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = zlib.crc32

    def counting(data: bytes, value: int = 0) -> int:
        if len(data) > 1000:  # a table's bytes (these tests' tables), not a mark's own
            calls.append(1)
        return real(data, value)

    monkeypatch.setattr(zlib, "crc32", counting)
    return calls


def test_a_table_just_written_is_checked_again_and_not_marked(
        folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its times are within the settling time of now: a change in the same clock tick
    # could keep them, so no mark vouches for it yet. The settling time is made an hour,
    # so that a process stalled for the real 2 s (a loaded machine) still tests this.
    monkeypatch.setattr(cache, "_SETTLED_NS", SETTLING_LONGER_THAN_ANY_STALL)
    table = array("I", range(1000))
    cache.cached_table("dfa", [source], "I", lambda: table)
    calls = _crc_calls(monkeypatch)
    assert cache.cached_table("dfa", [source], "I", lambda: table).tolist() == table.tolist()
    assert calls
    assert not list(folder.glob("*.checked"))


@pytest.mark.parametrize("how", ["in-place", "replaced"])
def test_a_checked_table_is_marked_and_a_later_write_is_checked_again(
        folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)  # every file counts as settled
    table = array("I", range(0, 3_000_000, 3))
    calls, build = _counting(table)
    cache.cached_table("dfa", [source], "I", build)  # built, mapped: checked and marked
    [entry] = folder.glob("*.cache")
    assert [f.name for f in folder.glob("*.checked")] == [entry.name + ".checked"]
    with monkeypatch.context() as patch:
        crcs = _crc_calls(patch)
        found = cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
    assert (found.tolist(), crcs, len(calls)) == (table.tolist(), [], 1)

    # One byte flipped, the size and the modification time kept: the change time moves
    # (waited for, so that the file system's clock has ticked), and the mark no longer
    # matches.
    good = entry.read_bytes()
    before = entry.stat()
    damaged = good[:-5] + bytes([good[-5] ^ 8]) + good[-4:]
    while entry.stat().st_ctime_ns == before.st_ctime_ns:
        time.sleep(0.01)
        if how == "in-place":
            entry.write_bytes(damaged)
        else:
            other = folder / "other"
            other.write_bytes(damaged)
            os.replace(other, entry)
        os.utime(entry, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert entry.stat().st_size == before.st_size
    again = cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
    assert (again.tolist(), len(calls), entry.read_bytes()) == (table.tolist(), 2, good)


def test_a_mark_of_another_file_vouches_for_nothing(
        folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    table = array("I", range(5000))
    calls, build = _counting(table)
    cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
    cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
    [mark] = folder.glob("*.checked")
    [entry] = folder.glob("*.cache")
    for text in (b"", b"garbage", mark.read_bytes()[:-1]):
        mark.write_bytes(text)
        with monkeypatch.context() as patch:
            crcs = _crc_calls(patch)
            found = cache.cached_table("dfa", [source], "I", build)  # type: ignore[arg-type]
        assert found.tolist() == table.tolist()
        assert crcs  # checked again (and marked again)
    assert len(calls) == 1 and entry.exists()


def _source_reads(patch: pytest.MonkeyPatch, source: Path) -> list[int]:
    reads: list[int] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path == source:
            reads.append(1)
        return real(path)

    patch.setattr(Path, "read_bytes", counting)
    return reads


def _hashed_name(name: str, sources: list[Path]) -> str:
    # The entry's name with every source read and hashed, nothing kept.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "_TRUSTS_CHANGE_TIMES", False)
        patch.setattr(cache, "_digests", None)
        return cache.entry_path(name, sources).name


@pytest.mark.parametrize("how", ["in-place", "replaced"])
def test_a_sources_digest_is_kept_between_runs_until_it_is_written(
        folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    monkeypatch.setattr(cache, "_digests", None)
    first = cache.entry_path("trees", [source])
    assert first.name == _hashed_name("trees", [source])
    assert (folder / cache._DIGESTS).is_file()
    monkeypatch.setattr(cache, "_digests", None)  # another run: the digests read back
    with monkeypatch.context() as patch:
        reads = _source_reads(patch, source)
        assert cache.entry_path("trees", [source]) == first
    assert reads == []

    # Rewritten with the same size, its modification time set back: the change time
    # moves (waited for), and the source is read again.
    before = source.stat()
    while source.stat().st_ctime_ns == before.st_ctime_ns:
        time.sleep(0.01)
        if how == "in-place":
            source.write_bytes(b"weights v2")
        else:
            other = source.with_name("other")
            other.write_bytes(b"weights v2")
            os.replace(other, source)
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    monkeypatch.setattr(cache, "_digests", None)
    with monkeypatch.context() as patch:
        reads = _source_reads(patch, source)
        second = cache.entry_path("trees", [source])
    assert reads == [1]
    assert second != first and second.name == _hashed_name("trees", [source])


def test_a_source_just_written_is_read_at_each_run(
        folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its times are within the settling time of now: a rewrite in the same clock tick
    # could keep them, so its digest is not kept (an hour's settling time, as above).
    monkeypatch.setattr(cache, "_SETTLED_NS", SETTLING_LONGER_THAN_ANY_STALL)
    monkeypatch.setattr(cache, "_digests", None)
    first = cache.entry_path("trees", [source])
    monkeypatch.setattr(cache, "_digests", None)
    with monkeypatch.context() as patch:
        reads = _source_reads(patch, source)
        assert cache.entry_path("trees", [source]) == first
    assert reads == [1]
    assert not (folder / cache._DIGESTS).exists()


@pytest.mark.parametrize("kept", [b"", b"garbage", "marshal"], ids=["empty", "garbage",
                                                                     "other-digest"])
def test_damaged_or_wrong_digests_name_no_other_entry(
        folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch, kept: object) -> None:
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    monkeypatch.setattr(cache, "_digests", None)
    cache.entry_path("trees", [source])
    digests = folder / cache._DIGESTS
    if kept == "marshal":
        # A well-formed file whose digest is of other bytes, for another identity.
        known = marshal.loads(digests.read_bytes()[len(cache._MAGIC) + 8:])
        (ident, _digest), = known.values()
        known = {name: ((0, *ident[1:]), bytes(32)) for name in known}
        cache._write(digests, marshal.dumps(known))
    else:
        digests.write_bytes(kept)  # type: ignore[arg-type]
    monkeypatch.setattr(cache, "_digests", None)
    assert cache.entry_path("trees", [source]).name == _hashed_name("trees", [source])


def test_writing_an_entry_keeps_the_newest_of_its_name_and_no_more(folder: Path,
                                                                    source: Path) -> None:
    calls, build = _counting(VALUE)
    # Another name, one its name begins with, and the digests file, which must all stay.
    cache.cached("trees-big", [source], build)
    table = cache.entry_path("trees", [source], "\0array q")
    cache.cached_table("trees", [source], "q", lambda: array("q", [1, 2, 3]))
    os.utime(table, (1, 1))
    mark = table.with_name(table.name + ".checked")
    mark.write_bytes(b"a mark, as _map writes one for a table checked once")
    for version in range(cache.KEEP_PER_NAME + 3):
        source.write_bytes(b"weights v%d" % version)
        path = cache.entry_path("trees", [source])
        cache.cached("trees", [source], build)
        # Written a second apart, as releases are, so that the newest are told apart.
        stamp = 1_000_000_000 + version
        os.utime(path, (stamp, stamp))
    left = sorted(folder.glob("trees-*.cache"))
    own = [p for p in left if not p.name.startswith("trees-big-")]
    assert len(own) == cache.KEEP_PER_NAME
    assert path in own  # the newest, still read from its entry
    assert cache.cached("trees", [source], build) == VALUE
    assert len(calls) == 1 + cache.KEEP_PER_NAME + 3
    assert len([p for p in left if p.name.startswith("trees-big-")]) == 1
    # The table's entry was the oldest of its name: removed with its mark.
    assert not table.exists() and not mark.exists()


def test_an_entry_in_use_elsewhere_is_rebuilt_after_it_was_pruned(folder: Path,
                                                                  source: Path) -> None:
    calls, build = _counting(VALUE)
    first = cache.entry_path("trees", [source])
    cache.cached("trees", [source], build)
    os.utime(first, (1, 1))
    for version in range(cache.KEEP_PER_NAME):
        cache.cached("trees", [source], build, extra=f"config {version}")
    assert not first.exists()
    assert cache.cached("trees", [source], build) == VALUE
    assert first.exists() and len(calls) == cache.KEEP_PER_NAME + 2


def test_writing_an_entry_removes_orphan_marks_and_abandoned_temporary_files(
        folder: Path, source: Path) -> None:
    # Only `*.cache` files were ever pruned: a killed writer's temporary file (30 MB for the
    # language table) and a mark whose entry another process pruned stayed for ever.
    _, build = _counting(VALUE)
    kept = cache.entry_path("trees", [source])
    cache.cached("trees", [source], build)
    kept_mark = kept.with_name(kept.name + ".checked")
    kept_mark.write_bytes(b"the mark of an entry that is there")
    orphan = folder / ("lang-" + "0" * 32 + ".cache.checked")
    orphan.write_bytes(b"the mark of an entry pruned by another process")
    abandoned = folder / ("lang-" + "0" * 32 + ".cache.k3x_9abc.tmp")
    live = folder / ("lang-" + "1" * 32 + ".cache.a1b2c3d4.tmp")
    foreign = folder / "someone-else.tmp"  # $TRACKER_CACHE_DIR may be a shared folder
    for made in (abandoned, live, foreign):
        made.write_bytes(b"part of a file")
    old = time.time() - cache._ABANDONED_S - 60
    for made in (abandoned, foreign):
        os.utime(made, (old, old))
    cache.cached("trees", [source], build, extra="another configuration")
    assert not orphan.exists() and not abandoned.exists()
    assert kept.exists() and kept_mark.exists() and live.exists() and foreign.exists()
