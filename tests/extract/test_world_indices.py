"""The world's headline indices by the English names posts give them (tracker/data/instruments.csv;
docs/mentions.md, issue 28's sixteenth round)."""

from __future__ import annotations

import pytest

from tests.extract.mention_keys import keys
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Europe trading higher with the Euro Stoxx 50 +1.31%", ["STOXX50E.DE"]),
     ("FTSE 100 +0.55%, CAC 40 +0.97% on the coalition deal", ["FTSE.L", "FCHI.PA"]),
     ("bigger than the 100 companies in the FTSE", ["FTSE.L"]),
     ("Asia mixed overnight: NKY -0.12%, Shanghai Comp 0.41%", ["N225.T", "000001.SS"]),
     ("S&P ASX is down (0.9%) but not a bloodbath", ["ASX200.AX"]),
     ("Nikkei 225 +0.87%, ASX 200 +0.53%", ["N225.T", "ASX200.AX"]),
     ("the S&P/TSX Composite hit a record", ["GSPTSE.TO"]),
     ("owning 30 of the S&P 100 stocks and selling calls on the index", ["OEX"]),
     ("the best performing S&P 1500 stocks since 2009", ["SP1500"]),
     ("Sensex and Nifty 50 closed lower", ["BSESN.BO", "NSEI.NS"]),
     ("the Stoxx 600 fell 2%", ["STOXX600.DE"]),
     ("the S&P/TSX Composite and the S&P/ASX 200 both fell", ["GSPTSE.TO", "ASX200.AX"])],
    ids=["euro-stoxx-50", "ftse-cac", "the-ftse", "nky-shanghai", "s-and-p-asx", "asx-200",
         "tsx", "s-and-p-100", "s-and-p-1500", "india", "stoxx-600",
         "the-s-and-p-slash"])
def test_an_index_by_its_english_name(analyzer: Analyzer, text: str,
                                      expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    "text",
    ["Vanguard FTSE Developed Markets ETF is my core holding",
     "what a nifty little tool", "a Stoxx listing of its own"],
    ids=["a-fund-named-for-its-index", "nifty-the-word", "stoxx-alone"])
def test_words_of_an_index_name_alone_are_not_it(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []
