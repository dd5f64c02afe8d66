"""CSV and Markdown writers: fixed columns, stable order, atomic file writes."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO

import pandas as pd

from tracker.errors import OptionsError, TrackerError
from tracker.extract.securities import canonical_key
from tracker.reports.csvsafe import BOM, neutralize, write_row
from tracker.store.url import sqlite_part

DECIMALS = 3


def with_keys(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its `ticker` column written as canonical keys (`000001.SZ`, `0700.HK`,
    `TSLA`): every code outside the US carries its market suffix.

    A spreadsheet opening a CSV reads a bare numeric code as a number (000001 -> 1,
    0700 -> 700); with its suffix it stays text. The key is the form `--tickers` takes.
    """
    if "ticker" not in table.columns or "market" not in table.columns or table.empty:
        return table
    table = table.copy()
    table["ticker"] = [canonical_key(t, m)
                       for t, m in zip(table["ticker"], table["market"], strict=True)]
    return table


def drop_zero_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`table` without `columns` when all of them hold only zeros (or the table no rows),
    else unchanged: the columns go together, as one story.

    A reader's table shows the authors' tag counts only when some post carried a tag; a
    CSV keeps every column, so the scripts that read it see a fixed shape.
    """
    present = [c for c in columns if c in table.columns]
    if any(table[c].fillna(0).astype(bool).any() for c in present):
        return table
    return table.drop(columns=present)


def _cell(value: object, freq: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        if freq == "H":
            return value.strftime("%Y-%m-%dT%H:%M") + _repeated_offset(value)
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    return str(value)


def _repeated_offset(start: pd.Timestamp) -> str:
    """The UTC offset (`-04:00`) of an hour whose local time the clock shows twice (when it
    falls back), so its two rows are told apart; else nothing."""
    if start.tzinfo is None:
        return ""
    wall = start.to_pydatetime().replace(tzinfo=None)
    first, second = (wall.replace(tzinfo=start.tzinfo, fold=f).utcoffset() for f in (0, 1))
    return start.isoformat()[-6:] if first != second else ""


def period_label(start: pd.Timestamp, freq: str) -> str:
    """A period as a reader names it: `2026-05-04 09:00` (hour; `2026-11-01 01:00-04:00`
    for an hour the clock repeats), `2026-05-04` (day), `2026-03-23 – 03-29` (week: its
    first and last day, the year again only when it changes), `2026-05` (month). A week's
    start date alone reads like its end date."""
    if freq == "H":
        return start.strftime("%Y-%m-%d %H:%M") + _repeated_offset(start)
    if freq == "W":
        last = start + pd.Timedelta(days=6)
        return f"{start:%Y-%m-%d} – {last:%Y-%m-%d}" if last.year != start.year \
            else f"{start:%Y-%m-%d} – {last:%m-%d}"
    if freq == "M":
        return start.strftime("%Y-%m")
    return start.strftime("%Y-%m-%d")


def _md_cell(value: object, freq: str) -> str:
    if isinstance(value, pd.Timestamp) and value is not pd.NaT:
        return period_label(value, freq)
    return _cell(value, freq)


def _rows(table: pd.DataFrame, freq: str) -> list[list[str]]:
    return [[_md_cell(v, freq) for v in row] for row in table.itertuples(index=False, name=None)]


def _csv_cell(value: object, freq: str) -> str:
    # Only text cells can hold a formula; numbers and dates are written as they are.
    return neutralize(value) if isinstance(value, str) else _cell(value, freq)


def render_csv(table: pd.DataFrame, freq: str = "D", excel: bool = False) -> str:
    """The table as CSV: header row, ISO dates, fixed decimals, no index column, tickers
    as keys (`with_keys`).

    Text cells that could run as a spreadsheet formula are neutralised (`csvsafe`);
    `excel` starts the text with a UTF-8 byte-order mark, so Excel reads it as UTF-8.
    """
    out = io.StringIO()
    if excel:
        out.write(BOM)
    table = with_keys(table)
    write_row(out, [neutralize(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        write_row(out, [_csv_cell(v, freq) for v in row])
    return out.getvalue()


def _json_value(value: object, freq: str) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return _cell(value, freq)
    if isinstance(value, float):
        return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    if hasattr(value, "item"):  # a numpy scalar: its plain Python value
        return value.item()
    return value


def render_json(table: pd.DataFrame, freq: str = "D") -> str:
    """The table as a JSON array with one object per row (and per line), keyed by column;
    periods as in the CSV, numbers as numbers, empty cells as null."""
    columns = [str(c) for c in table.columns]
    rows = [json.dumps(dict(zip(columns, (_json_value(v, freq) for v in row), strict=True)),
                       ensure_ascii=False)
            for row in table.itertuples(index=False, name=None)]
    return "[\n" + ",\n".join(rows) + "\n]\n" if rows else "[]\n"


# Characters that start Markdown inline syntax (code, emphasis, links, strike, math).
_MD_INLINE = re.compile(r"([\\`*_\[\]|])")
# Characters some Markdown renderers do not unescape after a backslash (Python-Markdown
# shows "\$"): written as character references, which every renderer decodes and none
# reads as math ($) or strikethrough (~).
_MD_ENTITIES = {"$": "&#36;", "~": "&#126;"}
_MD_BY_ENTITY = re.compile("[" + re.escape("".join(_MD_ENTITIES)) + "]")
# Line and paragraph breaks, other control characters, the invisible marks that reorder
# text (bidi marks, overrides and isolates, the Arabic letter mark U+061C) and the invisible
# spaces that hide inside words (zero-width space, word joiner, BOM), which could disguise
# what a quote says or split a ticker so a reader and a search see different text.
# Zero-width joiners stay: emoji sequences need them.
_MD_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
# Every format character (Unicode category Cf: soft hyphen, zero-width non-joiner, invisible
# operators, tag characters...) but the zero-width joiner, and the blank "letters" that fill
# a name without showing (Hangul fillers, Braille blank, Mongolian vowel separator).
# tests/reports/test_markdown_safety.py checks the list against unicodedata.
_MD_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
# What GitHub's renderer (cmark-gfm) turns into a live link without any markup: a scheme's
# "://", "www." and an e-mail address's "@". Written as character references, they read the
# same and link nothing.
_MD_AUTOLINK = re.compile(r"(?<=[A-Za-z])://|(?i:\bwww)\.|@")
_MD_AUTOLINK_PARTS = {"://": "&#58;//", ".": "&#46;", "@": "&#64;"}
# Block markers that matter when text starts a line (or follows a list marker): headings,
# list items, rules and setext underlines. A negative number such as -0.25 is none of these.
_MD_HEADING = re.compile(r"^#")
_MD_BULLET = re.compile(r"^([-+])(?=\s|$|[-+=])")
_MD_SETEXT = re.compile(r"^=(?=\s|$|[-+=])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def _defuse_link(match: re.Match[str]) -> str:
    found = match.group()
    if found.lower() == "www.":
        return found[:3] + _MD_AUTOLINK_PARTS["."]
    return _MD_AUTOLINK_PARTS[found]


def escape_md(text: str) -> str:
    """Text from a post, safe inside a Markdown table cell or after a list marker.

    It stays on one line (breaks become spaces), cannot close the cell (`|`), open code,
    emphasis or links (backslash-escaped), strikethrough or math (`~` and `$` as character
    references, which Python-Markdown shows as written too), inject HTML or entities
    (`&`, `<`, `>` become entities, so `>` cannot start a quote), or start a heading, list
    or rule, or become a link (`https&#58;//`, `www&#46;`, `&#64;`). Invisible control,
    format and filler characters are dropped.
    """
    text = _MD_BREAKS.sub(" ", text)
    text = _MD_INVISIBLE.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_BY_ENTITY.sub(lambda m: _MD_ENTITIES[m.group()], text)
    text = _MD_AUTOLINK.sub(_defuse_link, text)
    text = _MD_HEADING.sub(r"\\#", text)
    text = _MD_BULLET.sub(r"\\\1", text)
    text = _MD_SETEXT.sub("&#61;", text)
    return _MD_ORDERED.sub(r"\1\\\2", text)


def render_markdown(table: pd.DataFrame, title: str, notes: Sequence[str] = (),
                    freq: str = "D") -> str:
    """A titled Markdown table; numbers right-aligned, tickers as keys (`with_keys`)."""
    lines = [f"# {escape_md(title)}", ""]
    lines += [f"{escape_md(note)}  " for note in notes]
    if notes:
        lines.append("")
    if table.empty:
        lines.append("No mentions in this period.")
        return "\n".join(lines) + "\n"
    table = with_keys(table)
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


def _is_stream(path: Path) -> bool:
    """Whether `path` is a device, pipe or socket (`/dev/stdout`, `/dev/null`, a FIFO), or
    a name under /dev or /proc (`/dev/stdout` into a file is one): written in place, since a
    file renamed over it would take its place (run as root, `--out /dev/null` replaced the
    system's /dev/null with a report). /dev/shm holds ordinary files."""
    try:
        mode = path.stat().st_mode  # through links: /dev/stdout is one
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return True
    name = str(path.absolute())
    return name.startswith(("/dev/", "/proc/")) and not name.startswith("/dev/shm/")


@contextmanager
def _stream_file(path: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    try:
        with open(path, mode, **kwargs) as handle:
            yield handle
    except OSError as exc:
        if exc.filename is not None:
            raise
        # /dev/full, a closed pipe: a write names no file.
        raise TrackerError(f"{path}: cannot write it ({exc.strerror or exc})") from exc


@contextmanager
def _atomic_file(path: Path, mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    if _is_stream(path):
        # Checked first: reading a FIFO's first bytes for the SQLite header would block.
        with _stream_file(path, mode, **kwargs) as handle:
            yield handle
        return
    # `--out tracker.db` (a completed name one key too soon) replaced the database with a
    # report: every stored post lost; `--out t.db-wal` replaced the log holding the posts a
    # killed run committed last (SQLite then took the report for a damaged log and deleted
    # it, posts and all). No output of tracker is a database or a part of one.
    part = sqlite_part(path)
    if part is not None:
        raise OptionsError(f"{path}: {part[0]}; a report or export never replaces {part[1]}; "
                           "write somewhere else")
    # A link (reports/latest.csv -> 2026/latest.csv) is written through, as a shell's `>`
    # writes: renaming over the link replaced it with a file and left its target stale.
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        # A read-only folder: the error named the temporary file, a name the user never gave.
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        # mkstemp makes the file private (0600); a report is for whoever may read the folder,
        # so it gets the mode an ordinary write would: the old file's, else 0666 less umask.
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is not None:
            raise  # it names its file: the CLI says which and why
        # A full disk or quota, an I/O error: raised by a write with no file named, which
        # was a traceback (from `export --out` and from refresh's reports under cron).
        raise TrackerError(f"{path}: cannot write it ({exc.strerror or exc}); the file is "
                           "as it was before") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def open_atomic(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file to write `path` through: a reader sees the old file or the whole new one.

    The text goes to a temporary file beside `path`, renamed over it when the block ends
    without an error; on an error the temporary file is removed and `path` is untouched.
    """
    with _atomic_file(path, "w", encoding=encoding, newline="") as handle:
        yield handle  # type: ignore[misc]


def write_atomic(path: Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write `content` to `path` so a reader sees the old file or the whole new one."""
    data = content.encode(encoding) if isinstance(content, str) else content
    with _atomic_file(path, "wb") as handle:
        handle.write(data)
