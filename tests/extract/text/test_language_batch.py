"""A batch's sentences read by the language model at once (language_batch.py) give the
answers py3langid's own walk gives, one sentence at a time: on the English posts of
datasets/real_train, the seeds, the short labelled posts and made-up strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract.text import language_batch, languages
from tracker.extract.text.language_batch import WINDOW, latin_langs
from tracker.extract.text.language_batch import window_model as _window_model
from tracker.extract.text.languages import _identifier, latin_lang
from tracker.extract.text.sentences import detect_lang, detect_langs, split_sentences

ROOT = Path(__file__).resolve().parents[3]
_REAL = ("en_stocktwits.jsonl", "en_stocktwits_b.jsonl", "en_wsb.jsonl", "en_reddit.jsonl")


def _sentences(texts: list[str]) -> list[str]:
    return [text[s:e] for text in texts for s, e in split_sentences(text)]


def _real_sentences() -> list[str]:
    texts = []
    for name in _REAL:
        with (ROOT / "datasets" / "real_train" / name).open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines]
    return _sentences(texts)


def _other_sentences() -> list[str]:
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").iterdir())
             if p.suffix == ".txt"]
    short = [json.loads(line)["text"] for line in
             (ROOT / "tests" / "data" / "lang_short_posts.jsonl").read_text("utf-8").splitlines()]
    return _sentences(seeds + short)


def _in_batches(texts: list[str], finance: bool) -> list[str | None]:
    out: list[str | None] = []
    for i in range(0, len(texts), 80):
        out += latin_langs(texts[i:i + 80], [finance] * len(texts[i:i + 80]))
    return out


@pytest.fixture(scope="module")
def real() -> list[str]:
    return _real_sentences()


# Slow (3 s): the fast suite holds the batches to the model on 3,000 of these sentences
# (test_detect_langs_answers_as_detect_lang); CI reads them all.
@pytest.mark.slow
@pytest.mark.parametrize("finance", [False, True], ids=["plain", "finance"])
def test_batches_answer_as_the_model_on_real_english_posts(real: list[str],
                                                           finance: bool) -> None:
    # Both of the model's questions (rank for a finance post's short lines, classify
    # else) on more than 20,000 sentences that reach it.
    expected = [latin_lang(text, finance) for text in real]
    assert sum(lang is not None for lang in expected) > 20_000
    assert len(set(expected)) > 5
    assert _in_batches(real, finance) == expected


def test_batches_answer_as_the_model_on_the_seeds_and_short_posts() -> None:
    texts = _other_sentences()
    for finance in (False, True):
        expected = [latin_lang(text, finance) for text in texts]
        assert _in_batches(texts, finance) == expected
    assert {"en", "es", "pt", "it", "de", "fr"} <= set(expected)  # type: ignore[arg-type]


def test_detect_langs_answers_as_detect_lang(real: list[str]) -> None:
    texts = real[:3000] + _other_sentences() + ["", "你好。", "こんにちは", "안녕하세요", "12 34"]
    finance = [i % 3 == 0 for i in range(len(texts))]
    assert detect_langs(texts, finance) == [detect_lang(t, f) for t, f in zip(texts, finance,
                                                                                strict=True)]


def test_scores_are_within_their_bound_of_the_models(real: list[str]) -> None:
    # The window's states are the walk's (a wrong state would count other features and
    # move the scores by whole units), and the bound covers the order of the sums.
    texts = [languages.words_only(t) for t in real[:2000]]
    found = _window_model().scores(texts)
    identifier = _identifier()
    read = 0
    for i, text in enumerate(texts):
        row = found.row(i)
        own = identifier._raw_score(identifier._encode(text)).tolist()
        if row is None:
            assert own == [pytest.approx(-3.4028234663852886e38)] * len(own)
            continue
        read += 1
        scores, bound = row
        assert 0 < bound < 0.5  # far below the margins the answers turn on (6.0)
        assert all(abs(a - b) <= bound for a, b in zip(scores, own, strict=True)), text
    assert read > 1500


def test_a_few_texts_are_read_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fewer than BATCH_FLOOR texts: py3langid's walk for each, no batch.
    def no_batch(self: object, batch: list[str]) -> object:
        raise AssertionError("a batch of fewer than BATCH_FLOOR texts")

    texts = ["this is a really nice quarter", "Questo titolo sale ancora oggi", "$TSLA"]
    expected = [latin_lang(t, True) for t in texts]
    monkeypatch.setattr(type(_window_model()), "scores", no_batch)
    assert latin_langs(texts, [True] * 3) == expected == ["en", "it", None]


def test_a_long_batch_is_read_in_slices(real: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # The model's arrays take about a hundred bytes a byte of text: a chunk of long posts
    # read at once took gigabytes (50 posts of 100,000 characters: 904 MiB peak). Each read
    # holds at most BATCH_CHARS characters (here made 4,096, so that a few hundred texts
    # fill several reads), and the answers are the same.
    monkeypatch.setattr(language_batch, "BATCH_CHARS", 4096)
    texts = [t for t in real if len(t) > 40][:600]
    assert sum(map(len, texts)) > 3 * language_batch.BATCH_CHARS
    sizes: list[int] = []
    real_scores = type(_window_model()).scores

    def measured(self: object, batch: list[str]) -> object:
        sizes.append(sum(map(len, batch)))
        return real_scores(self, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(type(_window_model()), "scores", measured)
    assert latin_langs(texts, [True] * len(texts)) == [latin_lang(t, True) for t in texts]
    assert len(sizes) > 3 and max(sizes) <= language_batch.BATCH_CHARS


def test_a_text_reads_the_same_in_any_batch() -> None:
    # Each text's bytes are walked from the start of its own text, never from the end of
    # the text before it in the batch.
    model = _window_model()
    word = "quantum stocks rallied"
    assert len(word.encode()) > WINDOW
    alone = model.scores([word]).row(0)
    assert alone is not None
    assert model.scores(["", "zz Aktie gut", word, "more"]).row(2) == alone
    assert model.scores(["", "zz Aktie gut"]).row(0) is None


@pytest.mark.parametrize("field", ["bounds", "found"], ids=["close", "featureless"])
def test_close_or_featureless_scores_are_left_to_the_model(
        monkeypatch: pytest.MonkeyPatch, field: str) -> None:
    # Where a margin is within the bound (here every margin), or a text has no feature
    # (none of the real ones lacks one), py3langid itself answers; else it is not asked.
    texts = ["Das ist ein sehr guter Tag für die Aktie", "this is a really nice quarter",
             "Questo titolo sale ancora oggi", "Le titre monte encore aujourd'hui"]
    assert len(texts) >= language_batch.BATCH_FLOOR
    plain = [latin_lang(t) for t in texts]
    short = [latin_lang(t, True) for t in texts]
    asked: list[str] = []
    own = languages.latin_lang

    def counted(text: str, finance: bool = False) -> str | None:
        asked.append(text)
        return own(text, finance)

    monkeypatch.setattr(language_batch, "latin_lang", counted)
    assert latin_langs(texts, [False] * 4) == plain and asked == []
    real_scores = type(_window_model()).scores

    def unsure(self: object, batch: list[str]) -> object:
        found = real_scores(self, batch)  # type: ignore[arg-type]
        if field == "bounds":
            found.bounds[:] = 1e9
        else:
            found.found[:] = False
        return found

    monkeypatch.setattr(type(_window_model()), "scores", unsure)
    assert latin_langs(texts, [True] * 4) == short
    assert latin_langs(texts, [False] * 4) == plain
    assert len(asked) == 2 * len(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ éèüöäñçß.,!?'$#@0123456789"
         "中文ñÅ🚀\u0301")), min_size=0, max_size=120), min_size=1, max_size=12),
       st.booleans())
def test_made_up_strings_are_answered_as_the_model(texts: list[str], finance: bool) -> None:
    assert latin_langs(texts, [finance] * len(texts)) == [latin_lang(t, finance) for t in texts]
    assert detect_langs(texts, [finance] * len(texts)) == [detect_lang(t, finance)
                                                           for t in texts]


@pytest.mark.slow
def test_the_models_dfa_forgets_its_past_within_the_window() -> None:
    # What the window's reading rests on (scripts/check_langid_window.py): about 4 s of CPU
    # (42 s before its loop over each set and class of bytes went to numpy).
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "check_langid_window", ROOT / "scripts" / "check_langid_window.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.steps_to_one_state() == WINDOW
