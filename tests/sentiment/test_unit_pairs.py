"""The Chinese model's n-grams by unit id (unit_pairs.py) find what the n-gram trees found.

ChineseModelScorer.score_many looks a batch's unigrams and bigrams up through unit ids and
numpy (issue 23) instead of NgramIndex.indexes per text. The tones must be the same bits: the
model counts a text's n-gram rows whatever their order, so the same rows per text are enough.
The old path is kept here as the reference.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.config import SentimentConfig
from tracker.sentiment import get_scorer
from tracker.sentiment.chinese import REPORT_FRAME
from tracker.sentiment.default import ChineseModelScorer, _tones, zh_dense
from tracker.sentiment.features import (
    ZH_CHAR_FAMILIES,
    ZH_WORD_FAMILIES,
    NgramIndex,
    ngram_tokens,
    unnamed,
    zh_char_units,
    zh_text,
    zh_units,
    zh_word_units,
)
from tracker.sentiment.model import lexicon_silent
from tracker.sentiment.unit_pairs import PairIndex

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "data" / "mentions_labelled.jsonl"
XUEQIU = ROOT / "datasets" / "zh_real_xueqiu.train.jsonl"
# Texts the corpora may lack: placeholders, codes, percentages, links, handles, Latin words
# with "|", a capital sigma, NUL, a dotted capital I, full-width digits, empty.
ODD = ["", " ", "涨", "$贵州茅台(SH600519)$ 涨+5%，跌3%", "看好600519和sh000001，https://x.cn/a @某人 好",
       "ΑΣ Σ ΣΑ ΑΣ. 大涨", "a|b|c 的 |x| 和", "含\0零字", "İstanbul İİ 涨", "１２３涨了 ２.５％",
       "tkr pct pctup pctdown tkrtkr pctkr", "腾讯控股腾讯控股腾讯控股，腾讯控股。"]


def _zh_texts() -> list[str]:
    texts = [post["text"] for post in map(json.loads, LABELLED.read_text("utf-8").splitlines())
             if post["lang"] == "zh"]
    lines = XUEQIU.read_text("utf-8").splitlines()[:600]
    return texts + [json.loads(line)["text"] for line in lines] + ODD


def _old_tones(scorer: ChineseModelScorer, texts: list[str]) -> list[float]:
    # The path before unit ids: each text's n-gram indexes from the trees, then _tones.
    def features(text: str) -> tuple[list[int], list[float]] | None:
        dense = zh_dense(scorer.lexicon, unnamed(text) if scorer._mask else text)
        if lexicon_silent(dense) and REPORT_FRAME.search(text):
            return None
        read = zh_text(text, scorer.options)
        units = zh_units(scorer._segment(read), read, scorer.options)
        return scorer.ngrams.indexes(units, missing=-1), dense  # type: ignore[return-value]

    return _tones(scorer.model, map(features, texts))


@pytest.fixture(scope="module")
def scorer() -> ChineseModelScorer:
    found = get_scorer("zh", SentimentConfig())
    assert isinstance(found, ChineseModelScorer)
    return found


@pytest.mark.parametrize("genre", ["social", "news"])
def test_the_tones_are_the_trees_tones_bit_for_bit(scorer, genre):
    texts = _zh_texts()
    assert len(texts) > 700
    view = scorer.for_genre(genre)
    old = _old_tones(view, texts)
    assert view.score_many(texts) == old
    assert [str(t) for t in view.score_many(texts)] == [str(t) for t in old]  # -0.0 too
    # Alone, in one call, or cut into calls anywhere: the same tones.
    assert [view.score(t) for t in texts[:60]] == old[:60]


def test_a_batch_cut_into_calls_gives_the_same_tones(scorer, monkeypatch):
    from tracker.sentiment import default

    texts = _zh_texts()[:300]
    whole = scorer.score_many(texts)
    monkeypatch.setattr(default, "_BATCH_INDEXES", 64)
    assert scorer.score_many(texts) == whole


def test_each_text_gets_the_trees_rows(scorer):
    # Per text, the multiset of known rows equals NgramIndex.indexes' (options of every kind).
    for options in (scorer.options, frozenset(), frozenset({"cjk"}), frozenset({"numbers"})):
        for text in _zh_texts()[:200] + ODD:
            read = zh_text(text, options)
            words = scorer._segment(read)
            old = Counter(i for i in scorer.ngrams.indexes(zh_units(words, read, options),
                                                           missing=-1) if i >= 0)
            new: Counter[int] = Counter()
            for pairs, seqs in ((scorer._words, [zh_word_units(words, read)]),
                                (scorer._chars, zh_char_units(read, options))):
                for seq in seqs:
                    ids = np.fromiter(pairs.ids(seq), dtype=np.intp)
                    new.update(pairs.rows(ids, np.zeros(len(ids), dtype=np.intp))[1].tolist())
            assert new == old, (options, text)


UNITS = st.lists(st.sampled_from(["a", "b", "ab", "a|b", "|", "b|", "tkr", "涨", "跌", "x"]),
                 max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(UNITS, max_size=4), st.integers(0, 2**32))
def test_rows_equal_the_trees_over_any_units(seqs, seed):
    # A vocabulary of some of the n-grams these units make (words joined by "|", so that a
    # bigram reads more than one way, and characters joined by nothing).
    rng = np.random.default_rng(seed)
    for families in (ZH_WORD_FAMILIES, ZH_CHAR_FAMILIES):
        tokens = sorted({t for seq in seqs for t in ngram_tokens([(seq, families)])}
                        | {"w:zz", "b:zz|a", "c:q", "d:qq"})
        vocab = {t: i for i, t in enumerate(tokens) if rng.random() < 0.6}
        index = NgramIndex(vocab, families)
        trees = index.tables()[0]
        pairs = PairIndex(trees[families[0]], trees[families[1]])
        ids = np.fromiter((i for seq in seqs for i in pairs.ids(seq)), dtype=np.intp)
        owner = np.repeat(np.arange(len(seqs)), [len(s) for s in seqs])
        at, rows = pairs.rows(ids, owner)
        for n, seq in enumerate(seqs):
            old = Counter(i for i in index.indexes([(seq, families)]) if i is not None)
            assert Counter(rows[owner.take(at) == n].tolist()) == old


WORDS = st.lists(st.text(alphabet="aAΣσςΑ.,1２İi\u0345\u00ad'涨 ", min_size=1, max_size=5),
                 max_size=8)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.sampled_from(["", "7", "无数字"]))
def test_word_units_are_each_word_lowered_alone(words, digits):
    # One lower() over the words joined by NUL gives each word's own lower(): a capital
    # sigma's form, a dotted I's two characters, case-ignorable neighbours (U+0345, U+00AD,
    # the apostrophe).
    from tracker.sentiment.features import _DIGITS

    def alone(words: list[str], text: str) -> list[str]:
        if _DIGITS.search(text) is None:
            return [w.lower() for w in words]
        return [_DIGITS.sub("0", w.lower()) for w in words]

    text = "".join(words) + digits
    assert zh_word_units(words, text) == alone(words, text)
    with_nul = [*words, "a\0Σ"]
    assert zh_word_units(with_nul, text) == alone(with_nul, text)


# Characters a vocabulary may lack or the code-point table may not reach: a lone surrogate
# (JSON allows them), a pair of lone surrogates (two characters, not one astral one), astral
# characters, the last code points, NUL.
ODD_CHARS = ["\ud83d", "\ud83d\ude00好", "😀涨🚀", "\U0010ffff\uffff\ufffd", "\0涨\0",
             "\uff5e\uff5f"]


def test_char_ids_are_the_dict_ids(scorer):
    # PairIndex.char_ids finds a batch's one-character units by code point (issue 23,
    # twenty-third pass): the same id as `ids` for every character, known or not.
    texts = [t for text in _zh_texts() + ODD_CHARS
             for t in (text, zh_text(text, scorer.options))]
    assert len(texts) > 1400
    for pairs in (scorer._chars, scorer._words):
        joined = "".join(texts)
        assert pairs.char_ids(joined).tolist() == list(pairs.ids(joined))
        for text in texts:
            assert pairs.char_ids(text).tolist() == list(pairs.ids(text)), text
    assert scorer._chars.char_ids("").tolist() == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", "涨", "😀", "\ud83d", "x"]), max_size=8),
       st.text(alphabet="abx涨跌😀\ud83d\ude00\0", max_size=20))
def test_char_ids_over_any_vocabulary(units, text):
    # Units of one character and of more, none at all, astral ones and lone surrogates.
    pairs = PairIndex({u: i for i, u in enumerate(units)}, {})
    assert pairs.char_ids(text).tolist() == list(pairs.ids(text))
