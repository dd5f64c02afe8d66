"""Symbols in a column of lines that each hold one symbol (tracker/extract/symbol_columns.py)."""

from __future__ import annotations

import re

import pytest

from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.extract.symbol_columns import find_column_symbols
from tracker.ingest.analyze import Analyzer

# The pre-market digest's list, as the 2018 r/stocks posts write it.
_TRENDING = ("#THIS MORNING'S MOST ACTIVE TRENDING DISCUSSIONS:\n\n"
             "* SPY\n* NFLX\n* BAC\n* S\n* GLD\n* JPM\n* ETN\n* TORC\n\n*****\n")


def _found(text: str, symbols: set[str]) -> list[tuple[int, int]]:
    """The spans of `symbols` in `text`: what the other rules found."""
    return [m.span() for m in re.finditer(r"\b[A-Z]{1,5}\b", text) if m.group() in symbols]


def _symbols(text: str, found: set[str], known: tuple[str, ...] = (),
             held: set[str] | None = None) -> list[str]:
    hits = find_column_symbols(text, _found(text, found), known,
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
    assert len(find_column_symbols(column, _found(column, {"AAPL"}))) == 0
    assert find_column_symbols("|" * 100_000 + "\n* S", []) == []
    table = "| SPY | 1 | 2 |\n" * 6_000
    assert find_column_symbols(table, []) == []


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
    assert find_column_symbols(text, [], (), lambda s: True, 1.0, coins) == []
    # Beside US shares found, a coin's line is still no candidate of its own.
    mixed = "* SPY\n* QQQ\n* AAPL\n* BTC\n* ETN\n"
    hits = find_column_symbols(mixed, _found(mixed, {"SPY", "QQQ", "AAPL"}), (),
                               lambda s: True, 1.0, _found(mixed, {"BTC"}))
    assert [hit.ticker for hit in hits] == ["ETN"]


def test_a_list_of_coins_names_no_us_share_of_a_coins_letters(analyzer: Analyzer) -> None:
    # SOL here is Solana, not Emeren Group's SOL, listed in 2021.
    text = "My crypto bag:\n\n1. BTC\n2. ETH\n3. DOGE\n4. SOL\n5. XRP\n"
    post = analyzer.analyze(RawPost("test", text, published_field="2021-06-01"))
    assert post is not None
    assert not any(m.market == "US" for m in post.mentions)
