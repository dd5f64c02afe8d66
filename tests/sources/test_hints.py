"""Hints that point the right way: a semicolon- or tab-separated CSV is read with its separator
(not told to set text_fields to its whole header), and a text field holding no text says
so (not to use another field)."""

from __future__ import annotations

import pytest

from tracker.config import Config
from tracker.errors import SourceError
from tracker.extract.models import RawPost
from tracker.sources import read_text


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
