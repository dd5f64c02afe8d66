"""Mention pairs against a gold post: precision, recall, bare-ticker precision, errors."""

from __future__ import annotations

from datetime import date

import pytest

import tracker
from tracker.extract.gold import (
    MentionTally,
    found_keys,
    instrument_key,
    renamed_key,
    with_renamed_keys,
)
from tracker.extract.securities import load_securities
from tracker.sources.gold import GoldMention, GoldPost


def _gold(*keys: str, line: int = 1) -> GoldPost:
    return GoldPost("g.jsonl", line, f"p{line}", "src", "en", "I bought back in today  GME",
                    None, tuple(GoldMention(k, "neu", surface=k.lower()) for k in keys))


def test_pairs_bare_tickers_and_errors() -> None:
    tally = MentionTally()
    # TSLA was written once as a cashtag and once bare: not a bare-only pair.
    tally.add(_gold("GME", "TSLA", "AMC"), {"GME": ["bare_ticker"], "BAC": ["bare_ticker"],
                                            "TSLA": ["cashtag", "bare_ticker"]})
    tally.add(_gold(line=2), {})
    assert (tally.posts, tally.tp, tally.fp, tally.fn) == (2, 2, 1, 1)
    assert (tally.bare_tp, tally.bare_fp, tally.bare_precision) == (1, 1, 0.5)
    assert tally.summary() == {
        "posts": 2, "gold": 3, "found": 3, "tp": 2, "fp": 1, "fn": 1,
        "precision": 0.6667, "recall": 0.6667,
        "bare": {"found": 2, "tp": 1, "fp": 1, "precision": 0.5}}
    assert [(e.outcome, e.key, e.how, e.line) for e in tally.errors] == [
        ("fp", "BAC", "bare_ticker", 1), ("fn", "AMC", "amc", 1)]
    # The excerpt is the post on one line.
    assert tally.errors[0].text == "I bought back in today GME"


def test_nothing_counted_is_no_ratio() -> None:
    tally = MentionTally()
    tally.add(_gold(), {})
    assert tally.summary()["precision"] is None and tally.summary()["recall"] is None
    assert tally.summary()["bare"]["precision"] is None


def test_a_former_holder_is_paired_by_the_symbol_the_post_wrote() -> None:
    post = tracker.analyze("$S is ringing", published="2017-03-01")
    found = found_keys(post)
    # Sprint's own key, not SentinelOne's, compared with the symbol the labeller wrote.
    assert [m.ticker for m in post.mentions] == ["S@2020"]
    assert found == {"S": ["cashtag"]}


@pytest.mark.parametrize(
    ("key", "day", "expected"),
    [("SQ", date(2018, 3, 1), "XYZ"), ("FB", date(2021, 6, 1), "META"),
     ("FB", date(2025, 8, 1), "FB"), ("TRXC", date(2017, 5, 1), "ASXC"),
     ("SAP", None, "SAP"), ("HSI", None, "HSI"), ("S", date(2017, 1, 1), "S"),
     ("GOOG", None, "GOOG"), ("600519.SS", None, "600519.SS"), ("DAI.DE", None, "MBG.DE")],
    ids=["block", "facebook", "fb-etf-after-2025", "renames-csv", "no-market-is-us",
         "index", "delisted-holder", "share-class", "a-share", "daimler-frankfurt"])
def test_a_renamed_companys_old_symbol_is_scored_as_todays_key(key, day, expected) -> None:
    assert renamed_key(load_securities(), key, day) == expected


def test_gold_keys_of_one_company_merge_after_renaming() -> None:
    post = with_renamed_keys(_gold("SQ", "XYZ", "GME"), load_securities(), date(2018, 3, 1))
    assert [(m.key, m.surface) for m in post.mentions] == [("XYZ", "sq"), ("GME", "gme")]
    tally = MentionTally()
    tally.add(post, {"XYZ": ["cashtag"], "GME": ["bare_ticker"]})
    assert (tally.tp, tally.fp, tally.fn) == (2, 0, 0)


