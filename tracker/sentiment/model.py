"""A linear tone model exported from scikit-learn, scored with numpy alone.

The model file (.npz) holds the n-gram vocabulary, its idf weights and the coefficients of a
multinomial logistic regression over [tf-idf n-grams, lexicon scores]. Scoring reproduces
TfidfVectorizer(sublinear_tf=True, norm="l2") by hand, so loading takes milliseconds and
needs no scikit-learn at run time.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class LinearToneModel:
    """Class probabilities from tokens and dense lexicon features; tone = P(pos) - P(neg)."""

    def __init__(self, path: Path) -> None:
        data = np.load(path, allow_pickle=False)
        vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
        self.index = {tok: i for i, tok in enumerate(vocab)}
        self.idf = data["idf"].astype(np.float64)
        self.coef = data["coef"].astype(np.float64)  # (n_vocab, n_classes)
        self.dense_coef = data["dense_coef"].astype(np.float64)  # (n_dense, n_classes)
        self.intercept = data["intercept"].astype(np.float64)
        self.classes = [str(c) for c in data["classes"]]
        self._pos = self.classes.index("pos")
        self._neg = self.classes.index("neg")
        # Weight of the lexicon's compound score (dense feature 0) added to the tone.
        self.blend = float(data["blend"]) if "blend" in data else 0.0

    def probabilities(self, tokens: Sequence[str], dense: Sequence[float]) -> np.ndarray:
        """Class probabilities, in the order of `self.classes`."""
        counts = Counter(i for i in map(self.index.get, tokens) if i is not None)
        logits = self.intercept + np.asarray(dense, dtype=np.float64) @ self.dense_coef
        if counts:
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights = (1.0 + np.log(tf)) * self.idf[idx]
            norm = math.sqrt(float(weights @ weights))
            logits = logits + (weights / norm) @ self.coef[idx]
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def tone(self, tokens: Sequence[str], dense: Sequence[float]) -> float:
        """P(positive) - P(negative), plus the lexicon blend, clipped to [-1, 1]."""
        p = self.probabilities(tokens, dense)
        tone = float(p[self._pos] - p[self._neg]) + self.blend * float(dense[0])
        return min(1.0, max(-1.0, tone))


def save_model(path: Path, vocab: Sequence[str], idf: np.ndarray, coef: np.ndarray,
               dense_coef: np.ndarray, intercept: np.ndarray, classes: Sequence[str],
               blend: float = 0.0) -> None:
    """Write a model file that LinearToneModel reads (used by scripts/train_sentiment.py)."""
    blob = "\n".join(vocab).encode("utf-8")
    np.savez_compressed(
        path,
        vocab=np.frombuffer(blob, dtype=np.uint8),
        idf=idf.astype(np.float32),
        coef=coef.astype(np.float16),
        dense_coef=dense_coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        classes=np.array(list(classes)),
        blend=np.array(blend, dtype=np.float32),
    )
