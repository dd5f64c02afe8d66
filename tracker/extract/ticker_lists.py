"""Where a post lists tickers: a line of symbols with delimiters, a column of symbol lines
(a portfolio), a markdown table's symbol column.

A word symbol (CALM, FRO, MIND, FAN) needs trading context in prose; in a list the list is
the context, when enough of the list's other items are symbols that count alone. The signal
is the shape of the line or the column, never the symbol itself (docs/mentions.md, issue
28, thirteenth round, has the measurements).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.patterns import LINE_BULLETS

# A symbol as a list item: upper case or a $cashtag, with markdown emphasis around it.
_ITEM_SYMBOL = r"[*_`]{0,3}(\$?[A-Z]{1,5})[*_`]{0,3}"
# What may follow a symbol in its item: a weight, a price, a share count or a change
# ("27%", "- 12%", "@ 14.98", "- 394 Shares", "(+3.2%)").
# No two runs of spaces may meet with nothing between them that must match: a line's run of
# 100,000 spaces would be split every way (quadratic: 4 s for 10,000 at 53df7cb).
_AMOUNT = (r"(?:\s*(?:[-:=@(]\s*)?[-+]?\$?\d[\d,]*(?:\.\d+)?"
           r"(?:\s*(?:%|[kKmM]\b|shares?\b|sh\b))?\)?)*")
_ITEM = lazy_pattern(r"\s*" + _ITEM_SYMBOL + _AMOUNT + r"\s*(?:[.!?]\s*)?$")
# The delimiters of a list written on one line ("AMC; AMBC; DHT", "AMT/CCI/SBAC", "VTI,
# VFV, VIU and VEE", "FNGU vs WEBL").
# (The words after one \b: re tries each alternative's \b at every character, 2-3 times
# slower.)
LINE_SPLIT = lazy_pattern(r"[,;/|&]|\b(?:vs\.?(?=\s)|and\b|or\b)")
# A list's lead-in ends at a colon or a sentence's end ("Otherwise: ZAYO, GLW", "my
# positions: AM 10%"), and so does the list ("VIU and VEE. I've also ...").
LEAD_IN = lazy_pattern(r"[:.!?](?:\s|$)")
# A line that begins with a symbol as a list line does: after a bullet or a number, then a
# separator, an amount or the end of the line ("MMM - 12%", "WEED 27%", "SDR- 394 Shares",
# "* CALM - Cal Maine foods").
_BULLET = rf"\s*(?:[{re.escape(LINE_BULLETS)}]\s*|\d{{1,2}}[.)]\s*)?"
_LIST_LINE = lazy_pattern(_BULLET + _ITEM_SYMBOL
                          + r"(?=\s*(?:$|[-–:|(@=]|[-+]?\$?\d))")
_TABLE_RULE = lazy_pattern(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SYMBOL_HEADER = lazy_pattern(r"\b(?:ticker|symbol|stock|holding|position)s?\b", re.IGNORECASE)
# How many other items of a list must be symbols that count alone, and the share of the
# list's items that must be symbols at all.
MIN_SURE_ITEMS = 2
MIN_SYMBOL_SHARE = 0.6


def in_ticker_list(text: str, start: int, end: int, on_sight: Callable[[str], bool]) -> bool:
    """Whether the upper-case symbol at text[start:end] is an item of a list of tickers: of
    a line of items split by delimiters, of a column of lines that each begin with a symbol,
    or of a markdown table's column, where at least MIN_SURE_ITEMS other items are symbols
    `on_sight` counts alone (or $cashtags) and MIN_SYMBOL_SHARE of the items are symbols."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end]
    at, to = start - line_start, end - line_start
    if line.count("|") >= 2:
        return _in_table_column(text, line_start, line, at, on_sight)
    return (_in_line_list(line, at, to, on_sight)
            or _in_line_column(text, line_start, line, at, on_sight))


def _counts(word: str, on_sight: Callable[[str], bool]) -> bool:
    return word.startswith("$") or on_sight(word)


def _enough(symbols: list[str], others: int, on_sight: Callable[[str], bool]) -> bool:
    """Whether `symbols` (the other items that are symbols) beside `others` items that are
    not make a list of tickers."""
    sure = sum(_counts(s, on_sight) for s in symbols)
    items = len(symbols) + others + 1
    return sure >= MIN_SURE_ITEMS and (len(symbols) + 1) >= MIN_SYMBOL_SHARE * items


