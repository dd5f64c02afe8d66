"""CSV cells a spreadsheet cannot run: formula-looking text is neutralised, numbers are not.

A spreadsheet opening a CSV file treats a cell that starts with `=`, `+`, `-` or `@` (and, in
some of them, a tab or carriage return) as a formula, so text copied from a post could run
`=HYPERLINK(...)` or worse on a reader's machine (OWASP: CSV injection). Every text cell that
can come from a post is prefixed with an apostrophe, which spreadsheets show as text.
Numeric columns are written by the renderers as plain numbers and never pass through here,
so a tone of -0.250 stays a number.

Spreadsheets are looser than the CSV standard, so the guard is too: a leading space and the
fullwidth signs (`＝ ＋ － ＠`) still start a formula in some of them, and a line break inside
a cell starts a new row in LibreOffice when the cell is not quoted. So a formula start is
neutralised after every CR or LF as well as at the start, and `write_row` quotes every cell
that holds a CR or LF (Python's csv writer with `lineterminator="\\n"` leaves a CR bare).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Signs that start a formula, ASCII and fullwidth, possibly after spaces.
FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"
BOM = "\ufeff"

# Where a spreadsheet may start reading a formula: the start of the cell, or the start of a
# line inside it, when a sign follows (after spaces), or a tab or CR opens the cell.
_FORMULA_START = re.compile(
    rf"(?:^|(?<=[\r\n]))(?=[ \t]*[{re.escape(FORMULA_SIGNS)}])|^(?=[\t\r])")
_QUOTE_NEEDED = re.compile(r'[",\r\n]')


def neutralize(text: str) -> str:
    """`text`, with `'` before every place a spreadsheet could start reading a formula.

    That is the start of the cell and of each line in it, when what follows is `= + - @` or a
    fullwidth `＝ ＋ － ＠` (after any spaces), or a tab or CR opening the cell. A cell that is a
    single `-` (the source name of stdin) or a single `+` stays as it is: spreadsheets read
    one sign character as text.
    """
    if text in ("-", "+"):
        return text
    return _FORMULA_START.sub("'", text)


def _quote(cell: str) -> str:
    if _QUOTE_NEEDED.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_row(out: TextIO, cells: Iterable[object]) -> None:
    """One CSV row, ending in LF: Python's minimal quoting, and every cell with a CR quoted.

    None is written as an empty cell, as the csv module does.
    """
    texts = ["" if c is None else str(c) for c in cells]
    if texts == [""]:
        # As the csv module: a row of one empty cell is `""`, not an empty line.
        out.write('""\n')
        return
    out.write(",".join(_quote(t) for t in texts) + "\n")
