"""A company's name inside a longer proper name that begins another security's name (issue
28, thirteenth round): `Pershing Square` is not Square, `Apple Hospitality` not Apple."""

from __future__ import annotations

import pytest

from tracker.extract.longer_names import inside_other_name, name_starts
from tracker.extract.models import RawPost
from tracker.extract.securities import Security, canonical_key
from tracker.ingest.analyze import Analyzer


def _sec(ticker: str, name: str) -> Security:
    return Security(ticker=ticker, market="US", name=name)


HEADS = name_starts([_sec("XYZ", "Block, Inc."), _sec("PS", "Pershing Square Inc."),
                     _sec("AAPL", "Apple Inc."), _sec("APLE", "Apple Hospitality REIT, Inc.")],
                    ["square", "apple", "pershing"])


@pytest.mark.parametrize(
    ("text", "name", "own", "inside"),
    [
        ("Ackman of Pershing Square bought", "Square", ("XYZ", "US"), True),
        ("more Apple Hospitality shares", "Apple", ("AAPL", "US"), True),
        ("Pershing Square bought", "Pershing", ("PS", "US"), False),
        ("Apple Inc. beat", "Apple", ("AAPL", "US"), False),
        ("Apple Stock soars", "Apple", ("AAPL", "US"), False),
        ("apple hospitality is a word pair here", "apple", ("AAPL", "US"), False),
        ("XPershing Square", "Square", ("XYZ", "US"), False),
    ],
    ids=["word-before", "word-after", "own-name", "own-suffix", "no-such-security",
         "lower-case", "glued-word"],
)
def test_a_name_inside_another_securitys_name(text: str, name: str, own: tuple[str, str],
                                              inside: bool) -> None:
    start = text.index(name)
    assert inside_other_name(text, start, start + len(name), own, HEADS) is inside


def test_name_starts_keys_each_security_once() -> None:
    heads = name_starts([_sec("PS", "Pershing Square Inc."),
                         _sec("PSUS", "Pershing Square USA, Ltd."),
                         Security(ticker="PS", market="US", name="Pershing Square Inc.",
                                  aliases_en=("Pershing Square",))], ["square"])
    assert heads["pershing square"] == (("PS", "US"), ("PSUS", "US"))


def test_name_starts_keeps_only_pairs_a_found_name_can_stand_in() -> None:
    secs = [_sec("PS", "Pershing Square Inc."), _sec("NYT", "New York Times Co.")]
    assert set(name_starts(secs, ["square"])) == {"pershing square"}
    assert set(name_starts(secs, ["new"])) == {"new york"}
    assert name_starts(secs, ["times"]) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bill Ackman of Pershing Square bought more shares in 2024", []),
        ("I bought more Apple Hospitality shares today", []),
        ("I bought more Apple shares today", ["AAPL"]),
    ],
    ids=["pershing-square", "apple-hospitality", "apple"],
)
def test_the_analyser_drops_a_name_inside_another(analyzer: Analyzer, text: str,
                                                  expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field="2024-05-01"))
    assert post is not None
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected
