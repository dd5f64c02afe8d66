"""The default scorers: a linear model over n-grams and finance-lexicon scores, per language.

Each model is trained by scripts/train_sentiment.py on the train parts of datasets/ and
shipped as tracker/data/sentiment/<lang>_model.npz. The lexicon scores are features, so a
term a user adds to the lexicon moves the tone in the direction its valence says.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Self, TypeVar

import numpy as np

from tracker.data.user_cache import cached
from tracker.sentiment import features as features_code
from tracker.sentiment import model as model_code
from tracker.sentiment import unit_pairs as unit_pairs_code
from tracker.sentiment.chinese import REPORT_FRAME, ChineseLexiconScorer
from tracker.sentiment.english import FinanceVaderScorer, reports_event
from tracker.sentiment.features import (
    EN_CHAR_FAMILIES,
    EN_FAMILIES,
    ZH_CHAR_FAMILIES,
    ZH_WORD_FAMILIES,
    Family,
    NgramIndex,
    en_units,
    unnamed,
    zh_char_units,
    zh_text,
    zh_word_units,
)
from tracker.sentiment.model import LinearToneModel, lexicon_silent
from tracker.sentiment.unit_pairs import PairIndex, PairTables

_S = TypeVar("_S", "EnglishModelScorer", "ChineseModelScorer")


def en_dense(lexicon: FinanceVaderScorer, text: str) -> list[float]:
    """Lexicon features of an English text: VADER's compound, pos and neg with finance terms."""
    p = lexicon.polarity(text)
    return [p["compound"], p["pos"], p["neg"]]


def zh_dense(lexicon: ChineseLexiconScorer, text: str) -> list[float]:
    """Lexicon features of a Chinese text: compound, and the squashed positive/negative sums."""
    compound, pos, neg = lexicon.polarity(text)
    return [compound, math.tanh(pos / 4.0), math.tanh(neg / 4.0)]


def model_ngrams(tone_model: LinearToneModel, families: Sequence[Family]) -> NgramIndex:
    """The NgramIndex of `tone_model`'s vocabulary over `families`, read from the user's
    cache (tracker.data.user_cache) when it holds the one built from this model file by
    this code.

    Why: building the trees at each start took 0.2 s of CPU (English) to 0.25 s (Chinese)
    and a transient 40 MiB; reading them back takes a quarter of that. Derived at run time
    from whatever model file is there, so a new file only means one build.
    """
    families = tuple(families)
    tables = cached(
        "ngrams", [tone_model.path, Path(features_code.__file__), Path(model_code.__file__)],
        lambda: NgramIndex(tone_model.index, families).tables(), extra=repr(families))
    return NgramIndex.from_tables(tables)


def model_pairs(tone_model: LinearToneModel,
                pairs: Sequence[Sequence[Family]]) -> list[PairIndex]:
    """A PairIndex per family pair (unigrams, bigrams) of `tone_model`'s vocabulary, read
    from the user's cache when it holds the ones built from this model file by this code.

    Why: read back, the tables take a few milliseconds; built from the n-gram trees, 30 ms
    plus the trees themselves (read from the cache, a quarter of a Chinese scorer's start and
    some 10 MiB), which then nothing else needs."""
    def build() -> list[PairTables]:
        trees = NgramIndex(tone_model.index, [f for pair in pairs for f in pair]).tables()[0]
        return [PairIndex(trees[unigrams], trees[bigrams]).tables()
                for unigrams, bigrams in pairs]  # each pair: (n = 1, n = 2)

    tables = cached(
        "ngram-pairs", [tone_model.path, Path(features_code.__file__),
                        Path(model_code.__file__), Path(unit_pairs_code.__file__)],
        build, extra=repr(tuple(map(tuple, pairs))))
    return [PairIndex.from_tables(t) for t in tables]


@lru_cache(maxsize=4)
def _zh_ngrams(path: Path) -> NgramIndex:
    # The Chinese model's n-gram trees, for a caller that asks for them (scoring does not).
    return model_ngrams(LinearToneModel(path), ZH_WORD_FAMILIES + ZH_CHAR_FAMILIES)


# How many n-gram indexes the model reads in one call, at most (a text's own are never
# split): a batch's lists of Python ints and their arrays take about 100 bytes an index, and
# a chunk of 50 雪球 posts holds tens of thousands. Unbounded, the 雪球 file's ingest peaked at
# 269 MiB (main: 257); bounded at 8,192, 258. At 32,768 (peak 255 against 253 at 8,192)
# a chunk of 50 雪球 posts is read in 4 or 5 calls instead of 13: each call's two dozen
# numpy calls cost about as much as its arithmetic, and the model's reads of the first
# 1,000 雪球 posts took 0.64 of the time (docs/performance.md, twentieth pass). No tone
# depends on the cut.
_BATCH_INDEXES = 32_768


