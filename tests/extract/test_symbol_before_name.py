"""A word symbol written right before its company's name ("CALM - Cal Maine foods",
"[DAL] Delta Airlines"): the name is its context, as a bracket after the name is
(bare.named_before, bare.named_after)."""

from __future__ import annotations

import pytest

from tests.extract.mention_keys import keys
from tracker.extract.bare import named_after
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CALM - Cal Maine foods - strong buy", ["CALM"]),
     ("Take [DAL] Delta Airlines Inc. for example", ["DAL"]),
     ("DAL: Delta Air Lines", ["DAL"]),
     ("CALM - California is nice", []),
     ("NICE - Nice weather today", [])],
    ids=["dash", "brackets", "colon", "another-word", "the-word-twice"],
)
def test_a_word_symbol_before_its_company_name(analyzer: Analyzer, text: str,
                                               expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [("HD - The Home Depot", "The Home Depot, Inc.", True),
     ("EYE / National Vision Holdings", "National Vision Holdings, Inc.", True),
     ("RP - Really pleased", "RealPage, Inc.", False),
     ("GE - Ge whiz", "GE Aerospace", False),
     ("CALM - cal maine", "Cal-Maine Foods, Inc.", False),
     ("CALM and then Cal Maine", "Cal-Maine Foods, Inc.", False)],
    ids=["the-passed-over", "slash", "head-not-begun", "head-too-short", "lower-case",
         "words-between"],
)
def test_named_after(text: str, name: str, expected: bool) -> None:
    end = text.index(" ")
    assert named_after(text, 0, end, name) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [("AMS - American Meteorological Society", "American Shared Hospital Services", False),
     ("UPS - United Parcel Service", "United Parcel Service, Inc.", True),
     ("BAC - Bank of America", "Bank of America Corporation", True),
     ("AMS - American Shared Hospital", "American Shared Hospital Services", True),
     ("RP / RealPage, Inc.", "RealPage, Inc.", True),
     # Its own name as a post writes it: without the hyphens, "and" for "&" (both were
     # taken for another name's words, and "ADM - Archer Daniels Midland" was no mention).
     ("ADM - Archer Daniels Midland", "Archer-Daniels-Midland Company", True),
     ("HP - Helmerich and Payne", "Helmerich & Payne, Inc.", True),
     ("WFC - Wells Fargo Company", "Wells Fargo & Company", True)],
    ids=["another-society", "its-own-initials", "with-of", "its-own-words", "one-camel-word",
         "hyphenated-name", "and-for-ampersand", "ampersand-left-out"],
)
def test_a_symbol_spelled_out_as_another_name_is_no_name_after(text: str, name: str,
                                                               expected: bool) -> None:
    # A glossary of acronyms ("AMS - American Meteorological Society") spells each out: words
    # whose initials are the symbol and that are not the company's name say the symbol is
    # their short form, though their first word is the company's.
    end = text.index(" ")
    assert named_after(text, 0, end, name) is expected


def test_a_holding_listed_with_its_name_unhyphenated_is_a_mention(analyzer: Analyzer) -> None:
    assert keys(analyzer, "ADM - Archer Daniels Midland") == ["ADM"]


def test_a_glossary_of_acronyms_mentions_nothing(analyzer: Analyzer) -> None:
    text = ("Useful acronyms:\nAMS - American Meteorological Society\n"
            "NSA - National Security Agency\nFDA - Food and Drug Administration")
    assert keys(analyzer, text) == []
