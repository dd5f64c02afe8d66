"""What a markdown table's header row says its columns hold.

A table whose header names a column for the symbol or the company (`Ticker|Company|Sales
($mn)|Gross M|Oper M|`) lists one security a row: its other header cells name what each row
gives (a margin, a price, a change), never a security, so a word there that spells a symbol
(`Oper M`, OPER) is no mention. It does so only where that column's cells below hold a
security found: a comparison laid out the other way (`| Ticker | AAPL | MSFT |` over rows
`| P/E | 30 | 35 |`) has the label in its corner and the securities in its header. A header
without such a column may name securities itself (`Year|Tesla|GM`, a comparison), and is left
to the other rules (docs/mentions.md, nineteenth round).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence

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


def table_heads(text: str, found: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the header rows of `text`'s markdown tables that name a column of symbols
    or of companies, whose cells below hold one of the securities `found` (spans in `text`):
    the row's other cells name the columns, no security."""
    if "|" not in text or "-" not in text:
        return []
    starts = sorted(found)
    matches = list(_HEAD.finditer(text))
    heads = []
    for at, match in enumerate(matches):
        cells = [text[s:e].strip().strip("*_`").strip().lower()
                 for s, e in _cells(text, *match.span("head"))]
        keys = [i for i, cell in enumerate(cells) if cell in _ROW_HEADS]
        # Its rows end where the next table's header starts at the latest: each line of the
        # text is read once, however many tables follow one another.
        stop = matches[at + 1].start("head") if at + 1 < len(matches) else len(text)
        if keys and any(_holds(starts, cell)
                        for cell in _key_cells(text, match.end(), stop, keys)):
            heads.append(match.span("head"))
    return heads


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the cells of the table row `text[start:end]`: a bar at either end
    opens or closes the row, and makes no empty cell."""
    bars = []
    at = text.find("|", start, end)
    while at >= 0:
        bars.append(at)
        at = text.find("|", at + 1, end)
    edges = [start - 1, *bars, end]
    cells = list(zip([e + 1 for e in edges[:-1]], edges[1:], strict=True))
    if bars and not text[start:bars[0]].strip():
        cells = cells[1:]
    if bars and not text[bars[-1] + 1:end].strip():
        cells = cells[:-1]
    return cells


def _key_cells(text: str, rule_end: int, stop: int, keys: list[int]
               ) -> Iterator[tuple[int, int]]:
    """The spans of the cells in the columns `keys` of the rows after the dash row that ends
    at `rule_end`: each line holding a bar, up to the first that holds none, or `stop`."""
    at = rule_end + 1
    while at < stop:
        end = text.find("\n", at, stop)
        end = stop if end < 0 else end
        if text.find("|", at, end) < 0:
            return
        row = _cells(text, at, end)
        yield from (row[key] for key in keys if key < len(row))
        at = end + 1


def _holds(found: list[tuple[int, int]], cell: tuple[int, int]) -> bool:
    """Whether one of the spans `found` (sorted) lies inside `cell`."""
    at = bisect_left(found, (cell[0], cell[0]))
    while at < len(found) and found[at][0] < cell[1]:
        if found[at][1] <= cell[1]:
            return True
        at += 1
    return False
