"""Tone of a post and of each mention in it, from its sentences; shared by ingest and rescore."""

from __future__ import annotations

from collections.abc import Sequence

from .config import SentimentConfig
from .extract.sentences import detect_lang
from .sentiment import get_scorer, is_bare, score_list_context, score_mention

Span = tuple[int, int]


def sentence_tones(body: str, sentences: Sequence[Span], langs: Sequence[str],
                   settings: SentimentConfig) -> list[float | None]:
    """Each sentence's tone; None where its language is not scored."""
    tones: list[float | None] = []
    for (s, e), lang in zip(sentences, langs, strict=True):
        scorer = get_scorer(lang, settings)
        tones.append(scorer.score(body[s:e]) if scorer is not None else None)
    return tones


def post_tone(tones: Sequence[float | None]) -> float | None:
    """A post's tone: the mean of its scored sentences."""
    scored = [t for t in tones if t is not None]
    return sum(scored) / len(scored) if scored else None


def sentence_of(body: str, sentences: Sequence[Span], langs: Sequence[str],
                start: int, end: int) -> tuple[Span, str]:
    """The span and language of the sentence holding the mention at [start, end)."""
    for (s, e), lang in zip(sentences, langs, strict=True):
        if s <= start < e:
            return (s, e), lang
    return (start, end), detect_lang(body[start:end])


def mention_tone(body: str, sentences: Sequence[Span], sentence: Span, lang: str,
                 start: int, end: int, settings: SentimentConfig) -> float | None:
    """Tone of the clause naming the mention; a bare list item takes its list's tone."""
    s, e = sentence
    text = body[s:e]
    if is_bare(text):
        context = score_list_context(body, sentences, (start, end), lang, settings)
        if context is not None:
            return context
    return score_mention(text, start - s, end - s, lang, settings)
