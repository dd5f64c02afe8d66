"""The patterns every stage shares: the cashtag grammar and the CJK character ranges.

Each is defined here once; extraction, clause splitting, model features and passage keys
import it, so a post's cashtag is the same thing at every stage.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence

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
# jieba.re_han_default: the runs jieba segments with its dictionary. Anything between two
# runs is one token per character (a line break "\r\n" is one), and no word crosses a run.
# Here rather than in segment.py, so that finding the runs does not load jieba.
HAN_BLOCK = re.compile(rf"[{JIEBA_HAN_CLASS}a-zA-Z0-9+#&\._%\-]+")


def han_blocks_holding(text: str, starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """The HAN_BLOCK runs of `text` in which one of `starts` (sorted offsets) lies: jieba
    cuts each run on its own, so a word found at such a start is one of that run's tokens,
    and the other runs need no cutting. A run holds one when the first start at or after
    its own begins before its end (a bisection, not a scan of every start per run)."""
    for block in HAN_BLOCK.finditer(text):
        i = bisect_left(starts, block.start())
        if i < len(starts) and starts[i] < block.end():
            yield block


def is_cjk(ch: str) -> bool:
    """True when the character `ch` is a Han character (see CJK_RANGES)."""
    return any(a <= ch <= b for a, b in CJK_RANGES)


# --- sentence ends -----------------------------------------------------------------------

# What ends a sentence, as a regex: a run of end marks, then any closing quotes and brackets
# it stands inside (`He said "fine." Then`, `（见上。）`).
SENTENCE_CLOSERS = "\"'”’）)"
SENTENCE_END = rf"[.!?。！？；;…]+[{re.escape(SENTENCE_CLOSERS)}]*"
# What may open a line before its text: a list's bullet, or a quoted line's `>`.
LINE_BULLETS = "-*+•>"

# --- cashtags ----------------------------------------------------------------------------

# The cashtag grammar: one entry per written form, each a regex with a group `code` (and
# `name` where the form names the company). To accept a new form, add an entry here:
# extraction (tracker/extract/cashtags.py) reads each form, and CASHTAG, the union that
# clause splitting, model features and passage keys use, follows by itself.
CASHTAG_FORMS: dict[str, str] = {
    # $Name(TICK.MKT), $Name(TICK), 雪球's $Name(SH600036)$ with its closing $; full-width
    # parentheses too, as Chinese pages write them. A name never starts with a digit:
    # "$20 billion (Q3)" is money.
    "named": (
        r"\$(?P<name>[^\s$()（）0-9](?:(?!\s[-–—:|]\s)[^$()（）\n!?。！？]){0,60}?)\s?[(（]"
        r"(?P<code>[A-Za-z0-9][A-Za-z0-9.\-_]{0,14})[)）]\$?"
    ),
    # $TSLA, $tsla, $$TSLA, $BRK.B, $BTC.X, $ES_F, $6E_F: a symbol not glued to a word or a
    # third $; futures keep their underscore. A TeX command right after the letters makes
    # TeX, not a cashtag (`$q\geq 1$` in a paper's abstract); a backslash before punctuation
    # is Markdown's escape, as Reddit's editor writes `\($QQQ\)`. A coin's symbol may be
    # longer, with its .X ($SAFEMOON.X, $BABYDOGE.X).
    "plain": (
        r"(?<![A-Za-z0-9$])\${1,2}(?P<code>[A-Za-z0-9]{1,4}_F|[A-Za-z]{1,6}(?:\.[A-Za-z]{1,3})?"
        r"|[A-Za-z]{7,12}\.[Xx])(?![A-Za-z0-9_]|\\[A-Za-z])"
    ),
    # $2382, $600519.SH, $700.HK: numeric codes, with or without a market suffix.
    "numeric": (
        r"(?<![A-Za-z0-9$])\$(?P<code>\d{1,6}\.[A-Za-z]{1,3}|\d{4,6})"
        r"(?![A-Za-z0-9]|[.,]\d)"
    ),
}
_GROUP = re.compile(r"\(\?P<\w+>")
# A form's opening: its "$" (or one or two: "$$TSLA"), after no letter, digit or "$", or
# after anything; no other quantifier.
_OPENING = re.compile(r"(?P<behind>\(\?<!\[A-Za-z0-9\$\]\))?\\\$(?P<two>\{1,2\})?(?![?*+{])")


def _dollar_first(sources: list[str]) -> str | None:
    r"""The union of `sources` with their common first "$" taken out in front, each
    look-behind moved after it (`(?<![A-Za-z0-9$])\$` is `\$(?<![A-Za-z0-9$]\$)`): the
    same matches, in the same order of trial. None when a form opens otherwise.

    Why: `re` scans for a pattern's literal prefix in C, but the plain union opens with
    look-behinds and has none, so it was tried at every position of a text: 3.5 us for a
    StockTwits sentence against 1.4, and a sentence is read for cashtags six times.
    """
    alternatives = []
    for source in sources:
        opening = _OPENING.match(source)
        if opening is None:
            return None
        behind = r"(?<![A-Za-z0-9$]\$)" if opening["behind"] else ""
        alternatives.append(behind + (r"\$?" if opening["two"] else "")
                            + source[opening.end():])
    return r"\$(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")"


# Each form alone, for extraction (tracker/extract/cashtags.py), with its "$" in front too.
CASHTAG_FORM_PATTERNS: dict[str, re.Pattern[str]] = {
    form: re.compile(_dollar_first([source]) or source) for form, source in CASHTAG_FORMS.items()
}
# Any cashtag form. Earlier forms win where two could start at one place, as in
# extraction, where the named form claims its span first.
_FORM_SOURCES = [_GROUP.sub("(?:", source) for source in CASHTAG_FORMS.values()]
CASHTAG_UNION = "|".join(f"(?:{source})" for source in _FORM_SOURCES)
CASHTAG = re.compile(_dollar_first(_FORM_SOURCES) or CASHTAG_UNION)

# Codes written without a $, as 股吧 and plain text write them: SH600036, sz000001,
# 600036.SH, 00700.HK, 2330.TW, TSLA.US, a US class share (BRK.B, BF.A; cashtags.py
# takes it only when listed) and StockTwits' coin form without its $ (BTC.X, AABBG.X). Not
# part of CASHTAG: without the $ they are words of the sentence the tone model reads.
WRITTEN_CODE = re.compile(
    r"(?<![A-Za-z0-9$.\-_/])(?:(?P<pre>[Ss][HhZz]|[Bb][Jj])(?P<a>\d{6})"
    r"|(?P<num>\d{1,6})\.(?P<suf>S[HSZ]|BJ|HK|TWO?|T|K[SQ]|sh|ss|sz|bj|hk|tw)"
    r"|(?P<us>[A-Z]{1,5})\.US|(?P<cls>[A-Z]{1,5}\.[AB])|(?P<coin>[A-Z]{2,10})\.X)"
    r"(?![A-Za-z0-9]|[.,]\d)"
)

# Yahoo Finance's symbols, as yfinance users paste them, with or without a $: coin pairs
# (BTC-USD, $ada-usd: the coin), class shares (BRK-B), futures (MGC=F), indices (^GSPC) and
# currency pairs (EURUSD=X). Read before the $cashtag forms, so that $ETH-USD is Ether and
# not the ETH ticker followed by "-USD".
YAHOO_CODE = re.compile(
    r"(?<![A-Za-z0-9$.\-_/^=])\$?(?:"
    r"(?P<coin>[A-Za-z0-9]{2,10})-(?P<quote>USD[TC]?|usd[tc]?)"
    r"|(?P<cls>[A-Z]{1,5})-(?P<share>[A-Z])"
    r"|(?P<fut>[A-Z0-9]{1,4})=F"
    r"|\^(?P<idx>[A-Z0-9]{2,8})"
    r"|(?P<fx>[A-Z]{6})=X"
    r")(?![A-Za-z0-9_]|[-=.][A-Za-z0-9])"
)
