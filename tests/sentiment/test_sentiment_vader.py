"""The finance scorer's VADER gives exactly what vaderSentiment's own analyzer gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tracker.sentiment.english import _FastAnalyzer

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
