"""The nicknames r/wallstreetbets gives a company's holders: its symbol or the head of its
name run into -tard(s) or -toid(s) (Palantards, PALANTOIDS, CLOVtards, bbtards, wishtards),
and its symbol in capitals run into -er(s) (AMCers, WISHers, $CLNErs); and a symbol in
capitals shouted with its last letter held (SPCEEEEEEE, BABAAAAAA, WISHHHHHH).

On real_train 19 of the 21 such words whose stem is a curated company's were labelled that
company (the other two posts were labelled nothing for them); the stems of the others
(re-, bas-, lib-, cryp-, fuck-) are no company's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tracker.extract.securities import Security
from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.words import is_common_word

# The stem, lazily, then the nickname's ending; the word stands alone.
NICKNAME = lazy_pattern(r"(?<![A-Za-z0-9$])([A-Za-z]{2,}?)(?:tards?|toids?)(?![A-Za-z0-9])",
                        re.IGNORECASE)
# A symbol of three to five capitals run into -er or -ers in lower case names its holders
# (the AMCers, the WISHers' own thread, my CLOVers, taken to the $CLNErs): the writer
# capitalised the symbol inside a word of their own, and no English word is written so. The
# symbol's level is the other test (names.NameMatcher._find_run_in: one that counts on
# sight, no trading term: WSBers and FOMOers stay words). Not after a `#`, `@`, a path or a
# file name (`glued_before`); a `$` before it is the cashtag the writer meant. Two-letter
# stems are left out ("BBall", "MOnday": a held Shift key). Not a verb made of the symbol
# ("WISHing on CLOV", "Wkhs is AMCing"): the labels count it as often as not
# (docs/mentions.md, nineteenth round). No look-behind in the pattern: it runs over every
# post, and one costs a third of its time; `glued_before` asks it of the few matches.
RUN_INTO = re.compile(r"([A-Z]{3,5})e?rs?(?![A-Za-z0-9])")
# A word in capitals whose last letter is written four times or more, after two to four
# others: a symbol shouted with that letter held ("SPCEEEEEEE", "WTF BABAAAAAAAAAA",
# "WISHHHHHHHHHH"). No listed symbol holds a letter four times (SQQQ and TQQQ hold three), and
# a letter written three times may be a double one mistyped ("EU STOXXX 600"), so four or more
# is the shout. `held_symbol` gives the symbol back; its level is the other test, as for
# RUN_INTO (names.NameMatcher._find_run_in: three to five letters, one that counts on sight,
# no trading term: "MOOOOOO", "NOOOOO", "BUYYYYY" and "HOLDDDD" stay words). The possessive
# run keeps the time linear on a line of one letter repeated; the word start bounds where a
# match may begin. `held_letters` asks first whether a capital is held at all (one text in
# 470 of the English tone texts), which costs a third of the pattern's pass.
HELD_LAST = lazy_pattern(r"\b[A-Z]{2,4}?([A-Z])\1{3,}+\b")
_HELD = lazy_pattern(r"([A-Z])\1\1\1")
_GLUED = frozenset("#@/.-_")


def held_letters(text: str) -> Iterator[re.Match[str]]:
    """The HELD_LAST words of `text`."""
    return HELD_LAST.finditer(text) if _HELD.search(text) else iter(())


def held_symbol(word: str) -> str | None:
    """The symbol a HELD_LAST word shouts: the word with its held last letter written once
    ("SPCEEEEEEE" -> "SPCE", "BABAAAAAA" -> "BABA"). None where the word with that letter
    written twice is a common word, which the writer held: "BULLLLLL" is bull, not BUL,
    "PULLLLL" pull, "DISSSSS" diss (25 words of the frequency list end so over a symbol
    that counts on sight)."""
    symbol = word.rstrip(word[-1]) + word[-1]
    return None if is_common_word(symbol + word[-1]) else symbol


def glued_before(text: str, start: int) -> bool:
    """Whether a RUN_INTO match at `start` goes on a word, a handle, a hashtag, a path or a
    file name before it (a `$` before it is passed over: `$CLNErs`)."""
    if start and text[start - 1] == "$":
        start -= 1
    if not start:
        return False
    before = text[start - 1]
    return before.isalnum() or before in _GLUED


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
