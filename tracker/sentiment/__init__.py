"""Tone scoring: one Scorer per language, chosen by config; other languages stay unscored."""

from __future__ import annotations

from functools import lru_cache

from ..config import SentimentConfig
from .base import Scorer, label_for

SCORED_LANGS = ("en", "zh")

__all__ = ["SCORED_LANGS", "Scorer", "get_scorer", "label_for", "score_mention"]


@lru_cache(maxsize=8)
def _load(lang: str, scorer: str) -> Scorer | None:
    # Models load once per process: the first call pays, the rest reuse.
    if lang == "en":
        from .english import VaderScorer

        return VaderScorer()
    if lang == "zh":
        from .chinese import SnowNLPScorer

        return SnowNLPScorer()
    return None


def get_scorer(lang: str, settings: SentimentConfig) -> Scorer | None:
    """The scorer for `lang`, or None for a language no scorer may read."""
    if lang not in SCORED_LANGS:
        return None
    return _load(lang, settings.scorer)


def score_mention(
    sentence: str, start: int, end: int, lang: str, settings: SentimentConfig
) -> float | None:
    """Tone of the mention at sentence[start:end]: here, the tone of its sentence."""
    scorer = get_scorer(lang, settings)
    if scorer is None:
        return None
    return scorer.score(sentence)
