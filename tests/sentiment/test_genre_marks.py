"""genre._marks: the shape marks as the patterns alone give them (the "@" test first)."""

from __future__ import annotations

import math
import re

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
                        ("m:first", genre._FIRST_PERSON.search(text))):
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
