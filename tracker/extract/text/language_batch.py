"""py3langid's scores for many texts at once: its DFA walk and sparse product in numpy.

Why: py3langid reads a text one byte at a time in a Python loop (28 us a StockTwits
sentence), then makes a numpy product per text (11 us) and ranks it in Python: about 60 us
a call, which a batch's sentences pay one by one. Here a batch's bytes are read together.

Why a window of WINDOW bytes is the walk: from any state of the model's DFA, any WINDOW
bytes lead to one and the same state (scripts/check_langid_window.py checks it on the
packaged model: after 6 bytes no two states are left apart). So the state after a byte is
the state the walk from the start reaches over the (at most) WINDOW bytes that end there,
and WINDOW gathers over all positions of a batch give every state the loop gives, in
order. The features' counts are then the ones the loop counts.

The scores are added in another order than py3langid's float32 product (and in float64),
so they may differ in the last bits: a decision whose margin is within the sum's rounding
bound is left to py3langid itself (languages.latin_lang).

Why not in languages.py: that file is a source of the language table's cache entry (its
bytes name the entry), and a new entry of the same table moved a run's peak RSS by up to
8 MiB (docs/performance.md, twenty-second pass).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from tracker.extract.text.languages import (
    _LETTER,
    ENGLISH_MARGIN,
    MAX_CHARS,
    MIN_LETTERS,
    SHORT_LETTERS,
    _identifier,
    latin_lang,
    words_only,
)
from tracker.extract.text.once import once

# Below this many texts, latin_langs asks py3langid text by text: a batch's numpy calls
# cost about 0.2 ms whatever its size, py3langid 0.06 ms a short text.
BATCH_FLOOR = 4
# The most characters of text one read of the model holds. Its arrays take about a hundred
# bytes a byte of text (a position, a state and a feature per byte, and the walk's
# temporaries), so a chunk of long posts read at once took gigabytes (50 posts of 100,000
# characters: 904 MiB peak RSS, where each sentence alone took 124). A read of this many is a
# few hundred sentences: its numpy calls are still paid once for many.
BATCH_CHARS = 1 << 16
# After this many bytes the model's DFA is in one state whatever state it started from.
WINDOW = 6
# float32's unit roundoff, and how many of it each term and sum may carry (py3langid's
# product rounds each term and each partial sum once; a BLAS kernel may pair them
# otherwise, which the bound (n terms) covers).
_ROUNDOFF = 2.0 ** -24
_SAFETY = 4.0


class BatchScores:
    """Each text's raw scores (py3langid's `_raw_score`, in float64) and how far they may be
    from py3langid's own float32 ones; texts without a feature have no row (None)."""

    def __init__(self, scores: Any, bounds: Any, found: Any) -> None:
        self.scores = scores
        self.bounds = bounds
        self.found = found

    def row(self, i: int) -> tuple[list[float], float] | None:
        """Text i's scores by class and their error bound; None for a text without features."""
        if not self.found[i]:
            return None
        return self.scores[i].tolist(), float(self.bounds[i])


