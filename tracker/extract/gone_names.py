"""Names of US companies delisted since, for dated posts: "Zynga" in 2018 is ZNGA@2022.

The listed universe is today's, so a 2018 post's "Zynga", "Aetna" or "Celgene" names no
security of it. history.csv keeps every delisted holder with its name and dates; the first
word of such a name, when it is no common English word and five letters or more (the rule
names.py applies to today's companies), names that company while it was listed; else the
two capitalised words before its company suffix (Time Warner Inc), as names.py takes them;
a blank-check company's "<word> Acquisition" only. Only a post whose record states its date
can mean one, only in title or upper case ("the vizio remote" is a product), and a one-word
name not after a capitalised word in prose ("an Iron Condor"). names.py builds it on the
first dated post, so undated work pays nothing.
"""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from importlib import resources
from pathlib import Path

import ahocorasick

from tracker.extract import history as history_code
from tracker.extract import words as words_code
from tracker.extract.history import HISTORY_COLUMNS, packaged_history_text
from tracker.extract.name_context import NameHit, mid_prose, spelt_as_brand
from tracker.extract.words import (
    COMMON_WORDS_FILE,
    RARE_NAME_MIN,
    inner_pairs,
    is_common_word,
    two_word_name,
)

_US_ROW = ",US,"
# The word a blank-check company's listed name holds (FinTech Acquisition Corp. II).
_BLANK_CHECK = "Acquisition"
# The two words before a name, the second capitalised (_ends_other_name); how far back to look.
_TWO_WORDS_BEFORE = re.compile(r"(\S+)[ \t]+[A-Z][a-z]+[ \t]+$")
_BEFORE_REACH = 40


class GoneNames:
    """First words of delisted US companies' names -> their holders (symbol, dates, key)."""

    def __init__(self, text: str, taken: set[str]) -> None:
        # word -> [(symbol, listed, delisted, own key, name)]; `taken` holds the words that
        # already name a security of today (names.py's aliases), which keep their meaning.
        self._holders = _holders(text, taken)
        self._compile()

    @classmethod
    def from_holders(cls, holders: dict[str, list[tuple[str, str, str, str, str]]]) -> GoneNames:
        """The GoneNames whose holders (`holders()`) are `holders`."""
        gone = cls.__new__(cls)
        gone._holders = holders
        gone._compile()
        return gone

    def holders(self) -> dict[str, list[tuple[str, str, str, str, str]]]:
        """Each word -> its holders, as `from_holders` takes them."""
        return self._holders

    def _compile(self) -> None:
        self._automaton = ahocorasick.Automaton()
        for key in self._holders:
            self._automaton.add_word(key, key)
        if self._holders:
            self._automaton.make_automaton()

    def find(self, text: str, folded: str, day: date) -> list[tuple[int, int, str, str]]:
        """(start, end, own key, name) of each delisted company `text` names, held on `day`."""
        if not self._holders:
            return []
        iso = day.isoformat()
        found = []
        for last, key in self._automaton.iter(folded):
            start, end = last - len(key) + 1, last + 1
            if (start > 0 and _word_char(text[start - 1])
                    or end < len(text) and _word_char(text[end])):
                continue
            written = text[start:end]
            if (written not in (written.upper(), written.capitalize(), written.title())
                    and not spelt_as_brand(text, start, end)):
                # Lower case: a word or a product, not the company; a capital inside is the
                # company's own spelling (CannTrust, for Canntrust Hldgs Inc).
                continue
            if " " not in key and _ends_other_name(text, start, end):
                continue
            held = sorted((h for h in self._holders[key] if h[1] <= iso < h[2]),
                          key=lambda h: len(h[0]))
            # One company on the day: its listings share the shortest symbol's stem
            # (CELG and its rights CELGZ); two companies of one first word name neither.
            if held and all(h[0].startswith(held[0][0]) for h in held):
                found.append((start, end, held[0][3], held[0][4]))
        return found


