"""English tone: VADER's compound score."""

from __future__ import annotations

from collections.abc import Sequence

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


class VaderScorer:
    """Plain VADER, whose compound score is already on [-1, 1]."""

    name = "vader"
    lang = "en"

    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, text: str) -> float:
        return float(self._analyzer.polarity_scores(text)["compound"])

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]
