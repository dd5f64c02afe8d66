"""The one JSON Lines reader, for ingest and refresh alike: streamed from a byte offset.

Lines are split on b"\\n" only (U+2028, U+2029 and U+0085 may sit inside JSON strings). A
last line without its newline is taken only if it already parses as JSON; otherwise a
writer is probably still writing it, and it is left for the next read. A bad line costs
that line: it comes out as a SourceError naming the file and line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker.config import InputConfig
from tracker.errors import SourceError
from tracker.models import RawPost
from tracker.sources.decode import decode_bytes
from tracker.sources.records import TOO_DEEP, record_to_post

HASH_BLOCK = 1 << 20


@dataclass
class LineRead:
    """One line read: its record (or error, or None for a blank line) and the position after."""

    item: RawPost | SourceError | None
    end: int  # byte offset just after this line
    newlines: int  # newline characters consumed up to `end`


def parse_line(line: str, source: str, lineno: int, fields: InputConfig,
               mtime: float | None) -> RawPost | SourceError | None:
    """One line's post, or the error that costs this line only; None for a blank line."""
    return _parse(line, source, lineno, fields, mtime)[0]


def _parse(line: str, source: str, lineno: int, fields: InputConfig, mtime: float | None
           ) -> tuple[RawPost | SourceError | None, bool]:
    """`parse_line`, and whether the line was JSON at all."""
    if not line.strip():
        return None, True
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return SourceError(source, f"invalid JSON: {exc.msg}", lineno), False
    except RecursionError:
        return SourceError(source, TOO_DEEP, lineno), False
    try:
        return record_to_post(record, source, lineno, fields, mtime), True
    except SourceError as err:
        return err, True


def read_jsonl(text: str, source: str, fields: InputConfig, mtime: float | None
               ) -> Iterator[RawPost | SourceError]:
    """Each non-blank line of decoded `text` is one record; a bad line is yielded as an error."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        item = parse_line(line.removesuffix("\r"), source, lineno, fields, mtime)
        if item is not None:
            yield item


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


def read_lines(handle: BinaryIO, start: int, newlines: int, digest: hashlib._Hash | None,
               source: str, fields: InputConfig, mtime: float | None) -> Iterator[LineRead]:
    """Records from byte `start` on; `digest` (the prefix's hash), if given, is fed every
    byte consumed.

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
                item, is_json = _parse(_decode(body, source, lineno), source, lineno, fields,
                                       mtime)
            except SourceError as err:
                item, is_json = err, True
            if not is_json and not complete:
                return  # a line still being written: leave it for the next read
        elif not complete:
            return
        if digest is not None:
            digest.update(raw)
        pos += len(raw)
        if complete:
            newlines += 1
        yield LineRead(item, pos, newlines)


def read_jsonl_file(path: Path, source: str, fields: InputConfig
                    ) -> Iterator[RawPost | SourceError]:
    """The records of a JSON Lines file, streamed: memory stays flat however big it is."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the generator ends
    except OSError as exc:
        yield SourceError(source, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        try:
            mtime = path.stat().st_mtime
            if b"\x00" in handle.read(65536):
                # Not UTF-8 or GB18030 (UTF-16, or binary): decode_bytes tells, on it whole.
                handle.seek(0)
                try:
                    text = decode_bytes(handle.read(), source)
                except SourceError as err:
                    yield err
                    return
                yield from read_jsonl(text, source, fields, mtime)
                return
            for line in read_lines(handle, 0, 0, None, source, fields, mtime):
                if line.item is not None:
                    yield line.item
        except OSError as exc:
            yield SourceError(source, f"cannot read: {exc.strerror or exc}")
