"""genre._marks: the shape marks as the patterns alone give them (the "@" test first)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.sentiment import genre
from tracker.sentiment.features import _EMOJI, _URL

_PIECES = ["@", "@ann", "a@b", "回复@雪球用户", "http://x.co", "www.", "🚀", "☀", "I", "i'm",
           "我", "lol", " ", "$TSLA", "_", "é@x"]


def _as_the_patterns_say(text: str) -> list[str]:
    marks = ["m:len" + str(min(6, int(math.log2(1 + len(text)))))]
    for mark, found in (("m:url", _URL.search(text)), ("m:handle", genre._HANDLE.search(text)),
                        ("m:emoji", re.search(_EMOJI, text)),
                        ("m:first", re.search(genre.FIRST_PERSON_RULE, text))):
        if found:
            marks.append(mark)
    return marks


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_marks_as_the_patterns_say(text: str) -> None:
    assert genre._marks(text) == _as_the_patterns_say(text)


def test_a_handle_is_marked_and_an_address_is_not() -> None:
    assert "m:handle" in genre._marks("ask @ann")
    assert "m:handle" not in genre._marks("mail a@b")


# Each first-person word, its letters in other cases (İ and ı fold to i in `re`), what may
# stand beside a word (letters, digits, "_", "'", a combining accent, space, punctuation),
# and the Chinese ones.
_WORD_PIECES = ["i", "I", "İ", "ı", "'m", "'M", "m", "M", "mo", "y", "Y", "e", "E", "we", "WE",
                "o", "ur", "UR", "l", "ol", "OL", "imo", "lol", "our", "a", "z", "0", "_",
                "\u0301", "é", " ", ".", "-", "我", "俺", "咱", "们", "😀"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_WORD_PIECES), max_size=8).map("".join))
def test_first_person_pattern_finds_what_the_rule_finds(text: str) -> None:
    assert bool(genre._FIRST_PERSON.search(text)) == bool(re.search(genre.FIRST_PERSON_RULE, text))


@pytest.mark.parametrize("text", ["i", "I'm in", "IMO", "my", "ME!", "we", "Our", "lol", "我",
                                  "x 俺", "咱们", "İ", "so i", "(me)"],
                         ids=lambda t: repr(t))
def test_first_person_words_are_found(text: str) -> None:
    assert genre._FIRST_PERSON.search(text)


@pytest.mark.parametrize("text", ["", "in", "mine", "ii", "xi", "_i", "i_", "1my", "owe",
                                  "lola", "imoo", "were", "ours", "im2", "ourself"],
                         ids=lambda t: repr(t))
def test_words_that_only_hold_one_are_not(text: str) -> None:
    assert not genre._FIRST_PERSON.search(text)
