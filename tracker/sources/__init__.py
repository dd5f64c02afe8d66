"""Find input files and read them into raw posts, one reader per format."""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources.csvfile import read_csv_file
from tracker.sources.decode import decode_file
from tracker.sources.files import read_regular
from tracker.sources.jsonl import read_jsonl, read_jsonl_file
from tracker.sources.jsonlist import json_posts, read_json_file, read_json_text
from tracker.sources.piped import piped_input
from tracker.sources.records import SCRIPT_HINT, load_json, read_csv, read_json_value
from tracker.sources.text import read_text_post

if TYPE_CHECKING:
    from tracker.config import InputConfig

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": False, ".md": False, ".html": True, ".htm": True}
RECORD_SUFFIXES = {".jsonl", ".json", ".csv"}
SUFFIXES = tuple(sorted(set(TEXT_SUFFIXES) | RECORD_SUFFIXES))
_SUFFIX_SET = frozenset(SUFFIXES)

__all__ = ["SUFFIXES", "display_name", "find_files", "find_paths", "read_file", "read_text"]


def find_files(paths: Iterable[str | Path]) -> Iterator[Path | SourceError]:
    """Files under `paths` (folders recursively, sorted) with a readable suffix.

    A path that does not exist is yielded as an error. Symlinked folders are not followed,
    so a symlink loop cannot trap the walk.
    """
    for item in find_paths(paths):
        yield item if isinstance(item, SourceError) else Path(item)


def _parts(path: str) -> list[str]:
    # Sorted as pathlib sorts paths (part by part), without building 10,000 Path objects.
    return path.split(os.sep)


def find_paths(paths: Iterable[str | Path]) -> Iterator[str | SourceError]:
    """`find_files` as strings: cheaper where a refresh walks thousands of stored files."""
    for raw in paths:
        path = os.fspath(raw)
        if path == "-":
            yield path
        elif os.path.isdir(path):
            unreadable: list[OSError] = []
            found = [
                os.path.join(root, name)
                for root, _dirs, files in os.walk(path, onerror=unreadable.append,
                                                  followlinks=False)
                for name in files
                # The suffix (from the last dot; none: the last character, never a suffix).
                if not name.startswith(".") and name[name.rfind("."):].lower() in _SUFFIX_SET
            ]
            for exc in unreadable:
                yield SourceError(display_name(exc.filename or path),
                                  f"cannot read folder: {exc.strerror or exc}")
            yield from sorted(found, key=_parts)
        elif os.path.exists(path):
            yield path  # a pipe or device too: the reader skips it with a warning
        elif os.path.islink(path):
            # A link that leads nowhere (a loop, a missing target): the system's reason.
            try:
                os.stat(path)
            except OSError as exc:
                yield SourceError.unreadable(display_name(path), exc)
            else:  # its target appeared since exists() looked
                yield path
        elif glob.has_magic(path):
            # Quoted on a command line, or written under [sources] paths: never expanded.
            yield SourceError(display_name(path), "no such file or folder; wildcards are not "
                              "expanded here: list the pattern under [sources] globs, or "
                              "leave it unquoted for the shell to expand")
        else:
            yield SourceError(display_name(path), "no such file or folder")


