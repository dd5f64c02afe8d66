"""ToneBatch: texts registered by many posts, scored per language and genre, read back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

from tracker.config import SentimentConfig
from tracker.sentiment import register_scorer
from tracker.sentiment.registry import unregister_scorer
from tracker.sentiment.tone import ToneBatch


class _CountingScorer:
    """A tone from the text's length, remembering every text it was asked to score."""

    name = "counting"

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.seen: list[str] = []

    def score(self, text: str) -> float:
        self.seen.append(text)
        return len(text) / 100

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]


@pytest.fixture
def counting() -> Iterator[dict[str, _CountingScorer]]:
    scorers = {"en": _CountingScorer("en"), "zh": _CountingScorer("zh")}
    register_scorer("counting-batch", scorers)
    yield scorers
    unregister_scorer("counting-batch")


def test_a_text_two_posts_share_is_scored_once_and_read_by_both(
        counting: dict[str, _CountingScorer]) -> None:
    batch = ToneBatch(replace(SentimentConfig(), scorer="counting-batch"))
    first = batch.add("en", "$AAPL beats.")
    other = batch.add("en", "$MSFT misses badly.")
    again = batch.add("en", "$AAPL beats.")
    news = batch.add("en", "$AAPL beats.", "news")
    chinese = batch.add("zh", "$AAPL beats.")
    rule = batch.fixed(0.5)
    batch.score()
    assert again == first and news != first and chinese != first
    assert [batch.tone(r) for r in (first, other, again, news, chinese, rule)] == \
        [0.12, 0.19, 0.12, 0.12, 0.12, 0.5]
    assert batch.text(again) == "$AAPL beats." and batch.text(rule) is None
    # Once per language and genre: social and news heads may score it differently.
    assert counting["en"].seen == ["$AAPL beats.", "$MSFT misses badly.", "$AAPL beats."]
    assert counting["zh"].seen == ["$AAPL beats."]


def test_a_batch_asks_once_per_language_whether_a_scorer_reads_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.sentiment import tone

    asked: list[str] = []
    real = tone.get_scorer

    def counted(lang: str, settings: SentimentConfig, genre: str = "social") -> object:
        asked.append(lang)
        return real(lang, settings, genre)

    monkeypatch.setattr(tone, "get_scorer", counted)
    batch = ToneBatch(SentimentConfig())
    refs = [batch.add(lang, f"text {i}") for i in range(3) for lang in ("en", "fr", "zh")]
    assert asked == ["en", "fr", "zh"]
    assert [ref is None for ref in refs] == [False, True, False] * 3
