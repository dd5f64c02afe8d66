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
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
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

    @property
    def index(self) -> dict[str, int]:
        """Each n-gram token's row in the model, read from the file at each call: a scorer
        turns it into its NgramIndex once and keeps that alone (the map takes 15-20 MiB)."""
        with np.load(self.path, allow_pickle=False) as data:
            vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
        return {tok: i for i, tok in enumerate(vocab)}

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
        return view

    def indexed_logits(self, indexes: Sequence[Sequence[int]],
                       dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The logits of each text, (texts, heads * classes), from its tokens' vocabulary
        indexes (-1 for unknown tokens) and its row of `dense`; and whether each text has a
        known token.

        tf-idf as TfidfVectorizer(sublinear_tf=True, norm="l2") makes it: (1 + log n) * idf
        per distinct known token, over the l2 norm of those weights. All texts at once: one
        gather of the weights' rows, one sum per text (np.add.reduceat, which adds a text's
        rows in order, so a text's logits do not depend on the texts beside it: scored alone
        or in a batch, the same bits). The order of the sums differs from a product per text
        (BLAS's order, and math.fsum's for the norm), so a logit may differ from one computed
        that way in its last bits: docs/performance.md, "Issue 23, thirteenth pass".
        """
        n = len(indexes)
        lengths = np.fromiter(map(len, indexes), dtype=np.intp, count=n)
        flat = np.fromiter(chain.from_iterable(indexes), dtype=np.intp,
                           count=int(lengths.sum()))
        texts = np.repeat(np.arange(n, dtype=np.intp), lengths)
        return self.owned_logits(texts, flat, dense)

    def owned_logits(self, texts: np.ndarray, flat: np.ndarray,
                     dense: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """indexed_logits from every token of every text at once: its text (a row of
        `dense`) in `texts` and its vocabulary index (-1 for unknown) in `flat`, in any
        order. A text's tokens are counted and summed in the order of their indexes, so the
        order they come in changes no bit."""
        n = dense.shape[0]
        logits = np.repeat(self.intercept[None, :], n, axis=0)
        for j in range(dense.shape[1]):
            # The features in order, as z + a*x + b*y + c*w adds them: the same IEEE sums.
            logits = logits + dense[:, j:j + 1] * self.dense_coef[j]
        known = flat >= 0
        # One key per (text, token): sorted and counted, each text's distinct tokens are a
        # run of rows, in the order of their indexes.
        vocab = self.coef.shape[0]
        keys, counts = np.unique(texts[known] * vocab + flat[known], return_counts=True)
        has = np.zeros(n, dtype=bool)
        if not len(keys):
            return logits, has
        owner = keys // vocab
        rows = keys - owner * vocab
        weights = self.idf.take(rows) * sublinear_tf(counts)
        starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
        owners = owner[starts]
        has[owners] = True
        norm = np.sqrt(np.add.reduceat(weights * weights, starts))
        # The float16 rows widened to float64, as a float64 copy of them would hold.
        ngram = np.add.reduceat(self.coef.take(rows, axis=0).astype(np.float64)
                                * weights[:, None], starts, axis=0)
        logits[owners] = logits[owners] + ngram / norm[:, None]
        return logits, has

    def _probabilities(self, logits: np.ndarray) -> np.ndarray:
        # Each head's softmax, averaged over the heads, sharpened by the temperature.
        k = len(self.classes)
        p = np.zeros((len(logits), k))
        for h in range(self.heads):
            head = logits[:, h * k:(h + 1) * k]
            exp = np.exp(head - head.max(axis=1, keepdims=True))
            p = p + exp / exp.sum(axis=1, keepdims=True)
        if self.temperature != 1.0:
            p = p ** self.temperature
        return p / p.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]

    def indexed_tones(self, indexes: Sequence[Sequence[int]],
                      dense: Sequence[Sequence[float]]) -> list[float]:
        """P(positive) - P(negative), plus the lexicon blend, times `silent` if the lexicon
        found no term, clipped to [-1, 1] and calibrated, for each text: from its tokens'
        indexes in `self.index` (-1 for unknown tokens) and its dense features.

        Scored together (indexed_logits): one text's tone is the same, alone or among
        others. A text with no known n-gram and no lexicon score has no evidence either
        way, so no tone: 0.0 (the intercepts alone would lean to the training data's
        majority)."""
        if not len(indexes):
            return []
        features = np.array(dense, dtype=np.float64).reshape(len(indexes), -1)
        return self._tones(*self.indexed_logits(indexes, features), features)

    def owned_tones(self, texts: np.ndarray, flat: np.ndarray,
                    dense: Sequence[Sequence[float]]) -> list[float]:
        """indexed_tones from every token of every text at once, as owned_logits reads
        them: one tone per row of `dense`."""
        if not len(dense):
            return []
        features = np.array(dense, dtype=np.float64).reshape(len(dense), -1)
        return self._tones(*self.owned_logits(texts, flat, features), features)

    def _tones(self, logits: np.ndarray, has: np.ndarray, features: np.ndarray) -> list[float]:
        p = self._probabilities(logits)
        tone = p[:, self._pos] - p[:, self._neg] + self.blend * features[:, 0]
        if self.silent != 1.0:
            silent = (features[:, 1] == 0) & (features[:, 2] == 0)  # lexicon_silent
            tone = np.where(silent, tone * self.silent, tone)
        tone = calibrate_many(np.minimum(1.0, np.maximum(-1.0, tone)),
                              self.knee_pos, self.knee_neg)
        evidence = has | features.any(axis=1)
        return np.where(evidence, tone, 0.0).tolist()  # type: ignore[no-any-return]

    def indexed_tone(self, indexes: Sequence[int | None], dense: Sequence[float]) -> float:
        """indexed_tones of one text, whose unknown tokens may be None."""
        return self.indexed_tones([[-1 if i is None else i for i in indexes]], [dense])[0]


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


def calibrate_many(tones: np.ndarray, knee_pos: float, knee_neg: float) -> np.ndarray:
    """`calibrate` of each tone: the same operations in the same order, so the same floats
    (-0.0 included)."""
    t = -tones
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(tones < knee_pos, tones * KNEE_TARGET / knee_pos,
                       KNEE_TARGET + (tones - knee_pos) * (1 - KNEE_TARGET) / (1 - knee_pos))
        neg = np.where(t < knee_neg, t * KNEE_TARGET / knee_neg,
                       KNEE_TARGET + (t - knee_neg) * (1 - KNEE_TARGET) / (1 - knee_neg))
    return np.where(tones >= 0, pos, -neg)


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
