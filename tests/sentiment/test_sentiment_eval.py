"""The evaluation gate: floors on the held-out test parts, and evaluate_file's contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.config import SentimentConfig
from tracker.errors import SourceError
from tracker.sentiment.evaluate import evaluate_file, format_report
from tracker.sentiment.training import genre_of_source

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
SETTINGS = SentimentConfig()

# Floors a little under what the shipped models reach on the held-out test parts
# (docs/sentiment.md has the table); a change that makes tone worse fails here. The English
# floors went down on purpose twice (issue 12): when the model began training on social posts
# as well (news tweets 0.74 -> 0.62), and when only the weights shared by every source were
# kept (news tweets 0.641 -> 0.505): both raised the figures on sources never trained on.
# Issue 26 (the news head, silence as neutral, the intercept's lean removed) moved them on
# purpose again: news tweets 0.521 -> 0.747 and 3-class tweets 0.542 -> 0.578 up, StockTwits
# 0.624 -> 0.601 and StockSentCN 0.936 -> 0.914 down (docs/sentiment.md, the 2026-12-06 pass).
# Its second pass (real posts labelled for training) moved them again: English 3-class tweets
# 0.578 -> 0.607 up; news tweets 0.747 -> 0.707, StockTwits 0.601 -> 0.535, trader messages
# 0.761 -> 0.700, annotated tweets 0.781 -> 0.712 down, as English calls more posts neutral.
FLOORS = {
    ("en_twitter_financial_news", "en"): 0.69,
    ("en_stocktwits_tagged", "en"): 0.52,
    ("en_pyfin_tweets", "en"): 0.59,
    ("en_yash612_stock", "en"): 0.68,
    ("en_surge_stock", "en"): 0.69,
    ("zh_finfe", "zh"): 0.66,
    ("zh_stocksentcn", "zh"): 0.90,
    ("zh_guba", "zh"): 0.90,
    ("zh_wwwxmu_news", "zh"): 0.89,
    # The held-out parts of the hand-labelled real posts (datasets/real_train/; split by
    # post), first measured with the second pass: the posts tracker's users bring.
    ("en_real_wsb", "en"): 0.47,
    ("en_real_reddit", "en"): 0.47,
    ("en_real_stocktwits", "en"): 0.54,
    ("en_real_news", "en"): 0.60,
    ("zh_real_xueqiu", "zh"): 0.55,
    ("zh_real_news", "zh"): 0.50,
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, dict]]:
    # Each test part as the genre its source is (the news files with the news head).
    return {name: evaluate_file(DATASETS / f"{name}.test.jsonl", SETTINGS,
                                genre=genre_of_source(name))
            for name, _ in FLOORS}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lang"), list(FLOORS), ids=[n for n, _ in FLOORS])
def test_macro_f1_floor(results: dict, name: str, lang: str) -> None:
    got = results[name][lang]
    assert got["macro_f1"] >= FLOORS[(name, lang)], format_report(results[name])


# By how much the default beats the plain library, a little under the shipped margin: on
# social posts by far (StockTwits 0.535 against VADER's 0.392), on news tweets too since the
# news head (0.707 against 0.456; docs/sentiment.md, "In-source").
MARGINS = [("en_stocktwits_tagged", "en", "vader", 0.12),
           ("en_twitter_financial_news", "en", "vader", 0.22),
           ("zh_finfe", "zh", "snownlp", 0.15)]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lang", "baseline", "margin"), MARGINS,
                         ids=["vader-stocktwits", "vader-news", "snownlp"])
def test_default_beats_plain_library(results: dict, name: str, lang: str, baseline: str,
                                     margin: float) -> None:
    plain = evaluate_file(DATASETS / f"{name}.test.jsonl", SETTINGS, baseline)
    assert results[name][lang]["macro_f1"] > plain[lang]["macro_f1"] + margin


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
