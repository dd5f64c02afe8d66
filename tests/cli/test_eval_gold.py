"""tracker eval on a gold set and on a file of authors' tags: the library's figures, printed
as JSON, plain tables, Markdown and error lists; mistakes exit 1 naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.evalkit import FIXED, run_eval, write_config

SYNTHETIC = Path(__file__).resolve().parents[1] / "data" / "gold_synthetic"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def test_gold_folder_json_tables_and_errors(config: Path) -> None:
    # --scorer names the scorer (default unless given), as for a labelled file; the figures
    # checked here are the mentions', which no scorer moves.
    code, out, _ = run_eval(config, str(SYNTHETIC), "--json")
    assert code == 0
    got = json.loads(out)
    assert sorted(got) == ["errors", "files", "mentions", "posts", "tone"]
    assert list(got["tone"]) == ["default"] and got["mentions"]["en"]["fp"] == 1
    assert got["mentions"]["reddit"]["recall"] == 0.8333
    code, out, _ = run_eval(config, str(SYNTHETIC), "--errors")
    assert code == 0 and out.startswith("== Mentions: (post, security) pairs; 8 posts in ")
    assert out.endswith("fn  en_synthetic_reddit.jsonl:5  XQZW  (that small miner)  "
                        "Holding $GME, great week, and that small miner is up too.\n")
    code, out, _ = run_eval(config, str(SYNTHETIC / "zh_synthetic.jsonl"), "--markdown")
    assert code == 0 and "| zh_synthetic.jsonl | 3 | 3 | 3 | 1.000 | 1.000 | 0 | - |" in out


def test_a_bad_gold_line_exits_1_naming_it(tmp_path: Path, config: Path) -> None:
    gold = tmp_path / "en_x.jsonl"
    gold.write_text('{"lang": "en", "text": "$TSLA", "mentions": [{"key": "TSLA", '
                    '"tone": "up"}]}\n', "utf-8")
    code, _, err = run_eval(config, str(gold))
    assert code == 1 and err.startswith(f"Error: {gold}:1: mentions[0].tone must be pos")


def test_tagged_posts(tmp_path: Path, config: Path) -> None:
    posts = tmp_path / "tagged.jsonl"
    posts.write_text("".join(
        json.dumps({"text": f"$TSLA {word}", "sentiment": tag, "published": "2022-07-01"}) + "\n"
        for word, tag in [("up", "Bullish")] * 4 + [("down", "Bearish")] * 2), "utf-8")
    code, _, err = run_eval(config, str(posts))
    assert code == 1 and "set [input] tag_field" in err
    config.write_text(FIXED + '\n[input]\ntag_field = "sentiment"\n', "utf-8")
    code, out, _ = run_eval(config, str(posts), "--json")
    assert code == 0
    got = json.loads(out)
    # One cell of six posts: Pearson's r needs two cells or more.
    assert got["correlation"]["default"] == {"cells": 1, "posts": 6, "pearson": None,
                                             "min_posts": 5}
    code, out, _ = run_eval(config, str(posts), "--markdown")
    assert code == 0 and "| default | 1 | 6 | - |" in out


def test_a_folder_without_gold_files_is_a_usage_error(tmp_path: Path, config: Path) -> None:
    (tmp_path / "en_x.test.jsonl").write_text('{"text": "up", "label": "pos"}\n', "utf-8")
    code, _, err = run_eval(config, str(tmp_path))
    assert code == 2 and "PATH is a folder without gold files" in err
