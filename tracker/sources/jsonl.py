"""The one JSON Lines reader, for ingest and refresh alike: streamed from a byte offset.

Lines are split on b"\\n" only (U+2028, U+2029 and U+0085 may sit inside JSON strings); a
line that is not JSON but holds lone CRs is read as the records between them. A last line
without its newline is taken only if it already parses as JSON; otherwise a writer is
probably still writing it: refresh leaves it for the next read, ingest (which will not read
again) reports it, both with a message. A bad line (NUL bytes included) costs that line: it
comes out as a SourceError naming the file and line. UTF-16 files, which have no b"\\n"
line ends, are decoded whole and then read by the same code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources.datecheck import DateTally
from tracker.sources.decode import decode_file, decode_line, utf16_encoding
from tracker.sources.files import read_streamed
from tracker.sources.records import (
    TOO_DEEP,
    invalid_json,
    load_json,
    record_failure,
    record_to_post,
)
from tracker.sources.tagcheck import doubled_tag_warning

if TYPE_CHECKING:
    from tracker.config import InputConfig

HASH_BLOCK = 1 << 20


@dataclass
class LineRead:
    """One line read: its record (or error, or None for a blank line) and the position after."""

    item: RawPost | SourceError | None
    end: int  # byte offset just after this line
    newlines: int  # newline characters consumed up to `end`
    # What `dates` (see read_lines) had to say about this record's date, and a doubled
    # security tag in its text (sources/tagcheck.py), said after it.
    warnings: tuple[SourceWarning, ...] = ()


def _parse(line: str, source: str, lineno: int, fields: InputConfig, mtime: float | None
           ) -> tuple[RawPost | SourceError | None, bool, Any]:
    """One line's post (or the error that costs this line only; None for a blank line),
    whether the line was JSON at all, and the record it held."""
    if not line.strip():
        return None, True, None
    try:
        record = load_json(line)
    except json.JSONDecodeError as exc:
        return SourceError(source, invalid_json(exc), lineno), False, None
    except RecursionError:
        return SourceError(source, TOO_DEEP, lineno), False, None
    except Exception as exc:  # the line's failure, whatever raised
        return record_failure(source, lineno, exc), True, None
    try:
        return record_to_post(record, source, lineno, fields, mtime), True, record
    except SourceError as err:
        return err, True, record
    except Exception as exc:
        return record_failure(source, lineno, exc), True, record


def read_jsonl(text: str, source: str, fields: InputConfig, mtime: float | None
               ) -> Iterator[RawPost | SourceError]:
    """Each non-blank line of decoded `text` is one record; a bad line is yielded as an error.
    A record whose date value is not a date is followed by a warning, and the file by one
    when most of its records have no date (sources/datecheck.py).

    Read by read_lines, as files are, so that every JSON Lines input behaves the same.
    """
    handle = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    yield from _records(handle, source, fields, mtime)


def _records(handle: BinaryIO, source: str, fields: InputConfig, mtime: float | None
             ) -> Iterator[RawPost | SourceError]:
    dates = DateTally(source, fields)
    for line in read_lines(handle, 0, 0, None, source, fields, mtime, dates, final=True):
        if line.item is not None:
            yield line.item
        yield from line.warnings
    yield from dates.summaries()


def hash_upto(handle: BinaryIO, length: int) -> tuple[hashlib._Hash, int]:
    """A sha256 of the first `length` bytes, or of all there are when the file is shorter
    (cut short since it was opened), and how many bytes that was."""
    digest = hashlib.sha256()
    handle.seek(0)
    read = 0
    while read < length:
        block = handle.read(min(HASH_BLOCK, length - read))
        if not block:
            break
        digest.update(block)
        read += len(block)
    return digest, read


def hash_prefix(handle: BinaryIO, length: int) -> hashlib._Hash | None:
    """A sha256 of the first `length` bytes, or None if the file is shorter."""
    digest, read = hash_upto(handle, length)
    return digest if read == length else None


def _decode(raw: bytes) -> tuple[str, str]:
    """The line's text and encoding: UTF-8, else as `decode_line` reads it. A byte-order
    mark is dropped from any line, not only the first: files saved by Windows tools and
    joined with `cat` carry one at each join. Surrogates encoded as UTF-8 (what read_jsonl
    makes of text holding lone ones, and what some Java tools write) are UTF-8 here: they
    come out as U+FFFD (records.scrub), as JSON's escaped ones do, not as Latin-1 signs."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # before a line in another encoding too (GBK)
    try:
        return raw.decode("utf-8", "surrogatepass"), "utf-8"
    except UnicodeDecodeError:
        return decode_line(raw)


