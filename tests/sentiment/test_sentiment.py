"""Tone scoring: the trader's examples, clauses, labels, unscored languages, robustness."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.config import SentimentConfig
from tracker.errors import ConfigError
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.sentiment import (
    get_scorer,
    is_bare,
    label_for,
    score_mention,
)
from tracker.sentiment.clauses import list_contexts
from tracker.sentiment.lexicon import parse_lexicon

HERE = Path(__file__).resolve().parents[1]
SETTINGS = SentimentConfig()


def _mention(sentence: str, name: str) -> tuple[int, int]:
    i = sentence.index(name)
    return i, i + len(name)


def _tone(sentence: str, name: str, lang: str) -> float:
    tone = score_mention(sentence, *_mention(sentence, name), lang, SETTINGS)
    assert tone is not None
    return tone


def _seed_negatives() -> list[tuple[str, str]]:
    gold = json.loads((HERE / "data" / "seeds-gold.json").read_text("utf-8"))
    names = {"TSLA": "$Tesla(TSLA.US)", "NVDA": "$NVIDIA(NVDA.US)", "AMZN": "$Amazon(AMZN.US)"}
    out = []
    for post in gold["posts"].values():
        for ticker, words in post["negative_mentions"]:
            out.append((ticker, f"{names[ticker]} {words}."))
    return out


@pytest.mark.parametrize(("ticker", "sentence"), _seed_negatives(),
                         ids=[f"{t}-{i}" for i, (t, _) in enumerate(_seed_negatives())])
def test_seed_negative_mentions(ticker: str, sentence: str) -> None:
    tone = _tone(sentence, f"({ticker}.US)", "en")
    assert label_for(tone, SETTINGS) == "negative", tone


@pytest.mark.parametrize(
    ("sentence", "first", "second", "lang"),
    [
        ("TSLA tanks while NVDA soars", "TSLA", "NVDA", "en"),
        ("台积电大涨，英伟达暴跌", "英伟达", "台积电", "zh"),
        ("NVDA soars but TSLA tanks", "TSLA", "NVDA", "en"),
        ("英伟达暴涨，但是特斯拉跌停", "特斯拉", "英伟达", "zh"),
    ],
    ids=["en-while", "zh-comma", "en-but", "zh-danshi"],
)
def test_clauses_give_opposite_tones(sentence: str, first: str, second: str, lang: str) -> None:
    negative, positive = _tone(sentence, first, lang), _tone(sentence, second, lang)
    assert label_for(negative, SETTINGS) == "negative", negative
    assert label_for(positive, SETTINGS) == "positive", positive


# The issue 26 retrain scores these -0.17 and -0.15, inside the -0.25 threshold (they were
# negative): a known regression of the Chinese social head, recorded in docs/sentiment.md.
ZH_WEAKER = pytest.mark.xfail(strict=True, reason="issue 26 retrain: Chinese negation and "
                              "豪赌 now just inside the negative threshold")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("特斯拉股价暴跌，套牢了", "zh", "negative"),
        pytest.param("这不是一笔投资，这是一场豪赌", "zh", "negative", marks=ZH_WEAKER),
        pytest.param("我不看好这只股票", "zh", "negative", marks=ZH_WEAKER),
        ("Taking a short position on the main board, going strong tonight!", "en", "not positive"),
        ("No matter who builds the factory, these companies will get orders", "en", "leans positive"),
    ],
    ids=["zh-crash-trapped", "zh-gamble", "zh-negated", "en-short", "en-orders"],
)
def test_market_talk(text: str, lang: str, expected: str) -> None:
    scorer = get_scorer(lang, SETTINGS)
    assert scorer is not None
    tone = scorer.score(text)
    if expected == "not positive":
        assert label_for(tone, SETTINGS) != "positive", tone
    elif expected == "leans positive":
        # The tweet-trained model keeps this one below the positive threshold; see
        # docs/sentiment.md.
        assert tone > 0, tone
    else:
        assert label_for(tone, SETTINGS) == expected, tone


def test_list_items_take_the_tone_of_what_follows(analyzer: Analyzer) -> None:
    text = ("The first category is equipment companies\n$ASML(ASML.US)\n$KLA(KLAC.US)\n"
            "No matter who builds the factory, these companies will get orders and grow strongly.\n\n"
            "Something else entirely.")
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    spans = [s for s in spans if s[1] > s[0]]
    assert is_bare(text[spans[2][0]:spans[2][1]])
    assert not is_bare(text[spans[0][0]:spans[0][1]])
    assert list_contexts(text, spans)[1:3] == [3, 3]
    post = analyzer.analyze(RawPost(source="t", text=text))
    assert post is not None
    (klac,) = [m for m in post.mentions if m.ticker == "KLAC"]
    assert klac.tone is not None and klac.tone > 0


def _tones(analyzer: Analyzer, text: str) -> dict[str, float | None]:
    post = analyzer.analyze(RawPost(source="t", text=text))
    assert post is not None
    return {m.ticker: m.tone for m in post.mentions}


def test_a_list_closing_prose_about_other_securities_is_tags(analyzer: Analyzer) -> None:
    # StockTwits' habit: the prose speaks of $HIVE, the cashtags after it are tags.
    tones = _tones(analyzer, "$HIVE is immensely undervalued, loading up. $ETH.X $BTC.X")
    assert tones["HIVE"] is not None and tones["HIVE"] > 0.25
    assert tones["ETH"] == tones["BTC"] == 0.0
    # 雪球's habit: cashtags filed under a post about another company.
    tones = _tones(analyzer, "贵州茅台今年的业绩非常好，值得长期持有，继续加仓。"
                             "$万科A(SZ000002)$ $中国平安(SH601318)$")
    assert tones["600519"] is not None and tones["600519"] > 0.25
    assert tones["000002"] == tones["601318"] == 0.0


def test_a_closing_list_takes_the_prose_that_names_none_or_names_it(
        analyzer: Analyzer) -> None:
    # The prose names no security: it speaks for the list.
    tones = _tones(analyzer, "Crushing it today, long and strong, loading up more. $ETH.X $BTC.X")
    assert tones["ETH"] is not None and tones["ETH"] > 0.25
    assert tones["ETH"] == tones["BTC"]
    # The prose names this security too: the cashtag under it is no mere tag.
    post = analyzer.analyze(RawPost(source="t", text="贵州茅台今年的业绩非常好，值得长期持有，继续加仓。"
                                                     "$贵州茅台(SH600519)$ $万科A(SZ000002)$"))
    assert post is not None
    moutai = [m.tone for m in post.mentions if m.ticker == "600519"]
    assert len(moutai) == 2 and moutai[0] == moutai[1] and moutai[0] is not None
    assert moutai[0] > 0.25
    assert [m.tone for m in post.mentions if m.ticker == "000002"] == [0.0]


@pytest.mark.parametrize(
    ("tone", "label"),
    [(None, None), (0.25, "positive"), (0.9, "positive"), (-0.25, "negative"),
     (0.0, "neutral"), (0.2, "neutral"), (-0.2, "neutral")],
    ids=["unscored", "at-positive", "high", "at-negative", "zero", "just-under", "just-over"],
)
def test_label_thresholds(tone: float | None, label: str | None) -> None:
    assert label_for(tone, SETTINGS) == label


@pytest.mark.parametrize("lang", ["ja", "es", "und", ""], ids=["ja", "es", "und", "empty"])
def test_unscored_languages(lang: str) -> None:
    assert get_scorer(lang, SETTINGS) is None
    assert score_mention("TSLA sube", 0, 4, lang, SETTINGS) is None


# SnowNLP loads its model in seconds: slow.
@pytest.mark.parametrize("scorer", ["default", "vader",
                                    pytest.param("snownlp", marks=pytest.mark.slow)])
def test_each_language_gets_its_own_model(scorer: str) -> None:
    cfg = replace(SETTINGS, scorer=scorer)
    en, zh = get_scorer("en", cfg), get_scorer("zh", cfg)
    assert en is not None and en.lang == "en"
    assert zh is not None and zh.lang == "zh"


def test_user_lexicon_moves_tone(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text("frobnicated\t-4\n", "utf-8")
    cfg = replace(SETTINGS, en_lexicon=extra)
    plain = get_scorer("en", SETTINGS)
    mine = get_scorer("en", cfg)
    assert plain is not None and mine is not None
    assert mine.score("TSLA frobnicated today") < plain.score("TSLA frobnicated today")


def test_an_emoji_in_the_lexicon_is_scored_and_its_name_is_not() -> None:
    from tracker.sentiment.english import FinanceVaderScorer

    plain = FinanceVaderScorer({})
    mine = FinanceVaderScorer(parse_lexicon("🚀\t2.0\n📉\t-1.5\nbear\t-1.5\n", "mine.tsv"))
    # VADER reads 🚀 as "rocket", a word no lexicon scores.
    assert plain.score("$TSLA 🚀🚀") == 0.0
    assert mine.score("$TSLA 🚀🚀") > 0.5
    assert mine.score("$SPY 📉") < 0.0
    assert mine.score("not 🚀") < 0.0  # VADER's negation reaches it like a word
    assert mine.score("Rocket Lab and a rocket") == plain.score("Rocket Lab and a rocket") == 0.0
    assert mine.score("$X 🐻") < 0.0  # an emoji not in the lexicon is still read by its name


def test_bad_lexicon_line_names_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r"x\.tsv:2"):
        parse_lexicon("ok\t1\nbroken line here\n", "x.tsv")


@pytest.mark.slow  # loads SnowNLP's models
@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200), lang=st.sampled_from(["en", "zh"]),
       scorer=st.sampled_from(["default", "vader", "snownlp"]))
def test_scores_in_range_never_raise(text: str, lang: str, scorer: str) -> None:
    model = get_scorer(lang, replace(SETTINGS, scorer=scorer))
    assert model is not None
    tone = model.score(text)
    assert -1.0 <= tone <= 1.0
    if text:
        mention = score_mention(text, 0, min(3, len(text)), lang, SETTINGS)
        assert mention is not None and -1.0 <= mention <= 1.0
