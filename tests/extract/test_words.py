"""The packaged list of common English words (tracker/data/common_words_en.txt)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tracker.extract.words import (
    common_words,
    is_common_word,
    is_unwritten_symbol,
    name_words,
    spells_name,
    two_word_name,
)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_common_words.py"


# In the whole suite: it reads wordfreq's 100,000 most frequent words (0.8-1.1 s of CPU), and
# it fails only when the script, the packaged file or the wordfreq package changes, none of
# which the inner loop's commits touch; CI runs it.
@pytest.mark.slow
def test_the_packaged_list_is_what_the_build_script_writes() -> None:
    spec = importlib.util.spec_from_file_location("build_common_words", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT.read_text(encoding="utf-8") == module.build()
    assert module.UNWRITTEN_OUT.read_text(encoding="utf-8") == module.build_unwritten()


def test_words_and_symbols() -> None:
    assert {"wish", "tell", "body", "the"} <= common_words()
    assert is_common_word("WISH") and is_common_word("Tell")
    assert not any(is_common_word(s) for s in ("WKHS", "CLNE", "GSAT", "UWMC", "PLTR"))


def test_symbols_no_english_text_spells() -> None:
    assert all(is_unwritten_symbol(s) for s in ("WKHS", "CLNE", "UWMC", "PSFE", "ITUB"))
    # Chat writes these, and prose writes the others.
    assert not any(is_unwritten_symbol(s) for s in ("BBY", "TBF", "AMT", "AMC", "TSLA", "SPCE"))


# A listed name as posts write it (issue 28, fifteenth round): no "The", no listing note in
# brackets; "Limited" after a comma is a suffix; "The" and one word stay whole.
@pytest.mark.parametrize(("name", "expected"),
                         [("Wynn Resorts, Limited", "Wynn Resorts"),
                          ("The Carlyle Group Inc.", "Carlyle Group"),
                          ("Duke Energy Corporation", "Duke Energy"),
                          ("The Bancorp, Inc.", "The Bancorp"),
                          ("The Children's Place, Inc.", None),
                          ("Palantir Technologies Inc.", None)],
                         ids=["limited", "the", "plain", "the-and-one-word", "possessive",
                              "rare-first-word"])
def test_two_word_name(name: str, expected: str | None) -> None:
    assert two_word_name(name) == expected


def test_name_words_drop_the_article_and_the_listing_note() -> None:
    assert name_words("Apollo Global Management, Inc. (New)") == [
        "Apollo", "Global", "Management", "Inc."]
    assert name_words("The Kroger Co.") == ["Kroger", "Co."]
    assert name_words("The Bancorp") == ["The", "Bancorp"]


@pytest.mark.parametrize(
    ("phrase", "name", "expected"),
    [("Motorola Solutions Inc", "Motorola Solutions, Inc.", True),
     ("Dream Finders Homes", "Dream Finders Homes, Inc.", True),
     ("Kohl's Corporation", "Kohl’s Corporation", True),
     ("Royal Bank of Canada", "Royal Bank Of Canada", True),
     ("Royal Bank", "Regions Financial Corporation", False),
     ("Solutions Inc", "Motorola Solutions, Inc.", True),
     ("Motorola Systems", "Motorola Solutions, Inc.", False)],
    ids=["commas", "own-words", "apostrophe", "case", "other", "inner-run", "other-word"],
)
def test_a_phrase_spells_a_name_as_a_post_writes_it(phrase: str, name: str,
                                                     expected: bool) -> None:
    assert spells_name(phrase, name) is expected
