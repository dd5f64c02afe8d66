"""Index codes quoted with their move (tracker/extract/index_quotes.py)."""

from __future__ import annotations

import pytest

from tests.extract.mention_keys import keys
from tracker.extract.index_quotes import INDEX_CODES
from tracker.extract.securities import load_securities
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Asia mixed overnight with the **NKY** \\-0.12&#37; **HSI** \\-1.41&#37; CSI +0.04&#37;",
      ["N225.T", "HSI.HK", "000300.SS"]),
     ("Europe: DAX +1.31%, CAC +0.97%, UKX -0.2%", ["GDAXI.DE", "FCHI.PA", "FTSE.L"]),
     ("RUT -2.1% today, SOX +1.5%", ["RUT", "SOX"]),
     ("DOW: -350 pts at the open", ["DJI"]),
     ("TSX (+0.4%) and ASX -0.9%", ["GSPTSE.TO", "ASX200.AX"]),
     # "points" spelled out, with no "%" or "pt" in the post: the quick test before the
     # pattern returned nothing for it, though the pattern takes "points".
     ("SOX -3 points at the close", ["SOX"]),
     ("DAX +120 points today", ["GDAXI.DE"])],
    ids=["asia-wrap", "europe-wrap", "us-word-symbols", "points", "brackets",
         "points-spelled-out", "points-alone"])
def test_an_index_code_with_its_move_is_the_index(analyzer: Analyzer, text: str,
                                                  expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    "text",
    ["CSI is my favourite show", "the DAX was flat", "HSI: 40 of them, 2 left",
     "rut in the road -5% grade", "csi +2%", "MY-CSI +2%"],
    ids=["csi-show", "dax-no-move", "no-sign", "lower-case-word", "lower-case-code",
         "inside-a-word"])
def test_the_same_letters_without_a_move_are_not_it(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []


def test_every_code_names_an_instruments_row() -> None:
    secs = load_securities()
    for code, key in INDEX_CODES.items():
        sec = secs.by_key(key)
        assert sec is not None and sec.kind == "index", (code, key)
