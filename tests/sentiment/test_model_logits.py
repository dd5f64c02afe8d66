"""The tone model's logits, scored for many texts at once, against tf-idf computed the plain way.

model.py scores a batch's texts together (issue 23): one gather of the n-grams' rows and one
sum per text. A text's logits must be the same bits alone or among others (the stored tones
must not depend on which posts shared a batch), and within rounding of the plain per-text
product that the release computed (BLAS's summation order, math.fsum's norm), which is all
the exports read (tones rounded to 4 decimals, labels by threshold).
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tracker.config import SentimentConfig
from tracker.sentiment import get_scorer, label_for
from tracker.sentiment.features import ZH_CHAR_FAMILIES, ZH_WORD_FAMILIES
from tracker.sentiment.model import LinearToneModel, calibrate, calibrate_many, lexicon_silent

DATA = Path(str(resources.files("tracker.data").joinpath("sentiment")))
LABELLED = Path(__file__).resolve().parents[1] / "data" / "mentions_labelled.jsonl"
SETTINGS = SentimentConfig()
DENSE = [0.25, 0.5, 0.125]


def _plain_logits(model: LinearToneModel, indexes: list[int], dense: list[float]
                  ) -> list[float]:
    # Sublinear tf times idf, l2 norm, one row per known token in order of first occurrence,
    # the dense features added one by one: the release's per-text computation.
    logits = model.intercept.tolist()
    for value, row in zip(dense, model.dense_coef.tolist(), strict=True):
        logits = [z + value * c for z, c in zip(logits, row, strict=True)]
    counts = Counter(i for i in indexes if i >= 0)
    if not counts:
        return logits
    idx = list(counts)
    # Each row's idf as a Python float, read alone: the whole vector through tolist() for
    # every text took most of this module's time.
    idf = [float(model.idf[i]) for i in idx]
    weights = [(1.0 + math.log(n)) * w if n > 1 else w
               for w, n in zip(idf, counts.values(), strict=True)]
    norm = math.sqrt(math.fsum(w * w for w in weights))
    ngram = (np.asarray(weights) @ model.coef[idx].astype(np.float64)).tolist()
    return [z + g / norm for z, g in zip(logits, ngram, strict=True)]


def _index_lists(vocab: int) -> list[list[int]]:
    rng = random.Random(23)
    # The last: a count past the tf table of model.py.
    lists: list[list[int]] = [[-1], [0], [vocab - 1, -1, vocab - 1], [],
                              [5] * 1100 + [7, 7, -1]]
    for size in (1, 3, 30, 120):
        for repeats in (False, True):
            pool = [rng.randrange(vocab) for _ in range(size // 3 + 1 if repeats else size)]
            lists.append([rng.choice(pool) if rng.random() < 0.9 else -1
                          for _ in range(size)])
    return lists


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("genre", ["social", "news"])
def test_a_batch_gives_each_text_its_logits_alone(lang: str, genre: str) -> None:
    model = LinearToneModel(DATA / f"{lang}_model.npz").with_genre(genre)
    lists = _index_lists(model.coef.shape[0])
    dense = np.array([DENSE] * len(lists))
    together, has = model.indexed_logits(lists, dense)
    for row, indexes in enumerate(lists):
        alone, one = model.indexed_logits([indexes], dense[:1])
        assert together[row].tolist() == alone[0].tolist(), indexes  # the same bits
        assert has[row] == one[0] == any(i >= 0 for i in indexes)
        plain = _plain_logits(model, indexes, DENSE)
        assert together[row].tolist() == pytest.approx(plain, rel=1e-12, abs=1e-15), indexes


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tones_of_a_batch_are_the_tones_alone(lang: str) -> None:
    model = LinearToneModel(DATA / f"{lang}_model.npz")
    lists = _index_lists(model.coef.shape[0])
    rng = random.Random(5)
    dense = [[rng.choice([0.0, rng.uniform(-1, 1)]) for _ in DENSE] for _ in lists]
    dense[0] = [0.0, 0.0, 0.0]  # no known n-gram and no lexicon score: no tone
    tones = model.indexed_tones(lists, dense)
    assert tones[0] == 0.0
    assert tones == [model.indexed_tone([None if i < 0 else i for i in indexes], d)
                     for indexes, d in zip(lists, dense, strict=True)]
    assert model.indexed_tones([], []) == []


def test_calibrating_many_tones_gives_the_same_floats() -> None:
    tones = [-1.0, -0.7, -0.31, -0.3, -1e-9, -0.0, 0.0, 1e-9, 0.2, 0.45, 0.4500001, 1.0]
    for knees in ((0.3, 0.45), (0.45, 0.3), (0.25, 0.25)):
        many = calibrate_many(np.array(tones), *knees).tolist()
        one = [calibrate(t, *knees) for t in tones]
        assert many == one
        assert [math.copysign(1, t) for t in many] == [math.copysign(1, t) for t in one]


def _plain_tone(model: LinearToneModel, indexes: list[int], dense: list[float]) -> float:
    # The release's tone of one text: its plain logits, each head's softmax in Python.
    if not any(dense) and all(i < 0 for i in indexes):
        return 0.0
    logits = _plain_logits(model, indexes, dense)
    n = len(model.classes)
    p: list[float] = []
    for h in range(model.heads):
        head = logits[h * n:(h + 1) * n]
        exp = [math.exp(z - max(head)) for z in head]
        p = [a + e / sum(exp) for a, e in zip(p or [0.0] * n, exp, strict=True)]
    p = [a ** model.temperature for a in p]
    p = [a / sum(p) for a in p]
    tone = p[model.classes.index("pos")] - p[model.classes.index("neg")] \
        + model.blend * dense[0]
    if lexicon_silent(dense):
        tone *= model.silent
    return calibrate(min(1.0, max(-1.0, tone)), model.knee_pos, model.knee_neg)


def _indexed(scorer: Any, text: str) -> tuple[list[int], list[float]] | None:
    # A text's n-gram indexes (from the n-gram trees, text by text, as the release found
    # them) and dense features; None for plain reporting.
    found = scorer._features(text)
    if found is None or scorer.lang == "en":
        return found  # type: ignore[no-any-return]
    words, chars, dense = found
    units = [(words, ZH_WORD_FAMILIES)] + [(list(seq), ZH_CHAR_FAMILIES) for seq in chars]
    return scorer.ngrams.indexes(units, missing=-1), dense


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("genre", ["social", "news"])
def test_a_corpus_scored_in_one_batch_exports_what_one_at_a_time_did(
        lang: str, genre: str) -> None:
    # The labelled posts, whole and line by line: the tones the exports write (4 decimals)
    # and their labels are the release's, text by text, and each tone within 1e-12 of it.
    posts = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines()]
    texts = [text for post in posts if post["lang"] == lang
             for text in [post["text"], *post["text"].splitlines()] if text.strip()]
    scorer = get_scorer(lang, SETTINGS, genre)
    assert scorer is not None and len(texts) > 40
    tones = scorer.score_many(texts)
    assert tones[:5] == [scorer.score(text) for text in texts[:5]]
    for text, tone in zip(texts, tones, strict=True):
        read = _indexed(scorer, text)
        plain = 0.0 if read is None else _plain_tone(scorer.model,  # type: ignore[attr-defined]
                                                     *read)
        assert abs(tone - plain) < 1e-12, text
        assert round(tone, 4) == round(plain, 4), text
        assert label_for(tone, SETTINGS) == label_for(plain, SETTINGS), text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_where_the_model_calls_are_cut_changes_no_tone(
        lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.sentiment import default

    posts = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines()]
    texts = [post["text"] for post in posts if post["lang"] == lang]
    scorer = get_scorer(lang, SETTINGS)
    assert scorer is not None
    whole = scorer.score_many(texts)
    monkeypatch.setattr(default, "_BATCH_INDEXES", 40)  # a call every text or two
    assert scorer.score_many(texts) == whole