def display_name(path: str | os.PathLike[str]) -> str:
    """`path` as text that can be printed and stored: undecodable bytes become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def read_text(
    text: str, source: str, suffix: str, fields: InputConfig, mtime: float | None = None
) -> Iterator[RawPost | SourceError]:
    """Raw posts from already-decoded text, by the format its suffix names."""
    suffix = suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(text, source, fields, mtime)
    elif suffix == ".json":
        yield from read_json_text(text, source, fields, mtime)
    elif suffix == ".csv":
        yield from read_csv(text, source, fields, mtime)
    elif suffix in TEXT_SUFFIXES:
        yield from read_text_post(text, source, mtime, html=TEXT_SUFFIXES[suffix])
    else:
        yield SourceError(source, f"unsupported file type {suffix or '(none)'}; "
                          f"use one of {', '.join(SUFFIXES)}",
                          hint=SCRIPT_HINT if suffix == ".js" else None)


def text_limit(suffix: str, fields: InputConfig) -> int | None:
    """The most bytes a file of one plain-text post may have: 4 per character of
    `[input] max_post_chars` (no encoding read here takes more); None for other formats."""
    if suffix.lower() in (".txt", ".md"):
        return 4 * fields.max_post_chars
    return None


def read_file(path: Path, fields: InputConfig) -> Iterator[RawPost | SourceError]:
    """Raw posts from one file, or errors naming the file (and line) that failed."""
    source = display_name(path)
    suffix = path.suffix.lower()
    if str(path) == "-":
        yield from _read_piped(source, fields)
    elif suffix == ".jsonl":
        # Streamed: one big file must not be read whole.
        yield from read_jsonl_file(path, source, fields)
    elif suffix == ".csv":
        # Streamed too, when it is UTF-8 throughout (most are).
        yield from read_csv_file(path, source, fields)
    elif suffix == ".json":
        # A list streamed record by record, when it is UTF-8 throughout.
        yield from read_json_file(path, source, fields)
    else:
        try:
            data, st = read_regular(path, source, text_limit(path.suffix, fields))
        except SourceError as err:
            yield err
            return
        except OSError as exc:
            yield SourceError.unreadable(source, exc)
            return
        yield from _read_bytes(data, source, path.suffix, fields, st.st_mtime)


def _read_bytes(data: bytes, source: str, suffix: str | None, fields: InputConfig,
                mtime: float | None) -> Iterator[RawPost | SourceError]:
    """Raw posts from a whole file's bytes, decoded, by the format its suffix names (None:
    piped on stdin, whose format is told from its text)."""
    try:
        decoded = decode_file(data, source)
    except SourceError as err:
        yield err
        return
    if decoded.note is not None:
        yield SourceWarning(source, decoded.note)
    if suffix is None:
        suffix, parsed = _piped_format(decoded.text)
        if parsed is not _UNPARSED:
            yield from read_json_value(parsed, source, fields, mtime)
            return
    yield from read_text(decoded.text, source, suffix, fields, mtime)


def _read_piped(source: str, fields: InputConfig) -> Iterator[RawPost | SourceError]:
    """Raw posts from what is piped on stdin: a list of records streamed, as a `.json`
    file is; anything else whole."""
    try:
        with piped_input(source) as piped:
            if isinstance(piped, bytes):
                data = piped
            else:
                yield from json_posts(*piped, source, fields, None)
                return
    except SourceError as err:
        yield err
        return
    yield from _read_bytes(data, source, None, fields, None)


# What _piped_format returns when it did not parse the whole text (None is JSON's null).
_UNPARSED = object()


def _piped_format(text: str) -> tuple[str, Any]:
    """The suffix of what was piped on stdin: JSON Lines, JSON (a list of records, or one
    pretty-printed object), else one text post. Told from the decoded text, not the bytes: a
    byte-order mark (UTF-8 or UTF-16) hid the `{`, and a JSON list (`jq .data dump.json |
    tracker ingest -`) was stored as one text post of JSON, its tickers counted from it.

    With it, the document when telling the shape took parsing it whole (else `_UNPARSED`):
    it is read from that, not parsed a second time (a pretty-printed dump of 1 GB was)."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        # A pretty-printed object's first line is no record: each line was one error.
        first = head.partition("\n")[0]
        if _parsed(first) is not _UNPARSED:
            return ".jsonl", _UNPARSED
        whole = _parsed(head)
        return (".jsonl" if whole is _UNPARSED else ".json"), whole
    if head.startswith("["):
        if head[1:].lstrip().startswith("{"):
            return ".json", _UNPARSED  # read_json parses it, once, and says where it breaks
        whole = _parsed(head)
        if whole is not _UNPARSED:
            return ".json", whole
    return ".txt", _UNPARSED  # "[Update] $TSLA ..." stays a text post


def _parsed(text: str) -> Any:
    """`text` parsed as JSON, or `_UNPARSED`."""
    try:
        return load_json(text)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return _UNPARSED
