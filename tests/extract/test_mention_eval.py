"""The labelled mention sets: precision and recall per language, pinned as floors.

tests/data/mentions_en.tsv and mentions_zh.tsv were written for this project in the styles
of StockTwits, Reddit, news headlines, 雪球 and 股吧, each post with the canonical keys of
the securities a reader sees in it (tests/extract/mentionset.py has the format). A change
that makes extraction worse on either language fails here; the floors move only on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.extract.mentionset import (
    LabelledSetError,
    format_scores,
    read_labelled,
    score_mentions,
)
from tests.floors import floors
from tracker.ingest.analyze import Analyzer

DATA = Path(__file__).resolve().parent.parent / "data"

# (file, precision floor, recall floor, at least this many posts); tests/data/floors.toml
_FLOORS = floors("mentions", "labelled")
SETS = [(f"mentions_{lang}.tsv", _FLOORS[f"{lang}_precision"], _FLOORS[f"{lang}_recall"], 300)
        for lang in ("en", "zh")]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "precision", "recall", "size"), SETS,
                         ids=[s[0] for s in SETS])
def test_labelled_set_floor(analyzer: Analyzer, name: str, precision: float, recall: float,
                            size: int) -> None:
    posts = read_labelled(DATA / name)
    assert len(posts) >= size
    scores = score_mentions(posts, analyzer)
    print(f"\n{name}\n{format_scores(scores)}")
    assert scores["all"].precision >= precision, scores["all"].misses
    assert scores["all"].recall >= recall, scores["all"].misses


def test_scores_count_pairs(analyzer: Analyzer, tmp_path: Path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text("securities\ttitle\ttext\n"
                    "TSLA,NVDA\t\t$TSLA and $AMD\n"
                    "\t\tnothing here\n"
                    "SH600036\t\t$招商银行(SH600036)$ 涨了\n", "utf-8")
    scores = score_mentions(read_labelled(path), analyzer)
    assert (scores["all"].tp, scores["all"].fp, scores["all"].fn) == (2, 1, 1)
    assert sorted(scores["all"].misses) == [(2, "AMD", "fp"), (2, "NVDA", "fn")]
    assert scores["equity"].precision == pytest.approx(2 / 3)


def test_bad_labelled_set_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "set.tsv"
    path.write_text("securities\ttitle\ttext\nTSLA\tno text column\n", "utf-8")
    with pytest.raises(LabelledSetError, match=r"set\.tsv:2: expected three"):
        read_labelled(path)
