"""Tone of a post and of each mention in it, from its sentences; shared by ingest and rescore."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .config import SentimentConfig
from .extract.sentences import detect_lang
from .sentiment import get_scorer, is_bare, mention_clause
from .sentiment.clauses import list_contexts

Span = tuple[int, int]


def sentence_tones(body: str, sentences: Sequence[Span], langs: Sequence[str],
                   settings: SentimentConfig) -> list[float | None]:
    """Each sentence's tone, scored once, in one score_many call per language; None where
    the language is not scored."""
    tones: list[float | None] = [None] * len(sentences)
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(lang, []).append(i)
    for lang, indexes in by_lang.items():
        scorer = get_scorer(lang, settings)
        if scorer is None:
            continue
        texts = [body[sentences[i][0]:sentences[i][1]] for i in indexes]
        for i, tone in zip(indexes, scorer.score_many(texts), strict=True):
            tones[i] = tone
    return tones


class PostTones:
    """A post's sentences scored once; mentions take their clause's tone from them.

    Most mentions cost no scoring of their own: a clause that is the whole sentence reuses
    the sentence's tone, and a bare list item takes the tone of the sentence that speaks for
    its list (computed once per post, in linear time).
    """

    def __init__(self, body: str, sentences: Sequence[Span], langs: Sequence[str],
                 settings: SentimentConfig) -> None:
        self.body = body
        self.sentences = sentences
        self.langs = langs
        self.settings = settings
        self.tones = sentence_tones(body, sentences, langs, settings)
        self._starts = [s for s, _ in sentences]
        self._bare: dict[int, bool] = {}
        self._contexts: list[int | None] | None = None
        self._clauses: dict[tuple[str, str], float | None] = {}

    @property
    def post(self) -> float | None:
        """The post's tone: the mean of its scored sentences."""
        scored = [t for t in self.tones if t is not None]
        return sum(scored) / len(scored) if scored else None

    def _is_bare(self, idx: int) -> bool:
        if idx not in self._bare:
            a, b = self.sentences[idx]
            self._bare[idx] = is_bare(self.body[a:b])
        return self._bare[idx]

    def _context(self, idx: int) -> int | None:
        if self._contexts is None:
            bare = [self._is_bare(i) for i in range(len(self.sentences))]
            self._contexts = list_contexts(self.body, self.sentences, bare)
        return self._contexts[idx]

    def mention(self, start: int, end: int) -> tuple[Span, str, float | None]:
        """The sentence span and language holding [start, end), and the mention's tone."""
        idx = bisect_right(self._starts, start) - 1
        if idx < 0 or start >= self.sentences[idx][1]:
            # Outside every sentence (none should be): the mention stands as its own.
            lang = detect_lang(self.body[start:end])
            scorer = get_scorer(lang, self.settings)
            text = self.body[start:end]
            return (start, end), lang, scorer.score(text) if scorer is not None else None
        span, lang = self.sentences[idx], self.langs[idx]
        if self._is_bare(idx):
            ctx = self._context(idx)
            if ctx is not None and self.tones[ctx] is not None:
                return span, lang, self.tones[ctx]
        text = self.body[span[0]:span[1]]
        clause = mention_clause(text, start - span[0], end - span[0])
        if clause == text:
            return span, lang, self.tones[idx]
        # Mentions in one clause share its tone: score each clause once per post.
        key = (lang, clause)
        if key not in self._clauses:
            scorer = get_scorer(lang, self.settings)
            self._clauses[key] = scorer.score(clause) if scorer is not None else None
        return span, lang, self._clauses[key]
