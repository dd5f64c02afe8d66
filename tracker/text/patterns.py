"""The patterns every stage shares: the cashtag grammar and the CJK character ranges.

Each is defined here once; extraction, clause splitting, model features and passage keys
import it, so a post's cashtag is the same thing at every stage.
"""

from __future__ import annotations

import re

# --- CJK ---------------------------------------------------------------------------------

# Han characters: CJK Unified Ideographs with Extension A, and the compatibility block.
# Inclusive (first, last) pairs.
CJK_RANGES: tuple[tuple[str, str], ...] = (
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uf900", "\ufaff"),
)
# The ranges as the inside of a regex character class: "[" + CJK_CLASS + "]".
CJK_CLASS = "".join(f"{a}-{b}" for a, b in CJK_RANGES)
CJK = re.compile(f"[{CJK_CLASS}]")

# jieba's own (narrower) Han class, re_han_default: what it segments with its dictionary.
# Not the CJK ranges above on purpose: the segmenter must cut exactly where jieba cuts.
JIEBA_HAN_FIRST, JIEBA_HAN_LAST = "\u4e00", "\u9fd5"
JIEBA_HAN_CLASS = f"{JIEBA_HAN_FIRST}-{JIEBA_HAN_LAST}"


def is_cjk(ch: str) -> bool:
    """True when the character `ch` is a Han character (see CJK_RANGES)."""
    return any(a <= ch <= b for a, b in CJK_RANGES)


# --- cashtags ----------------------------------------------------------------------------

# The cashtag grammar: one entry per written form, each a regex with a group `code` (and
# `name` where the form names the company). To accept a new form, add an entry here:
# extraction (tracker/extract/cashtags.py) reads each form, and CASHTAG, the union that
# clause splitting, model features and passage keys use, follows by itself.
CASHTAG_FORMS: dict[str, str] = {
    # $Name(TICK.MKT), $Name(TICK); full-width parentheses too, as Chinese pages write them.
    "named": (
        r"\$(?P<name>[^\s$()（）](?:(?!\s[-–—:|]\s)[^$()（）\n!?。！？]){0,60}?)\s?[(（]"
        r"(?P<code>[A-Za-z0-9][A-Za-z0-9.\-]{0,14})[)）]"
    ),
    # $TSLA, $BRK.B, $0700.HK: a symbol not glued to a word or another $.
    "plain": r"(?<![A-Za-z0-9$])\$(?P<code>[A-Z]{1,6}(?:\.[A-Z]{1,3})?)(?![A-Za-z0-9])",
    # $2382, $600519.SH: numeric codes of four to six digits.
    "numeric": r"(?<![A-Za-z0-9$])\$(?P<code>\d{4,6}(?:\.[A-Za-z]{1,3})?)(?![A-Za-z0-9]|[.,]\d)",
}
CASHTAG_FORM_PATTERNS: dict[str, re.Pattern[str]] = {
    form: re.compile(source) for form, source in CASHTAG_FORMS.items()
}

_GROUP = re.compile(r"\(\?P<\w+>")
# Any cashtag form. Earlier forms win where two could start at one place, as in
# extraction, where the named form claims its span first.
CASHTAG = re.compile("|".join(f"(?:{_GROUP.sub('(?:', source)})"
                              for source in CASHTAG_FORMS.values()))
