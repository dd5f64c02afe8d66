"""tracker.extract.name_index: the name matcher's index kept in the user's cache, read back
into the same matcher, over the list's own Securities."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest

from tracker.data import user_cache
from tracker.extract import names
from tracker.extract.name_index import _Writer, index_entry, read_index, write_index
from tracker.extract.names import NameMatcher, get_matcher
from tracker.extract.securities import Security, SecurityList, Universe, load_securities

DATA = Path(__file__).resolve().parents[1] / "data"
TEXTS = [
    "Tesla and Palantir Technologies beat; WKHS and $GME ran, Duke Energy Corporation fell.",
    "台积电和英伟达大涨，贵州茅台跌了，比亚迪002594呢？洛克希德·马丁",
    "Bitcoin and the Nasdaq 100 slid while V and MU held.",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(user_cache.ENV_VAR, str(tmp_path))
    # A process of its own: no matcher built before this test.
    monkeypatch.setattr(names, "_cache", [])
    return tmp_path


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NameMatcher]:
    """A cache folder holding the default list's index entry, and the matcher whose build
    wrote it: built once for the tests that only read the entry (a build is 0.5-0.7 s of CPU,
    which three of them paid again)."""
    path = tmp_path_factory.mktemp("name-index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(user_cache.ENV_VAR, str(path))
        patch.setattr(names, "_cache", [])
        return path, get_matcher(load_securities())


@pytest.fixture
def built(built_once: tuple[Path, NameMatcher], monkeypatch: pytest.MonkeyPatch) -> NameMatcher:
    """built_once's matcher, with its folder as the user's cache and no matcher in this
    process's own cache, as in a second process."""
    path, matcher = built_once
    monkeypatch.setenv(user_cache.ENV_VAR, str(path))
    monkeypatch.setattr(names, "_cache", [])
    return matcher


def _same_state(a: NameMatcher, b: NameMatcher) -> None:
    left, right = a.state(), b.state()
    assert left.keys() == right.keys()
    for key in left:
        if key == "_one_letter_pattern":
            assert left[key].pattern == right[key].pattern  # type: ignore[attr-defined]
        else:
            assert left[key] == right[key], key


def test_the_second_process_reads_the_index_the_first_built(
        built_once: tuple[Path, NameMatcher], built: NameMatcher,
        monkeypatch: pytest.MonkeyPatch) -> None:
    secs = load_securities()
    [entry] = [p for p in built_once[0].iterdir() if p.name.startswith("name-index-")]
    assert entry == index_entry(secs)

    def no_build(self: NameMatcher, securities: SecurityList) -> None:
        raise AssertionError("built again: the cache entry was not read")

    monkeypatch.setattr(NameMatcher, "__init__", no_build)
    read = get_matcher(load_securities())
    assert read is not built
    _same_state(read, built)
    for text in TEXTS:
        assert read.find(text) == built.find(text)
    # The Securities in it are the list's objects, not copies: names and cashtags of one
    # company compare by identity (Analyzer._names_code).
    assert secs.universe is not None
    wkhs = secs.universe.get("WKHS", "US")
    assert wkhs is not None and read._bare["WKHS"][0] is wkhs
    tesla = secs.lookup("TSLA")
    assert tesla is not None and read._bare["TSLA"][0] is tesla


def test_a_changed_list_is_its_own_entry() -> None:
    secs = load_securities()
    changed = load_securities()
    changed.add(Security("ZRBX", "US", "Zorblax Widgets Inc", aliases_en=("Zorblax Widgets",)))
    entries = {index_entry(secs), index_entry(changed), index_entry(load_securities(universe=False))}
    assert len(entries) == 3 and None not in entries
    assert index_entry(load_securities()) == index_entry(secs)
    # A universe given in code has no files to name an entry by: not cached.
    in_code = SecurityList([], Universe([("ABC", "US", "equity", "ABC Corp", "", "curated")]))
    assert index_entry(in_code) is None


