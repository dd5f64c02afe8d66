"""The gate on the real-post gold sets (datasets/gold/, docs/labelling.md): floors on mention
precision and recall (issue 28) and on tone per gold mention (issue 26).

Each floor sits a little under what the shipped code reaches and moves only on purpose
(CONTRIBUTING.md, "Floors"). The gold sets are test data: nothing is tuned on them. Without
them this gate fails rather than skips, so a missing set cannot pass unnoticed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.floors import floors
from tracker.config import Config
from tracker.ingest.goldset import REDDIT, evaluate_gold
from tracker.sentiment.gold_tables import format_gold

GOLD = Path(__file__).resolve().parents[2] / "datasets" / "gold"

# The floors, with the figures measured and the issues' targets beside them, are in
# tests/data/floors.toml: mentions over (post, security) pairs (issue 28), tone per gold
# mention in three classes (issue 26), and the margin over the plain library.
MENTIONS = floors("mentions", "gold")
TONE = floors("tone", "gold")
BASELINE_MARGINS = floors("tone", "gold_margin")
BASELINES = {"en": "vader", "zh": "snownlp"}
# The 雪球 gold posts state no day; they come from the crawl of May-July 2021
# (../shared/datasets/SOURCES.md), so they are read as written by its end, as the
# development files are (datasets/real_train/README.md): a company's Hong Kong listing that
# began later is not what they meant (docs/mentions.md, fourteenth round (Chinese)).
WRITTEN_BY = [("zh_xueqiu*", date(2021, 7, 31))]


@pytest.fixture(scope="module")
def gold(session_cfg: Config) -> dict:
    files = sorted(GOLD.glob("*.jsonl")) if GOLD.is_dir() else []
    assert files, f"no gold sets in {GOLD}: this gate needs the labelled real posts"
    return evaluate_gold(GOLD, session_cfg, ["default", "vader", "snownlp", "encoder"],
                         written_by=WRITTEN_BY)


def _check(value: float | None, floor: float, what: str, gold: dict) -> None:
    assert value is not None, f"{what}: nothing to measure\n{format_gold(gold)}"
    assert value >= floor, f"{what} {value:.3f} < {floor}\n{format_gold(gold)}"


@pytest.mark.slow
@pytest.mark.parametrize(("group", "figure", "floor"), [
    ("en", "precision", MENTIONS["en_precision"]),
    ("en", "bare", MENTIONS["en_bare_precision"]),
    ("en", "recall", MENTIONS["en_recall"]),
    (REDDIT, "recall", MENTIONS["reddit_recall"]),
    ("zh", "precision", MENTIONS["zh_precision"]),
    ("zh", "recall", MENTIONS["zh_recall"]),
], ids=["en-precision", "en-bare-precision", "en-recall", "reddit-recall", "zh-precision",
        "zh-recall"])
def test_mention_floor(gold: dict, group: str, figure: str, floor: float) -> None:
    assert group in gold["mentions"], f"no {group} posts in the gold sets"
    got = gold["mentions"][group]
    value = got["bare"]["precision"] if figure == "bare" else got[figure]
    _check(value, floor, f"mentions {group} {figure}", gold)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "figure", "floor"), [
    ("en", "macro_f1", TONE["en_macro_f1"]),
    ("zh", "macro_f1", TONE["zh_macro_f1"]),
    ("en", "neu", TONE["en_neutral_recall"]),
    ("zh", "neu", TONE["zh_neutral_recall"]),
    ("zh", "neg", TONE["zh_negative_recall"]),
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


@pytest.mark.slow
def test_the_encoder_beats_the_default_in_english(gold: dict) -> None:
    """The optional encoder ships because it reads real English posts better than the default
    (issue 26's condition for it); its own floor keeps it so."""
    encoder = gold["tone"]["encoder"]["en"]["macro_f1"]
    _check(encoder, TONE["encoder_en_macro_f1"], "tone en macro_f1 (encoder)", gold)
    _check(encoder - gold["tone"]["default"]["en"]["macro_f1"], 0.0,
           "tone en: encoder over default", gold)
