"""Where a post lists tickers (issue 28, thirteenth round): a word symbol that needs trading
context in prose counts as an item of a list of tickers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.extract.mention_keys import keys
from tracker.extract import ticker_lists
from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.extract.ticker_lists import in_ticker_list
from tracker.ingest.analyze import Analyzer

# Symbols that count alone in these texts, as the name matcher's on-sight test says.
SURE = {"AMC", "DHT", "FLS", "UAA", "ZAYO", "GLW", "AVGO", "INTC", "APH", "ACB", "NVDA", "KO",
        "HRS", "SHOP"}


def on_sight(word: str) -> bool:
    return word in SURE


def listed(text: str, symbol: str) -> bool:
    at = text.index(symbol)
    return in_ticker_list(text, at, at + len(symbol), on_sight)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [("The lowest rated stocks: AMC; AMBC; DHT; FLS; RAIL; FRO; MIND", "FRO"),
     ("Otherwise: ZAYO, GLW, COMM, DY, AVGO, INTC", "COMM"),
     ("Here is my portfolio:\n\nWEED 27%\n\nAPH 23%\n\nMARI 18%\n\nACB 17%\n\nMPX 14%", "MPX"),
     ("Current portfolio:\nApple - 8%\nNVDA - 12%\nHRS - 8%\nMMM - 12%\nKO - 9%", "MMM"),
     ("* NVDA: 40%\n* **CALM** - 10 shares\n* KO @ 51.20", "CALM"),
     ("Company | Symbol | Price\n:--|:--:|--:\nFirst Trust Wind | FAN | 13.25", "FAN"),
     ("| Name | Weight |\n|---|---|\n| NVDA | 40% |\n| CALM | 10% |\n| KO | 9% |", "CALM")],
    ids=["semicolons", "after-a-lead-in", "lines-with-weights", "lines-with-dashes",
         "bullets", "table-header", "table-column"],
)
def test_a_list_of_tickers_is_one(text: str, symbol: str) -> None:
    assert listed(text, symbol)


@pytest.mark.parametrize(
    ("text", "symbol"),
    # Prose, one symbol beside it, a list of words, an item with words in it, a header.
    [("I like CALM and GLW but not much else", "CALM"),
     ("Stay CALM, NVDA will come back", "CALM"),
     ("Red, green, CALM, blue and white", "CALM"),
     ("Otherwise: ZAYO, GLW, the CALM before the storm", "CALM"),
     ("NVDA - 40%\nFAN favourite of mine\nKO - 9%", "FAN"),
     ("| FAN | Price |\n|---|---|\n| NVDA | 1 |\n| KO | 2 |", "FAN"),
     ("NVDA, KO. CALM down everyone", "CALM")],
    ids=["prose", "one-neighbour", "words", "item-with-words", "line-with-words",
         "table-header-row", "after-the-list-ends"],
)
def test_prose_is_no_list(text: str, symbol: str) -> None:
    assert not listed(text, symbol)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [("Ultra Strong Sells--the very lowest rated stocks: AMC; AMBC; DHT; FLS; RAIL; FRO; "
      "MIND; NE; UAA", "FRO"),
     ("Current portfolio includes:\nApple - 8%\nWM - 8%\nNVDA - 12%\nHRS - 8%\nMMM - 12%\n"
      "T - 6%\nKO - 9%\nSHOP - 7%\nCash - 30%", "MMM"),
     ("Current portfolio includes:\nApple - 8%\nWM - 8%\nNVDA - 12%\nHRS - 8%\nMMM - 12%\n"
      "T - 6%\nKO - 9%\nSHOP - 7%\nCash - 30%", "T")],
    ids=["semicolons", "portfolio-word-symbol", "portfolio-one-letter"],
)
def test_a_word_symbol_in_a_list_of_tickers_counts(analyzer: Analyzer, text: str,
                                                   symbol: str) -> None:
    # Through the whole Analyzer: FRO and MMM are words, T a letter; none has a trading
    # word near it or a symbol that counts alone right beside it.
    assert symbol in keys(analyzer, text)


def test_a_word_symbol_in_prose_beside_a_list_stays_a_word(analyzer: Analyzer) -> None:
    text = "My picks: NVDA, KO, SHOP. Stay CALM, friends"
    assert keys(analyzer, text) == ["NVDA", "KO", "SHOP"]


@pytest.mark.parametrize(
    ("text", "day", "symbol"),
    [("Ultra Strong Sells--the very lowest rated stocks: AMC; AMBC; DHT; FLS; RAIL; FRO; "
      "MIND; NE; UAA", "2018-03-19", "MIND"),
     ("Otherwise: ZAYO, GLW, COMM, DY, AVGO, INTC", "2018-01-02", "DY"),
     ("Employee satisfaction picks:\n\nLMT\nCRM\nWDAY\nULTI\nIHG", None, "CRM"),
     ("Name | Ticker | Price\n:--|:--|:--\nFirst Trust Global Wind Energy | FAN | 13.25\n"
      "Invesco Solar | TAN | 25.10", None, "FAN"),
     ("Watching: AMC, NVDA, NE, DHT", "2022-06-01", "NE")],
    ids=["stop-word-semicolons", "two-letter-commas", "stop-ticker-column", "stop-word-table",
         "two-letter-held"],
)
def test_a_stoplisted_or_two_letter_symbol_counts_as_an_item_of_a_list_of_tickers(
        analyzer: Analyzer, text: str, day: str | None, symbol: str) -> None:
    # MIND and FAN are on STOP_WORDS_BARE, CRM on STOP_TICKERS, DY and NE listed two-letter
    # symbols no curated row holds: no context but the list brings them back.
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert symbol in [canonical_key(m.ticker, m.market) for m in post.mentions]


@pytest.mark.parametrize(
    ("text", "day"),
    [("Never MIND the noise, AMC and NVDA are fine", None),
     ("I'm a big FAN of AMC, NVDA and DHT", None),
     ("Pros and cons: BUY, SELL, HOLD, MIND, FAN", None),
     ("NE corner of the lot, by AMC", None),
     ("Great Value Stocks & Bitcoin: KO, CRSP, AMTX, BTC, IBIO", None),
     # Noble's NE of 2018 is no row of history.csv (today's listed on 2021-06-09).
     ("lowest rated stocks: AMC; DHT; FLS; NE; UAA", "2018-03-19")],
    ids=["prose", "prose-beside-symbols", "list-of-words", "two-letter-prose",
         "coin", "nobody-held-on-the-day"],
)
def test_a_stoplisted_or_two_letter_symbol_outside_a_list_of_tickers_stays_out(
        analyzer: Analyzer, text: str, day: str | None) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    found = {canonical_key(m.ticker, m.market) for m in post.mentions}
    assert not found & {"MIND", "FAN", "BUY", "SELL", "HOLD", "NE", "NE@UNKNOWN", "BTC"}


def test_a_line_the_reach_cuts_is_read_whole() -> None:
    # The column and table tests read the lines within ticker_lists._REACH characters of
    # the symbol's; the farthest, where the reach cuts it, is read whole, so that a prose
    # line ending "... NVDA 20%" is no list line and "NVDAQ Holdings" no symbol NVDA.
    reach = ticker_lists._REACH
    prose = "I wrote a long note about my week and my plans, nothing to do with stocks, "
    item = "INTC - " + "a long description of the company and why I hold it " * 80
    assert not listed(prose + "NVDA 20%\n" + item[:reach - 10] + "\nCAKE 5%", "CAKE")
    assert not listed(prose + "NVDA 20%\n" + item[:200] + "\nCAKE 5%", "CAKE")  # near
    table = ("| Name | Note |\n|---|---|\n| CAKE | 5% |\n| INTC | " + "x" * (reach - 18)
             + " |\n| NVDAQ Holdings | 2% |")
    assert not listed(table, "CAKE")
    assert not listed(table.replace("x" * (reach - 18), "x" * 200), "CAKE")  # near


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("AMCKOFRX $|:-,;/%.\n*0123456789 ")), max_size=80),
       st.data())
def test_any_text_is_read_without_error(text: str, data: st.DataObject) -> None:
    # Any upper-case word of any text, tables and lines cut anywhere: an answer, no error.
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Z]{1,5}", text)]
    if words:
        start, end = data.draw(st.sampled_from(words))
        assert in_ticker_list(text, start, end, on_sight) in (True, False)


@pytest.mark.parametrize(("text", "symbol", "expected"), [
    ("MIND" + " " * 100_000 + ", AMC, DHT", "MIND", True),
    ("Otherwise: ZAYO, GLW, COMM" + " " * 100_000 + "x", "COMM", False),
    (" " * 100_000 + "MIND", "MIND", False),
    ("AMC, DHT, MIND 5" + " " * 100_000 + "x", "MIND", False),
], ids=["spaces-before-a-comma", "spaces-before-a-word", "spaces-first", "after-an-amount"])
def test_a_run_of_spaces_in_a_list_line_reads_in_linear_time(text: str, symbol: str,
                                                           expected: bool) -> None:
    # A line of 100,000 characters (the brief's check): the delimiters' spaces and an
    # item's amount took each run of spaces every way they could be split, so each of
    # these took minutes at 53df7cb (10,000 spaces: 3-4 s).
    assert listed(text, symbol) is expected
