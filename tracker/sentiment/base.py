"""The one interface every tone scorer implements, and how tone becomes a label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from tracker.config import SentimentConfig

@runtime_checkable
class Scorer(Protocol):
    """Scores the tone of one sentence or clause in one language, on a scale of -1 to 1."""

    name: str
    lang: str

    def score(self, text: str) -> float:
        """Tone of `text`, one sentence or clause, in [-1, 1]."""
        ...

    def score_many(self, texts: Sequence[str]) -> list[float]:
        """Tone of each text; scorers that batch override this for speed."""
        ...


def label_for(tone: float | None, settings: SentimentConfig) -> str | None:
    """positive / negative / neutral from the configured thresholds; None when unscored."""
    if tone is None:
        return None
    if tone >= settings.positive:
        return "positive"
    if tone <= settings.negative:
        return "negative"
    return "neutral"
