"""Index codes quoted with their move, as market wraps and quote screens write them: `NKY
-0.12%`, `HSI -1.41%`, `CSI +0.04%`, `DAX +1.3%`, `RUT -2.1%`.

In running text these letters are other things (CSI the TV series, CAC Camden National's
symbol, DAX a Global X fund, RUT a word), so the names matcher never reads them alone; right
before a signed change in per cent or points they are the index (docs/mentions.md, issue 28's
sixteenth round). Each code stands for a row of tracker/data/instruments.csv, named here by
that row's key, so the row stays the one place the index is described.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.extract.cashtags import CashtagHit
from tracker.extract.securities import SecurityList

# The codes wraps write for an index, to its instruments.csv key: Bloomberg's (NKY, UKX,
# SX5E, SHCOMP, INDU, CCMP), the exchanges' and the press's short forms (HSI, CSI for the CSI
# 300, DAX, CAC, TSX, KOSPI, TAIEX, NIFTY, SENSEX), and the US indices' own symbols that are
# words or other listings (RUT, SOX, DOW).
INDEX_CODES: dict[str, str] = {
    "SPX": "SPX", "INDU": "DJI", "DOW": "DJI", "DJIA": "DJI", "CCMP": "IXIC", "NDX": "NDX",
    "RUT": "RUT", "SOX": "SOX", "VIX": "VIX",
    "NKY": "N225.T", "HSI": "HSI.HK", "HSCEI": "HSCEI.HK", "CSI": "000300.SS",
    "SHCOMP": "000001.SS", "KOSPI": "KS11.KS", "TAIEX": "TWII.TW",
    "DAX": "GDAXI.DE", "CAC": "FCHI.PA", "UKX": "FTSE.L", "FTSE": "FTSE.L",
    "SX5E": "STOXX50E.DE", "TSX": "GSPTSE.TO", "ASX": "ASX200.AX", "XJO": "ASX200.AX",
    "NIFTY": "NSEI.NS", "SENSEX": "BSESN.BO",
}
# The code in capitals, alone (not inside a word, a $cashtag, a path or a handle), maybe
# bold or followed by a colon or an opening bracket, then a signed number and a per cent
# sign (or its HTML entity, as Reddit's API returns it) or points. Reddit escapes a leading
# sign with a backslash (`\-0.12&#37;`).
_QUOTE = re.compile(
    r"(?<![\w$#@/.\-])(?P<code>" + "|".join(sorted(INDEX_CODES, key=len, reverse=True))
    + r")(?![\w$])(?:\*\*)?[ \t]*[:(]?[ \t]*\\?[+\-−–][ \t]?\d{1,5}(?:[.,]\d+)?[ \t]?"
    r"(?:%|&#37;|pts?\b|points\b)"
)


def find_index_quotes(text: str, securities: SecurityList,
                      taken: Sequence[tuple[int, int]] = ()) -> list[CashtagHit]:
    """Each index code in `text` quoted with its move, as a hit of kind `code` on its
    instruments.csv row; none overlaps a span of `taken` (cashtags, codes, links found
    before), and none for a code whose row the securities list lacks."""
    # The quick test holds each unit the pattern takes: "points" has no "pt".
    if "%" not in text and "&#37;" not in text and "pt" not in text and "point" not in text:
        return []
    hits = []
    for match in _QUOTE.finditer(text):
        start, end = match.span("code")
        if any(a < end and start < b for a, b in taken):
            continue
        sec = securities.by_key(INDEX_CODES[match["code"]])
        if sec is None:
            continue
        hits.append(CashtagHit(start, end, sec.ticker, sec.market, sec.name, "code",
                               instrument=sec.kind))
    return hits