def _tones(model: LinearToneModel,
           features: Iterable[tuple[list[int], list[float]] | None]) -> list[float]:
    """The tone of each text from its features (None: plain reporting, tone 0.0), the model
    reading many texts in one call (LinearToneModel.indexed_tones): per text, a dozen numpy
    calls cost more than the arithmetic they did. A text's tone does not depend on the
    texts read with it, so where the calls are cut changes no tone."""
    tones: list[float] = []
    scored: list[int] = []
    indexes: list[list[int]] = []
    dense: list[list[float]] = []
    held = 0

    def read() -> None:
        for at, tone in zip(scored, model.indexed_tones(indexes, dense), strict=True):
            tones[at] = tone
        scored.clear()
        indexes.clear()
        dense.clear()

    for at, found in enumerate(features):
        tones.append(0.0)
        if found is not None:
            scored.append(at)
            indexes.append(found[0])
            dense.append(found[1])
            held += len(found[0])
            if held >= _BATCH_INDEXES:
                read()
                held = 0
    read()
    return tones


def _for_genre(scorer: _S, genre: str) -> _S:
    """`scorer` reading with the model's `genre` head (itself when the model has none);
    lexicon and n-gram index shared."""
    model = scorer.model.with_genre(genre)
    if model is scorer.model:
        return scorer
    view = copy.copy(scorer)
    view.model = model
    return view


class EnglishModelScorer:
    """Finance-lexicon VADER and word n-grams, combined by a logistic regression."""

    name = "default"
    lang = "en"

    def __init__(self, terms: Mapping[str, float], model_path: Path) -> None:
        self.lexicon = FinanceVaderScorer(terms)
        self.model = LinearToneModel(model_path)
        self.options = self.model.options
        families = EN_FAMILIES + (EN_CHAR_FAMILIES if "chars" in self.options else ())
        self.ngrams = model_ngrams(self.model, families)
        self._mask = "mask" in self.options

        self._embed = None
        if "embed" in self.options:
            from .embedding import static_embedding

            self._embed = static_embedding()

    def _features(self, text: str) -> tuple[list[int], list[float]] | None:
        # The text's n-gram indexes and dense features; None for plain reporting.
        dense = en_dense(self.lexicon, unnamed(text) if self._mask else text)
        if lexicon_silent(dense) and reports_event(text):
            return None  # plain reporting: a scheduled or relayed company event, no lexicon term
        indexes = self.ngrams.indexes(en_units(text, self.options), missing=-1)
        if self._embed is not None:
            dense += self._embed.vector(text)
        return indexes, dense  # type: ignore[return-value]

    def score(self, text: str) -> float:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return _tones(self.model, map(self._features, texts))

    def for_genre(self, genre: str) -> Self:
        """This scorer reading with the model's `genre` head (news or social)."""
        return _for_genre(self, genre)  # type: ignore[return-value]


@dataclass
class _HeldTexts:
    """What ChineseModelScorer holds of the texts it has not read yet: each text's place
    among the call's texts and its dense features; its word ids, and how many; its character
    sequences, the strings (`runs`: their ids are found for all at once) apart from the
    others (a placeholder is a unit of several characters: their ids one by one), each
    with its length and its text's place in `scored`."""

    scored: list[int] = field(default_factory=list)
    dense: list[list[float]] = field(default_factory=list)
    words: list[int] = field(default_factory=list)
    word_counts: list[int] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    run_counts: list[int] = field(default_factory=list)
    run_texts: list[int] = field(default_factory=list)
    run_chars: int = 0
    chars: list[int] = field(default_factory=list)
    char_counts: list[int] = field(default_factory=list)
    char_texts: list[int] = field(default_factory=list)

    def clear(self) -> None:
        for held in (self.scored, self.dense, self.words, self.word_counts, self.runs,
                     self.run_counts, self.run_texts, self.chars, self.char_counts,
                     self.char_texts):
            held.clear()
        self.run_chars = 0


