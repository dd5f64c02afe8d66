"""Hints that point the right way: a semicolon- or tab-separated CSV is read with its separator
(not told to set text_fields to its whole header), and a text field holding no text says
so (not to use another field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import Config
from tracker.errors import SourceError
from tracker.extract.models import RawPost
from tracker.sources import read_file, read_text


@pytest.mark.parametrize("sep", [";", "\t", "|"], ids=["semicolon", "tab", "pipe"])
def test_csv_with_another_separator_is_read(cfg: Config, sep: str) -> None:
    # European Excel saves "CSV" with semicolons; telling its user to save with commas (as
    # before) asked for what their spreadsheet does not offer. Quoted cells keep their
    # commas, separators and line breaks.
    text = (f"id{sep}text{sep}published\n1{sep}\"$TSLA up{sep} strong, really\"{sep}2026-05-04\n"
            f"2{sep}\"two\nlines $AAPL\"{sep}2026-05-04\n")
    items = list(read_text(text, "a.csv", ".csv", cfg.input))
    assert [i for i in items if isinstance(i, SourceError)] == []
    assert [(i.source_id, i.text, i.published_field) for i in items
            if isinstance(i, RawPost)] == [("1", f"$TSLA up{sep} strong, really", "2026-05-04"),
                                           ("2", "two\nlines $AAPL", "2026-05-04")]


def test_a_semicolon_csv_without_text_column_gets_the_field_hint(cfg: Config) -> None:
    text = "id;message\n1;$TSLA up\n"
    [err] = [i for i in read_text(text, "a.csv", ".csv", cfg.input) if isinstance(i, SourceError)]
    assert err.hint == 'set [input] text_fields, e.g. text_fields = ["message"]'


@pytest.mark.parametrize("value, kind", [("true", "true or false"), ("[1, 2]", "a list"),
                                         ('{"a": 1}', "an object")],
                         ids=["bool", "list", "object"])
def test_text_field_without_text_is_named(cfg: Config, value: str, kind: str) -> None:
    line = '{"id": 1, "text": ' + value + ', "published": "2026-05-04T10:00:00Z"}\n'
    [err] = [i for i in read_text(line, "a.jsonl", ".jsonl", cfg.input)
             if isinstance(i, SourceError)]
    assert err.message == f"text field text holds {kind}, not text"
    assert err.hint is None


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_null_text_is_empty_text_not_a_misnamed_field(cfg: Config, suffix: str) -> None:
    # A deleted post in an API dump: "no text field ... e.g. text_fields = ["published"]"
    # sent the user to read dates as posts.
    line = '{"id": 1, "text": null, "published": "2026-05-04T10:00:00Z"}\n'
    [err] = [i for i in read_text(line, "a" + suffix, suffix, cfg.input)
             if isinstance(i, SourceError)]
    assert err.message == "empty text (field text is null)"
    assert err.hint is None


def test_a_comma_csv_without_text_column_still_gets_the_field_hint(cfg: Config) -> None:
    text = "id,message\n1,$TSLA up\n"
    [err] = [i for i in read_text(text, "a.csv", ".csv", cfg.input) if isinstance(i, SourceError)]
    assert err.hint == 'set [input] text_fields, e.g. text_fields = ["message"]'


def test_a_short_csv_row_is_said_to_be_short(cfg: Config) -> None:
    # Its missing cells read as None: "no text field ... set [input] text_fields" sent the
    # user to change a config that is right. A short row that has its text is read.
    text = "id,text,published\n1,$TSLA up,2026-05-04\n2\n3,$AAPL up\n"
    items = list(read_text(text, "a.csv", ".csv", cfg.input))
    [err] = [i for i in items if isinstance(i, SourceError) and i.line == 3]
    assert err.message == "row has 1 cell, fewer than the header's 3, and none for the text column"
    assert err.hint is None
    assert [i.source_id for i in items if isinstance(i, RawPost)] == ["1", "3"]


@pytest.mark.parametrize("value, kind", [("null", "null"), ("5", "a number"),
                                         ('"x"', "a string"), ("[]", "a list"),
                                         ("true", "true or false")],
                         ids=["null", "number", "string", "list", "bool"])
def test_a_record_that_is_no_object_is_named_in_json_words(cfg: Config, value: str,
                                                            kind: str) -> None:
    # It said "expected an object, got NoneType" (or int, str): Python's names.
    [err] = [i for i in read_text(value + "\n", "a.jsonl", ".jsonl", cfg.input)
             if isinstance(i, SourceError)]
    assert err.message == f"expected an object, got {kind}"


def test_an_export_keyed_by_id_is_told_where_its_posts_are(cfg: Config) -> None:
    # {"a1": {...}, "a2": {...}} was told to set text_fields = ["message"], a field it lacks.
    text = ('{"a1": {"text": "$AAPL up"}, "a2": {"text": "$MSFT down"}}\n')
    [err] = [i for i in read_text(text, "a.json", ".json", cfg.input) if isinstance(i, SourceError)]
    assert err.hint == ("the posts look to be the values of this object, one per key; tracker "
                        "reads a list of objects, or one object per line: save the values "
                        "alone (e.g. jq -c '.[]' FILE > posts.jsonl)")


PLATFORM_DUMPS = {
    # Reddit's listing: it was told to read "kind" ("t3") as the posts' text.
    "reddit-listing": ('{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": '
                       '{"id": "a", "selftext": "$NVDA up"}}]}}',
                       "the posts look to be the list under \"data\", \"children\"; tracker "
                       "reads a list of objects, or one object per line: save that list alone "
                       "(e.g. jq -c '.[\"data\"][\"children\"][]' FILE > posts.jsonl)"),
    # Then each of its children, and X's archive, wrap the post in an object of its own:
    # both were told to set text_fields = ["kind"] or ["message"].
    "reddit-child": ('[{"kind": "t3", "data": {"id": "a", "selftext": "$NVDA up"}}]',
                     "each post looks to be the object under \"data\"; tracker reads a post's "
                     "fields from the record itself: save those objects alone (e.g. jq -c "
                     "'.[][\"data\"]' FILE > posts.jsonl for a JSON list, jq -c '.[\"data\"]' "
                     "for one object per line), then name their text field"),
    "x-archive": ('[{"tweet": {"id_str": "1", "full_text": "$TSLA down"}}]',
                  "each post looks to be the object under \"tweet\"; tracker reads a post's "
                  "fields from the record itself: save those objects alone (e.g. jq -c "
                  "'.[][\"tweet\"]' FILE > posts.jsonl for a JSON list, jq -c '.[\"tweet\"]' "
                  "for one object per line), then name their text field"),
    # X's archive as it comes (data/tweets.js): "invalid JSON: Expecting value", no more.
    "x-archive-script": ('window.YTD.tweets.part0 = [{"tweet": {"full_text": "$TSLA"}}]',
                         "this is JavaScript setting a variable to the posts (an X archive's "
                         "tweets.js?): drop what comes before the first [ or { and name it "
                         ".json (e.g. sed '1s/^[^[{]*//' FILE > posts.json)"),
    # A post of its own fields with a nested object among them keeps the field hint.
    "x-api-record": ('[{"id": "1", "full_text": "$TSLA down", "lang": "en", '
                     '"user": {"description": "a long biography, longer than the post"}}]',
                     'set [input] text_fields, e.g. text_fields = ["full_text"]'),
}


@pytest.mark.parametrize(("text", "hint"), PLATFORM_DUMPS.values(), ids=PLATFORM_DUMPS.keys())
def test_a_platform_dump_is_told_where_its_posts_are(cfg: Config, text: str, hint: str) -> None:
    [err] = [i for i in read_text(text, "a.json", ".json", cfg.input) if isinstance(i, SourceError)]
    assert err.hint == hint


def test_an_x_archive_script_is_told_how_to_read_it(tmp_path: Path, cfg: Config) -> None:
    # data/tweets.js as X's archive names it: "unsupported file type .js", no more.
    path = tmp_path / "tweets.js"
    path.write_text('window.YTD.tweets.part0 = [{"tweet": {"full_text": "$TSLA"}}]', "utf-8")
    [err] = list(read_file(path, cfg.input))
    assert isinstance(err, SourceError) and err.hint is not None
    assert err.hint.startswith("this is JavaScript setting a variable to the posts")


def test_a_one_column_header_with_a_line_break_is_no_crash(tmp_path: Path, cfg: Config) -> None:
    # A quoted header cell holding a line break and a semicolon was split again to look
    # for another separator by a reader that refuses line breaks: csv.Error ended the whole
    # ingest with a traceback. It is read with commas, as any one-column header is.
    path = tmp_path / "posts.csv"
    path.write_text('"Post\ntext;x"\n"hello $TSLA"\n', encoding="utf-8")
    items = list(read_file(path, cfg.input))
    errors = [i for i in items if isinstance(i, SourceError)]
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [(1, "no text column")]
