"""Commodities named as proper nouns: `Natural Gas`, `Crude Oil`, `Live Cattle`, `LiveCattle`.

The labelling guide counts a future as a mention. A commodity's name of two words written
in title case or in capitals, as a trader writes the contract, is the commodity; in lower
case (`natural gas prices in Europe`, `crude oil production`) it is as often the good or the
trade news, and the labels of the posts that write it so disagree, so it is left to the
curated aliases (`crude oil futures`). Nor is it a mention before a word that makes it a
kind of company or a figure (`Natural Gas stocks`, `Crude Oil producers`, `Natural Gas
prices`). The one-word names (`oil`, `gold`) are common words: not read here (docs/mentions.md,
issue 28's seventeenth round, for what a trade word before them gave). Each name stands for a
row of tracker/data/instruments.csv, named here by that row's key, so the row stays the one
place the future is described.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.extract.cashtags import CashtagHit
from tracker.extract.securities import SecurityList

# A commodity's name (spaces folded, lower case) to its future's instruments.csv key.
COMMODITY_NAMES: dict[str, str] = {
    "natural gas": "NG_F", "nat gas": "NG_F", "crude oil": "CL_F", "brent crude": "BZ_F",
    "live cattle": "LE_F", "livecattle": "LE_F", "lean hogs": "HE_F",
}
# Each name of two words in title case or in capitals (`Natural Gas`, `CRUDE OIL`), and
# `LiveCattle` run together, alone.
_FORMS = [form for name in COMMODITY_NAMES if " " in name
          for form in (name.title(), name.upper())]
_NAMES = re.compile(
    r"(?<![\w$#@/.\-])(?P<name>"
    + "|".join(form.replace(" ", r"[ \t]+") for form in _FORMS)
    + r"|LiveCattle)(?![\w])"
)
# Each form's last word (`LiveCattle` holds `Cattle`): a text with none names no commodity.
_LAST_WORDS = frozenset(word for form in _FORMS for word in form.split()[-1:])
# What makes the name a kind of company, a product or a figure rather than the commodity;
# the words of a company's name that begins with it too ("Natural Gas Services Group", NGS;
# "Crude Oil Tanker Fund"; "Natural Gas ETN").
_NOT_AFTER = re.compile(
    r"[ \t]*(?:&|(?:-[ \t]*)?(?:stocks?|shares?|equit(?:y|ies)|compan(?:y|ies)|corp|inc|co|ltd"
    r"|producers?|drillers?|explorers?|pipelines?|utilit(?:y|ies)|sector|industry|etfs?|funds?"
    r"|etns?|group|services|partners|holdings|trust|resources|tankers?|llc|lp|plc"
    r"|prices?|production|and[ \t]+gas)\b)",
    re.IGNORECASE,
)


def find_commodities(text: str, securities: SecurityList,
                     taken: Sequence[tuple[int, int]] = ()) -> list[CashtagHit]:
    """Each commodity `text` names (title case or capitals), as a hit of kind `name` on its
    future's instruments.csv row; none overlaps a span of `taken` (what was found before,
    links), and none for a key the securities list lacks."""
    if not any(word in text for word in _LAST_WORDS):
        return []
    hits = []
    for match in _NAMES.finditer(text):
        start, end = match.span("name")
        if any(a < end and start < b for a, b in taken) or _NOT_AFTER.match(text, end):
            continue
        sec = securities.by_key(COMMODITY_NAMES[" ".join(match["name"].lower().split())])
        if sec is None:
            continue
        hits.append(CashtagHit(start, end, sec.ticker, sec.market, sec.name, "name", 0.9))
    return hits
