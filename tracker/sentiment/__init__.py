"""Tone scoring: one Scorer per language, chosen by config; other languages stay unscored.

The pipeline calls:
- `get_scorer(lang, settings)` for a sentence-level scorer (None for unscored languages);
- `score_mention(sentence, start, end, lang, settings, others)` for a mention's tone, from
  its clause or a clause rule (clauses.py, rivalry.py);
- `label_for(tone, settings)` for positive / negative / neutral.
A whole post's texts are scored together (tracker.sentiment.tone), where a mention alone in
a list item or heading takes the tone of the list's prose (clauses.list_contexts).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.sentiment.base import Scorer, label_for
from tracker.sentiment.registry import (
    BASELINE_LANGS,
    BUILTIN_SCORERS,
    register_scorer,
    registered_scorer,
)

if TYPE_CHECKING:
    from tracker.config import SentimentConfig
    from tracker.sentiment.clauses import is_bare, mention_clause

log = logging.getLogger(__name__)

SCORED_LANGS = ("en", "zh")
SCORERS = BUILTIN_SCORERS

__all__ = [
    "SCORED_LANGS", "SCORERS", "Scorer", "check_scorer", "get_scorer", "is_bare", "label_for",
    "mention_clause", "register_scorer", "score_mention",
]
# The clause rules compile their patterns at import (a third of `tracker -h`'s time), so they
# load on first use: the CLI reads the scorer names in tracker.sentiment.registry without them.
_CLAUSE_NAMES = ("is_bare", "mention_clause")


def __getattr__(name: str) -> object:
    if name in _CLAUSE_NAMES:
        from tracker.sentiment import clauses

        return getattr(clauses, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _model_path(lang: str, name: str = "model.npz") -> Path:
    return Path(str(resources.files("tracker.data").joinpath("sentiment", f"{lang}_{name}")))


@lru_cache(maxsize=16)
def _load(lang: str, scorer: str, extra: Path | None) -> Scorer:
    # Models load once per process (per scorer and user lexicon): the first call pays.
    from tracker.sentiment.lexicon import load_lexicon

    if lang == "en":
        if scorer == "vader":
            from tracker.sentiment.english import VaderScorer

            return VaderScorer()
        if scorer == "encoder":
            from tracker.sentiment.encoder import EncoderScorer

            return EncoderScorer(_model_path("en", "encoder.onnx"),
                                 _model_path("en", "encoder_tokenizer.json"))
        from tracker.sentiment.default import EnglishModelScorer

        return EnglishModelScorer(load_lexicon("en", extra), _model_path("en"))
    if scorer == "snownlp":
        from tracker.sentiment.chinese import SnowNLPScorer

        return SnowNLPScorer()
    from tracker.sentiment.default import ChineseModelScorer

    return ChineseModelScorer(load_lexicon("zh", extra), _model_path("zh"))


def get_scorer(lang: str, settings: SentimentConfig, genre: str = "social") -> Scorer | None:
    """The scorer for `lang` and `genre` ("social" or "news"), or None for a language no
    scorer may read.

    The default scorer reads news with its model's news head (what the news sources taught,
    with their own thresholds), when the model has one; other scorers ignore `genre`.

    `settings.scorer` "vader" and "snownlp" are the plain library baselines, each for its own
    language, and "encoder" the optional English encoder (tracker.sentiment.encoder) for
    social posts; the other language (and news, for the encoder) then gets the default
    scorer rather than a wrong model. A
    scorer registered under that name (`register_scorer`) is used for the languages it
    covers, likewise.
    """
    if lang not in SCORED_LANGS:
        return None
    scorer = settings.scorer
    registered = registered_scorer(scorer, lang)
    if registered is not None:
        return registered
    if BASELINE_LANGS.get(scorer, lang) != lang or scorer not in SCORERS:
        scorer = "default"
    if scorer == "encoder" and genre != "social":
        # The encoder learnt from forum posts, and scored news tweets under VADER
        # (docs/sentiment.md): news keeps the default model's news head.
        scorer = "default"
    extra = settings.en_lexicon if lang == "en" else settings.zh_lexicon
    loaded = _load(lang, scorer, extra)
    if genre != "social" and hasattr(loaded, "for_genre"):
        return _genre_view(loaded, genre)  # type: ignore[arg-type]
    return loaded


def check_scorer(settings: SentimentConfig) -> None:
    """Load the chosen scorer now if it may fail to load (the optional encoder, without its
    extra or its files): a TrackerError before the first post, rather than the same error at
    every post as if each were the post's fault."""
    if settings.scorer == "encoder":
        get_scorer("en", settings)


@lru_cache(maxsize=16)
def _genre_view(scorer: Scorer, genre: str) -> Scorer:
    return scorer.for_genre(genre)  # type: ignore[attr-defined, no-any-return]


def score_mention(
    sentence: str, start: int, end: int, lang: str, settings: SentimentConfig,
    others: Sequence[tuple[int, int]] = (), genre: str = "social",
) -> float | None:
    """Tone of the mention at sentence[start:end]: the tone of the words that speak about it
    (its clause; see clauses.py), or the tone a clause rule gives it. `others` are the spans
    of the post's other mentions in `sentence`; `genre` the post's (news or social)."""
    scorer = get_scorer(lang, settings, genre)
    if scorer is None:
        return None
    if not 0 <= start <= end <= len(sentence):
        return scorer.score(sentence)
    from tracker.sentiment.clauses import company_marks, mention_words

    words = mention_words(sentence, start, end, company_marks(sentence, others))
    return words.fixed if words.fixed is not None else scorer.score(words.text)
