"""Symbols in a column of lines that each hold one symbol, or in a list on one line
(tracker/extract/symbol_columns.py)."""

from __future__ import annotations

import re

import pytest

from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.extract.symbol_columns import find_listed_symbols
from tracker.ingest.analyze import Analyzer

# The pre-market digest's list, as the 2018 r/stocks posts write it.
_TRENDING = ("#THIS MORNING'S MOST ACTIVE TRENDING DISCUSSIONS:\n\n"
             "* SPY\n* NFLX\n* BAC\n* S\n* GLD\n* JPM\n* ETN\n* TORC\n\n*****\n")


def _found(text: str, symbols: set[str]) -> list[tuple[int, int]]:
    """The spans of `symbols` in `text`, in any case: what the other rules found."""
    return [m.span() for m in re.finditer(r"\b[A-Za-z]{1,5}\b", text)
            if m.group().upper() in symbols]


def _symbols(text: str, found: set[str], known: tuple[str, ...] = (),
             held: set[str] | None = None) -> list[str]:
    hits = find_listed_symbols(text, _found(text, found), known,
                               (lambda s: s in held) if held is not None else (lambda s: True))
    for hit in hits:
        assert hit.kind == "bare_ticker" and hit.market == "US"
        assert text[hit.start:hit.end] == hit.ticker
    return [hit.ticker for hit in hits]


def test_a_column_of_symbols_gives_the_lines_no_rule_found() -> None:
    found = {"SPY", "NFLX", "BAC", "GLD", "JPM"}
    assert _symbols(_TRENDING, found) == ["S", "ETN", "TORC"]
    # Only a symbol a listed security held on the post's day: TORC is in no list.
    assert _symbols(_TRENDING, found, held={"S", "ETN"}) == ["S", "ETN"]
    # Each symbol once, and none another rule found elsewhere in the post.
    assert _symbols(_TRENDING + "* ETN\n", found, known=("S@2020",), held={"S", "ETN"}) == [
        "ETN"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Watch list:\n1. $CALX\n2. GM\n3. WKHS\n4. MA\n", ["MA"]),
    ("* **SPY**\n\n* **QQQ**\n\n* **AAPL**\n\n* **T**\n", ["T"]),
    ("- SPY\r\n- QQQ\r\n- AAPL\r\n- DD\r\n", ["DD"]),
], ids=["numbered", "blank-lines-and-bold", "dashes-crlf"])
def test_a_column_may_be_numbered_bold_or_spaced(text: str, expected: list[str]) -> None:
    assert _symbols(text, {"CALX", "GM", "WKHS", "SPY", "QQQ", "AAPL"}) == expected


@pytest.mark.parametrize(("text", "found"), [
    # Too short: a product list that one symbol is in.
    ("Interesting stat:\n1.  Azure\n2. AWS \n3. GCP\n", {"AWS"}),
    ("* SPY\n* QQQ\n* ETN\n", {"SPY", "QQQ"}),
    # Most of the column is not found: acronyms, not a list of securities.
    ("* CEO\n* CFO\n* CTO\n* COO\n* AAPL\n* MSFT\n", {"AAPL", "MSFT"}),
    # Lines that hold more than a symbol are prose or a portfolio's lines, read elsewhere.
    ("* SPY calls\n* QQQ puts\n* AAPL\n* MSFT\n* ETN notes\n", {"SPY", "QQQ", "AAPL", "MSFT"}),
    # A paragraph between breaks the column.
    ("* SPY\n* QQQ\n\nSome words here.\n\n* AAPL\n* S\n", {"SPY", "QQQ", "AAPL"}),
], ids=["three-lines", "three-symbols", "mostly-unfound", "lines-with-words", "two-columns"])
def test_no_column_gives_none(text: str, found: set[str]) -> None:
    assert _symbols(text, found) == []


def test_a_long_column_and_a_line_of_bars_read_in_linear_time() -> None:
    # 100,000 characters of each (the brief's check for a backtracking pattern).
    column = "* AAPL\n" * 14_286
    assert len(find_listed_symbols(column, _found(column, {"AAPL"}))) == 0
    assert find_listed_symbols("|" * 100_000 + "\n* S", []) == []
    table = "| SPY | 1 | 2 |\n" * 6_000
    assert find_listed_symbols(table, []) == []


