"""The evaluation gate: floors on the held-out test parts, and evaluate_file's contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.config import SentimentConfig
from tracker.errors import SourceError
from tracker.sentiment.evaluate import evaluate_file, format_report

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
SETTINGS = SentimentConfig()

# Floors a little under what the shipped models reach on the held-out test parts
# (docs/sentiment.md has the table); a change that makes tone worse fails here. The news
# tweets' floor went down from 0.74 on purpose when the English model began training on
# social posts as well (issue 12): it now labels them 0.641, social posts far better.
FLOORS = {
    ("en_twitter_financial_news", "en"): 0.62,
    ("en_stocktwits_tagged", "en"): 0.63,
    ("en_pyfin_tweets", "en"): 0.62,
    ("en_yash612_stock", "en"): 0.76,
    ("en_surge_stock", "en"): 0.78,
    ("zh_finfe", "zh"): 0.66,
    ("zh_stocksentcn", "zh"): 0.90,
    ("zh_guba", "zh"): 0.89,
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, dict]]:
    return {name: evaluate_file(DATASETS / f"{name}.test.jsonl", SETTINGS)
            for name, _ in FLOORS}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lang"), list(FLOORS), ids=[n for n, _ in FLOORS])
def test_macro_f1_floor(results: dict, name: str, lang: str) -> None:
    got = results[name][lang]
    assert got["macro_f1"] >= FLOORS[(name, lang)], format_report(results[name])


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lang", "baseline"),
                         [("en_twitter_financial_news", "en", "vader"),
                          ("zh_finfe", "zh", "snownlp")], ids=["vader", "snownlp"])
def test_default_beats_plain_library(results: dict, name: str, lang: str, baseline: str) -> None:
    plain = evaluate_file(DATASETS / f"{name}.test.jsonl", SETTINGS, baseline)
    assert results[name][lang]["macro_f1"] > plain[lang]["macro_f1"] + 0.15


def test_target_and_numeric_labels(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [
        {"text": "TSLA tanks while NVDA soars", "label": "neg", "target": "TSLA"},
        {"text": "TSLA tanks while NVDA soars", "label": 0.8, "target": "NVDA"},
        {"text": "台积电大涨，英伟达暴跌", "label": "neg", "target": "NVDA"},
        {"text": "Hola", "label": "neu", "lang": "es"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    res = evaluate_file(path, SETTINGS)
    assert set(res) == {"en", "zh"}
    assert res["en"]["accuracy"] == 1.0 and res["zh"]["accuracy"] == 1.0
    assert "macro-F1" in format_report(res)


def test_neutral_is_wrong_on_a_pos_neg_file(tmp_path: Path) -> None:
    path = tmp_path / "pn.jsonl"
    path.write_text(json.dumps({"text": "X reports Q3 revenue of $2B", "label": "pos"}), "utf-8")
    res = evaluate_file(path, SETTINGS)["en"]
    assert res["accuracy"] == 0.0 and res["confusion"] == {"pos": {"pos": 0, "neg": 0, "neu": 1}}


@pytest.mark.parametrize(("line", "message"),
                         [("not json", "not valid JSON"), ('{"label": "pos"}', "'text'"),
                          ('{"text": "x", "label": "great"}', "label must be")],
                         ids=["json", "no-text", "bad-label"])
def test_bad_lines_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "label": "neu"}\n' + line + "\n", "utf-8")
    with pytest.raises(SourceError, match=message) as info:
        evaluate_file(path, SETTINGS)
    assert info.value.line == 2
