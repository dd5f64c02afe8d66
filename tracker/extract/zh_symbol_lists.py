"""Lists of US symbols inside Chinese text: `今日机构期权异动：ZM、SE、EBAY、ROKU、WYNN、CCL`,
`ARK基金卖出：GH,ADSK,NVDA`.

In Chinese text a Latin acronym is mostly a loan word (「PPT 承诺」), so the name rules read a
short or word-like symbol there only with context (names.py). A list made of nothing but
listed symbols, two or more of which those rules already read as tickers, is that context for
the rest: options-flow trackers, ARK's daily trades and market wraps on 雪球 list their pools
this way. An item that is no listed symbol ends a list (`GPU、CPU、NVDA、AMD` holds none of
three listed symbols).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A symbol as an item: one to five capitals, a class after a dot (BRK.B), not inside a word.
_ITEM = r"(?<![A-Za-z0-9.])[A-Z]{1,5}(?:\.[A-Z])?(?![A-Za-z0-9])"
# What separates the items of a list in Chinese text: 、 , ， ; ； / 和 及, spaces around them.
_SEP = r"\s*(?:[、,，;；/]|和|及)\s*"
_RUN = re.compile(f"{_ITEM}(?:{_SEP}{_ITEM}){{2,}}")
_ITEM_RE = re.compile(_ITEM)
# Items the name rules must have read as tickers before the rest of a list is read, and
# the fewest listed symbols in a row that make a list.
_ANCHORS = 2
_MIN_ITEMS = 3


@dataclass(frozen=True)
class ListedSymbol:
    """A symbol read as an item of a list of symbols: where it is and the symbol."""

    start: int
    end: int
    symbol: str


def symbols_in_lists(text: str, found: Sequence[tuple[int, int]],
                     listed: Callable[[str], bool]) -> list[ListedSymbol]:
    """The items of each list of three or more symbols `listed` knows in a row in `text`,
    at least two of them among `found` (the spans already read as mentions), that are not
    among `found`."""
    if not _RUN.search(text):
        return []
    spans = set(found)
    out = []
    for run in _RUN.finditer(text):
        # An item no list holds ends a list (`GH,ADSK,NVDA;ARK基金` ends before ARK): each
        # stretch of listed symbols between such items is judged alone.
        stretch: list[re.Match[str]] = []
        for m in [*_ITEM_RE.finditer(text, run.start(), run.end()), None]:
            if m is not None and listed(m.group()):
                stretch.append(m)
                continue
            if (len(stretch) >= _MIN_ITEMS
                    and sum((s.start(), s.end()) in spans for s in stretch) >= _ANCHORS):
                out += [ListedSymbol(s.start(), s.end(), s.group()) for s in stretch
                        if (s.start(), s.end()) not in spans]
            stretch = []
    return out

