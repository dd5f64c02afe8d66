"""A JSON list of records piped on stdin is read a record at a time, as a `.json` file is,
where it was read whole into memory and parsed at once."""

from __future__ import annotations

import io
import json
import types
from pathlib import Path
from typing import Any

import pytest

from tracker.config import Config
from tracker.errors import SourceError, SourceWarning
from tracker.sources import piped, read_file

RECORDS = [{"id": f"r{n}", "text": f"$NVDA up {n}"} for n in range(1, 6)]


def _piped(cfg: Config, monkeypatch: pytest.MonkeyPatch, stdin: Any
           ) -> tuple[list[tuple[str | None, str]], list[str]]:
    """The (id, text) of the posts read from `stdin`, and the errors, each as its line."""
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=stdin))
    posts, errors = [], []
    for item in read_file(Path("-"), cfg.input):
        if isinstance(item, SourceWarning):
            continue
        if isinstance(item, SourceError):
            errors.append(str(item))
        else:
            posts.append((item.source_id, item.text))
    return posts, errors


@pytest.fixture(params=["pipe", "file"])
def stdin_of(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Bytes as stdin: a pipe (no descriptor to read in place), or a file (`< list.json`)."""
    opened: list[io.BufferedReader] = []

    def make(data: bytes) -> Any:
        if request.param == "pipe":
            return io.BytesIO(data)
        path = tmp_path / "list.json"
        path.write_bytes(data)
        opened.append(path.open("rb"))
        return opened[-1]

    yield make
    for handle in opened:
        handle.close()


def test_a_piped_list_is_never_parsed_whole(cfg: Config, monkeypatch: pytest.MonkeyPatch,
                                            stdin_of: Any) -> None:
    text = json.dumps(RECORDS, indent=2)
    whole: list[str] = []
    loads = json.loads

    def counting(doc: str, *args: object, **kwargs: object) -> object:
        if len(doc) >= len(text) - 1:
            whole.append(doc)
        return loads(doc, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    posts, errors = _piped(cfg, monkeypatch, stdin_of(text.encode()))
    assert errors == [] and whole == []
    assert posts == [(r["id"], r["text"]) for r in RECORDS]


def test_a_bad_record_in_a_piped_list_costs_that_record(
        cfg: Config, monkeypatch: pytest.MonkeyPatch, stdin_of: Any) -> None:
    # Parsed whole, one bad record lost every record piped: "-:3: invalid JSON ...".
    lines = [json.dumps(r) for r in RECORDS]
    lines[1] = '{"id": "r2", "text": "a raw\ttab"}'
    data = ("[\n" + ",\n".join(lines) + "\n]\n").encode()
    posts, errors = _piped(cfg, monkeypatch, stdin_of(data))
    assert [p[0] for p in posts] == ["r1", "r3", "r4", "r5"]
    assert errors == ["-:3: invalid JSON: Invalid control character in record 2, which is "
                      "skipped"]


def test_a_list_piped_when_the_temporary_folder_is_full(
        cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    small, _errors = _piped(cfg, monkeypatch, io.BytesIO(json.dumps(RECORDS[:1]).encode()))
    assert len(small) == 1  # held in memory, as before

    def full(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    monkeypatch.setattr(piped, "IN_MEMORY", 100)  # past it, the list goes to a file
    posts, errors = _piped(cfg, monkeypatch, io.BytesIO(json.dumps(RECORDS).encode()))
    assert posts == []
    assert errors == [f"-: the JSON list piped in could not be kept in the temporary folder "
                      f"{tempfile.gettempdir()} to be read record by record (No space left "
                      "on device); none of it was read: make room there, set TMPDIR to a "
                      "folder with room, or name the file rather than pipe it"]


def test_undated_records_piped_are_told_what_dates_them(
        cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    # Said "dated from their text or the file's time" and to `touch` the file: what is
    # piped has neither, and its posts were stored undated.
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(
        buffer=io.BytesIO(json.dumps(RECORDS).encode())))
    (warning,) = [w for w in read_file(Path("-"), cfg.input) if isinstance(w, SourceWarning)]
    assert str(warning) == (
        "-: 5 of 5 records have no usable date field (looked for published, created_at, "
        "time); they are dated from their text, or not at all (what is piped has no file "
        "time), and reports leave undated posts out; set [input] time_fields to the fields "
        "that hold the date; if none does, save the records to a file, give it the day its "
        "posts were written by (touch -d 2021-07-31 FILE) and ingest the file")


def test_a_closed_stdin_is_one_error(cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    # `tracker ingest - <&-` (Python's sys.stdin is then None) was an AttributeError
    # traceback.
    monkeypatch.setattr("sys.stdin", None)
    assert [str(e) for e in read_file(Path("-"), cfg.input)] == [
        "-: stdin is closed, so nothing was piped in; pipe the posts (... | tracker ingest -) "
        "or name their files"]
