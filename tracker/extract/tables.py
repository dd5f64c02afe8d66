"""What a markdown table's header row says its columns hold.

A table whose header names a column for the symbol or the company (`Ticker|Company|Sales
($mn)|Gross M|Oper M|`) lists one security a row: its other header cells name what each row
gives (a margin, a price, a change), never a security, so a word there that spells a symbol
(`Oper M`, OPER) is no mention. A header without such a column may name securities itself
(`Year|Tesla|GM`, a comparison), and is left to the other rules (docs/mentions.md, nineteenth
round).
"""

from __future__ import annotations

import re

# A header row and the row of dashes under it (a colon at either end of a cell aligns it):
# the header is the line before the first line of dash cells with a bar between them. The
# header's first part stops at its first bar: `[^\n]*\|` tried each bar of a line no dash
# row follows in turn, a time that grows with the square of the line's bars (4.2 s for a
# line of 16,000).
_HEAD = re.compile(r"(?m)^(?P<head>[^\n|]*\|[^\n]*)\n[ \t]*\|?[ \t]*:?-+:?[ \t]*"
                   r"(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
# Header cells that name a column of symbols or of companies.
_ROW_HEADS = frozenset(("ticker", "tickers", "symbol", "symbols", "stock symbol",
                        "ticker symbol", "sym", "company", "companies", "name", "company name",
                        "stock", "stocks", "security", "issuer"))


def table_heads(text: str) -> list[tuple[int, int]]:
    """The spans of the header rows of `text`'s markdown tables that name a column of symbols
    or of companies: the row's other cells name the columns, no security."""
    if "|" not in text or "-" not in text:
        return []
    return [m.span("head") for m in _HEAD.finditer(text)
            if not _ROW_HEADS.isdisjoint(cell.strip().strip("*_`").strip().lower()
                                         for cell in m["head"].split("|"))]
