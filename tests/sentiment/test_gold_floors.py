"""The gate on the real-post gold sets (datasets/gold/, docs/labelling.md): floors on mention
precision and recall (issue 28) and on tone per gold mention (issue 26).

Each floor sits a little under what the shipped code reaches and moves only on purpose
(CONTRIBUTING.md, "Floors"); the issues' targets are noted beside them. The gold sets are test data: nothing is tuned on them. Without them this gate
fails rather than skips, so a missing set cannot pass unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import Config
from tracker.ingest.goldset import REDDIT, evaluate_gold
from tracker.sentiment.gold_tables import format_gold

GOLD = Path(__file__).resolve().parents[2] / "datasets" / "gold"

# Each floor is a little under what the shipped code measured on 2026-12-06 (867 posts, 1,664
# gold mentions; docs/mentions.md and docs/sentiment.md give the tables); the issues' targets
# stand beside them in comments. A floor moves up when the code does, never down to let a
# change through.

# Mentions, over (post, security) pairs (issue 28).
EN_MENTION_PRECISION = 0.96  # measured 0.964; target 0.97
EN_BARE_PRECISION = 0.95  # pairs tracker found only as bare tickers; measured 0.964; target 0.95
EN_MENTION_RECALL = 0.82  # measured 0.828; target 0.95
REDDIT_MENTION_RECALL = 0.74  # sources named reddit or wsb; measured 0.749; target 0.90
ZH_MENTION_PRECISION = 0.93  # measured 0.940; target 0.95
ZH_MENTION_RECALL = 0.88  # measured 0.891; target 0.85

# Tone per gold mention, three classes (issue 26).
EN_TONE_MACRO_F1 = 0.50  # measured 0.512; target 0.65
ZH_TONE_MACRO_F1 = 0.55  # measured 0.563; target 0.68
EN_NEUTRAL_RECALL = 0.69  # measured 0.704; target 0.60
ZH_NEUTRAL_RECALL = 0.71  # measured 0.723; target 0.60
ZH_NEGATIVE_RECALL = 0.38  # measured 0.398; target 0.55
# By how much the default's macro-F1 beats the plain library of each language
# (measured +0.106 over VADER and +0.316 over snownlp; target +0.15 for both).
BASELINE_MARGINS = {"en": 0.09, "zh": 0.30}
BASELINES = {"en": "vader", "zh": "snownlp"}


@pytest.fixture(scope="module")
def gold(session_cfg: Config) -> dict:
    files = sorted(GOLD.glob("*.jsonl")) if GOLD.is_dir() else []
    assert files, f"no gold sets in {GOLD}: this gate needs the labelled real posts"
    return evaluate_gold(GOLD, session_cfg, ["default", "vader", "snownlp"])


def _check(value: float | None, floor: float, what: str, gold: dict) -> None:
    assert value is not None, f"{what}: nothing to measure\n{format_gold(gold)}"
    assert value >= floor, f"{what} {value:.3f} < {floor}\n{format_gold(gold)}"


@pytest.mark.slow
@pytest.mark.parametrize(("group", "figure", "floor"), [
    ("en", "precision", EN_MENTION_PRECISION),
    ("en", "bare", EN_BARE_PRECISION),
    ("en", "recall", EN_MENTION_RECALL),
    (REDDIT, "recall", REDDIT_MENTION_RECALL),
    ("zh", "precision", ZH_MENTION_PRECISION),
    ("zh", "recall", ZH_MENTION_RECALL),
], ids=["en-precision", "en-bare-precision", "en-recall", "reddit-recall", "zh-precision",
        "zh-recall"])
def test_mention_floor(gold: dict, group: str, figure: str, floor: float) -> None:
    assert group in gold["mentions"], f"no {group} posts in the gold sets"
    got = gold["mentions"][group]
    value = got["bare"]["precision"] if figure == "bare" else got[figure]
    _check(value, floor, f"mentions {group} {figure}", gold)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "figure", "floor"), [
    ("en", "macro_f1", EN_TONE_MACRO_F1),
    ("zh", "macro_f1", ZH_TONE_MACRO_F1),
    ("en", "neu", EN_NEUTRAL_RECALL),
    ("zh", "neu", ZH_NEUTRAL_RECALL),
    ("zh", "neg", ZH_NEGATIVE_RECALL),
], ids=["en-macro-f1", "zh-macro-f1", "en-neutral-recall", "zh-neutral-recall",
        "zh-negative-recall"])
def test_tone_floor(gold: dict, lang: str, figure: str, floor: float) -> None:
    assert lang in gold["tone"]["default"], f"no {lang} mentions in the gold sets"
    got = gold["tone"]["default"][lang]
    value = got["macro_f1"] if figure == "macro_f1" else got["recall"].get(figure)
    _check(value, floor, f"tone {lang} {figure}", gold)


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(BASELINES))
def test_tone_beats_the_plain_library(gold: dict, lang: str) -> None:
    ours = gold["tone"]["default"][lang]["macro_f1"]
    plain = gold["tone"][BASELINES[lang]][lang]["macro_f1"]
    _check(ours - plain, BASELINE_MARGINS[lang], f"tone {lang} margin over {BASELINES[lang]}",
           gold)