def _in_line_list(line: str, at: int, to: int, on_sight: Callable[[str], bool]) -> bool:
    """A list on one line, after its lead-in: "AMC; AMBC; DHT; FLS; RAIL; FRO; MIND"."""
    lead = 0
    for m in LEAD_IN.finditer(line, 0, at):
        lead = m.end()
    stop = LEAD_IN.search(line, to)
    tail = len(line) if stop is None else stop.start()
    pieces = [(m.start(), m.end()) for m in LINE_SPLIT.finditer(line, lead, tail)]
    if not pieces:
        return False
    bounds = [lead, *(p for piece in pieces for p in piece), tail]
    symbols: list[str] = []
    others = 0
    mine = False
    for i in range(0, len(bounds), 2):
        a, b = bounds[i], bounds[i + 1]
        item = _ITEM.fullmatch(line, a, b)
        if a <= at < b:
            if item is None or item.start(1) != at:
                return False
            mine = True
            continue
        if item is not None:
            symbols.append(item.group(1))
        elif line[a:b].strip():
            others += 1
    return mine and _enough(symbols, others, on_sight)


def _in_line_column(text: str, line_start: int, line: str, at: int,
                    on_sight: Callable[[str], bool]) -> bool:
    """A column of list lines, blank lines between allowed: "WEED 27%" / "APH 23%" /
    "MARI 18%", "SDR- 394 Shares" / "SDT-84 Shares"."""
    own = _LIST_LINE.match(line)
    if own is None or own.start(1) + own.group(1).startswith("$") != at:
        return False
    symbols: list[str] = []
    for step in (-1, 1):
        for other in _neighbour_lines(text, line_start, step):
            found = _LIST_LINE.match(other)
            if found is None:
                break
            symbols.append(found.group(1))
    return len(symbols) >= 2 and _enough(symbols, 0, on_sight)


def _neighbour_lines(text: str, line_start: int, step: int) -> list[str]:
    """The non-blank lines before (`step` -1) or after (1) the line at `line_start`, nearest
    first, up to twelve."""
    lines = _lines_beside(text, line_start, step)
    return [line for line in lines if line.strip()][:12]


def _cells(row: str) -> list[str]:
    cells = row.strip().split("|")
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _in_table_column(text: str, line_start: int, line: str, at: int,
                     on_sight: Callable[[str], bool]) -> bool:
    """A markdown table's column of symbols: its header says so ("Ticker", "Symbol"), or
    MIN_SURE_ITEMS of its other cells are symbols that count alone."""
    stripped = line.strip()
    offset = line.index(stripped[0]) if stripped else 0
    row = stripped[1:] if stripped.startswith("|") else stripped
    offset += stripped.startswith("|")
    column = row.count("|", 0, max(0, at - offset))
    cells = _cells(line)
    if column >= len(cells) or _ITEM.fullmatch(cells[column]) is None:
        return False
    above = _neighbour_rows(text, line_start, -1)[::-1]
    rows = [*above, line, *_neighbour_rows(text, line_start, 1)]
    own = len(above)
    # The header is the row above the rule (":---|:---:"); only the rows below it are cells,
    # and a symbol in the header or above it is none of the column's.
    rule = next((i for i, row in enumerate(rows) if _TABLE_RULE.fullmatch(row)), None)
    if rule is not None:
        if rule > own:
            return False
        if rule > 0:
            header_cells = _cells(rows[rule - 1])
            if column < len(header_cells) and _SYMBOL_HEADER.search(header_cells[column]):
                return True
    symbols: list[str] = []
    others = 0
    for i, other in enumerate(rows):
        if i == own or rule is not None and i <= rule:
            continue
        other_cells = _cells(other)
        if column >= len(other_cells):
            continue
        item = _ITEM.fullmatch(other_cells[column])
        if item is not None:
            symbols.append(item.group(1))
        elif other_cells[column].strip():
            others += 1
    return _enough(symbols, others, on_sight)


def _neighbour_rows(text: str, line_start: int, step: int) -> list[str]:
    """The table rows next to the line at `line_start`, nearest first, up to thirty."""
    lines = _lines_beside(text, line_start, step)
    rows = []
    for row in lines[:30]:
        if "|" not in row:
            break
        rows.append(row)
    return rows


# How far from the symbol's line the column and table tests read: a long post is not split
# whole for each symbol.
_REACH = 3000


def _lines_beside(text: str, line_start: int, step: int) -> list[str]:
    """The lines before (`step` -1, nearest first) or after (1) the line at `line_start`,
    within _REACH characters, and whole: the farthest, where the reach cuts it, is read to
    its ends (a prose line's tail `NVDA 20%` read alone was a list line)."""
    if step < 0:
        first = max(0, line_start - _REACH)
        if first > 0:
            first = text.rfind("\n", 0, first) + 1
        return text[first:max(0, line_start - 1)].split("\n")[::-1]
    end = text.find("\n", line_start)
    if end < 0:
        return []
    stop = text.find("\n", end + 1 + _REACH)
    return text[end + 1:len(text) if stop < 0 else stop].split("\n")
