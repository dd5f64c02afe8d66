"""A limited partnership's name: its first word is its sponsor's (issue 28, sixteenth round)."""

from __future__ import annotations

import pytest

from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(("text", "expected"), [
    # The first word alone is the sponsor: the company, or the person.
    ("Delek US (DK) raised its dividend.", ["DK"]),
    ("Cheniere is buying back shares", ["LNG"]),
    ("Westlake is up 5% today", ["WLK"]),
    ("Investor Carl Icahn has taken a stake in the company.", []),
    # The units by their two words before L.P., with a trade; by their symbol.
    ("Buying Icahn Enterprises units today", ["IEP"]),
    ("Energy Transfer and MPLX are my midstream picks", ["ET", "MPLX"]),
    ("IEP dividend cut, selling", ["IEP"]),
])
def test_a_partnerships_first_word_is_its_sponsors(analyzer: Analyzer, text: str,
                                                  expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field="2024-06-03T12:00:00Z"))
    assert sorted(m.ticker for m in post.mentions) == expected