def _guessed(source: str, lineno: int, encoding: str) -> SourceWarning | None:
    """The warning for a line read as Latin-1: a guess, where GB18030 is the usual other
    encoding of this tracker's inputs and needs none."""
    if encoding != "cp1252":
        return None
    return SourceWarning(source, "line is not UTF-8; read as Latin-1 (cp1252), a guess; if "
                         "its text looks wrong, convert the file to UTF-8", lineno)


def read_lines(handle: BinaryIO, start: int, newlines: int, digest: hashlib._Hash | None,
               source: str, fields: InputConfig, mtime: float | None,
               dates: DateTally | None = None, final: bool = False) -> Iterator[LineRead]:
    """Records from byte `start` on; `digest` (the prefix's hash), if given, is fed every
    byte consumed.

    `newlines` counts the newlines before `start`, so line numbers stay those of the file.
    `dates`, if given, checks each post's date value (LineRead.warnings); its summary is the
    caller's to say once the file is read. A last line without its newline that is not
    JSON yet is left for the next read with a warning, or, when `final` (no next read:
    ingest), reported as an error.

    A line holding lone CRs (old Mac line ends) that is not JSON as a whole is read as the
    records between them, each reported under this line.
    """
    handle.seek(start)
    pos = start
    limit = line_limit(fields)
    while raw := handle.readline(limit):
        lineno = newlines + 1
        complete = raw.endswith(b"\n")
        body = raw.rstrip(b"\r\n")
        item: RawPost | SourceError | None = None
        record: Any = None
        if len(raw) >= limit and not complete:
            # Never held whole in memory: skipped to its newline in blocks.
            length = _skip_long_line(handle, pos, digest)
            too_long = (f"line is longer than {limit:,} bytes, more than a post of [input] "
                        "max_post_chars can take")
            if length is None:
                # No newline yet: a writer may still be writing it. Said either way: it
                # went unsaid, and ingest, which reads no further, lost it in silence.
                yield LineRead(SourceError(source, f"last {too_long}, and has no newline; "
                                           "skipped", lineno) if final else
                               SourceWarning(source, f"last {too_long}, and has no newline "
                                             "yet; left for the next run", lineno),
                               pos, newlines)
                return
            pos += length
            newlines += 1
            yield LineRead(SourceError(source, f"{too_long}; skipped", lineno), pos, newlines)
            continue
        if body.strip():
            line_text, encoding = _decode(body)
            guessed = _guessed(source, lineno, encoding)
            if guessed is not None:
                # At the line's start, as the pieces between lone CRs below.
                yield LineRead(guessed, pos, newlines)
            item, is_json, record = _parse(line_text, source, lineno, fields, mtime)
            if not is_json and b"\r" in body.strip():
                # Records between lone CRs: all but the last are yielded here, at the
                # line's start, so a commit between them makes the next run read it again.
                *pieces, last = _split_cr(body, source, lineno, fields, mtime)
                for piece in pieces:
                    yield _checked(LineRead(piece[0], pos, newlines), piece[1], dates)
                item, is_json, record = last
            if not is_json and not complete:
                if final:
                    item = SourceError(source, "last line has no newline and is not complete "
                                       "JSON (cut short?); skipped", lineno)
                else:  # a line still being written: leave it for the next read
                    yield LineRead(SourceWarning(
                        source, "last line has no newline and is not complete JSON yet; "
                        "left for the next run", lineno), pos, newlines)
                    return
        elif not complete:
            return
        if digest is not None:
            digest.update(raw)
        pos += len(raw)
        if complete:
            newlines += 1
        yield _checked(LineRead(item, pos, newlines), record, dates)


