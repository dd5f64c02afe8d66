"""CASHTAG, the union of the cashtag forms, and each form's pattern, written with the "$" in
front: the same matches (and groups) as the forms as written."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract.text import patterns
from tracker.extract.text.patterns import (
    CASHTAG,
    CASHTAG_FORM_PATTERNS,
    CASHTAG_FORMS,
    CASHTAG_UNION,
)

_UNION = re.compile(CASHTAG_UNION)
_AS_WRITTEN = {form: re.compile(source) for form, source in CASHTAG_FORMS.items()}
_PIECES = ["$", "$$", "$$$", "TSLA", "tsla", "BRK.B", "BTC.X", "SAFEMOON.X", "ES_F", "6E_F",
           "600519", ".SH", "700.HK", "2382", "(", ")", "（", "）", "贵州茅台", "Tesla", " - ",
           "a", "9", "_", ".", ",5", " ", "\n", "!"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_the_dollar_first_form_is_in_use() -> None:
    # A new form that opens otherwise falls back to the plain union, which is as right
    # and about 2.5x slower on every sentence (patterns._dollar_first).
    assert CASHTAG.pattern != CASHTAG_UNION
    assert CASHTAG.pattern.startswith(r"\$")
    assert all(p.pattern.startswith(r"\$") for p in CASHTAG_FORM_PATTERNS.values())


@pytest.mark.parametrize("text", [
    "$TSLA", "$$TSLA", "$$$TSLA", "a$TSLA", "$TSLA$", "$600519.SH", "x$600519", "$$600519",
    "$Tesla(TSLA.US)", "$贵州茅台（600519.SH）$", "$20 billion (Q3)", "$ES_F and $BTC.X",
], ids=str)
def test_same_spans_as_the_forms_union(text: str) -> None:
    assert _spans(CASHTAG, text) == _spans(_UNION, text)
    for form, pattern in CASHTAG_FORM_PATTERNS.items():
        assert _groups(pattern, text) == _groups(_AS_WRITTEN[form], text)


def _groups(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_same_spans_on_any_text(text: str) -> None:
    assert _spans(CASHTAG, text) == _spans(_UNION, text)
    for form, pattern in CASHTAG_FORM_PATTERNS.items():
        assert _groups(pattern, text) == _groups(_AS_WRITTEN[form], text)


def test_a_form_opening_otherwise_keeps_the_plain_union() -> None:
    assert patterns._dollar_first([r"\$(?:A)", r"#(?:B)"]) is None
    assert patterns._dollar_first([r"\$?(?:A)"]) is None
    assert patterns._dollar_first([r"(?<![A-Za-z0-9$])\${1,2}A"]) == \
        r"\$(?:(?:(?<![A-Za-z0-9$]\$)\$?A))"
