"""The finance scorer's VADER gives exactly what vaderSentiment's own analyzer gives."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tracker.sentiment.english import FinanceVaderScorer, _FastAnalyzer
from tracker.sentiment.lexicon import load_lexicon

# Words that reach VADER's rules: boosters, negations, idioms, "but", "least", caps, emojis.
WORDS = ["no", "not", "isn't", "never", "so", "this", "without", "doubt", "kind", "of",
         "sort", "but", "least", "at", "very", "or", "nor", "good", "GOOD", "bad", "BAD",
         "love", "hate", "the", "shit", "bomb", "bus", "stop", "cut", "mustard", "extremely",
         "barely", ":)", "Great!", "!!", "??", "\U0001f600", "\U0001f680", "a", "stock"]
OLD = SentimentIntensityAnalyzer()
NEW = _FastAnalyzer()


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=14), glue=st.sampled_from([" ", "  "]))
def test_same_scores_as_vader(words: list[str], glue: str) -> None:
    text = glue.join(words)
    assert NEW.polarity_scores(text) == OLD.polarity_scores(text)


@cache
def _phrase_scorer() -> FinanceVaderScorer:
    # One per process: the tests only read it (the rewrite and the gate are set in __init__),
    # and the property test below built one per example, 100-200 builds of VADER's lexicon
    # and the phrase pattern (about 8 ms each; docs/performance.md, "The test suite, seventh
    # pass").
    return FinanceVaderScorer(load_lexicon("en"))


def _ungated(scorer: FinanceVaderScorer, text: str) -> str:
    # The rewrite as the phrase pattern alone makes it, with no test before it.
    assert scorer._phrase_re is not None
    return scorer._phrase_re.sub(
        lambda m: scorer._phrases.get(" ".join(m.group(0).lower().split()), m.group(0)), text)


def _outcome(rewrite: Callable[[str], str], text: str) -> tuple[str, str]:
    # The rewritten text, or the error raised (none is expected: a match through a long s
    # or a dotted I, which no phrase key spells, stays as written).
    try:
        return "text", rewrite(text)
    except KeyError as err:
        return "KeyError", str(err)


@pytest.mark.parametrize("text", ["$GME short \u017fqueeze coming", "M\u0130SSED THE BOAT"])
def test_a_phrase_matched_through_a_folded_letter_stays_as_written(text: str) -> None:
    # The pattern's IGNORECASE matches ſ for s and İ for i; the lower
    # case of such a match is no phrase key, and the lookup raised KeyError, losing the post.
    scorer = _phrase_scorer()
    assert scorer._rewrite(text) == text
    assert -1.0 <= scorer.score(text) <= 1.0


@pytest.mark.parametrize("text", [
    "$GME short squeeze incoming", "SHORT SQUEEZE!!", "Short-squeeze? no", "shorts squeeze",
    "we missed the boat and the rally", "NO MATTER WHAT", "no matter who wins",
    "\u017fhort \u017equeeze", "short \u017fqueeze", "MI\u0130SSED THE BOAT",
    "record high \u212a", "all\u2011time high", "all time  high", "", "to the moon 🚀",
], ids=lambda t: t[:24] or "empty")
def test_the_phrase_test_changes_no_rewrite(text: str) -> None:
    scorer = _phrase_scorer()
    assert scorer._phrase_gate is not None
    assert _outcome(scorer._rewrite, text) == _outcome(partial(_ungated, scorer), text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["short", "SQUEEZE", "squeeze", "the", "moon", "to", "bag", "holding", "ſ", "K", "İ",
     "-", " ", "  ", "\n", "no", "matter", "what", "52-week", "HIGH", "x"]), max_size=10))
def test_the_phrase_test_changes_no_rewrite_of_any_words(words: list[str]) -> None:
    scorer = _phrase_scorer()
    for glue in (" ", ""):
        text = glue.join(words)
        assert _outcome(scorer._rewrite, text) == _outcome(partial(_ungated, scorer), text)


def test_phrases_other_than_lower_case_ascii_are_not_tested_first() -> None:
    # may_hold reads lower-case ASCII only: such a lexicon keeps the pattern alone.
    assert FinanceVaderScorer({"prêt à monter": 1.0})._phrase_gate is None
    assert FinanceVaderScorer({"Short Squeeze": 1.0})._phrase_gate is None
    assert FinanceVaderScorer({"short squeeze": 1.0, "short squeeze now": 1.0}
                              )._phrase_gate == ("short squeeze",)