def test_the_digest_names_sprint_and_eaton(analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", _TRENDING, published_field="2018-04-10"))
    assert post is not None
    keys = [canonical_key(m.ticker, m.market) for m in post.mentions]
    assert "ETN" in keys and any(key.startswith("S@") for key in keys)
    assert not any(key.startswith("TORC") for key in keys)


def test_a_column_of_coins_gives_no_us_share() -> None:
    # Lines found as coins are found, but no evidence of a list of US shares.
    text = "My crypto bag:\n\n1. BTC\n2. ETH\n3. DOGE\n4. SOL\n5. XRP\n"
    coins = _found(text, {"BTC", "ETH", "DOGE", "XRP"})
    assert find_listed_symbols(text, [], (), lambda s: True, 1.0, coins) == []
    # Beside US shares found, a coin's line is still no candidate of its own.
    mixed = "* SPY\n* QQQ\n* AAPL\n* BTC\n* ETN\n"
    hits = find_listed_symbols(mixed, _found(mixed, {"SPY", "QQQ", "AAPL"}), (),
                               lambda s: True, 1.0, _found(mixed, {"BTC"}))
    assert [hit.ticker for hit in hits] == ["ETN"]


def test_a_list_of_coins_names_no_us_share_of_a_coins_letters(analyzer: Analyzer) -> None:
    # SOL here is Solana, not Emeren Group's SOL, listed in 2021.
    text = "My crypto bag:\n\n1. BTC\n2. ETH\n3. DOGE\n4. SOL\n5. XRP\n"
    post = analyzer.analyze(RawPost("test", text, published_field="2021-06-01"))
    assert post is not None
    assert not any(m.market == "US" for m in post.mentions)


def _listed(text: str, found: set[str], held: set[str] | None = None) -> list[str]:
    hits = find_listed_symbols(text, _found(text, found), (),
                             (lambda s: s in held) if held is not None else (lambda s: True))
    for hit in hits:
        assert hit.kind == "bare_ticker" and hit.market == "US"
        assert text[hit.start:hit.end].upper() == hit.ticker
    return [hit.ticker for hit in hits]


@pytest.mark.parametrize(("text", "found", "expected"), [
    # A word symbol between two found ones, the first after the list's lead-in words.
    ("I don't own MJ, but hold MSOS, YOLO, CNBS.  Have suffered", {"MJ", "MSOS", "CNBS"},
     ["YOLO"]),
    # A trading term (CCI, the indicator) among found symbols is the ticker.
    ("Towers: AMT/CCI/SBAC", {"AMT", "SBAC"}, ["CCI"]),
    # Any case, where found items are written so too.
    ("Sens, CLF,ITUB and dkng!!!", {"CLF", "ITUB", "DKNG"}, ["SENS"]),
    ("nvda, amd, jd and many other stocks", {"NVDA", "AMD"}, ["JD"]),
    # Brackets and a cashtag's `$` around an item.
    ("my picks ($AAPL, $MSFT, NOW)", {"AAPL", "MSFT"}, ["NOW"]),
], ids=["lead-in", "trading-term", "title-case", "lower-case-word", "brackets"])
def test_a_list_on_one_line_gives_the_items_no_rule_found(
        text: str, found: set[str], expected: list[str]) -> None:
    assert _listed(text, found) == expected


@pytest.mark.parametrize(("text", "found"), [
    # One found item beside a word in capitals is chance.
    ("Loaded up on SOFI and BODY", {"SOFI"}),
    ("Selling BABA to buy S and GE??", {"BABA", "GE"}),
    # Half the list must be found: a list of acronyms with two symbols in it.
    ("CEO, CFO, CTO, COO, AAPL, MSFT", {"AAPL", "MSFT"}),
    # A common word in lower case among symbols written in capitals lists people.
    ("me, you and AMD, TSLA", {"AMD", "TSLA"}),
    # A group's name among tickers is the group.
    ("Last day to buy tech. FANG, $TWLO, $COUP", {"TWLO", "COUP"}),
    # An HTML character reference's name is no item and its `&` no delimiter.
    ("$AMD &amp; $NVDA &amp; $TSLA", {"AMD", "NVDA", "TSLA"}),
    # A table's row is the tables' rules'.
    ("| SPY | QQQ | ETN |", {"SPY", "QQQ"}),
    # A piece with words in it is no item ("and more", "of them").
    ("TSLA, AAPL, NVDA and more of them", {"TSLA", "AAPL", "NVDA"}),
], ids=["two-items", "one-letter-in-a-pair", "mostly-unfound", "people", "group",
        "html-entity", "table-row", "words"])
def test_no_list_gives_none(text: str, found: set[str]) -> None:
    assert _listed(text, found) == []


def test_a_list_item_must_be_held_and_new() -> None:
    text = "Towers: AMT/CCI/SBAC/TORC"
    assert _listed(text, {"AMT", "SBAC"}, held={"CCI"}) == ["CCI"]
    hits = find_listed_symbols(text, _found(text, {"AMT", "SBAC"}), ("CCI@2020",))
    assert [hit.ticker for hit in hits] == ["TORC"]


def test_a_long_list_line_reads_in_linear_time() -> None:
    # 100,000 characters of the shapes the patterns scan (the brief's check).
    for text in ("AAPL, " * 16_667, "a" * 100_000 + ", b, c", "x " * 50_000 + ", AAPL, MSFT",
                 "&amp;" * 20_000, ", " * 50_000):
        find_listed_symbols(text, _found(text[:1000], {"AAPL", "MSFT"}))


def test_the_towers_post_names_crown_castle(analyzer: Analyzer) -> None:
    text = "Towers: AMT/CCI/SBAC\n\nOtherwise: ZAYO, GLW, DY, AVGO, INTC"
    post = analyzer.analyze(RawPost("test", text, published_field="2018-04-10"))
    assert post is not None
    assert "CCI" in [canonical_key(m.ticker, m.market) for m in post.mentions]
