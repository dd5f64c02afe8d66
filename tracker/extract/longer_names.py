"""A company's name inside a longer proper name that is another security's.

`Pershing Square` is not Square (Block): it is the first two words of Pershing Square Inc.'s
name; `Apple Hospitality` is Apple Hospitality REIT, not Apple; `Target Hospitality` is not
Target. The test is structural: a capitalised word written right before or after a name
(one space apart) that makes, with the name's first or last word, the first two words of a
listed security's name other than the one found. A pair that is the found company's own
(`Pershing Square` for Pershing Square Inc., `Apple Inc`) or no security's (`Apple stock`,
`Tesla Cat`) leaves the name alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from tracker.extract.securities import Security

# A capitalised word right before a name, or right after it, one space or tab apart.
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z&'’-]*)[ \t]$")
_WORD_AFTER = re.compile(r"[ \t]([A-Z][A-Za-z&'’-]*)")
# How far before or after a name its neighbouring word is looked for.
_WORD_REACH = 40
# The two words a name begins with, as `heads` keys them.
_HEAD = re.compile(r"([A-Za-z][A-Za-z&'’-]*)[ \t]+([A-Za-z][A-Za-z&'’-]*)")

Key = tuple[str, str]


def _pair(first: str, second: str) -> str:
    return f"{first.lower()} {second.lower()}"


def name_starts(securities: Iterable[Security],
                aliases: Collection[str]) -> dict[str, tuple[Key, ...]]:
    """The first two words of every ASCII name the securities go by (lower case, `w1 w2`),
    each with the keys (ticker, market) of the securities named so; only the pairs a found
    name can stand in, as the second word of a pair whose first word is written before it
    or the first of one whose second follows it: `aliases` (lower case) are the names the
    matcher finds. A third of the pairs, and of the memory."""
    firsts = {alias.split()[0] for alias in aliases if alias.split()}
    lasts = {alias.split()[-1] for alias in aliases if alias.split()}
    heads: dict[str, tuple[Key, ...]] = {}
    for sec in securities:
        key = (sec.ticker, sec.market or "")
        for name in sec.names():
            if not name.isascii():
                continue
            head = _HEAD.match(name.replace(",", ""))
            if head is None:
                continue
            if head[2].lower() not in firsts and head[1].lower() not in lasts:
                continue
            pair = _pair(head[1], head[2])
            known = heads.get(pair, ())
            if key not in known:
                heads[pair] = (*known, key)
    return heads


def inside_other_name(text: str, start: int, end: int, own: Key,
                      heads: dict[str, tuple[Key, ...]]) -> bool:
    """Whether the name at text[start:end], found as the security `own`, is part of a longer
    name that begins another security's and not its own (`Pershing Square`, `Apple
    Hospitality`)."""
    written = text[start:end].split()
    if not written:
        return False
    before = _WORD_BEFORE.search(text, max(0, start - _WORD_REACH), start)
    # Bounded like the word before: no name's word is that long, and a match given the rest
    # of the post counts as reading it (tests/workmeter.py), once per name found.
    after = _WORD_AFTER.match(text, end, end + _WORD_REACH)
    for pair in ((_pair(before[1], written[0]) if before else None),
                 (_pair(written[-1], after[1]) if after else None)):
        if pair is None:
            continue
        keys = heads.get(pair)
        if keys and own not in keys:
            return True
    return False