class ChineseModelScorer:
    """Finance lexicon with negation, jieba word and character n-grams, in one regression.

    The text is segmented once; the words feed the n-grams and nothing segments it again.
    """

    name = "default"
    lang = "zh"

    def __init__(self, terms: Mapping[str, float], model_path: Path) -> None:
        # Imported here, as the name matcher imports it: jieba loads only for Chinese text.
        from tracker.extract.text.segment import segment

        self._segment = segment
        self.lexicon = ChineseLexiconScorer(terms)
        self.model = LinearToneModel(model_path)
        self.options = self.model.options
        self._mask = "mask" in self.options
        # The model's two family pairs (words, characters) by unit id: the rows of a
        # batch's n-grams come from numpy (unit_pairs.py), not three dict lookups a unit.
        self._words, self._chars = model_pairs(self.model, (ZH_WORD_FAMILIES, ZH_CHAR_FAMILIES))

    @property
    def ngrams(self) -> NgramIndex:
        """The model's n-gram trees (features.NgramIndex), read on first use: scoring reads
        the unit ids alone."""
        return _zh_ngrams(self.model.path)

    def _dense(self, text: str) -> list[float] | None:
        # The text's dense (lexicon) features; None for plain reporting.
        dense = zh_dense(self.lexicon, unnamed(text) if self._mask else text)
        if lexicon_silent(dense) and REPORT_FRAME.search(text):
            return None  # plain reporting: no term of either sign in a relayed or planned fact
        return dense

    def _units(self, text: str) -> tuple[list[str], list[Sequence[str]]]:
        # The text's word units and character unit sequences.
        read = zh_text(text, self.options)
        return zh_word_units(self._segment(read), read), zh_char_units(read, self.options)

    def _features(self, text: str) -> tuple[list[str], list[Sequence[str]], list[float]] | None:
        # The text's word units, character unit sequences and dense features; None for
        # plain reporting.
        dense = self._dense(text)
        return None if dense is None else (*self._units(text), dense)

    def score(self, text: str) -> float:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str]) -> list[float]:
        """Each text's tone: its units as ids, a text at a time, then the n-gram rows and
        the tones of many texts at once (a call once the texts held make _BATCH_INDEXES
        n-grams, counted as two a unit; no tone depends on the cut)."""
        tones = [0.0] * len(texts)
        held = _HeldTexts()
        # The lexicon's reads of every text first (its terms' pattern and the names'
        # automaton), then each text's units (jieba's dictionary and HMM): one table at a
        # time stays in the CPU's caches, where text by text each pushed the other out.
        # _features' steps in another order, so the same features.
        denses = [self._dense(text) for text in texts]
        for at, (text, own_dense) in enumerate(zip(texts, denses, strict=True)):
            if own_dense is None:
                continue
            own_words, own_chars = self._units(text)
            owner = len(held.scored)
            held.scored.append(at)
            held.dense.append(own_dense)
            held.words += self._words.ids(own_words)
            held.word_counts.append(len(own_words))
            for seq in own_chars:
                if isinstance(seq, str):
                    # A string of characters, each a unit: its ids are found in _read, with
                    # every such string of the call's texts at once (PairIndex.char_ids).
                    held.runs.append(seq)
                    held.run_counts.append(len(seq))
                    held.run_texts.append(owner)
                    held.run_chars += len(seq)
                else:
                    before = len(held.chars)
                    held.chars += self._chars.ids(seq)
                    held.char_counts.append(len(held.chars) - before)
                    held.char_texts.append(owner)
            if 2 * (len(held.words) + len(held.chars) + held.run_chars) >= _BATCH_INDEXES:
                self._read(held, tones)
        self._read(held, tones)
        return tones

    def _read(self, held: _HeldTexts, tones: list[float]) -> None:
        # The tones of the texts held (`held.scored`, in `tones`), then `held` emptied.
        if not held.scored:
            return
        word_ids = np.array(held.words, dtype=np.intp)
        word_texts = np.repeat(np.arange(len(held.scored), dtype=np.intp), held.word_counts)
        # The runs' characters first, then the other sequences' units: the model counts a
        # text's n-grams in any order (LinearToneModel.owned_logits).
        char_ids = np.concatenate((self._chars.char_ids("".join(held.runs)),
                                   np.array(held.chars, dtype=np.intp)))
        char_counts = held.run_counts + held.char_counts
        # Each character sequence numbered (a bigram stays inside one), and its text.
        char_seqs = np.repeat(np.arange(len(char_counts), dtype=np.intp), char_counts)
        owners = np.array(held.run_texts + held.char_texts, dtype=np.intp).take(char_seqs)
        at_words, word_rows = self._words.rows(word_ids, word_texts)
        at_chars, char_rows = self._chars.rows(char_ids, char_seqs)
        owned = np.concatenate((word_texts.take(at_words), owners.take(at_chars)))
        rows = np.concatenate((word_rows, char_rows))
        for at, tone in zip(held.scored, self.model.owned_tones(owned, rows, held.dense),
                            strict=True):
            tones[at] = tone
        held.clear()

    def for_genre(self, genre: str) -> Self:
        """This scorer reading with the model's `genre` head (news or social)."""
        return _for_genre(self, genre)  # type: ignore[return-value]
