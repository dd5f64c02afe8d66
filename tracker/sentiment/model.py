"""A linear tone model exported from scikit-learn, scored with numpy alone.

The model file (.npz) holds the n-gram vocabulary, its idf weights and the coefficients of
one or more linear heads over [tf-idf n-grams, lexicon scores], each head giving logits for
the same classes (a multinomial logistic regression, or one-vs-rest regressions whose
naive-Bayes feature weights are folded into their coefficients). The heads' probabilities
are averaged and sharpened by a temperature chosen by cross-validation, so that the
configured label thresholds fit the model. Scoring reproduces
TfidfVectorizer(sublinear_tf=True, norm="l2") by hand, so loading takes milliseconds and
needs no scikit-learn at run time.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracker.data import default_config

# The default threshold of [sentiment] positive (and minus [sentiment] negative): a model's
# own thresholds, chosen by CV, are mapped here, so the configured thresholds keep their
# meaning. Read from the packaged config, where it is written once.
KNEE_TARGET: float = default_config()["sentiment"]["positive"]
# 1 + log(n), a token's sublinear tf when it occurs n times in a text (index 0 unused), for
# the counts texts have (a larger count is computed on its own): one multiplication by it
# gives the same float as computing it there.
_SUBLINEAR_TF = np.array([1.0] + [1.0 + math.log(n) for n in range(1, 1024)])


def sublinear_tf(counts: np.ndarray) -> np.ndarray:
    """1 + log(n) for each count n (of at least 1): from _SUBLINEAR_TF, or computed the same
    way where a count is past it. 1.0 for n = 1, so a weight times it is the weight."""
    if counts.max() < len(_SUBLINEAR_TF):
        return _SUBLINEAR_TF.take(counts)
    return np.array([1.0 + math.log(n) for n in counts.tolist()])


def sublinear_count(n: int) -> float:
    """sublinear_tf of one count n (of at least 1), as a plain float: the same value."""
    return float(_SUBLINEAR_TF[n]) if n < len(_SUBLINEAR_TF) else 1.0 + math.log(n)


class LinearToneModel:
    """Tone from tokens (as indexes into `index`) and dense lexicon features:
    P(pos) - P(neg) plus the lexicon blend.

    Files written before heads and temperature existed read as one head at temperature 1.
    A file may also hold a news head (weights, intercept, blend, scale and thresholds of its
    own, `news_*`): `with_genre("news")` reads with it.
    """

    def __init__(self, path: Path) -> None:
        data = np.load(path, allow_pickle=False)
        self.genres = ("social", "news") if "news_coef" in data else ("social",)
        self._news = (Head(data["news_coef"],
                           data["news_dense_coef"].astype(np.float64),
                           data["news_intercept"].astype(np.float64),
                           float(data["news_blend"]),
                           _pair(data["news_knees"].tolist()),
                           float(data["news_silent"]))
                      if "news_coef" in data else None)
        self.path = path
        self.idf = data["idf"].astype(np.float64)
        # The n-gram weights stay as the file stores them (float16): only the rows a text
        # gathers are widened to float64, to the values a float64 copy holds, so the logits
        # are the same bits. The copies (with the news head's) took 9.5 MiB for both
        # languages; widening costs 1-3 microseconds per text. (idf widened at each text
        # cost as much again for 0.9 MiB, so it is widened here.)
        self.coef = data["coef"]  # (n_vocab, n_heads * n_classes)
        self.dense_coef = data["dense_coef"].astype(np.float64)  # (n_dense, same)
        self.intercept = data["intercept"].astype(np.float64)
        self.classes = [str(c) for c in data["classes"]]
        self.heads = self.coef.shape[1] // len(self.classes)
        self.temperature = float(data["temperature"]) if "temperature" in data else 1.0
        self._pos = self.classes.index("pos")
        self._neg = self.classes.index("neg")
        # Weight of the lexicon's compound score (dense feature 0) added to the tone.
        self.blend = float(data["blend"]) if "blend" in data else 0.0
        # Scale of the tone of a text in which the lexicon finds no term (dense features 1
        # and 2, its positive and negative sums, both zero), chosen by CV: such texts are
        # where plain reports and most neutral posts are, and the n-grams alone overreach.
        self.silent = float(data["silent"]) if "silent" in data else 1.0
        # The thresholds chosen by CV on the raw tone (positive, negative magnitude), mapped
        # onto KNEE_TARGET so the configured thresholds keep their meaning.
        knees = data["knees"].tolist() if "knees" in data else [KNEE_TARGET, KNEE_TARGET]
        self.knee_pos, self.knee_neg = (float(k) for k in knees)
        # Optional representations the model was trained with (features.EN_OPTIONS).
        self.options = frozenset(str(o) for o in data["options"]) if "options" in data \
            else frozenset()
        self._lists()

    @property
    def index(self) -> dict[str, int]:
        """Each n-gram token's row in the model, read from the file at each call: a scorer
        turns it into its NgramIndex once and keeps that alone (the map takes 15-20 MiB)."""
        with np.load(self.path, allow_pickle=False) as data:
            vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
        return {tok: i for i, tok in enumerate(vocab)}

    def _lists(self) -> None:
        # Scoring one short text is a handful of numbers: numpy gathers and sums the
        # n-grams' rows, plain Python does the rest (numpy's per-call cost would dominate).
        self._dense_rows = self.dense_coef.tolist()
        self._intercept = self.intercept.tolist()
        self._dense_cols = list(zip(self._intercept, *self._dense_rows, strict=True))

    def with_genre(self, genre: str) -> LinearToneModel:
        """This model reading with `genre`'s head: "news" uses the news head when the file
        has one, anything else (or a file without one) the shared weights. The vocabulary is
        shared, not copied."""
        if genre != "news" or self._news is None:
            return self
        view = copy.copy(self)
        head = self._news
        view.coef, view.dense_coef, view.intercept = head.coef, head.dense_coef, head.intercept
        view.blend, view.silent = head.blend, head.silent
        view.knee_pos, view.knee_neg = head.knees
        view._lists()
        return view

    def _dense_logits(self, dense: Sequence[float]) -> list[float]:
        rows = self._dense_rows
        if len(dense) == len(rows) == 3:
            # One pass, adding the features in the same order as the general loop below.
            a, b, c = dense
            return [z + a * x + b * y + c * w for z, x, y, w in self._dense_cols]
        logits = list(self._intercept)
        for value, row in zip(dense, rows, strict=True):
            logits = [z + value * c for z, c in zip(logits, row, strict=True)]
        return logits

    def _indexed_logits(self, indexes: Sequence[int | None],
                        dense: Sequence[float]) -> list[float]:
        """Logits from the vocabulary index of each token (None for unknown tokens)."""
        logits = self._dense_logits(dense)
        # Counted in C; unknown tokens count under None, dropped after (same order of keys).
        counts = Counter(indexes)
        unknown = counts.pop(None, 0)  # type: ignore[call-overload]
        if not counts:
            return logits
        # The rows as an index array, gathered with take: a list through fancy indexing
        # cost twice as much (numpy converts it item by item). The same rows and weights
        # reach the same product, so the logits are the same bits.
        rows = np.fromiter(counts, dtype=np.intp, count=len(counts))
        weights = self.idf.take(rows)
        if len(counts) + unknown != len(indexes):
            # Sublinear tf, (1 + log n) * idf: the same products, in C. (Where every known
            # token occurs once, its sublinear tf is 1 and the weight is the idf.)
            tf = np.fromiter(counts.values(), dtype=np.intp, count=len(counts))
            weights *= sublinear_tf(tf)
        # fsum is exactly rounded: its result does not depend on how the squares are fed
        # (numpy's products are the same IEEE products as Python's).
        norm = math.sqrt(math.fsum((weights * weights).tolist()))
        ngram = (weights @ self.coef.take(rows, axis=0).astype(np.float64)).tolist()
        return [z + g / norm for z, g in zip(logits, ngram, strict=True)]

    def _softmax(self, logits: list[float]) -> list[float]:
        n = len(self.classes)
        p: list[float] = []
        for h in range(self.heads):
            head = logits[h * n:(h + 1) * n]
            top = max(head)
            exp = [math.exp(z - top) for z in head]
            total = sum(exp)
            # The first head's shares stand alone: 0.0 + x is x for these x >= 0.
            p = ([a + e / total for a, e in zip(p, exp, strict=True)] if p
                 else [e / total for e in exp])
        t = self.temperature
        p = [a ** t for a in p] if t != 1.0 else p
        total = sum(p)
        return [a / total for a in p]

    def indexed_tone(self, indexes: Sequence[int | None], dense: Sequence[float]) -> float:
        """P(positive) - P(negative), plus the lexicon blend, times `silent` if the lexicon
        found no term, clipped to [-1, 1], from each token's index in `self.index` (None for
        unknown tokens)."""
        if not any(dense) and all(i is None for i in indexes):
            # No known n-gram and no lexicon word: no evidence either way, so no tone (the
            # intercepts alone would lean to the training data's majority).
            return 0.0
        p = self._softmax(self._indexed_logits(indexes, dense))
        tone = p[self._pos] - p[self._neg] + self.blend * float(dense[0])
        if self.silent != 1.0 and lexicon_silent(dense):
            tone *= self.silent
        return calibrate(min(1.0, max(-1.0, tone)), self.knee_pos, self.knee_neg)


def _pair(values: Sequence[float]) -> tuple[float, float]:
    return float(values[0]), float(values[1])


def lexicon_silent(dense: Sequence[float]) -> bool:
    """Whether the lexicon found no term of either sign: dense features 1 and 2 (its positive
    and negative scores, in both languages) are both zero."""
    return not dense[1] and not dense[2]


def calibrate(tone: float, knee_pos: float, knee_neg: float) -> float:
    """Map a raw tone in [-1, 1] piecewise-linearly so +knee_pos and -knee_neg land on
    +-KNEE_TARGET and the ends stay at +-1 (monotone, so the order of tones is kept)."""
    if tone >= 0:
        k = knee_pos
        return tone * KNEE_TARGET / k if tone < k else \
            KNEE_TARGET + (tone - k) * (1 - KNEE_TARGET) / (1 - k)
    k = knee_neg
    t = -tone
    return -(t * KNEE_TARGET / k if t < k else KNEE_TARGET + (t - k) * (1 - KNEE_TARGET) / (1 - k))


@dataclass(frozen=True)
class Head:
    """A second set of weights over the same vocabulary (the news head), with its own lexicon
    blend, silent scale and thresholds."""

    coef: np.ndarray
    dense_coef: np.ndarray
    intercept: np.ndarray
    blend: float
    knees: tuple[float, float]
    silent: float


def save_model(path: Path, vocab: Sequence[str], idf: np.ndarray, coef: np.ndarray,
               dense_coef: np.ndarray, intercept: np.ndarray, classes: Sequence[str],
               blend: float = 0.0, temperature: float = 1.0,
               knees: tuple[float, float] | None = None,
               options: Sequence[str] = (), silent: float = 1.0,
               news: Head | None = None) -> None:
    """Write a model file that LinearToneModel reads (used by scripts/train_sentiment.py)."""
    blob = "\n".join(vocab).encode("utf-8")
    extra: dict[str, np.ndarray] = {}
    if news is not None:
        extra = {
            "news_coef": news.coef.astype(np.float16),
            "news_dense_coef": news.dense_coef.astype(np.float32),
            "news_intercept": news.intercept.astype(np.float32),
            "news_blend": np.array(news.blend, dtype=np.float32),
            "news_knees": np.array(news.knees, dtype=np.float64),
            "news_silent": np.array(news.silent, dtype=np.float64),
        }
    np.savez_compressed(
        path,
        **extra,  # type: ignore[arg-type]
        vocab=np.frombuffer(blob, dtype=np.uint8),
        idf=idf.astype(np.float32),
        coef=coef.astype(np.float16),
        dense_coef=dense_coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        classes=np.array(list(classes)),
        blend=np.array(blend, dtype=np.float32),
        temperature=np.array(temperature, dtype=np.float32),
        knees=np.array(knees or (KNEE_TARGET, KNEE_TARGET), dtype=np.float64),
        silent=np.array(silent, dtype=np.float64),
        options=np.array(list(options), dtype=str),
    )