def packaged_gone_names(taken: set[str]) -> GoneNames:
    """GoneNames of the packaged history.csv, its holders read from the user's cache
    (tracker.data.user_cache) when built there before from the same files, by this code,
    for the same `taken` words. Why: building them took 0.06 s of CPU in every process
    that reads a dated post; reading them back 3 ms."""
    from tracker.data.user_cache import cached

    data = resources.files("tracker.data")
    sources = [Path(str(data.joinpath(name))) for name in ("history.csv", COMMON_WORDS_FILE)]
    sources += [Path(__file__), Path(words_code.__file__), Path(history_code.__file__)]
    extra = hashlib.sha256("\n".join(sorted(taken)).encode("utf-8", "surrogatepass")).hexdigest()
    return GoneNames.from_holders(cached(
        "gone-names", sources, lambda: _holders(packaged_history_text(), taken), extra))


def _holders(text: str, taken: set[str]) -> dict[str, list[tuple[str, str, str, str, str]]]:
    holders: dict[str, list[tuple[str, str, str, str, str]]] = {}
    lines = text.splitlines()
    header = tuple(lines[0].split(",")) if lines else ()
    if header != HISTORY_COLUMNS:
        return holders
    rows = [next(csv.reader([line])) if '"' in line else line.split(",")
            for line in lines[1:] if _US_ROW in line]
    inside = inner_pairs(row[6] for row in rows if row[6])
    for row in rows:
        symbol, _market, listed, delisted, own, kind, name = row
        if not own or kind != "equity" or not name:
            continue
        first = name.split()[0].rstrip(",.")
        key = first.lower()
        if _BLANK_CHECK in name.split():
            # A blank-check company (a SPAC) is named after its sponsor or its theme
            # (Oaktree, Lazard, Cerberus; FinTech Acquisition Corp): its first word alone is
            # that firm or that theme ("Oaktree Specialty Lending", "Fintech is about to
            # explode": 16 of the 17 such hits over the English tone texts, on 2018-06-01
            # and 2021-06-01), so only "<word> Acquisition" names the shell (Tiberius
            # Acquisition).
            shell = " ".join(name.split()[:2])
            if (shell.endswith(f" {_BLANK_CHECK}") and symbol.isalpha()
                    and shell.lower() not in taken):
                holders.setdefault(shell.lower(), []).append((symbol, listed, delisted, own, name))
            continue
        if (len(first) >= RARE_NAME_MIN and first.isascii() and first.isalpha()
                and key not in taken and not is_common_word(first)):
            holders.setdefault(key, []).append((symbol, listed, delisted, own, name))
            continue
        # Else the two words before the company suffix, as names.py takes today's (Time
        # Warner Inc, Red Hat Inc, Orbital ATK Inc); a share's own symbol only, not a
        # preferred's or a warrant's (WFE-P.A), which share their company's name.
        pair = two_word_name(name)
        if (pair is not None and symbol.isalpha() and pair.lower() not in taken
                and pair.lower() not in inside):
            holders.setdefault(pair.lower(), []).append((symbol, listed, delisted, own, name))
    return holders


def _ends_other_name(text: str, start: int, end: int) -> bool:
    """Whether the one word at text[start:end] comes right after a capitalised word inside a
    sentence of ordinary prose, so ends a name or a term of two words ("an Iron Condor"): a
    delisted company's name alone is no such second word. Not after a sentence's first word
    ("Buy Celgene", "> **Celgene**"), nor in a headline's title case ("Hedge Funds Are
    Buying Tenneco Inc"), where every word is capitalised."""
    before = _TWO_WORDS_BEFORE.search(text, max(0, start - _BEFORE_REACH), start)
    if before is None or not (before[1][-1].isalnum() or before[1][-1] == ","):
        return False
    return mid_prose(text, NameHit(start, end, "", None, "", text[start:end], "name", 1.0))


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")
