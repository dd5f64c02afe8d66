"""Beneficiary groupings a post declares: tickers listed under "The first category is ..."
headings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_EN_HEADING = re.compile(
    r"^\s*(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"next|last|final|another|\d+(?:st|nd|rd|th)?)\s+(?:category|group|type|tier|bucket|class|"
    r"camp|kind|segment)\b",
    re.IGNORECASE,
)
_ZH_HEADING = re.compile(r"^\s*(?:第\s*[一二三四五六七八九十\d]+\s*(?:类|类别|组|梯队|种)"
                         r"|[一二三四五六七八九十]+\s*[、.．])")
# A list line is short: a ticker alone, or "And the Samsung system".
LIST_LINE_MAX = 80


@dataclass(frozen=True)
class Section:
    """A heading that names a group, and the text it governs up to the next heading."""

    group: str | None
    start: int
    end: int


def find_sections(text: str, keywords: Mapping[str, Sequence[str]]) -> list[Section]:
    """Headings in `text` with the group their words name (None if no keyword matches)."""
    heads: list[tuple[int, int, str | None]] = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if _EN_HEADING.match(line) or _ZH_HEADING.match(line):
            folded = line.casefold()
            group = next((g for g, words in keywords.items()
                          if any(w.casefold() in folded for w in words)), None)
            heads.append((start, start + len(line), group))
    sections = []
    for i, (_, head_end, group) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append(Section(group, head_end, end))
    return sections


def group_of(text: str, start: int, sections: Sequence[Section]) -> str | None:
    """The declared group of a mention at `start`, if it stands on a list line in a section."""
    # Sections come in text order and do not overlap: find the last one starting at or
    # before `start` by bisection, so a post with many headings and tickers stays linear.
    lo, hi = 0, len(sections)
    while lo < hi:
        mid = (lo + hi) // 2
        if sections[mid].start <= start:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return None
    section = sections[lo - 1]
    if section.group and start < section.end:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start:line_end if line_end != -1 else len(text)]
        return section.group if len(line.strip()) <= LIST_LINE_MAX else None
    return None
