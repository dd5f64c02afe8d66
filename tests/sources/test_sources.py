"""Readers: formats, encodings, configured fields, and bad input reported by name and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import Config
from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources import find_files, read_file


def read(path: Path, cfg: Config) -> tuple[list[RawPost], list[SourceError]]:
    """Posts and errors; warnings (a guessed encoding, undated records) are left out."""
    posts, errors = [], []
    for item in read_file(path, cfg.input):
        if isinstance(item, SourceWarning):
            continue
        (errors if isinstance(item, SourceError) else posts).append(item)
    return posts, errors


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("gb18030", b"")],
    ids=["utf8", "utf8-bom", "gbk", "gb18030"],
)
def test_encodings(tmp_path: Path, cfg: Config, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "post.txt"
    path.write_bytes(prefix + "台积电大涨，$TSM 看多".encode(encoding))
    (post,), errors = read(path, cfg)
    assert errors == [] and post.text == "台积电大涨，$TSM 看多"


RECORDS = '{"id": "r1", "text": "$NVDA 今天大涨"}\n{"id": "r2", "text": "$TSLA down"}\n'


@pytest.mark.parametrize("data", [
    RECORDS.encode("utf-8"), b"\xef\xbb\xbf" + RECORDS.encode("utf-8"),
    RECORDS.encode("utf-16"), RECORDS.encode("utf-16-le"), b"\n  " + RECORDS.encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16-le", "blank-first"])
def test_records_piped_on_stdin_are_read_in_any_encoding(
        cfg: Config, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    # A byte-order mark hid the opening `{` from the bytes: both records were stored as one
    # text post holding their JSON.
    import io
    import types

    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))
    posts, errors = read(Path("-"), cfg)
    assert errors == []
    assert [(p.source_id, p.text) for p in posts] == [("r1", "$NVDA 今天大涨"), ("r2", "$TSLA down")]


@pytest.mark.parametrize("text", [
    '[{"id": "r1", "text": "$NVDA 今天大涨"}, {"id": "r2", "text": "$TSLA down"}]',
    '[\n  {"id": "r1", "text": "$NVDA 今天大涨"},\n  {"id": "r2", "text": "$TSLA down"}\n]\n',
], ids=["list", "pretty-list"])
def test_a_json_list_piped_on_stdin_is_its_records(
        cfg: Config, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    # It was one text post holding the JSON, its tickers counted from it.
    import io
    import types

    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(text.encode())))
    posts, errors = read(Path("-"), cfg)
    assert errors == []
    assert [(p.source_id, p.text) for p in posts] == [("r1", "$NVDA 今天大涨"), ("r2", "$TSLA down")]


def test_a_pretty_printed_object_piped_on_stdin_is_one_record(
        cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    # Read as JSON Lines, each of its lines was an "invalid JSON" error.
    import io
    import types

    text = '{\n  "id": "r1",\n  "text": "$NVDA up"\n}\n'
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(text.encode())))
    (post,), errors = read(Path("-"), cfg)
    assert errors == [] and (post.source_id, post.text) == ("r1", "$NVDA up")


@pytest.mark.parametrize(("text", "whole"), [
    ('{\n  "id": "r1",\n  "text": "$NVDA up"\n}\n', 1),
    ('[\n  {"id": "r1", "text": "$NVDA up"}\n]\n', 0),
    ('\ufeff[\n  {"id": "r1", "text": "$NVDA up"}\n]\n', 0),
    ('[\n\n  {"id": "r1", "text": "$NVDA up"}]', 0),
], ids=["pretty-object", "pretty-list", "bom-list", "list"])
def test_what_is_piped_on_stdin_is_parsed_once(
        cfg: Config, monkeypatch: pytest.MonkeyPatch, text: str, whole: int) -> None:
    # A pretty-printed object was parsed whole to tell its shape, then again to read it: a
    # dump of a GB twice. A list of records is never parsed whole: it is read a record at a
    # time (tests/sources/test_piped.py).
    import io
    import json
    import types

    parsed: list[str] = []
    loads = json.loads

    def counting(doc: str, *args: object, **kwargs: object) -> object:
        if len(doc) >= len(text.strip()) - 1:  # the whole document, not one line of it
            parsed.append(doc)
        return loads(doc, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(text.encode())))
    (post,), errors = read(Path("-"), cfg)
    assert errors == [] and (post.source_id, post.text) == ("r1", "$NVDA up")
    assert len(parsed) == whole


@pytest.mark.parametrize("text", ["[Update] $NVDA up\n", "[1] $NVDA up [2] $TSLA down"],
                         ids=["bracketed-word", "numbered"])
def test_a_text_opening_with_a_bracket_piped_on_stdin_is_one_post(
        cfg: Config, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    import io
    import types

    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(text.encode())))
    (post,), errors = read(Path("-"), cfg)
    assert errors == [] and post.text == text


def test_a_text_piped_on_stdin_is_one_post(cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import types

    data = "$NVDA up {not a record}\n".encode("utf-16")
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))
    (post,), errors = read(Path("-"), cfg)
    assert errors == [] and post.text == "$NVDA up {not a record}\n"


def test_binary_file_is_reported_by_name(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(b"\x00\x01\x02\xff" * 100)
    posts, (error,) = read(path, cfg)
    assert posts == [] and error.path == str(path) and "binary" in error.message


def test_truncated_utf8_keeps_the_rest(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("英伟达 $NVDA 大涨".encode()[:-2])
    (post,), errors = read(path, cfg)
    assert errors == [] and post.text == "英伟达 $NVDA 大"


def test_jsonl_bad_line_among_good(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": "a", "text": "$TSLA up", "published": "2026-05-08"}\n'
                    "{not json\n"
                    '{"id": "c", "content": "$NVDA down", "author": "bob"}\n'
                    '{"id": "d"}\n', "utf-8")
    posts, errors = read(path, cfg)
    assert [(p.source_id, p.text, p.line) for p in posts] == [
        ("a", "$TSLA up", 1), ("c", "$NVDA down", 3)]
    assert posts[0].published_field == "2026-05-08" and posts[1].author == "bob"
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (2, "invalid JSON"), (4, "no text field (looked for text, content, body)")]
    assert str(errors[0]).startswith(f"{path}:2: ")


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".csv", ".txt"])
@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \r\n\n"],
                         ids=["empty", "bom-only", "blank-lines"])
def test_an_empty_file_holds_no_posts_and_no_error(tmp_path: Path, cfg: Config,
                                                   suffix: str, content: bytes) -> None:
    # An empty .json file was "invalid JSON: Expecting value", and exit 1 every cron run.
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    assert read(path, cfg) == ([], [])


@pytest.mark.parametrize("name,text,message", [
    ("cut.json", '[{"text": "$TSLA cut sh', "invalid JSON: Unterminated string in record 1; "
     "where the records after it start cannot be told (a quote or bracket missing, or the "
     "file cut short), so no record of the file was read"),
    ("tab.json", '{"text": "$TSLA \t raw tab"}', "invalid JSON: Invalid control character"),
    ("tab.jsonl", '{"text": "$TSLA \t raw tab"}\n', "invalid JSON: Invalid control character"),
], ids=["unterminated", "control-character", "control-character-jsonl"])
def test_a_json_syntax_error_is_said_whole(tmp_path: Path, cfg: Config, name: str,
                                           text: str, message: str) -> None:
    # The json module's messages end in "at" ("Unterminated string starting at").
    path = tmp_path / name
    path.write_text(text, "utf-8")
    _posts, (error,) = read(path, cfg)
    assert (error.line, error.message) == (1, message)


def test_json_list_and_object(tmp_path: Path, cfg: Config) -> None:
    many = tmp_path / "many.json"
    many.write_text('[{"text": "one"}, {"body": "two"}]', "utf-8")
    one = tmp_path / "one.json"
    one.write_text('{"text": "solo", "id": 7}', "utf-8")
    assert [p.text for p in read(many, cfg)[0]] == ["one", "two"]
    (post,), _ = read(one, cfg)
    assert (post.text, post.source_id) == ("solo", "7")


def test_csv_rows_and_bad_rows(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('id,text,created_at\n1,"$TSLA, up",2026-05-08\n2,"x",2026-05-09,extra\n'
                    "3,,2026-05-10\n", "utf-8")
    posts, errors = read(path, cfg)
    assert [(p.source_id, p.text, p.published_field) for p in posts] == [
        ("1", "$TSLA, up", "2026-05-08")]
    assert [e.line for e in errors] == [3, 4]


def test_csv_without_text_column(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,title\n1,x\n", "utf-8")
    posts, (error,) = read(path, cfg)
    assert "no text column" in error.message


def test_configured_fields(tmp_path: Path) -> None:
    from tracker.config import load_config

    cfg_path = tmp_path / "config.toml"
    cfg_path.write_text('[input]\ntext_fields = ["msg"]\nid_fields = ["uid"]\n', "utf-8")
    cfg = load_config(cfg_path)
    path = tmp_path / "p.jsonl"
    path.write_text('{"uid": "u1", "msg": "hello $TSLA"}\n', "utf-8")
    (post,), _ = read(path, cfg)
    assert (post.source_id, post.text) == ("u1", "hello $TSLA")


def test_find_files_walks_folders_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x", "utf-8")
    (tmp_path / "a" / "skip.bin").write_text("x", "utf-8")
    (tmp_path / "b.jsonl").write_text("", "utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    found = list(find_files([tmp_path, tmp_path / "missing.txt"]))
    assert found[:2] == [tmp_path / "a" / "x.txt", tmp_path / "b.jsonl"]
    assert isinstance(found[2], SourceError) and "no such file" in found[2].message


def test_a_big5_file_decodes(tmp_path: Path, cfg: Config) -> None:
    text = "台積電今天股價大漲，外資持續買超，市場看好先進製程需求。$2330 聯發科也跟著上漲。"
    path = tmp_path / "tw.txt"
    path.write_bytes(text.encode("big5"))
    (post,), errors = read(path, cfg)
    assert errors == [] and post.text == text


def test_a_guessed_encoding_is_reported(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("台積電大漲".encode("big5"))  # fits Big5 and Shift-JIS alike
    items = list(read_file(path, cfg.input))
    warnings = [i for i in items if isinstance(i, SourceWarning)]
    assert len(warnings) == 1 and "a guess" in warnings[0].message


@pytest.mark.parametrize(("value", "expected"), [
    ("Tue, 05 May 2026 09:30:00 +0800", "2026-05-05T09:30:00+08:00"),
    ("May 8, 2026 3:45 PM", "2026-05-08T15:45:00+00:00"),
    ("2026-05-08T09:00:00Z", "2026-05-08T09:00:00+00:00"),
], ids=["rss", "us-12h", "iso"])
def test_written_date_fields_keep_time_and_offset(value: str, expected: str) -> None:
    from datetime import UTC

    from tracker.extract.dates import parse_date_field
    stamp = parse_date_field(value, UTC)
    assert stamp is not None and stamp.isoformat() == expected


def test_csv_with_a_field_column_twice_is_refused(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "p.csv"
    path.write_text("text,author,text\n$TSLA up,ann,$NVDA down\n", "utf-8")
    posts, errors = read(path, cfg)
    assert posts == []
    assert [str(e) for e in errors] == [
        f"{path}:1: column 'text' appears twice in the header (columns 1 and 3); "
        "rename or drop one"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_decoded(tmp_path: Path, cfg: Config, encoding: str) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("text,author\n$TSLA 今天大涨,ann\n$NVDA down,bob\n".encode(encoding))
    posts, errors = read(path, cfg)
    assert errors == []
    assert [(p.text, p.author) for p in posts] == [("$TSLA 今天大涨", "ann"),
                                                   ("$NVDA down", "bob")]


def test_an_api_dump_that_wraps_its_posts_says_where_they_are(tmp_path: Path,
                                                              cfg: Config) -> None:
    # The hint was 'set [input] text_fields, e.g. text_fields = ["message"]', a field the
    # file does not have.
    path = tmp_path / "dump.json"
    path.write_text('{"data": [{"id": "1", "text": "$NVDA up"}], "meta": {"count": 1}}',
                    "utf-8")
    _posts, (error,) = read(path, cfg)
    assert error.hint == ("the posts look to be the list under \"data\"; tracker reads a list "
                          "of objects, or one object per line: save that list alone (e.g. "
                          "jq -c '.[\"data\"][]' FILE > posts.jsonl)")


def test_json_lines_named_json_are_read_with_a_warning(tmp_path: Path, cfg: Config) -> None:
    # Many exporters name JSON Lines .json: it was "invalid JSON: Extra data" at line 2, and
    # not one post read.
    path = tmp_path / "export.json"
    path.write_text('{"id": "a", "text": "$TSLA up"}\n{"id": "b", "text": "$NVDA down"}\n'
                    "{broken\n", "utf-8")
    items = list(read_file(path, cfg.input))
    warnings = [str(i) for i in items if isinstance(i, SourceWarning)]
    assert f"{path}: one JSON object per line, read as JSON Lines; name the file .jsonl " \
           "(then a refresh reads only its new lines)" in warnings
    posts, errors = read(path, cfg)
    assert [(p.source_id, p.line) for p in posts] == [("a", 1), ("b", 2)]
    assert [(e.line, e.message) for e in errors] == [(3, "invalid JSON: Expecting property "
                                                         "name enclosed in double quotes")]


@pytest.mark.parametrize("text", ['{\n  "id": "a",\n  "text": "$TSLA up"\n}\n',
                                  '[{"id": "a", "text": "$TSLA up"}]\n',
                                  '{"id": "a", "text": "$TSLA up"}\n\n'],
                         ids=["pretty-object", "one-line-list", "one-object"])
def test_a_json_document_is_still_one_document(tmp_path: Path, cfg: Config, text: str) -> None:
    path = tmp_path / "one.json"
    path.write_text(text, "utf-8")
    assert not any("JSON Lines" in str(i) for i in read_file(path, cfg.input))
    (post,), errors = read(path, cfg)
    assert (post.text, errors) == ("$TSLA up", [])


@pytest.mark.parametrize("header", ["ID,Text,Published", "id, text , published ",
                                    "Id,TEXT,PUBLISHED"],
                         ids=["capitalised", "spaced", "upper-case"])
def test_a_csv_header_written_in_another_case_or_with_spaces_is_read(
        tmp_path: Path, cfg: Config, header: str) -> None:
    # Every row was lost: "no text column", with a hint to read the date column as the text.
    path = tmp_path / "p.csv"
    path.write_text(header + "\n7,$NVDA up,2026-05-05T09:30:00Z\n", "utf-8")
    (post,), errors = read(path, cfg)
    assert errors == []
    assert (post.source_id, post.text.strip(), post.published_field) == (
        "7", "$NVDA up", "2026-05-05T09:30:00Z")


def test_a_csv_header_matching_a_field_twice_but_for_case_is_not_guessed(
        tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Text,TEXT\n$NVDA up,$TSLA down\n", "utf-8")
    posts, (error,) = read(path, cfg)
    assert posts == [] and "no text column" in str(error)
