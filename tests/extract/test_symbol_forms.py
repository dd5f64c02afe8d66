"""Yahoo Finance's symbols, currency pairs, platform tags and numbers (issue 28): each form
is one key with its instrument kind, through the whole Analyzer as `tracker show` reads."""

from __future__ import annotations

import pandas as pd
import pytest

from tracker.config import load_config
from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.ingest.analyze import Analyzer
from tracker.reports.filters import MentionFilter, apply_filters


def found(analyzer: Analyzer, text: str) -> list[tuple[str, str | None]]:
    post = analyzer.analyze(RawPost("test", text))
    mentions = post.mentions if post is not None else ()
    return [(canonical_key(m.ticker, m.market), m.instrument) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BTC-USD breaking out", [("BTC.X", "crypto")]),
        ("ETH-USD and BTC-USD both red", [("ETH.X", "crypto"), ("BTC.X", "crypto")]),
        ("$ETH-USD ripping", [("ETH.X", "crypto")]),
        ("$ada-usd pump incoming", [("ADA.X", "crypto")]),
        ("BRK-B is cheap here", [("BRK.B", "equity")]),
        ("MGC=F and ALI=F both up", [("MGC_F", "future"), ("ALI_F", "future")]),
        ("GC=F at a record", [("GC_F", "future")]),
        ("^GSPC at highs, ^VIX asleep", [("SPX", "index"), ("VIX", "index")]),
        ("0700.HK and 600519.SS", [("0700.HK", "equity"), ("600519.SS", "equity")]),
        ("$EURUSD short into the ECB", [("EURUSD.FX", "fx")]),
        ("EURUSD=X daily chart", [("EURUSD.FX", "fx")]),
        ("$USDNOK grinding", [("USDNOK.FX", "fx")]),
        ("#ethereum $ethusd $BTCUSD", [("ETH.X", "crypto"), ("BTC.X", "crypto")]),
    ],
    ids=["btc-usd", "two-pairs", "eth-usd-is-ether", "lower-coin-pair", "class-share",
         "futures", "curated-future", "indices", "codes-as-today", "fx-cashtag", "fx-yahoo",
         "fx-not-curated", "coin-usd-one-word"],
)
def test_each_yahoo_form_is_one_key_with_its_kind(analyzer: Analyzer, text: str,
                                                  expected: list[tuple[str, str]]) -> None:
    assert found(analyzer, text) == expected


@pytest.mark.parametrize(
    "text",
    ["COVID-19 is over", "an A-B test", "$STUDY this chart", "^QWER is no index we know",
     "T-BILLS yield more", "^AAPL is an equity, no index",
     # A Reddit bot's footer raises its words with carets: PM is Philip Morris's symbol.
     "^[ [^PM](https://www.reddit.com/message/compose?to=bot) ^| "
     "[^Exclude ^me](https://reddit.com/message/compose?to=bot)"],
    ids=["covid", "a-b", "platform-tag", "unknown-index", "t-bills", "caret-equity",
         "caret-footer"],
)
def test_not_a_yahoo_symbol(analyzer: Analyzer, text: str) -> None:
    assert found(analyzer, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$SAFEMOON.X to the moon", [("SAFEMOON.X", None)]),
     ("$BABYDOGE.X $DOGE.X", [("BABYDOGE.X", None), ("DOGE.X", "crypto")]),
     ("$LONGWORDS is no symbol", [])],
    ids=["eight-letters", "beside-a-listed-coin", "long-without-coin-suffix"],
)
def test_a_long_coin_symbol_with_its_suffix(analyzer: Analyzer, text: str,
                                            expected: list[tuple[str, str]]) -> None:
    assert found(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$ETH.X BTC.X Feeling a little parabolic.", [("ETH.X", "crypto"), ("BTC.X", "crypto")]),
     ("BTC.X is down", [("BTC.X", "crypto")]),
     ("$BTC.X Use the AABBG.X Exchange", [("BTC.X", "crypto"), ("AABBG.X", None)]),
     ("AABBG.X alone", []), ("see FILE.X now", [])],
    ids=["beside-a-cashtag", "listed-alone", "unlisted-in-a-crypto-post", "unlisted-alone",
         "file-name"],
)
def test_a_coin_code_without_its_dollar(analyzer: Analyzer, text: str,
                                        expected: list[tuple[str, str]]) -> None:
    assert found(analyzer, text) == expected


def test_comparing_leveraged_funds_finds_each(analyzer: Analyzer) -> None:
    keys = [k for k, _ in found(analyzer, "Comparing FNGU vs $WEBL vs SOXL for a 3x play")]
    assert keys == ["FNGU", "WEBL", "SOXL"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$ETH.X next stop $1215!!", ["ETH.X"]),
        ("$BTC.X reclaimed $5410 today", ["BTC.X"]),
        ("$DUK is trading where it did last February (2017). It peaked above $90", ["DUK"]),
        ("$XYZ pulled a stunt(2019) again", ["XYZ"]),
        ("$2330 新高", ["2330.TW"]),
        ("台股 $2330 新高, $TSM too", ["2330.TW", "TSM"]),
        ("$中钢(2002)$ 跌了", ["2002.TW"]),
    ],
    ids=["crypto-price", "bitcoin-price", "year-in-brackets", "stunt-2019",
         "taiwan-as-configured", "taiwan-named-beside-us", "listed-code-like-a-year"],
)
def test_numbers_are_prices_unless_the_market_makes_them_codes(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert [k for k, _ in found(analyzer, text)] == expected


def test_currency_pairs_leave_the_default_reports(analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "$EURUSD short, $TSLA long"))
    assert post is not None
    frame = pd.DataFrame({"ticker": [m.ticker for m in post.mentions],
                          "market": [m.market for m in post.mentions],
                          "instrument": [m.instrument for m in post.mentions]})
    assert list(apply_filters(frame, MentionFilter())["ticker"]) == ["TSLA"]
    assert list(apply_filters(frame, MentionFilter(instruments=("fx",)))["ticker"]) == [
        "EURUSD"]


def test_a_configured_hint_still_reads_numbers_in_latin_posts(tmp_path) -> None:
    # The Taiwan reader's own post: 台股 names the market, so $2454 is MediaTek beside $TSM.
    analyzer = Analyzer(load_config(None))
    assert [k for k, _ in found(analyzer, "台股 $2454 and $TSM")] == ["2454.TW", "TSM"]