class WindowModel:
    """py3langid's model (a ClassedIdentifier, languages.py) read as numpy arrays."""

    def __init__(self, identifier: Any) -> None:
        self.identifier = identifier
        self.nextmove = np.frombuffer(identifier.tk_nextmove,
                                      dtype=f"u{identifier.tk_nextmove.itemsize}")
        self.rowbase = np.array(identifier._rowbase, dtype=np.intp)
        self.features = np.frombuffer(identifier.tk_output, dtype=np.int32)
        self.ptc = identifier.nb_ptc
        self.pc = np.asarray(identifier.nb_pc, dtype=np.float64)
        self.classes = list(identifier.nb_classes)

    def scores(self, texts: Sequence[str]) -> BatchScores:
        """The raw scores of each of `texts`, as py3langid's identifier reads them."""
        encoded = [self.identifier._encode(text) for text in texts]
        lengths = np.fromiter(map(len, encoded), dtype=np.intp, count=len(encoded))
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.intp)
        n_texts = len(texts)
        scores = np.zeros((n_texts, len(self.classes)))
        bounds = np.zeros(n_texts)
        found = np.zeros(n_texts, dtype=bool)
        if not len(data):
            return BatchScores(scores, bounds, found)
        starts = np.cumsum(lengths) - lengths
        # Each byte's place in its own text.
        place = np.arange(len(data)) - np.repeat(starts, lengths)
        state = np.zeros(len(data), dtype=np.intp)
        for back in range(WINDOW - 1, -1, -1):
            # The byte `back` places before each position, where its text has one: a walk
            # from the start over the window that ends at each position, all at once.
            has = place >= back
            at = np.flatnonzero(has)
            state[at] = self.nextmove[self.rowbase[state[at]] + data[at - back]]
        feature = self.features[state]
        hit = feature >= 0
        text_of = np.repeat(np.arange(n_texts), lengths)[hit]
        keys = text_of * len(self.features) + feature[hit]
        if not len(keys):
            return BatchScores(scores, bounds, found)
        keys, counts = np.unique(keys, return_counts=True)
        text_of = keys // len(self.features)
        rows = keys % len(self.features)
        # py3langid's terms: log1p of the counts in float32, times the float16 table's rows.
        weight = np.log1p(counts.astype(np.float32)).astype(np.float64)
        terms = weight[:, None] * self.ptc[rows].astype(np.float64)
        first = np.flatnonzero(np.r_[True, text_of[1:] != text_of[:-1]])
        texts_found = text_of[first]
        found[texts_found] = True
        scores[texts_found] = np.add.reduceat(terms, first, axis=0)
        size = np.add.reduceat(np.abs(terms), first, axis=0).max(axis=1)
        per_text = np.diff(np.r_[first, len(rows)])
        scores += self.pc
        # py3langid's sum of n terms and the class prior, each rounded in float32: at most
        # (n + 2) roundings of the largest partial sum's size, with room to spare.
        bounds[texts_found] = (_SAFETY * (per_text + 2) * _ROUNDOFF
                               * (size + np.abs(self.pc).max()))
        return BatchScores(scores, bounds, found)


def latin_langs(texts: Sequence[str], finance: Sequence[bool]) -> list[str | None]:
    """`latin_lang` of each of `texts` (with its `finance`), the model's reads made for all
    of them at once; the same answers."""
    out: list[str | None] = [None] * len(texts)
    asked: list[tuple[int, str, bool]] = []
    for i, (text, in_finance) in enumerate(zip(texts, finance, strict=True)):
        words = words_only(text[:MAX_CHARS])
        letters = len(_LETTER.findall(words))
        if letters >= MIN_LETTERS:
            asked.append((i, words, in_finance and letters <= SHORT_LETTERS))
    if len(asked) < BATCH_FLOOR:
        # Too few for numpy's two dozen calls to pay: py3langid's walk, one by one.
        for i, _words, _short in asked:
            out[i] = latin_lang(texts[i], finance[i])
        return out
    for part in _slices(asked):
        found = window_model().scores([words for _, words, _ in part])
        for k, (i, _words, short) in enumerate(part):
            row = found.row(k)
            lang = None if row is None else _decided(row[0], row[1], short)
            # No feature, or a margin within the sums' rounding: py3langid's own answer.
            out[i] = lang if lang is not None else latin_lang(texts[i], finance[i])
    return out


def _slices(asked: list[tuple[int, str, bool]]) -> Iterator[list[tuple[int, str, bool]]]:
    # `asked` in order, in parts of at most BATCH_CHARS characters of words (a text is at
    # most MAX_CHARS): one read of the model each.
    part: list[tuple[int, str, bool]] = []
    size = 0
    for item in asked:
        if part and size + len(item[1]) > BATCH_CHARS:
            yield part
            part, size = [], 0
        part.append(item)
        size += len(item[1])
    if part:
        yield part


def _decided(scores: list[float], bound: float, short: bool) -> str | None:
    """The answer latin_lang gives for these scores (each within `bound` of py3langid's
    own), or None where a margin is too small to be sure of it."""
    classes = window_model().classes
    order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    best, second = scores[order[0]], scores[order[1]]
    sure_top = best - second > 2 * bound
    if short:
        english = scores[classes.index("en")]
        lead = english - (best - ENGLISH_MARGIN)
        if lead > 2 * bound:
            return "en"
        if lead < -2 * bound and sure_top:
            return str(classes[order[0]])
        return None
    return str(classes[order[0]]) if sure_top else None


@once
def window_model() -> WindowModel:
    """The packaged model (languages._identifier) read as numpy arrays."""
    model = WindowModel(_identifier())
    # Scores are read by class: classes named twice (py3langid folds such aliases) would
    # need its folding here too. The restricted model has none.
    if len(set(model.classes)) != len(model.classes):
        raise ValueError("the language model names a class twice: latin_langs cannot read it")
    return model
