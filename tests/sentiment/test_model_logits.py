"""The tone model's logits, held bit for bit to tf-idf computed the plain way.

model.py gathers the n-grams' rows and weights by index arrays for speed (issue 23); the
tones it stores must not move by one bit for that, so each logit is compared with `==`.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from tracker.sentiment.model import LinearToneModel

DATA = Path(str(resources.files("tracker.data").joinpath("sentiment")))


def _plain_logits(model: LinearToneModel, indexes: list[int | None],
                  dense: list[float]) -> list[float]:
    # Sublinear tf times idf, l2 norm, one row per known token in order of first occurrence.
    logits = model._dense_logits(dense)
    counts = Counter(i for i in indexes if i is not None)
    if not counts:
        return logits
    idx = list(counts)
    idf = model.idf.tolist()
    weights = [(1.0 + math.log(n)) * idf[i] if n > 1 else idf[i] for i, n in counts.items()]
    norm = math.sqrt(math.fsum(w * w for w in weights))
    ngram = (np.asarray(weights) @ model.coef[idx]).tolist()
    return [z + g / norm for z, g in zip(logits, ngram, strict=True)]


def _index_lists(vocab: int) -> list[list[int | None]]:
    rng = random.Random(23)
    # The last: a count past the tf table of model.py.
    lists: list[list[int | None]] = [[None], [0], [vocab - 1, None, vocab - 1], [],
                                     [5] * 1100 + [7, 7, None]]
    for size in (1, 3, 30, 120):
        for repeats in (False, True):
            pool = [rng.randrange(vocab) for _ in range(size // 3 + 1 if repeats else size)]
            lists.append([rng.choice(pool) if rng.random() < 0.9 else None
                          for _ in range(size)])
    return lists


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("genre", ["social", "news"])
def test_logits_equal_the_plain_tf_idf(lang: str, genre: str) -> None:
    model = LinearToneModel(DATA / f"{lang}_model.npz").with_genre(genre)
    dense = [0.25, 0.5, 0.125]
    for indexes in _index_lists(model.coef.shape[0]):
        assert model._indexed_logits(indexes, dense) == _plain_logits(model, indexes, dense), \
            indexes