def _checked(line: LineRead, record: Any, dates: DateTally | None) -> LineRead:
    """`line` with what `dates` says of its post's date value, and of a doubled tag."""
    if isinstance(line.item, RawPost):
        said = (dates.check(line.item, record) if dates is not None else None,
                doubled_tag_warning(line.item))
        line.warnings = tuple(w for w in said if w is not None)
    return line


def _split_cr(body: bytes, source: str, lineno: int, fields: InputConfig, mtime: float | None
              ) -> list[tuple[RawPost | SourceError | None, bool, Any]]:
    """`_parse` of each non-blank piece of `body` between lone CRs (at least one piece)."""
    out = []
    for piece in body.split(b"\r"):
        if not piece.strip():
            continue
        out.append(_parse(_decode(piece)[0], source, lineno, fields, mtime))
    return out or [(None, True, None)]


def line_limit(fields: InputConfig) -> int:
    """The longest JSON line read: a post of `max_post_chars` characters, each escaped
    (up to 12 bytes for a character outside the BMP), and a megabyte for the other fields."""
    return 12 * fields.max_post_chars + (1 << 20)


def _skip_long_line(handle: BinaryIO, start: int, digest: hashlib._Hash | None) -> int | None:
    """The length of the line at `start`, newline included, leaving `handle` after it and
    `digest` fed with it; None (nothing fed) when the file ends before its newline."""
    handle.seek(start)
    length = 0
    while True:
        block = handle.read(HASH_BLOCK)
        if not block:
            return None
        cut = block.find(b"\n")
        if cut >= 0:
            length += cut + 1
            break
        length += len(block)
    handle.seek(start)
    left = length
    while left > 0:
        block = handle.read(min(HASH_BLOCK, left))
        if digest is not None:
            digest.update(block)
        left -= len(block)
    return length


def read_jsonl_file(path: Path, source: str, fields: InputConfig
                    ) -> Iterator[RawPost | SourceError]:
    """The records of a JSON Lines file, streamed: memory stays flat however big it is."""

    def records(handle: BinaryIO, st: os.stat_result) -> Iterator[RawPost | SourceError]:
        if is_utf16(handle):
            # UTF-16 (a spreadsheet's "Unicode text"): no b"\n" line ends, decoded whole.
            decoded = decode_file(handle.read(), source)
            if decoded.note is not None:
                yield SourceWarning(source, decoded.note)
            yield from read_jsonl(decoded.text, source, fields, st.st_mtime)
            return
        # Everything else line by line, NUL bytes included: a bad line costs that line.
        yield from _records(handle, source, fields, st.st_mtime)

    return read_streamed(path, source, records)


def decoded_lines(data: bytes, source: str) -> Iterator[tuple[int, str] | SourceWarning]:
    """The numbered lines of a whole small JSON Lines file, decoded as `read_lines` decodes
    a file's: UTF-16 whole (`decode_file`), any other line by line (UTF-8, else GB18030 or
    Latin-1, `_decode`), with the same warnings; for readers of labelled files, which want
    records rather than posts. Split on b"\n" only, as `read_lines` splits."""
    if utf16_encoding(data[:4096]) is not None:
        decoded = decode_file(data, source)
        if decoded.note is not None:
            yield SourceWarning(source, decoded.note)
        for lineno, line in enumerate(decoded.text.split("\n"), start=1):
            yield lineno, line.removeprefix("\ufeff").rstrip("\r")
        return
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        line, encoding = _decode(raw.rstrip(b"\r"))
        guessed = _guessed(source, lineno, encoding)
        if guessed is not None:
            yield guessed
        yield lineno, line


def is_utf16(handle: BinaryIO) -> bool:
    """Whether the file behind `handle` is UTF-16 (by its first 4 KB); leaves it at 0."""
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    return utf16_encoding(head) is not None