def test_an_entry_that_does_not_read_is_built_again(
        folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    secs = load_securities(universe=False)
    entry = index_entry(secs)
    assert entry is not None
    user_cache.write_entry(entry, b"not a pickle")
    assert read_index(entry, secs) is None
    matcher = get_matcher(secs)
    assert [h.ticker for h in matcher.find("Tesla beat.")] == ["TSLA"]
    state = read_index(entry, secs)  # written again, whole
    assert state is not None and state.keys() == matcher.state().keys()
    # An entry that names anything else an index holds is not read: unpickling would call it.
    user_cache.write_entry(entry, pickle.dumps({"_en": print}))
    assert read_index(entry, secs) is None


def _securities_in(value: object) -> list[Security]:
    """Every Security `value` holds, in order (dicts, lists, tuples, _Alias entries)."""
    if isinstance(value, Security):
        return [value]
    if isinstance(value, names._Alias):
        return [value.sec]
    if isinstance(value, dict):
        return [s for k in value for s in _securities_in(k) + _securities_in(value[k])]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _securities_in(item)]
    return []


def _dev_texts() -> list[str]:
    return [json.loads(line)["text"] for name in ("dev_mentions_en.jsonl", "dev_mentions_zh.jsonl")
            for line in (DATA / name).read_text("utf-8").splitlines() if line]


def test_the_index_read_back_finds_what_the_built_one_finds_on_600_posts(
        built: NameMatcher) -> None:
    # The entry holds its references first, then the index; read back, the matcher is the
    # built one, Security for Security (identity, not equality), on the development posts.
    secs = load_securities()
    entry = index_entry(secs)
    assert entry is not None
    state = read_index(entry, secs)
    assert state is not None
    read = NameMatcher.from_state(state)
    _same_state(read, built)
    held, got = _securities_in(built.state()), _securities_in(read.state())
    assert len(held) == len(got) > 20_000
    assert all(a is b for a, b in zip(held, got, strict=True))
    for text in _dev_texts():
        assert read.find(text) == built.find(text), text


def test_the_reader_makes_the_securities_the_index_names_and_no_others(
        built: NameMatcher, monkeypatch: pytest.MonkeyPatch) -> None:
    secs = load_securities()
    entry = index_entry(secs)
    universe = secs.universe
    assert entry is not None and universe is not None
    held = list(universe._made)
    fresh = load_securities()
    # The universe is the process's own (packaged_universe), shared by every list and the
    # matchers built over it: its made Securities are emptied for this test only.
    with monkeypatch.context() as patch:
        patch.setattr(universe, "_made", [None] * len(universe))
        state = read_index(entry, fresh)
        assert state is not None
        writer = _Writer(io.BytesIO(), fresh)
        writer.dump(state)
        rows = {pid - len(fresh.securities) for pid in writer.refs
                if pid >= len(fresh.securities)}
        made = {i for i, sec in enumerate(universe._made) if sec is not None}
        assert rows and made == rows
    # The Securities made before stay the universe's (row_of and the matchers' identity).
    assert len(universe._made) == len(held)
    assert all(a is b for a, b in zip(universe._made, held, strict=True))


@pytest.mark.parametrize("refs", [[-1], ["WKHS"], [10 ** 9], "0 1 2", [0.5]],
                         ids=["negative", "a string", "past the universe", "not a list", "a float"])
def test_an_entry_whose_references_do_not_hold_is_built_again(
        folder: Path, refs: object) -> None:
    secs = load_securities()
    entry = index_entry(secs)
    assert entry is not None
    user_cache.write_entry(entry, pickle.dumps(refs) + pickle.dumps({"_en": {}}))
    assert read_index(entry, secs) is None


def test_a_reference_the_entry_did_not_list_is_not_read(
        folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    secs = load_securities(universe=False)
    entry = index_entry(secs)
    assert entry is not None
    write_index(entry, secs, {"_one": secs.securities[0], "_two": secs.securities[1]})
    state = read_index(entry, secs)
    assert state == {"_one": secs.securities[0], "_two": secs.securities[1]}
    assert state["_one"] is secs.securities[0]
    # The index names reference 1, which the first pickle (only 0) does not list.
    out = io.BytesIO()
    _Writer(out, secs).dump({"_two": secs.securities[1]})
    user_cache.write_entry(entry, pickle.dumps([0]) + out.getvalue())
    assert read_index(entry, secs) is None
    # The log names the entry and the problem, not a bare "(1)" (a KeyError's text).
    assert f"cache entry {entry} does not read (reference 1 not listed first)" in caplog.text
    # An entry of the layout before speed22 (the index alone) reads so too, and is built
    # again (its name differs anyway: the code under tracker/extract is in it).
    user_cache.write_entry(entry, out.getvalue())
    assert read_index(entry, secs) is None
