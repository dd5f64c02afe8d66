"""A cheap test that a case-insensitive regex of English words cannot match a text.

Python's `re` finds no literal prefix in a pattern such as `(?i:\\b(?:but|while|...)\\b)`, so
it tries the whole pattern at every position of every text: 5-8 us for a StockTwits
sentence, which the clause and rivalry rules paid per mention. Most texts hold none of the
words at all; a substring test on the lowered text says so in C, and the pattern then runs
only where a word may stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The characters outside ASCII that `re`'s IGNORECASE matches to an ASCII letter (its
# simple case folding): dotted and dotless I, long s and the Kelvin sign. str.lower() keeps
# ı and ſ as they are and makes İ two characters, so a text holding one of these is
# never ruled out (tests/extract/text/test_wordgate.py checks the set against `re`).
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def may_hold(text: str, words: Sequence[str]) -> bool:
    """False only when no IGNORECASE match of any of `words` (lowercase ASCII literals,
    spaces allowed) can stand in `text`; True says only that one may."""
    if _FOLDS_TO_ASCII.search(text) is not None:
        return True
    # An ASCII letter lowers to one ASCII letter, so a run of ASCII characters that
    # matches a word ignoring case is that word, spelled as it is, in the lowered text.
    low = text.lower()
    for word in words:  # a loop, not any() over a generator: a third less for 14 words
        if word in low:
            return True
    return False
