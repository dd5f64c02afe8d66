"""Read a JSON Lines file from a byte offset: the lines appended since the last read.

Lines are split on b"\\n" only (U+2028 and friends may sit inside JSON strings). A last line
without its newline is taken only if it already parses as JSON; otherwise a writer is
probably still writing it, and it is left for the next read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tracker.config import InputConfig
from tracker.errors import SourceError
from tracker.models import RawPost
from tracker.sources.records import record_to_post

HASH_BLOCK = 1 << 20


@dataclass
class LineRead:
    """One line read: its record (or error, or None for a blank line) and the position after."""

    item: RawPost | SourceError | None
    end: int  # byte offset just after this line
    newlines: int  # newline characters consumed up to `end`


def hash_prefix(handle: BinaryIO, length: int) -> hashlib._Hash | None:
    """A sha256 of the first `length` bytes, or None if the file is shorter."""
    digest = hashlib.sha256()
    handle.seek(0)
    left = length
    while left > 0:
        block = handle.read(min(HASH_BLOCK, left))
        if not block:
            return None
        digest.update(block)
        left -= len(block)
    return digest


def _decode(raw: bytes, source: str, lineno: int) -> str:
    try:
        return raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(source, f"not UTF-8 or GB18030 text (bad byte at {exc.start})",
                          lineno) from exc


def read_lines(handle: BinaryIO, start: int, newlines: int, digest: hashlib._Hash,
               source: str, fields: InputConfig, mtime: float | None) -> Iterator[LineRead]:
    """Records from byte `start` on; `digest` (the prefix's hash) is fed every byte consumed.

    `newlines` counts the newlines before `start`, so line numbers stay those of the file.
    """
    handle.seek(start)
    pos = start
    for raw in handle:
        lineno = newlines + 1
        complete = raw.endswith(b"\n")
        body = raw.rstrip(b"\r\n")
        item: RawPost | SourceError | None = None
        if body.strip():
            try:
                record = json.loads(_decode(body, source, lineno))
                item = record_to_post(record, source, lineno, fields, mtime)
            except json.JSONDecodeError as exc:
                if not complete:
                    return  # a line still being written: leave it for the next read
                item = SourceError(source, f"invalid JSON: {exc.msg}", lineno)
            except SourceError as err:
                item = err
        elif not complete:
            return
        digest.update(raw)
        pos += len(raw)
        if complete:
            newlines += 1
        yield LineRead(item, pos, newlines)
