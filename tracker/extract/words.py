"""The common English words (tracker/data/common_words_en.txt): what a bare ticker or a
listed name's first word may be before it is a company.

Built from wordfreq by scripts/build_common_words.py (CC BY-SA 4.0, see the file's header):
a listed symbol that is no such word (WKHS, CLNE, GSAT) reads as a ticker on sight when
written in upper case; one that is (TELL, BODY, WISH) needs trading context. A listed name whose first word is no
such word (Palantir, Zynga) is found by that word.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_FILE = "common_words_en.txt"


@cache
def common_words() -> frozenset[str]:
    """The lower-case English words of two letters or more that are common in prose."""
    text = resources.files("tracker.data").joinpath(_FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_common_word(symbol: str) -> bool:
    """Whether `symbol`, in any case, is a common English word (TELL, body, Wish)."""
    return symbol.lower() in common_words()
