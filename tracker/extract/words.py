"""The common English words (tracker/data/common_words_en.txt): what a bare ticker or a
listed name's first word may be before it is a company.

Built from wordfreq by scripts/build_common_words.py (CC BY-SA 4.0, see the file's header):
a listed symbol that is no such word (WKHS, CLNE, GSAT) reads as a ticker on sight when
written in upper case; one that is (TELL, BODY, WISH) needs trading context. A listed name
whose first word is no such word (Palantir, Zynga) is found by that word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

COMMON_WORDS_FILE = "common_words_en.txt"
UNWRITTEN_SYMBOLS_FILE = "unwritten_symbols_en.txt"


@cache
def common_words() -> frozenset[str]:
    """The lower-case English words of two letters or more that are common in prose."""
    text = resources.files("tracker.data").joinpath(COMMON_WORDS_FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def unwritten_symbols() -> frozenset[str]:
    """The listed US symbols of 3-5 letters whose lower case no English text in wordfreq
    spells (WKHS, CLNE, UWMC; not BBY, TBF or AMT, which chat writes as words)."""
    text = resources.files("tracker.data").joinpath(UNWRITTEN_SYMBOLS_FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_unwritten_symbol(symbol: str) -> bool:
    """Whether the upper-case `symbol` is a listed one no English text spells
    (unwritten_symbols)."""
    return symbol in unwritten_symbols()


def is_common_word(symbol: str) -> bool:
    """Whether `symbol`, in any case, is a common English word (TELL, body, Wish)."""
    return symbol.lower() in common_words()


# A Roman numeral from XI to XXXIX (XIV, XII, XIX; not XX or XXX, words besides): the
# frequency list holds these for "Louis XIV" and "Super Bowl XIV", which a capitalised word
# before tells (bare.numeral_after_name). Not the small ones (VII, III): prose numbers
# kings, laws and sequels with them far more often (vii is among the 10,000 most frequent
# English words, xiv is not).
_NUMERAL = re.compile(r"X{1,3}(?:IX|IV|V?I{0,3})")


def is_numeral(symbol: str) -> bool:
    """Whether the upper-case `symbol` is a Roman numeral from XI to XXXIX (XIV)."""
    return len(set(symbol)) > 1 and _NUMERAL.fullmatch(symbol) is not None


def is_word_symbol(symbol: str) -> bool:
    """Whether `symbol` reads as a common English word when a post writes it in upper case:
    one of the common words, but not a Roman numeral (XIV, the volatility note, is a word
    only after a name: bare.numeral_after_name)."""
    return is_common_word(symbol) and not is_numeral(symbol.upper())


# The words that end a company's name (Duke Energy Corporation, Five Below Inc., Wynn
# Resorts, Limited).
COMPANY_SUFFIXES = frozenset("inc corp co company corporation ltd limited plc incorporated"
                             .split())
# The shortest first word of a listed name read as the company's name alone (Zynga, Vizio).
RARE_NAME_MIN = 5
# A listing's note after its name ("Apollo Global Management, Inc. (New)", "... (The)"):
# the exchange's, never written in a post.
_LISTING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def name_words(name: str) -> list[str]:
    """The words of a listed name as a post writes it: without the commas, a listing's note
    in brackets or a leading "The" ("The Carlyle Group Inc." -> Carlyle Group Inc.; "Wynn
    Resorts, Limited" -> Wynn Resorts Limited). Posts leave "The" out; the legal suffix
    stays, for the caller to find the name before it."""
    words = _LISTING_NOTE.sub("", name).replace(",", "").split()
    if len(words) > 2 and words[0] == "The":
        del words[0]
    return words


def two_word_name(name: str) -> str | None:
    """The two capitalised words of a listed name before its company suffix (Duke Energy
    Corporation, Time Warner Inc, LG Display Co., Wynn Resorts, Limited, The Carlyle Group
    Inc.) when the first cannot name the company alone: a common English word, or shorter
    than RARE_NAME_MIN letters. None otherwise."""
    words = name_words(name)
    if len(words) < 3 and name.startswith("The "):
        # "The" and one word before the suffix (The Bancorp, Inc.; The Joint Corp.): the
        # article is part of what a post writes.
        words = name.replace(",", "").split()
    if len(words) < 3 or words[2].rstrip(".").lower() not in COMPANY_SUFFIXES:
        return None
    first, second = words[0], words[1]
    if not (first.isascii() and second.isascii() and first.isalpha() and second.isalpha()
            and first[0].isupper() and second[0].isupper() and len(second) >= 3):
        return None
    if len(first) >= RARE_NAME_MIN and not is_common_word(first):
        return None
    return f"{first} {second}"


def inner_pairs(names: Iterable[str]) -> set[str]:
    """Each two words in a row of `names`, lower case, but the first two of a name: a pair
    that other names hold inside them is a place or a term (BlackRock New York Municipal,
    Bank Of New York Mellon), not one company's name (two_word_name)."""
    out: set[str] = set()
    for name in names:
        words = [w.lower() for w in name_words(name)]
        out.update(f"{a} {b}" for a, b in zip(words[1:], words[2:], strict=False))
    return out


# What a post leaves out of a name it writes: the punctuation of its legal form ("Motorola
# Solutions, Inc." is written "Motorola Solutions Inc") and the apostrophe's kind.
_NAME_PUNCTUATION = re.compile(r"[,.'\u2019]")


def _name_tokens(text: str) -> list[str]:
    return _NAME_PUNCTUATION.sub("", text).lower().split()


def spells_name(phrase: str, name: str) -> bool:
    """Whether `phrase`, a run of capitalised words a post writes, is `name` or a run of its
    words as a post writes them: without the legal form's punctuation, in any case
    ("Motorola Solutions Inc" in "Motorola Solutions, Inc.")."""
    if phrase in name:
        return True
    words, listed = _name_tokens(phrase), _name_tokens(name)
    return bool(words) and any(listed[i:i + len(words)] == words
                               for i in range(len(listed) - len(words) + 1))
