"""Tone scoring: one Scorer per language, chosen by config; other languages stay unscored.

The pipeline calls:
- `get_scorer(lang, settings)` for a sentence-level scorer (None for unscored languages);
- `score_mention(sentence, start, end, lang, settings)` for a mention's tone, from its clause;
- `score_list_context(text, sentences, mention, lang, settings)` for a mention that stands
  alone in a list item or heading (`is_bare(sentence)` tells when);
- `label_for(tone, settings)` for positive / negative / neutral.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tracker.config import SentimentConfig
from tracker.sentiment.base import Scorer, label_for
from tracker.sentiment.clauses import is_bare, list_context, mention_clause

log = logging.getLogger(__name__)

SCORED_LANGS = ("en", "zh")
SCORERS = ("default", "vader", "snownlp")

__all__ = [
    "SCORED_LANGS", "SCORERS", "Scorer", "get_scorer", "is_bare", "label_for",
    "mention_clause", "score_list_context", "score_mention",
]


def _model_path(lang: str) -> Path:
    return Path(str(resources.files("tracker.data").joinpath("sentiment", f"{lang}_model.npz")))


@lru_cache(maxsize=16)
def _load(lang: str, scorer: str, extra: Path | None) -> Scorer:
    # Models load once per process (per scorer and user lexicon): the first call pays.
    from tracker.sentiment.lexicon import load_lexicon

    if lang == "en":
        if scorer == "vader":
            from tracker.sentiment.english import VaderScorer

            return VaderScorer()
        from tracker.sentiment.default import EnglishModelScorer

        return EnglishModelScorer(load_lexicon("en", extra), _model_path("en"))
    if scorer == "snownlp":
        from tracker.sentiment.chinese import SnowNLPScorer

        return SnowNLPScorer()
    from tracker.sentiment.default import ChineseModelScorer

    return ChineseModelScorer(load_lexicon("zh", extra), _model_path("zh"))


def get_scorer(lang: str, settings: SentimentConfig) -> Scorer | None:
    """The scorer for `lang`, or None for a language no scorer may read.

    `settings.scorer` "vader" and "snownlp" are the plain library baselines, each for its own
    language; the other language then gets the default scorer rather than a wrong model.
    """
    if lang not in SCORED_LANGS:
        return None
    scorer = settings.scorer
    if (lang, scorer) in (("en", "snownlp"), ("zh", "vader")) or scorer not in SCORERS:
        scorer = "default"
    extra = settings.en_lexicon if lang == "en" else settings.zh_lexicon
    return _load(lang, scorer, extra)


def score_mention(
    sentence: str, start: int, end: int, lang: str, settings: SentimentConfig
) -> float | None:
    """Tone of the mention at sentence[start:end]: the tone of the clause that names it."""
    scorer = get_scorer(lang, settings)
    if scorer is None:
        return None
    return scorer.score(mention_clause(sentence, start, end))


def score_list_context(
    text: str,
    sentences: Sequence[tuple[int, int]],
    mention: tuple[int, int],
    lang: str,
    settings: SentimentConfig,
) -> float | None:
    """Tone for a mention whose own sentence is bare (a list item or a heading).

    `text` is the post's cleaned text, `sentences` its sentence spans in order, `mention` the
    mention's span in `text`. The tone is that of the next prose sentence in the same section
    (before a blank line), else of the prose sentence that introduces the list; None when
    there is neither or the language is unscored. Call it when
    `is_bare(text[sentence_start:sentence_end])` holds for the mention's sentence.
    """
    scorer = get_scorer(lang, settings)
    if scorer is None:
        return None
    span = list_context(text, sentences, mention)
    if span is None:
        return None
    return scorer.score(text[span[0]:span[1]])
