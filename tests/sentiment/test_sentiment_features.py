"""The default scorers' n-gram lookup: the same vocabulary indexes as the tokens' strings."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract.text.patterns import CASHTAG
from tracker.sentiment import features as f
from tracker.sentiment.features import (
    EN_FAMILIES,
    ZH_CHAR_FAMILIES,
    ZH_WORD_FAMILIES,
    NgramIndex,
    en_tokens,
    en_units,
    ngram_tokens,
    zh_tokens,
    zh_units,
)

# Units that hold their family's separator, so a token reads as more than one n-gram.
VOCAB = ["w:a", "w:a|b", "b:a|b", "b:a|b|c", "b:|", "t:x y z", "t:x y z w", "b:x y",
         "c:a", "c:", "d:ab", "d:a", "d:", "w:0", "b:0|a", "c:0", "d:$0"]
INDEX = {token: i for i, token in enumerate(VOCAB)}
UNIT = st.sampled_from(["a", "b", "c", "a|b", "b|c", "|", "", "x", "y", "z", "x y", "z w"])


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(units=st.lists(UNIT, max_size=8), chars=st.lists(UNIT, max_size=8))
def test_lookup_matches_token_strings(units: list[str], chars: list[str]) -> None:
    for text_units in ([(units, EN_FAMILIES)],
                       [(units, ZH_WORD_FAMILIES), (chars, ZH_CHAR_FAMILIES)],
                       [(units, (("q:", 4, "|"),))]):
        tokens = ngram_tokens(text_units)
        lookup = NgramIndex(INDEX, [f for _, fs in text_units for f in fs])
        assert lookup.indexes(text_units) == [INDEX.get(t) for t in tokens]
        # The scorers' form (-1 for a token not in the vocabulary), spelt units included.
        assert lookup.indexes(text_units, missing=-1) == [INDEX.get(t, -1) for t in tokens]


def test_tokens_are_the_families_ngrams() -> None:
    assert en_tokens("TSLA up 5%!") == ngram_tokens(en_units("TSLA up 5%!"))
    assert en_tokens("Buy the dip") == [
        "w:buy", "w:the", "w:dip", "b:buy the", "b:the dip", "t:buy the dip"]
    assert zh_tokens(["大盘", "涨 3"], "大盘 涨3") == [
        "w:大盘", "w:涨 0", "b:大盘|涨 0", "c:大", "c:盘", "c:涨", "c:0",
        "d:大盘", "d:盘涨", "d:涨0"]
    assert zh_tokens(["A"], "A") == ngram_tokens(zh_units(["A"], "A"))


def _every_pattern_en(text: str) -> str:
    # normalise_en without its shortcuts: every pattern applied to every text.
    text = html.unescape(f._URL.sub(" ", text).replace("\u2026", " "))
    text = f._HANDLE.sub(" usr ", text)
    text = CASHTAG.sub(" tkr ", text)
    text = f._MONEY.sub(" money ", text)
    text = f._PERCENT.sub(lambda m: f._PERCENT_TOKEN[m.group(1)], text)
    return f._DIGITS.sub(" 0 ", text).lower()


def _every_pattern_zh(text: str) -> str:
    return f._DIGITS.sub("0", CASHTAG.sub("$", f._URL.sub(" ", text))).lower()


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(
    ["$TSLA", "$5m", "$Name(TSLA.US)", "+5%", "-3 %", "\u22122%", "7%", "@bob", "a@b",
     "http://x.co/a", "www.y.com", "HTTP://z", "\u2026", "12,5", "大涨", "up", " ", "$", "%",
     "&#39;", "&gt;", "&"]),
    max_size=10))
def test_normalise_shortcuts_change_nothing(parts: list[str]) -> None:
    text = "".join(parts)
    assert f.normalise_en(text) == _every_pattern_en(text)
    assert f.normalise_zh(text) == _every_pattern_zh(text)


def test_options_emoji_negation_and_chars() -> None:
    text = "$GME not a good buy, 🚀 to the moon"
    both = en_tokens(text, frozenset({"emoji", "negation"}))
    # A negator marks the next words up to the comma; emoji become words.
    assert [t for t in both if t.startswith("w:")] == [
        "w:tkr", "w:not", "w:n_a", "w:n_good", "w:n_buy", "w:🚀", "w:to", "w:the", "w:moon"]
    assert "b:🚀 to" in both
    # Without options, the tokens are the plain word n-grams (emoji and commas dropped).
    assert en_tokens(text) == en_tokens(text, frozenset({"chars"}))[:len(en_tokens(text))]
    assert "w:🚀" not in en_tokens(text) and "w:good" in en_tokens(text)
    assert "x: to" in en_tokens(text, frozenset({"chars"}))
    assert en_tokens("don&#39;t buy", frozenset({"negation"}))[:2] == ["w:don't", "w:n_buy"]


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(
    ["not", "good", " ", ",", "🚀", "🐻", "$TSLA", "to the moon", "don't", "5%", "."]),
    max_size=12))
def test_option_lookup_matches_token_strings(parts: list[str]) -> None:
    from tracker.sentiment.features import EN_CHAR_FAMILIES

    text = "".join(parts)
    options = frozenset({"emoji", "negation", "chars"})
    units = en_units(text, options)
    tokens = ngram_tokens(units)
    vocab = {t: i for i, t in enumerate(sorted(set(tokens))[::2])}
    lookup = NgramIndex(vocab, EN_FAMILIES + EN_CHAR_FAMILIES)
    assert lookup.indexes(units) == [vocab.get(t) for t in tokens]
    assert lookup.indexes(units, missing=-1) == [vocab.get(t, -1) for t in tokens]


def test_option_cjk_keeps_latin_and_digits_out_of_the_characters() -> None:
    text = "全球只有 ASML 能造高端 EUV，涨5%"
    words = ["全球", "只有", "ASML", "能造", "高端", "EUV", "，", "涨", "5%"]
    plain = zh_tokens(words, text)
    cjk = zh_tokens(words, text, frozenset({"cjk"}))
    # Words are the same; characters are Han only, and no bigram bridges a dropped unit.
    assert [t for t in cjk if t[0] in "wb"] == [t for t in plain if t[0] in "wb"]
    assert "w:asml" in cjk and "c:a" in plain and "d:有a" in plain
    assert [t for t in cjk if t[0] in "cd"] == [
        "c:全", "c:球", "c:只", "c:有", "d:全球", "d:球只", "d:只有",
        "c:能", "c:造", "c:高", "c:端", "d:能造", "d:造高", "d:高端", "c:涨"]


@pytest.mark.parametrize(("text", "read"), [
    ("今天涨了5%", "今天涨了 pctup "),
    ("跌幅 2.5%", "跌幅  pctdown "),
    ("+5%，-3%，\u22122%", " pctup ， pctdown ， pctdown "),
    ("7%的仓位", " pct 的仓位"),
    ("600519.SH 和 sz000001 还有 600519", " tkr  和  tkr  还有  tkr "),
    ("$贵州茅台(SH600519)$ 好", " tkr  好"),
    ("12345678 不是代码", "12345678 不是代码"),
], ids=["up-word", "down-word", "signs", "plain", "codes", "cashtag", "long-number"])
def test_option_numbers_puts_placeholders_in_the_text(text: str, read: str) -> None:
    assert f.zh_text(text, frozenset({"numbers"})) == read
    assert f.zh_text(text) == text


def test_option_numbers_placeholders_are_one_unit() -> None:
    opts = frozenset({"numbers"})
    read = f.zh_text("涨了5%", opts)
    tokens = zh_tokens(["涨", "了", "pctup"], read, opts)
    assert "w:pctup" in tokens and "c:pctup" in tokens and "d:了pctup" in tokens
    assert "c:p" not in tokens


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(
    ["大盘", "涨", "5%", "-3%", "ASML", " ", "，", "600519", "$贵州茅台(SH600519)$", "好"]),
    max_size=10))
def test_zh_option_lookup_matches_token_strings(parts: list[str]) -> None:
    from tracker.extract.text.segment import segment

    text = "".join(parts)
    for options in (frozenset({"cjk"}), frozenset({"numbers"}), frozenset({"cjk", "numbers"})):
        read = f.zh_text(text, options)
        units = zh_units(segment(read), read, options)
        tokens = ngram_tokens(units)
        vocab = {t: i for i, t in enumerate(sorted(set(tokens))[::2])}
        lookup = NgramIndex(vocab, ZH_WORD_FAMILIES + ZH_CHAR_FAMILIES)
        assert lookup.indexes(units) == [vocab.get(t) for t in tokens]


@pytest.mark.parametrize("lang", ["en"])
def test_the_shipped_scorers_ngram_index_is_the_one_their_model_builds(
        lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The trees are read from the user's cache (tracker.data.user_cache) when built there
    # before: built and stored by the first scorer, read back by the second, each time equal
    # to what the model file's vocabulary builds now, so the cache cannot go stale.
    from tracker.data.user_cache import ENV_VAR
    from tracker.sentiment import _model_path
    from tracker.sentiment.default import ChineseModelScorer, EnglishModelScorer
    from tracker.sentiment.lexicon import load_lexicon

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    make = EnglishModelScorer if lang == "en" else ChineseModelScorer
    first = make(load_lexicon(lang, None), _model_path(lang))
    trees, _unread = tables = first.ngrams.tables()
    built = NgramIndex(first.model.index, tuple(trees)).tables()
    assert tables == built
    [entry] = tmp_path.glob("*.cache")
    second = make(load_lexicon(lang, None), _model_path(lang))
    assert second.ngrams.tables() == built
    assert list(tmp_path.glob("*.cache")) == [entry]
    text = "不看好，要跌" if lang == "zh" else "not good, selling calls"
    assert second.score(text) == first.score(text)
    # Built and read back, a unit is one string object on every path (issue 23: 6-7 MiB).
    for tree_tables in (tables, second.ngrams.tables()):
        units = list(_units(tree_tables[0]))
        assert len({id(u) for u in units}) == len(set(units))


def test_the_chinese_scorers_unit_ids_are_the_ones_their_model_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Chinese scorer reads its n-grams by unit id (unit_pairs.py), whose tables are read
    # from the user's cache when built there before: built and stored by the first scorer
    # (and nothing else: the trees are not read), read back by the second, each time equal
    # to what the model file's vocabulary builds now.
    from tracker.data.user_cache import ENV_VAR
    from tracker.sentiment import _model_path
    from tracker.sentiment.default import ChineseModelScorer
    from tracker.sentiment.lexicon import load_lexicon
    from tracker.sentiment.unit_pairs import PairIndex

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    first = ChineseModelScorer(load_lexicon("zh", None), _model_path("zh"))
    trees = NgramIndex(first.model.index, ZH_WORD_FAMILIES + ZH_CHAR_FAMILIES).tables()[0]
    built = [PairIndex(trees[u], trees[b]).tables() for u, b in (ZH_WORD_FAMILIES,
                                                                 ZH_CHAR_FAMILIES)]
    assert [first._words.tables(), first._chars.tables()] == built
    [entry] = tmp_path.glob("*.cache")
    assert entry.name.startswith("ngram-pairs-")
    second = ChineseModelScorer(load_lexicon("zh", None), _model_path("zh"))
    assert [second._words.tables(), second._chars.tables()] == built
    assert list(tmp_path.glob("*.cache")) == [entry]
    assert second.score("不看好，要跌") == first.score("不看好，要跌")


def _units(tree: Any) -> Iterator[str]:
    for key, child in tree.items():
        if isinstance(key, str):
            yield key
        if isinstance(child, dict):
            yield from _units(child)


_WHITESPACE = "".join(c for c in map(chr, range(0x3100)) if c.isspace()) + "\u3000"


@given(st.lists(st.sampled_from(["好", "跌", "涨", "tkr", "pct", "pctup", "t", "k", "r", "p",
                                  "5%", "涨3％", "-2%", "$NVDA", "600519", "0", *_WHITESPACE]),
                max_size=20).map("".join))
@settings(max_examples=300, deadline=None)
def test_zh_character_units_are_the_placeholder_scan(text: str) -> None:
    # zh_units skips the placeholder regex where the text holds no placeholder (issue 23):
    # the characters must be what the regex finds, whitespace of every kind dropped.
    for options in (frozenset({"mask"}), frozenset({"numbers"})):
        read = f.zh_text(text, options)
        chars = zh_units([], read, options)[1][0]
        assert chars == f._ZH_PLACEHOLDER_OR_CHAR.findall(f.normalise_zh(read))