def test_a_company_named_by_name_keeps_its_key_of_today() -> None:
    # WTW was Weight Watchers' symbol until 2022 (renames.csv): a 2018 `$WTW` is WW, but
    # "Willis Towers Watson" in a 2018 post is Willis, keyed `WTW` as the guide asks.
    secs = load_securities()
    named = GoldPost("g.jsonl", 1, "p1", "src", "en", "Willis Towers Watson (WLTW) and $WTW",
                     None, (GoldMention("WTW", "neu", surface="Willis Towers Watson"),
                            GoldMention("WTW", "neu", surface="$WTW"),
                            GoldMention("SYMC", "neu", surface="Symantec")))
    post = with_renamed_keys(named, secs, date(2018, 3, 1))
    assert [m.key for m in post.mentions] == ["WTW", "WW", "GEN"]


@pytest.mark.parametrize(
    ("key", "surface", "expected"),
    [("WTW", "$WTW", "WW"), ("WTW", "#wtw", "WW"), ("WTW", None, "WW"),
     ("WTW.US", "$WTW", "WW"), ("WTW", "$WTW.US", "WW"), ("WTW", "NYSE:WTW", "WW"),
     ("WTW", "$Weight Watchers(WTW.US)", "WW"), ("WTW", "$WTW's", "WW"),
     ("WTW", "Willis Towers Watson (WLTW)", "WTW"), ("WTW", "Willis Towers Watson", "WTW"),
     ("BBT", "NYSE:BBT", "TFC")],
    ids=["cashtag", "hashtag-lower", "no-surface", "key-with-market", "cashtag-with-market",
         "exchange-prefix", "tag-with-name", "possessive", "name-with-other-symbol", "name",
         "bbt-exchange-prefix"])
def test_a_symbol_written_inside_its_surface_is_read_on_the_post_day(
        key: str, surface: str | None, expected: str) -> None:
    # tracker reads "$WTW.US" and "NYSE:WTW" of 2018 as Weight Watchers (WW), as it reads
    # "$WTW"; a gold key with such a surface was kept as Willis's WTW: a wrong pair and a
    # missed one for the same company.
    gold = GoldPost("g.jsonl", 1, "p1", "src", "en", f"{surface} is up", None,
                    (GoldMention(key, "neu", surface=surface),))
    post = with_renamed_keys(gold, load_securities(), date(2018, 3, 1))
    assert [m.key for m in post.mentions] == [expected]


@pytest.mark.parametrize(
    ("key", "expected"),
    [("HSI", "HSI.HK"), ("HSI.HK", "HSI.HK"), ("HSTECH", "HSTECH.HK"), ("N225", "N225.T"),
     ("KS11", "KS11.KS"), ("SPX", "SPX"), ("ES_F", "ES_F"), ("000300", "000300"),
     ("TSLA", "TSLA"), ("0700.HK", "0700.HK")],
    ids=["hang-seng", "hang-seng-canonical", "hs-tech", "nikkei", "kospi", "us-index",
         "us-future", "two-rows-one-an-index", "a-share-ticker", "listing-with-market"])
def test_an_index_written_without_its_market_is_its_canonical_key(key, expected) -> None:
    assert instrument_key(load_securities(), key) == expected


def test_hang_seng_written_bare_pairs_with_the_key_tracker_gives() -> None:
    post = tracker.analyze("恒生指数今天跌了2%", published="2021-06-01")
    gold = with_renamed_keys(_gold("HSI"), load_securities(), date(2021, 6, 1))
    tally = MentionTally()
    tally.add(gold, found_keys(post))
    assert [m.key for m in gold.mentions] == ["HSI.HK"]
    assert (tally.tp, tally.fp, tally.fn) == (1, 0, 0)


def test_a_currency_pair_is_not_scored() -> None:
    # docs/labelling.md: a currency pair is no mention; tracker stores it as `fx`.
    post = tracker.analyze("$USDCNY down from 7.2 to 6.65, $TSLA up", published="2018-11-01")
    assert {m.instrument for m in post.mentions} == {"fx", "equity"}
    assert found_keys(post) == {"TSLA": ["cashtag"]}
