"""CSV and Markdown writers: fixed columns, stable order, atomic file writes."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

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


def render_csv(table: pd.DataFrame, freq: str = "D") -> str:
    """The table as CSV: header row, ISO dates, fixed decimals, no index column."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(table.columns))
    writer.writerows(_rows(table, freq))
    return out.getvalue()


def escape_md(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, line breaks or HTML."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ")
            .replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;"))


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


def write_atomic(path: Path, content: str, encoding: str = "utf-8") -> None:
    """Write `content` to `path` so a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
