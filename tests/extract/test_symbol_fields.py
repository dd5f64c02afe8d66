"""Symbols a quote page's link or a field labelled as the symbol names
(tracker/extract/symbol_fields.py)."""

from __future__ import annotations

import pytest

from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.extract.symbol_fields import find_symbol_fields
from tracker.ingest.analyze import Analyzer

# One item of the r/stocks pre-market digest, as the 2018 posts write it.
_DIGEST_ITEM = (
    "> **Altice USA** – The cable operator was rated \"outperform\" in new coverage.\n\n"
    "> #**STOCK SYMBOL:** ATUS\n\n"
    "> * [CLICK HERE FOR CHART!](http://elite.finviz.com/chart.ashx?t=ATUS&ty=c&p=d)\n\n"
    "> ######(**[CLICK HERE FOR LIVE STOCK QUOTE!](http://data.cnbc.com/quotes/ATUS)**)\n")
# Two rows of fintel's insider table: a listed company, and Publix, which files with the SEC
# but whose shares no exchange lists (PUSH is a fund's symbol only since 2024).
_INSIDER_ROWS = (
    "Company|Count|Total Changed\n--------|-----:|--------:\n"
    "[EYE / National Vision Holdings, Inc.](https://fintel.io/n/us/eye)|8|-3,570,062\n"
    "[PUSH / Publix Super Markets, Inc.](https://fintel.io/n/us/push)|1|-15,062,290\n")


def _symbols(text: str, known: tuple[str, ...] = (), held: set[str] | None = None) -> list[str]:
    hits = find_symbol_fields(text, known, (lambda s: s in held) if held is not None
                              else (lambda s: True))
    for hit in hits:
        assert hit.kind == "code" and hit.market is None
    return [hit.ticker for hit in hits]


@pytest.mark.parametrize(("text", "expected"), [
    ("> #**STOCK SYMBOL:** ATUS\n", ["ATUS"]),
    ("Ticker: ELF", ["ELF"]),
    ("the parent company of Google (Ticker: $GOOGL). As always", ["GOOGL"]),
    ("symbol - P\nnext line", ["P"]),
    ("Ticker Symbol: BRK.B, a holding company", ["BRK.B"]),
], ids=["digest-field", "word-symbol", "cashtag-in-brackets", "one-letter", "class-share"])
def test_a_field_labelled_as_the_symbol_holds_one(text: str, expected: list[str]) -> None:
    assert _symbols(text) == expected


@pytest.mark.parametrize("text", [
    "Ticker: I think so, but who knows",
    "Ticker: tsla",
    "What is the ticker: ABC or ABCD?",
    "Symbols: none yet",
    "My ticker: AAPL and MSFT",
    "New IPO coming.\nTicker: TBD\nExchange: NASDAQ",
    "Ticker: TBA",
    "> STOCK SYMBOL: NONE\n",
    "Symbol: NA\n",
], ids=["a-sentence", "lower-case", "a-question", "no-value", "two-values",
        "to-be-decided", "to-be-announced", "none", "not-applicable"])
def test_a_field_whose_value_is_not_one_symbol_gives_none(text: str) -> None:
    assert _symbols(text) == []


def test_a_link_counts_where_its_text_writes_the_quote_pages_symbol() -> None:
    text = _INSIDER_ROWS + "[BRK-B](https://finance.yahoo.com/quote/BRK-B/)\n"
    assert _symbols(text) == ["EYE", "PUSH", "BRK.B"]
    hits = find_symbol_fields(text)
    assert text[hits[0].start:hits[0].end] == "EYE"  # in the link's text, not its address


def test_a_us_page_of_a_site_that_names_the_market_counts() -> None:
    assert _symbols("[T](https://www.marketwatch.com/investing/stock/t?countrycode=us)") == ["T"]


def test_a_link_counts_only_for_a_symbol_held_on_the_day() -> None:
    assert _symbols(_INSIDER_ROWS, held={"EYE"}) == ["EYE"]


@pytest.mark.parametrize("text", [
    "[CLICK HERE FOR CHART!](http://elite.finviz.com/chart.ashx?t=GE&ty=c)",
    "[National Vision](https://fintel.io/n/us/eye)",
    "[EYE / National Vision](https://example.com/n/us/eye)",
    "https://fintel.io/n/us/eye",
    # MarketWatch's page of Telus in Toronto, not of AT&T, whose US symbol T is.
    "Telus [T](https://www.marketwatch.com/investing/stock/t?countrycode=ca) up 2%",
    "[AC](https://www.marketwatch.com/investing/stock/ac?mod=x&countryCode=CA)",
], ids=["text-without-symbol", "name-only", "not-a-quote-page", "bare-address",
        "another-market's-page", "another-market's-page-after-a-parameter"])
def test_other_links_give_none(text: str) -> None:
    assert _symbols(text) == []


def test_each_symbol_once_and_none_another_rule_found() -> None:
    assert _symbols(_DIGEST_ITEM + "> #**STOCK SYMBOL:** ATUS\n") == ["ATUS"]
    assert _symbols(_DIGEST_ITEM, known=("ATUS",)) == []


def _keys(analyzer: Analyzer, text: str, published: str) -> list[str]:
    post = analyzer.analyze(RawPost("test", text, published_field=published))
    assert post is not None
    return list(dict.fromkeys(canonical_key(m.ticker, m.market) for m in post.mentions))


def test_a_digest_item_names_its_company_by_its_symbol_field(analyzer: Analyzer) -> None:
    # ATUS is in no list tracker ships: the field says it is a symbol, as a cashtag would.
    assert "ATUS" in _keys(analyzer, _DIGEST_ITEM, "2018-04-11")
    item = _DIGEST_ITEM.replace("Altice USA", "Arconic").replace("ATUS", "ARNC")
    assert "HWM" in _keys(analyzer, item, "2018-07-26")  # renames.csv: Arconic Inc. then


def test_an_insider_table_names_each_listed_row(analyzer: Analyzer) -> None:
    found = _keys(analyzer, _INSIDER_ROWS, "2018-04-01")
    assert "EYE" in found
    assert not any(key.startswith("PUSH") for key in found)
