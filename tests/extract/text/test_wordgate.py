"""tracker.extract.text.wordgate, and the patterns it lets skip a text: a gate may pass a
text the pattern does not match, never the other way round."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract.text import wordgate
from tracker.extract.text.wordgate import may_hold
from tracker.sentiment import clauses, rivalry
from tracker.sentiment.clauses import _CONTRAST, _contrasts
from tracker.sentiment.rivalry import _RIVAL, rivalry_side


def test_the_characters_that_fold_to_ascii_are_those_re_folds() -> None:
    letter = re.compile("(?i)[a-z]")
    folding = {chr(c) for c in range(128, sys.maxunicode + 1) if letter.match(chr(c))}
    assert folding == {c for c in map(chr, range(128, sys.maxunicode + 1))
                       if wordgate._FOLDS_TO_ASCII.match(c)}


@pytest.mark.parametrize(("text", "held"), [
    ("Sold it all BUT kept one", True),
    ("bUt", True),
    ("even\tthough", False),  # the word holds a space, which matches only itself
    ("ſtole their lunch", True),  # long s is an s to re's IGNORECASE
    ("\u212aeep", True),  # the Kelvin sign is a k
    ("nothing here 🚀", False),
    ("", False),
], ids=["upper", "mixed", "tab", "long-s", "kelvin", "none", "empty"])
def test_may_hold(text: str, held: bool) -> None:
    assert may_hold(text, ("but", "even though", "stole", "keep")) is held


# Letters of the words, their other cases and look-alikes, and what stands around them.
_ALPHABET = ("abcdefghiklmnorstuvwyABEHILNORSTUWY ;；,$'’\u0130\u0131\u017f\u212a"
             "但是然而不过可是只是反而虽尽管却从因进且已被吊打碾压取代超越")
_WORDS = ["but ", "While", "whereas", "alTHOUGH", "though", "however", "yet", "meanwhile",
          "even though", "even as", "despite", "in contrast", "on the other hand", "unlike",
          "eats", "ATE", "steal", "stole", "their lunch", "backlog", "puts", "to shame",
          "leaves", "left", "in the dust", "crush", "dethrones", "outsold", "obliterated",
          "AMD's", "但", "而且", "取代"]
_TEXTS = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(_ALPHABET, max_size=3)),
                  max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_contrasts_are_the_patterns_matches(text: str) -> None:
    assert _contrasts(text) == [m.span() for m in _CONTRAST.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_no_rivalry_match_escapes_the_gate(text: str) -> None:
    if _RIVAL.search(text) is not None:
        assert (rivalry._RIVAL_ZH_VERB.search(text) is not None
                or may_hold(text, rivalry._RIVAL_STEMS))


@pytest.mark.parametrize("text", [
    "NVDA EATS their lunch", "AMD ate INTC's backlog", "MU stealing their customers",
    "TSLA stole its market share", "NBIS puts every rocket company to shame",
    "ASML PUTTING them all to shame", "AAPL leaves samsung in the dust",
    "MSFT LEFT google in the dust", "AMD crushes INTC", "AMD Dethroned INTC",
    "TSLA outsells GM", "TSLA outselling GM", "AMD obliterates INTC", "AMD ſtole its share",
])
def test_each_english_rivalry_passes_the_gate(text: str) -> None:
    assert _RIVAL.search(text) is not None
    assert may_hold(text, rivalry._RIVAL_STEMS)


def test_rivalry_and_clauses_read_as_before() -> None:
    assert rivalry_side("AMD crushes INTC", 0, 3, [(0, 3), (12, 16)]) == 1
    assert rivalry_side("AMD crushes INTC", 12, 16, [(0, 3), (12, 16)]) == -1
    assert rivalry_side("AMD beats INTC", 0, 3, [(0, 3), (10, 14)]) == 0
    assert clauses.mention_words("TSLA tanks BUT NVDA soars", 15, 19).text == "NVDA soars"
    assert clauses.mention_words("TSLA tanks and NVDA soars", 15, 19).text == \
        "TSLA tanks and NVDA soars"
