"""A coin named with its symbol in brackets in a crypto post (tracker/extract/coin_brackets.py)."""

from __future__ import annotations

import pytest

from tests.extract.mention_keys import keys
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$ETH.X NEW ARTICLE : Hacker sends coins to a Mixer Following Harmony (ONE) Attack",
      ["ETH.X", "ONE.X"]),
     ("$ETH.X NEW ARTICLE : Gnox (GNOX) Presale Phase 2 Sold Out", ["ETH.X", "GNOX.X"]),
     ("$BTC.X The Culmination Of Gnox (GNOX) Presale", ["BTC.X", "GNOX.X"])],
    ids=["listed-coin-by-its-name", "unlisted-symbol-inside-the-name", "words-before-it"])
def test_a_coin_with_its_symbol_in_brackets_in_a_crypto_post(analyzer: Analyzer, text: str,
                                                             expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Gnox (GNOX) Presale Phase 2 Sold Out", []),
     ("Three Arrows Capital (3AC) founder speaks $BTC.X", ["BTC.X"]),
     ("Lower Highs (LH) and Lower Lows (LL) on the chart $BTC.X", ["BTC.X"]),
     ("Let's Go (GO) team $ETH.X", ["ETH.X"])],
    ids=["no-crypto-post", "an-acronym", "chart-terms", "word-too-short"])
def test_brackets_that_name_no_coin(analyzer: Analyzer, text: str,
                                    expected: list[str]) -> None:
    assert keys(analyzer, text) == expected
