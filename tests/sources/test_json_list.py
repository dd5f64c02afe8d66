"""A `.json` list read record by record: the same posts as a whole parse, in flat memory; a
bad record costs that record where the list's structure says where the next one starts,
and the file otherwise. Every other shape of `.json` reads as it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.config import Config
from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources import jsonlist, read_file
from tracker.sources.decode import decode_file
from tracker.sources.jsonlist import read_json_text

POSTS = [
    {"id": "a1", "text": "$NVDA 今天大涨", "published": "2026-05-05T09:30:00Z"},
    {"id": 12345678901234567890, "content": "$TSLA down\nhard", "author": "bob"},
    {"id": "a3", "text": "x" * 300 + " $AAPL", "score": -1.5e-3, "tags": [1, [2, {"a": None}]]},
    "not an object",
    {"title": "no text here"},
    {"tweet": {"full_text": "$AMD up", "id_str": "9"}},
    {"id": "a7", "text": "escapes \\\" \u2028 😀 @ESCAPES@ $MSFT", "n": 9e999},
    {"id": "big", "text": "$INTC", "digits": "@DIGITS@"},
    {"id": "last", "text": "$META flat"},
]


def whole(path: Path, cfg: Config) -> list[object]:
    """What the file read whole gives: the reader every `.json` went through before."""
    decoded = decode_file(path.read_bytes(), str(path))
    items: list[object] = [SourceWarning(str(path), decoded.note)] if decoded.note else []
    items += read_json_text(decoded.text, str(path), cfg.input, path.stat().st_mtime)
    return [_seen(i) for i in items]


def streamed(path: Path, cfg: Config) -> list[object]:
    return [_seen(i) for i in read_file(path, cfg.input)]


def _seen(item: object) -> object:
    if isinstance(item, SourceError):
        return (type(item).__name__, str(item))
    return item


def _dumped(indent: int | None) -> str:
    # 9e999 is written Infinity, as JavaScript writes it; a number of 5,000 digits stays
    # its digits (records.load_json); escapes of a pair, a lone surrogate and a letter.
    text = json.dumps(POSTS, ensure_ascii=False, indent=indent)
    return text.replace('"@DIGITS@"', "7" * 5000).replace(
        "@ESCAPES@", "\\ud83d\\ude00 \\ud800 \\u0041")


@pytest.mark.parametrize("piece", [1, 2, 7, 64, 1 << 20], ids=lambda n: f"piece-{n}")
@pytest.mark.parametrize("indent", [None, 2], ids=["one-line", "pretty"])
def test_a_list_streamed_reads_as_the_whole_parse(tmp_path: Path, cfg: Config,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  piece: int, indent: int | None) -> None:
    # Pieces of 1 character cut every record, string, escape and number somewhere.
    path = tmp_path / "posts.json"
    path.write_text("\ufeff\n " + _dumped(indent) + "\n", "utf-8")
    expected = whole(path, cfg)
    assert sum(isinstance(i, RawPost) for i in expected) == 6  # the shapes are all there
    monkeypatch.setattr(jsonlist, "_PIECE", piece)
    assert streamed(path, cfg) == expected


def test_memory_holds_a_record_not_the_file(tmp_path: Path, cfg: Config,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsed whole, 100 MB of posts took 730 MB; here the text held at once stays within
    # two pieces and a record, however many records follow.
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"id": i, "text": f"$NVDA post {i}"} for i in range(3000)]),
                    "utf-8")
    monkeypatch.setattr(jsonlist, "_PIECE", 256)
    held: list[int] = []
    more = jsonlist._Text.more

    def watched(self: jsonlist._Text) -> bool:
        grew = more(self)
        held.append(len(self.text))
        return grew

    monkeypatch.setattr(jsonlist._Text, "more", watched)
    posts = [i for i in read_file(path, cfg.input) if isinstance(i, RawPost)]
    assert len(posts) == 3000 and posts[-1].line == 3000
    assert path.stat().st_size > 50 * 512 and max(held) < 512


@pytest.mark.parametrize(("bad", "problem"), [
    ('{"text": "raw\ttab $AMD"}', "invalid JSON: Invalid control character"),
    ("{'text': 'single quotes'}", "invalid JSON: Expecting property name enclosed in "
                                  "double quotes"),
    ('{"text": "x", "a": [1, 2,]}', "invalid JSON: Expecting value"),
    ('{"text": "bad \\x escape"}', "invalid JSON: Invalid \\escape"),
    ("[" * 5000 + "]" * 5000, "invalid JSON: nested too deeply to be a post"),
    ("", "invalid JSON: Expecting value"),
], ids=["control-character", "single-quotes", "trailing-comma-inside", "bad-escape",
        "too-deep", "empty"])
def test_a_bad_record_costs_that_record(tmp_path: Path, cfg: Config, bad: str,
                                        problem: str) -> None:
    # The file was lost whole: "invalid JSON: ..." and not one post read.
    path = tmp_path / "posts.json"
    path.write_text('[\n{"text": "$NVDA one"},\n' + bad + ',\n{"text": "$TSLA three"}\n]',
                    "utf-8")
    items = list(read_file(path, cfg.input))
    assert [(p.text, p.line) for p in items if isinstance(p, RawPost)] == [
        ("$NVDA one", 1), ("$TSLA three", 3)]
    [error] = [i for i in items if type(i) is SourceError]  # warnings: no dates
    assert (error.line, error.message) == (3, f"{problem} in record 2, which is skipped")


@pytest.mark.parametrize(("text", "line", "message"), [
    ('[{"text": "$TSLA cut sh', 1, "invalid JSON: Unterminated string in record 1; where the "
     "records after it start cannot be told (a quote or bracket missing, or the file cut "
     "short), so no record of the file was read"),
    ('[{"text": "$TSLA one"},\n{"text": "two"}', 2, "invalid JSON after record 2: the file "
     "ends before the list is closed (cut short?); no record of the file was read"),
    ('[{"text": "$TSLA one"}\n{"text": "two"}]', 2, "invalid JSON after record 1: Expecting "
     "',' delimiter; no record of the file was read"),
    ('[{"text": "$TSLA one"},\n{"text": "two}, {"text": "three"}]', 2, "invalid JSON: "
     "Expecting ',' delimiter in record 2; where the records after it start cannot be told "
     "(a quote or bracket missing, or the file cut short), so no record of the file was "
     "read"),
    ('[{"text": "$TSLA one"},\n{"text": "two"]]', 2, "invalid JSON: Expecting ',' delimiter "
     "in record 2; where the records after it start cannot be told (a quote or bracket "
     "missing, or the file cut short), so no record of the file was read"),
    ('[{"text": "$TSLA one"}]\n[{"text": "two"}]', 2, "invalid JSON: Extra data after the "
     "list's end; no record of the file was read"),
], ids=["cut-in-a-record", "cut-between-records", "no-comma", "quote-missing",
        "bracket-mismatch", "two-lists"])
def test_a_broken_structure_costs_the_file(tmp_path: Path, cfg: Config, text: str, line: int,
                                           message: str) -> None:
    # No record before the break is stored: a file that is then not read at all would have
    # left its first records stored, and a rerun after the fix could not tell.
    path = tmp_path / "cut.json"
    path.write_text(text, "utf-8")
    [error] = list(read_file(path, cfg.input))
    assert isinstance(error, SourceError) and not isinstance(error, SourceWarning)
    assert (error.line, error.message) == (line, message)


def test_a_comma_after_the_last_record_is_a_warning(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "posts.json"
    path.write_text('[{"text": "$NVDA one"},\n{"text": "$TSLA two"},\n]', "utf-8")
    items = list(read_file(path, cfg.input))
    assert [p.text for p in items if isinstance(p, RawPost)] == ["$NVDA one", "$TSLA two"]
    [warning] = [i for i in items if isinstance(i, SourceError) and i.line is not None]
    assert isinstance(warning, SourceWarning) and warning.line == 3
    assert warning.message == ("a comma after the list's last record (record 2), which JSON "
                               "does not allow; read as if it were not there")


@pytest.mark.parametrize(("name", "data"), [
    ("object", json.dumps(POSTS[0]).encode()),
    ("pretty-object", json.dumps(POSTS[0], indent=2).encode()),
    ("wrapped-dump", json.dumps({"data": POSTS[:2], "meta": {"count": 2}}).encode()),
    ("reddit-listing", json.dumps({"kind": "Listing", "data": {"children": [
        {"kind": "t3", "data": {"title": "t", "selftext": "$NVDA"}}]}}).encode()),
    ("keyed-by-id", json.dumps({"a1": POSTS[0], "a2": POSTS[1]}).encode()),
    ("json-lines", "".join(json.dumps(p) + "\n" for p in POSTS[:3]).encode()),
    ("x-archive-script", b"window.YTD.tweets.part0 = [{\"tweet\": {\"full_text\": \"x\"}}]"),
    ("gbk-list", json.dumps(POSTS[:3], ensure_ascii=False).encode("gbk", "replace")),
    ("utf16-list", json.dumps(POSTS[:3], ensure_ascii=False).encode("utf-16")),
    ("latin1-line", b'[{"text": "Caf\xe9 $NVDA"},\n{"text": "ok"}]'),
    ("nul-bytes", b'[{"text": "a\x00b"}]'),
    ("torn-last-character", '[{"text": "$NVDA 大涨"}]'.encode()[:-4]),
    ("empty", b""),
    ("blank", b" \r\n\t\n"),
    ("empty-list", b"[ ]"),
    ("number", b"42"),
    ("ideographic-space", "\u3000[{\"text\": \"x\"}]".encode()),
])
def test_every_other_shape_reads_as_before(tmp_path: Path, cfg: Config, name: str,
                                           data: bytes) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    assert streamed(path, cfg) == whole(path, cfg)


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["text", "id", "a", "published"]), inner, max_size=3),
    max_leaves=8)
_records = st.lists(st.fixed_dictionaries({"text": st.text(min_size=1, max_size=12)},
                                          optional={"id": _values, "x": _values}) | _values,
                    max_size=6)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_records, st.integers(1, 9), st.integers(0, 400), st.sampled_from(
    ["", "\t", "]", "[", ",", "{", "}", '"', "\\", "x", "\n"]))
def test_any_list_streamed_reads_as_the_whole_parse_or_says_why_not(
        tmp_path_factory: pytest.TempPathFactory, cfg: Config, records: list[object],
        piece: int, at: int, damage: str) -> None:
    # Any list, whole or with one character put in anywhere, read in pieces of 1 to 9
    # characters: never raises; a valid file gives what the whole parse gives, and any file
    # gives the posts of the records it can tell apart, each a post the whole list holds
    # (its number may move: a comma put in makes a record).
    text = json.dumps(records, ensure_ascii=False)
    text = text[:at] + damage + text[at:]
    path = tmp_path_factory.mktemp("json") / "p.json"
    path.write_text(text, "utf-8")
    original = jsonlist._PIECE
    jsonlist._PIECE = piece
    try:
        got = streamed(path, cfg)
    finally:
        jsonlist._PIECE = original
    try:
        json.loads(text)
    except ValueError:
        path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        every = {(p.text, p.source_id) for p in whole(path, cfg) if isinstance(p, RawPost)}
        assert {(p.text, p.source_id) for p in got if isinstance(p, RawPost)} <= every
        return
    assert got == whole(path, cfg)


def test_a_file_rewritten_during_the_reading_says_so_not_that_nothing_was_read(
        tmp_path: Path, cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rewritten in place (a record added) after the first reading found it whole, while the
    # second gave its posts: ingest stores the posts given before the break, so its error
    # said "no record of the file was read" of a file whose first records were stored, after
    # a second error "... which is skipped" for the same record.
    path = tmp_path / "posts.json"
    posts = [{"id": str(i), "text": f"$NVDA post {i} " + "x" * 3000} for i in range(10)]
    path.write_text(json.dumps(posts, indent=1), "utf-8")
    grown = json.dumps(posts[:5] + [{"id": "new", "text": "added"}] + posts[5:], indent=1)
    monkeypatch.setattr(jsonlist, "_PIECE", 4096)
    starts: list[int] = []
    read_at = jsonlist.read_at

    def rewriting(handle: object, pos: int, size: int) -> bytes:
        starts.append(pos)
        if starts.count(0) == 2 and pos > 12000 and path.stat().st_size < len(grown):
            path.write_text(grown, "utf-8")  # the second reading, part way
        return read_at(handle, pos, size)  # type: ignore[arg-type]

    monkeypatch.setattr(jsonlist, "read_at", rewriting)
    items = list(read_file(path, cfg.input))
    assert [p.source_id for p in items if isinstance(p, RawPost)] == [
        "0", "1", "2", "3", "4", "new", "5", "6", "7", "8"]
    [error] = [i for i in items if type(i) is not SourceWarning and isinstance(i, SourceError)]
    # Record 11 is the old file's last, cut where the old size ends.
    assert error.message == ("changed while it was read (invalid JSON: Unterminated string "
                             "in record 11); read it again once it is written")
