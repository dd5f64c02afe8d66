"""Bare tickers (issue 28): a symbol is a whole word, and a symbol that is also a word or a
trading term needs trading context. Through the whole Analyzer, as `tracker show` reads."""

from __future__ import annotations

import pytest

from tracker.analyze import Analyzer
from tracker.extract.securities import canonical_key
from tracker.models import RawPost


def keys(analyzer: Analyzer, text: str) -> list[str]:
    post = analyzer.analyze(RawPost("test", text))
    mentions = post.mentions if post is not None else ()
    return list(dict.fromkeys(canonical_key(m.ticker, m.market) for m in mentions))


# Each word holds a symbol that counts on its own (BAC, META, DIA, SPY, GME, ...) and has a
# trading word beside it, so only the edge check keeps it out.
@pytest.mark.parametrize(
    "text",
    ["I bought back in today", "metal calls are hot", "diamond hands, buy more",
     "spyware stock is a scam", "gmexyz calls", "this season calls for puts",
     "cannot sell now", "I often buy dips", "Back in calls", "Metal shares up",
     "Diamond hands hold"],
    ids=["back", "metal", "diamond", "spyware", "gmexyz", "season", "cannot", "often",
         "title-back", "title-metal", "title-diamond"],
)
def test_a_symbol_inside_a_word_is_no_ticker(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("bac calls", ["BAC"]), ("meta calls", ["META"]), ("spy puts", ["SPY"]),
     ("gme! calls", ["GME"]), ("(spy puts)", ["SPY"])],
    ids=["bac", "meta", "spy", "gme-bang", "brackets"],
)
def test_a_whole_word_symbol_still_counts(analyzer: Analyzer, text: str,
                                          expected: list[str]) -> None:
    assert keys(analyzer, text) == expected
