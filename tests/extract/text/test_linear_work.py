"""Every per-post step does work in proportion to the post's length (issue 14).

Measured in operations (tests/workmeter.py), at sizes a factor of four apart: linear work
grows four times, quadratic work sixteen. The shapes are the ones that were quadratic: many
short sentences on one line, one very long word, run-ons without punctuation.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.workmeter import WorkMeter
from tracker.extract.models import RawPost
from tracker.extract.text.sentences import split_sentences
from tracker.ingest.analyze import Analyzer

SHAPES: dict[str, Callable[[int], str]] = {
    "many short sentences": lambda n: "$TSLA up. " * (n // 10),
    "one long word": lambda n: "a" * n + ". Fine.",
    "long dotted word": lambda n: "U.S" * (n // 3) + ". Fine.",
    "run-on without punctuation": lambda n: "tesla stock going up " * (n // 21),
    "chinese sentences": lambda n: "$TSLA 今天大涨。" * (n // 10),
    "abbreviations": lambda n: "Mr. Musk of Tesla Inc. said so. " * (n // 32),
}
SMALL, LARGE = 2_000, 8_000
GROWTH = (LARGE / SMALL) * 1.3  # linear, with room for constant overheads


def _growth(work: Callable[[str], object], shape: Callable[[int], str],
            monkeypatch: pytest.MonkeyPatch) -> float:
    meter = WorkMeter(monkeypatch)
    small, large = shape(SMALL), shape(LARGE)
    work(small)  # whatever loads on first use (a dictionary, a model) is not counted
    return meter.measure(lambda: work(large)) / meter.measure(lambda: work(small))


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_sentence_splitting_is_linear(shape: Callable[[int], str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert _growth(split_sentences, shape, monkeypatch) <= GROWTH


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_analyzing_a_post_is_linear(shape: Callable[[int], str], analyzer: Analyzer,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def work(text: str) -> object:
        return analyzer.analyze(RawPost("p.txt", text))

    assert _growth(work, shape, monkeypatch) <= GROWTH
