"""`tracker eval` decodes a labelled file as ingest decodes JSON Lines: it read UTF-8 only,
and a GB18030, UTF-16 or Latin-1 file that ingest reads was "cannot read gold file:
'utf-8' codec can't decode byte 0xb9"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import SentimentConfig, load_config
from tracker.errors import SourceWarning
from tracker.sentiment.evaluate import evaluate_file
from tracker.sources.gold import read_gold

LINES = [
    {"text": "贵州茅台业绩大涨，强烈看好", "label": "pos", "lang": "zh"},
    {"text": "腾讯股价暴跌，亏损扩大", "label": "neg", "lang": "zh"},
    {"text": "NVDA soars after a great quarter", "label": "pos", "lang": "en"},
]


def _settings(tmp_path: Path) -> SentimentConfig:
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(tmp_path / "config.toml").sentiment


def _write(path: Path, lines: list[dict], encoding: str) -> Path:
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_a_labelled_file_in_an_encoding_ingest_reads_scores_as_its_utf8_twin(
        tmp_path: Path, encoding: str) -> None:
    settings = _settings(tmp_path)
    twin = evaluate_file(_write(tmp_path / "u8.jsonl", LINES, "utf-8"), settings)
    warnings: list[SourceWarning] = []
    path = _write(tmp_path / "other.jsonl", LINES, encoding)
    assert evaluate_file(path, settings, on_warning=warnings.append) == twin
    assert warnings == []
    assert set(twin) == {"en", "zh"}


def test_a_latin1_line_is_read_with_the_warning_ingest_gives(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    path = tmp_path / "mixed.jsonl"
    latin = {"text": "Crème brûlée maker NVDA soars, a great café", "label": "pos", "lang": "en"}
    path.write_bytes(_write(tmp_path / "u8.jsonl", LINES, "utf-8").read_bytes()
                     + (json.dumps(latin, ensure_ascii=False) + "\n").encode("cp1252"))
    warnings: list[SourceWarning] = []
    result = evaluate_file(path, settings, on_warning=warnings.append)
    assert (result["en"]["n"], result["zh"]["n"]) == (2, 2)
    assert [str(w) for w in warnings] == [
        f"{path}:4: line is not UTF-8; read as Latin-1 (cp1252), a guess; if its text looks "
        "wrong, convert the file to UTF-8"]


def test_a_gold_file_in_gb18030_is_read(tmp_path: Path) -> None:
    gold = [{"text": "贵州茅台大涨", "lang": "zh", "mentions": [{"key": "600519.SS", "tone": "pos"}]}]
    (post,) = read_gold(_write(tmp_path / "zh.jsonl", gold, "gb18030"))
    assert (post.text, post.keys) == ("贵州茅台大涨", frozenset({"600519.SS"}))


def test_eval_says_a_guessed_line_once_however_many_scorers_read_it(tmp_path: Path) -> None:
    _settings(tmp_path)
    path = tmp_path / "lat.jsonl"
    path.write_bytes((json.dumps({"text": "Café owner NVDA soars, très great", "label": "pos",
                                  "lang": "en"}, ensure_ascii=False) + "\n").encode("cp1252"))
    result = CliRunner().invoke(cli, ["eval", str(path), "--scorer", "all", "--config",
                                      str(tmp_path / "config.toml")], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == (f"Warning: {path}:1: line is not UTF-8; read as Latin-1 (cp1252), "
                             "a guess; if its text looks wrong, convert the file to UTF-8\n")
    assert "en: n=1" in result.stdout


def test_a_binary_file_is_the_error_ingest_gives_its_line(tmp_path: Path) -> None:
    _settings(tmp_path)
    path = tmp_path / "bin.jsonl"
    path.write_bytes(b"\x00\x01\x02\xff junk\n")
    result = CliRunner().invoke(cli, ["eval", str(path), "--config",
                                      str(tmp_path / "config.toml")], catch_exceptions=False)
    # As ingest says it: the line's bytes read as Latin-1, and what they hold is no JSON;
    # that line left out, the file holds nothing to measure.
    assert (result.exit_code, result.stderr) == (1, (
        f"Warning: {path}:1: line is not UTF-8; read as Latin-1 (cp1252), a guess; if its "
        f"text looks wrong, convert the file to UTF-8\nError: {path}:1: invalid JSON: "
        f"Expecting value\nError: {path}: no labelled lines: each line needs \"text\" and "
        "\"label\" (tracker eval --help)\n"))


@pytest.mark.parametrize("first", [True, False], ids=["first-line", "later-line"])
def test_a_line_nested_too_deeply_is_an_error_naming_it(tmp_path: Path, first: bool) -> None:
    # json.loads raised RecursionError, and eval ended in a traceback.
    _settings(tmp_path)
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000 + "\n"
    ok = json.dumps(LINES[2]) + "\n"
    path.write_text(deep + ok if first else ok + deep, "utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--config",
                                      str(tmp_path / "config.toml")], catch_exceptions=False)
    # The line is left out and the other one measured, as ingest goes on past it.
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {path}:{1 if first else 2}: invalid JSON: nested too deeply to be a post\n"
        "Error: 1 record could not be read and was left out; the figures cover the rest\n")
    assert "n=1" in result.stdout
