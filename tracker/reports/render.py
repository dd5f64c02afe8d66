"""CSV and Markdown writers: fixed columns, stable order, atomic file writes."""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tracker.reports.csvsafe import BOM, neutralize

DECIMALS = 3


def _cell(value: object, freq: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%dT%H:%M") if freq == "H" else value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    return str(value)


def _rows(table: pd.DataFrame, freq: str) -> list[list[str]]:
    return [[_cell(v, freq) for v in row] for row in table.itertuples(index=False, name=None)]


def _csv_cell(value: object, freq: str) -> str:
    # Only text cells can hold a formula; numbers and dates are written as they are.
    return neutralize(value) if isinstance(value, str) else _cell(value, freq)


def render_csv(table: pd.DataFrame, freq: str = "D", excel: bool = False) -> str:
    """The table as CSV: header row, ISO dates, fixed decimals, no index column.

    Text cells that could run as a spreadsheet formula are neutralised (`csvsafe`);
    `excel` starts the text with a UTF-8 byte-order mark, so Excel reads it as UTF-8.
    """
    import csv

    out = io.StringIO()
    if excel:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralize(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v, freq) for v in row])
    return out.getvalue()


# Characters that start Markdown inline syntax (code, emphasis, links, strike, math).
_MD_INLINE = re.compile(r"([\\`*_\[\]|~$])")
# Line and paragraph breaks, other control characters, and the invisible marks that
# reorder text (bidi overrides and isolates), which could disguise what a quote says.
_MD_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
_MD_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Block markers that matter when text starts a line (or follows a list marker): headings,
# list items, rules and setext underlines. A negative number such as -0.25 is none of these.
_MD_HEADING = re.compile(r"^#")
_MD_BULLET = re.compile(r"^([-+=])(?=\s|$|[-+=])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape_md(text: str) -> str:
    """Text from a post, safe inside a Markdown table cell or after a list marker.

    It stays on one line (breaks become spaces), cannot close the cell (`|`), open code,
    emphasis, links, strikethrough or math (backslash-escaped), inject HTML or entities
    (`&`, `<`, `>` become entities, so `>` cannot start a quote), or start a heading, list
    or rule. Invisible control and bidi-override characters are dropped.
    """
    text = _MD_BREAKS.sub(" ", text)
    text = _MD_INVISIBLE.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_HEADING.sub(r"\\#", text)
    text = _MD_BULLET.sub(r"\\\1", text)
    return _MD_ORDERED.sub(r"\1\\\2", text)


def render_markdown(table: pd.DataFrame, title: str, notes: Sequence[str] = (),
                    freq: str = "D") -> str:
    """A titled Markdown table; numbers right-aligned."""
    lines = [f"# {escape_md(title)}", ""]
    lines += [f"{escape_md(note)}  " for note in notes]
    if notes:
        lines.append("")
    if table.empty:
        lines.append("No mentions in this period.")
        return "\n".join(lines) + "\n"
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    lines.append("| " + " | ".join(escape_md(str(c)) for c in table.columns) + " |")
    lines.append("| " + " | ".join("---:" if n else "---" for n in numeric) + " |")
    for row in _rows(table, freq):
        lines.append("| " + " | ".join(escape_md(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write `content` to `path` so a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode(encoding) if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a report is for whoever may read the folder,
        # so it gets the mode an ordinary write would: the old file's, else 0666 less umask.
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
