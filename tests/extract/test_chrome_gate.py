"""chrome._is_date_line: the four-digit test before the date stamp's pattern changes no
answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract import chrome

_PIECES = ["Posted on", "POSTED ON", "published on", "Publicado el", "发布时间", "发布于",
           "：", ":", " ", "2026", "20", "26", "-05-04", "年5月4日", "10:30", "٢٠٢٦", "x" * 40,
           "$NVDA", "\n"]


def _as_before(line: str) -> bool:
    return chrome._DATE_STAMP.search(line) is not None and len(line) < 120


@pytest.mark.parametrize("line", [
    "Posted on 2026-05-04", "发布时间：2026年5月4日 12:30", "Posted on ٢٠٢٦", "Posted on 26-05",
    "$NVDA 2026 up", "x" * 115 + " Posted on 2026", "",
], ids=str)
def test_date_lines_as_before(line: str) -> None:
    assert chrome._is_date_line(line) is _as_before(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_any_line_as_before(line: str) -> None:
    assert chrome._is_date_line(line) is _as_before(line)
