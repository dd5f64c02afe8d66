"""CSV cells a spreadsheet cannot run: formula-looking text is neutralised, numbers are not.

A spreadsheet opening a CSV file treats a cell that starts with `=`, `+`, `-` or `@` (and, in
some of them, a tab or carriage return) as a formula, so text copied from a post could run
`=HYPERLINK(...)` or worse on a reader's machine (OWASP: CSV injection). Every text cell that
can come from a post is prefixed with an apostrophe, which spreadsheets show as text.
Numeric columns are written by the renderers as plain numbers and never pass through here,
so a tone of -0.250 stays a number.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralize(text: str) -> str:
    """`text`, prefixed with `'` when a spreadsheet could read it as a formula.

    A cell that is a single `-` (the source name of stdin) or a single `+` stays as it is:
    spreadsheets read one sign character as text.
    """
    if text.startswith(FORMULA_TRIGGERS) and text not in ("-", "+"):
        return "'" + text
    return text
