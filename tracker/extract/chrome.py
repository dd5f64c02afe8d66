"""Strip page chrome (counters, back links, footers, related-reading tails) from a body."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.patterns import SENTENCE_END

if TYPE_CHECKING:
    from tracker.config import CleanConfig

_DATE_STAMP = lazy_pattern(
    r"(发布时间|发表时间|发布于|Publicado a|Publicado el|Publicado en|Published on|Posted on)"
    r"\s*[:：]?\s*\d{4}"
    # The rest of the date and time, so that the whole stamp can be cut from a line.
    r"(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?)?(?:[ T]\d{1,2}[:：]\d{2}(?::\d{2})?)?",
    re.IGNORECASE)


@dataclass(frozen=True)
class Kept:
    """The parts of a text that survive cleaning, and how to map offsets into the result."""

    text: str
    ranges: tuple[tuple[int, int], ...]

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where the original span [start, end) lies in `text`, or None if it was removed."""
        offset = 0
        for s, e in self.ranges:
            if s <= start and end <= e:
                return offset + start - s, offset + end - s
            offset += e - s
        return None


# A sentence's end and the blanks after it.
_SENTENCE_END = lazy_pattern(SENTENCE_END + r"\s*")


def _is_chrome(line: str, cfg: CleanConfig) -> bool:
    folded = line.casefold()
    if folded in _folded(cfg.drop_lines):
        return True
    if any(folded.startswith(p) for p in _folded(cfg.drop_line_prefixes)):
        return True
    return _is_date_line(line)


# What every date stamp holds: its year's four digits. `re` scans for the class opening
# this pattern in C (0.6 us a StockTwits line), while it tries _DATE_STAMP (its words
# matched ignoring case) at every position (2.5 us); 11% of those lines have four digits.
_YEAR_DIGITS = lazy_pattern(r"\d\d\d\d")


def _is_date_line(line: str) -> bool:
    return (len(line) < 120 and _YEAR_DIGITS.search(line) is not None
            and _DATE_STAMP.search(line) is not None)


def _without_stamps(line: str) -> list[tuple[int, int]]:
    """The spans of a date line outside its date stamps ("Posted on 2026-05-04")."""
    parts, start = [], 0
    for match in _DATE_STAMP.finditer(line):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(line)))
    # Each part without its leading spaces; a space before the next part stays with it.
    kept = [(s + len(line[s:e]) - len(line[s:e].lstrip()), e) for s, e in parts
            if line[s:e].strip()]
    if kept:
        s, e = kept[-1]
        kept[-1] = (s, s + len(line[s:e].rstrip()))
    return kept


def _kept_parts(line: str, cfg: CleanConfig) -> list[tuple[int, int]]:
    """Spans of `line` that are the post's own: the whole line, or, where a disclaimer
    ("not investment advice") shares the line with the body, every sentence but the
    disclaimer's. A line that is only a disclaimer keeps nothing."""
    markers = _folded(cfg.drop_line_contains)
    folded = line.casefold()
    if not any(m in folded for m in markers):
        return [(0, len(line))]
    parts: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        parts.append((start, match.end()))
        start = match.end()
    if start < len(line):
        parts.append((start, len(line)))
    kept = [(s, e) for s, e in parts
            if line[s:e].strip() and not any(m in line[s:e].casefold() for m in markers)]
    # Kept sentences keep the space after them (it separates them from the next kept one),
    # except the last.
    if kept:
        s, e = kept[-1]
        kept[-1] = (s, s + len(line[s:e].rstrip()))
    return kept


_FOLD_CACHE: dict[tuple[str, ...], tuple[str, ...]] = {}


def _folded(items: Sequence[str]) -> tuple[str, ...]:
    key = tuple(items)
    cached = _FOLD_CACHE.get(key)
    if cached is None:
        cached = _FOLD_CACHE[key] = tuple(i.casefold() for i in key)
    return cached


def strip_chrome(text: str, cfg: CleanConfig) -> Kept:
    """Drop chrome lines, everything from a related-reading heading on, and extra blank lines."""
    cut_markers = set(_folded(cfg.cut_after))
    ranges: list[tuple[int, int]] = []
    # What date lines hold besides their stamp: the post itself when nothing else is left.
    dated: list[tuple[int, int]] = []
    pos = 0
    prev_blank = True  # drops blank lines at the top
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.strip()
        if body.casefold() in cut_markers:
            break
        if not body:
            if prev_blank:
                continue
            prev_blank = True
        else:
            if _is_chrome(body, cfg):
                parts = _without_stamps(line.rstrip()) if _is_date_line(body) else []
                if parts:
                    dated.extend((start + s, start + e) for s, e in parts)
                    if line.endswith("\n"):
                        dated.append((pos - 1, pos))
                continue
            content = line.rstrip()
            parts = _kept_parts(content, cfg)
            if not parts:
                continue
            prev_blank = False
            # Keep the line's own sentences without trailing spaces, but with its newline.
            ranges.extend((start + s, start + e) for s, e in parts)
            if line.endswith("\n"):
                ranges.append((pos - 1, pos))
            continue
        ranges.append((start, start + len(line.rstrip())))
        if line.endswith("\n"):
            ranges.append((pos - 1, pos))
    # Trailing blank lines and the final newline carry nothing.
    while ranges and not text[ranges[-1][0]:ranges[-1][1]].strip():
        ranges.pop()
    if not ranges and dated:
        # Chrome rules never drop a post's only content: "$NVDA up. Posted on 2026-05-04"
        # alone keeps its words and loses only the stamp.
        ranges = dated
        while ranges and not text[ranges[-1][0]:ranges[-1][1]].strip():
            ranges.pop()
    merged: list[tuple[int, int]] = []
    for s, e in ranges:
        if s == e:
            continue
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return Kept("".join(text[s:e] for s, e in merged), tuple(merged))
