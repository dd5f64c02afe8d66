"""Commodities named as proper nouns (tracker/extract/commodities.py)."""

from __future__ import annotations

import pytest

from tests.extract.mention_keys import keys
from tracker.extract.commodities import COMMODITY_NAMES
from tracker.extract.securities import load_securities
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("I <3 Natural Gas", ["NG_F"]),
     ("LiveCattle is at low right now! I bought in", ["LE_F"]),
     ("calls that expire on the 5th for February Live Cattle (LEG18)", ["LE_F"]),
     ("CRUDE OIL rallies 3% on the OPEC cut", ["CL_F"]),
     ("Brent Crude at 80 again", ["BZ_F"]),
     ("Lean Hogs limit down", ["HE_F"])],
    ids=["title-case", "run-together", "after-a-month", "capitals", "brent", "hogs"])
def test_a_commodity_named_as_a_proper_noun_is_its_future(analyzer: Analyzer, text: str,
                                                          expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    "text",
    ["natural gas prices in Europe are up", "Natural Gas stocks are cheap",
     "Crude Oil producers cut output", "Natural Gas & Electric bills", "Natural Gas prices",
     "Long or short oil?", "I'd rather buy gold", "live cattle auction tomorrow",
     "Natural Gas Services Group reported earnings today",
     "NATURAL GAS SERVICES GROUP REPORTS Q3", "Crude Oil Tanker Fund is closing",
     "Natural Gas ETN is up 4%"],
    ids=["lower-case", "stocks-after", "producers-after", "ampersand-after", "prices-after",
         "one-word-oil", "one-word-gold", "lower-case-cattle", "a-company-named-after-it",
         "a-company-named-after-it-in-capitals", "a-fund-named-after-it", "an-etn"])
def test_a_commodity_word_or_a_kind_of_company_is_not(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []


def test_every_name_names_an_instruments_future() -> None:
    secs = load_securities()
    for name, key in COMMODITY_NAMES.items():
        sec = secs.by_key(key)
        assert sec is not None and sec.kind == "future", (name, key)
