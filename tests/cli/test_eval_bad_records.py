"""tracker eval goes on past a record it cannot read, as ingest does: the record is named
with its file and line on stderr and left out, the rest is measured, and the exit code is 1.
It used to stop at the first such record and measure nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.evalkit import FIXED, run_eval, write_config
from tracker.errors import SourceError
from tracker.sentiment.evaluate import evaluate_file


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


LABELLED = ('{"text": "$NVDA great quarter, buying more", "label": "pos", "lang": "en"}\n'
            '{"text": "broken\n'
            '{"text": "$TSLA awful, selling", "label": "maybe"}\n'
            '\n'
            '{"text": "$AAPL crashes, terrible quarter", "label": "neg", "lang": "en"}\n')


def test_a_labelled_file_is_measured_past_its_bad_lines(tmp_path: Path, config: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(LABELLED, "utf-8")
    code, out, err = run_eval(config, str(labelled), "--json")
    assert code == 1
    assert json.loads(out)["en"]["n"] == 2
    assert err.splitlines() == [
        f"Error: {labelled}:2: invalid JSON: Unterminated string",
        f"Error: {labelled}:3: label must be pos/neg/neu or a number in [-1, 1], not 'maybe'",
        "Error: 2 records could not be read and were left out; the figures cover the rest",
    ]


def test_each_bad_line_is_said_once_however_many_scorers_read_it(tmp_path: Path,
                                                                 config: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(LABELLED, "utf-8")
    code, out, err = run_eval(config, str(labelled), "--scorer", "all")
    assert code == 1 and out.startswith("== default\nen: n=2")
    assert err.count(":2: invalid JSON") == 1 and err.count(":3: label must be") == 1
    assert err.endswith("Error: 2 records could not be read and were left out; the figures "
                        "cover the rest\n")


def test_many_bad_lines_of_one_kind_are_said_once_with_their_count(tmp_path: Path,
                                                                   config: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text('{"text": "$NVDA up", "label": "pos", "lang": "en"}\n'
                        + '{"text": "x", "label": "up"}\n' * 5, "utf-8")
    code, _, err = run_eval(config, str(labelled))
    assert code == 1
    assert err.splitlines() == [
        f"Error: {labelled}: 5 records: label must be pos/neg/neu or a number in [-1, 1], not "
        "'up' (first at lines 2, 3, 4; -v lists all)",
        "Error: 5 records could not be read and were left out; the figures cover the rest"]
    _, _, every = run_eval(config, str(labelled), "-v")
    assert all(f"{labelled}:{n}: label must be" in every for n in range(2, 7))


def test_a_file_of_bad_lines_only_measures_nothing(tmp_path: Path, config: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text('{"text": "x"\n{"label": "pos"}\n', "utf-8")
    code, out, err = run_eval(config, str(labelled))
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == (f"Error: {labelled}: no labelled lines: each line needs "
                                    '"text" and "label" (tracker eval --help)')
    assert f"{labelled}:1: invalid JSON" in err and f"{labelled}:2: each line needs" in err


def test_a_gold_set_is_measured_past_its_bad_records(tmp_path: Path, config: Path) -> None:
    gold = tmp_path / "en_x.jsonl"
    gold.write_text(
        '{"lang": "en", "text": "$TSLA up big", "mentions": [{"key": "TSLA", "tone": "pos"}]}\n'
        '{"lang": "en", "text": "$AAPL", "mentions": [{"key": "AAPL", "tone": "up"}]}\n'
        '{"lang": "en", "text": "$NVDA", "mentions": [{"key": "NVDA", "tone": "neu"}, '
        '{"key": "NVDA", "tone": "neu"}]}\n'
        '{"lang": "en", "text": "$AMD falls", "mentions": [{"key": "AMD", "tone": "neg"}]}\n'
        'not json\n', "utf-8")
    code, out, err = run_eval(config, str(gold), "--json")
    assert code == 1
    got = json.loads(out)
    assert got["posts"] == 2 and got["mentions"]["all"]["gold"] == 2
    assert err.splitlines() == [
        f"Error: {gold}:2: mentions[0].tone must be pos, neg or neu, not 'up' (key AAPL)",
        f"Error: {gold}:3: key NVDA is listed twice; one security is one mention per post",
        f"Error: {gold}:5: invalid JSON: Expecting value",
        "Error: 3 records could not be read and were left out; the figures cover the rest",
    ]


def test_a_file_of_tagged_posts_is_measured_past_its_bad_records(tmp_path: Path,
                                                                 config: Path) -> None:
    config.write_text(FIXED + '\n[input]\ntag_field = "sentiment"\n', "utf-8")
    posts = tmp_path / "tagged.jsonl"
    lines = [json.dumps({"text": f"$TSLA {word}", "sentiment": tag, "published": "2022-07-01"})
             for word, tag in [("up", "Bullish")] * 4 + [("down", "Bearish")] * 2]
    lines.insert(2, '{"text": "$TSLA up", "sentiment": "Bullish"')  # cut short
    posts.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, err = run_eval(config, str(posts), "--json")
    assert code == 1
    assert json.loads(out)["tagged"] == 6
    assert err.splitlines()[0].startswith(f"Error: {posts}:3: invalid JSON")


def test_the_library_still_raises_without_a_taker(tmp_path: Path) -> None:
    # Scripts (scripts/train_sentiment.py) measure a file whole or not at all.
    from tracker.config import load_config

    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(LABELLED, "utf-8")
    with pytest.raises(SourceError, match=r"labelled.jsonl:2: invalid JSON"):
        evaluate_file(labelled, load_config(None).sentiment, "default")
    taken: list[SourceError] = []
    result = evaluate_file(labelled, load_config(None).sentiment, "default", on_error=taken.append)
    assert result["en"]["n"] == 2 and [e.line for e in taken] == [2, 3]
