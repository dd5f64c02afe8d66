"""Cashtags typed without spaces between them ($LAYN$NTIC$TISA): each is a cashtag."""

from __future__ import annotations

import pytest

from tracker.extract.cashtags import find_cashtags


def tickers(text: str) -> list[tuple[str, int, int]]:
    return [(h.ticker, h.start, h.end) for h in find_cashtags(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$LAYN$NTIC$TISA up", [("LAYN", 0, 5), ("NTIC", 5, 10), ("TISA", 10, 15)]),
        ("news on $SBUX$BIIB.", [("SBUX", 8, 13), ("BIIB", 13, 18)]),
        ("$UAL$RTN$BIIB$LUV", [("UAL", 0, 4), ("RTN", 4, 8), ("BIIB", 8, 13), ("LUV", 13, 17)]),
    ],
    ids=["three", "sentence-end", "four"],
)
def test_glued_cashtags_are_each_one(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert tickers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$TSLA$ and more", [("TSLA", 0, 5)]),
        ("US$TSLA", []),
        ("$AAPL$aapl", [("AAPL", 0, 5)]),
        ("$AAPL$FILE.txt", [("AAPL", 0, 5)]),
    ],
    ids=["closing-dollar", "after-a-word", "lower-case-glued", "glued-file-name"],
)
def test_what_is_not_glued_on(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert tickers(text) == expected
