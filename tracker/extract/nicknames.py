"""The nicknames r/wallstreetbets gives a company's holders: its symbol or the head of its
name run into -tard(s) or -toid(s) (Palantards, PALANTOIDS, CLOVtards, bbtards, wishtards).

On real_train 19 of the 21 such words whose stem is a curated company's were labelled that
company (the other two posts were labelled nothing for them); the stems of the others
(re-, bas-, lib-, cryp-, fuck-) are no company's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.extract.securities import Security

# The stem, lazily, then the nickname's ending; the word stands alone.
NICKNAME = re.compile(r"(?<![A-Za-z0-9$])([A-Za-z]{2,}?)(?:tards?|toids?)(?![A-Za-z0-9])",
                      re.IGNORECASE)
# A name's head is four letters or more ("Palan" of Palantir): shorter ones are a word's.
HEAD_MIN = 4


def may_hold_nickname(folded: str) -> bool:
    """Whether the lower-cased text may hold a nickname at all (the cheap test first)."""
    return "tard" in folded or "toid" in folded


def name_heads(names: Iterable[tuple[str, Security]]) -> dict[str, Security]:
    """Each head of HEAD_MIN letters or more of the one-word names given (with their
    companies; the caller passes names that are no common word), lower-cased, held by one
    company: "palan", "palant", "palanti", "palantir" -> Palantir."""
    heads: dict[str, Security | None] = {}
    for name, sec in names:
        word = name.lower()
        for end in range(HEAD_MIN, len(word) + 1):
            held = heads.get(word[:end], sec)
            heads[word[:end]] = sec if held is sec else None
    return {head: sec for head, sec in heads.items() if sec is not None}
