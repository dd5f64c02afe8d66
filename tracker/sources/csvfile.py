"""A CSV file read row by row: memory stays flat however many rows it has, as for JSON Lines.

A file that is UTF-8 throughout (with or without a byte-order mark) is streamed: one pass
checks that it decodes, then the rows are read from a second. Any other file (UTF-16, NUL
bytes near its start, a line in another encoding, a character cut at its end) is read
whole and decoded as before (sources/decode.py), since telling its encoding takes all of
it. Either way the file is read only up to the size it had when opened.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources.decode import decode_file
from tracker.sources.files import read_streamed
from tracker.sources.records import read_csv_lines
from tracker.sources.slices import read_at, text_of, utf8_text

if TYPE_CHECKING:
    from tracker.config import InputConfig


def csv_lines(handle: BinaryIO, size: int, source: str
              ) -> tuple[Callable[[], Iterator[str]] | None, str | None]:
    """How to read the first `size` bytes of the CSV file open as `handle`: a function
    giving its lines from the first (as `read_csv_lines` takes them; None for a file of
    blank lines only, which holds no rows), and a note when its encoding was a guess.
    Raises SourceError when it is no text."""
    stream, blank = utf8_text(handle, size)
    if not stream:
        decoded = decode_file(read_at(handle, 0, size), source)
        text = decoded.text
        return (None if not text.strip() else lambda: io.StringIO(text, newline="")), \
            decoded.note
    if blank:
        return None, None
    return lambda: text_of(handle, size), None


def read_csv_file(path: Path, source: str, fields: InputConfig
                  ) -> Iterator[RawPost | SourceError]:
    """The rows of a CSV file as raw posts, streamed when it is UTF-8 throughout."""

    def rows(handle: BinaryIO, st: os.stat_result) -> Iterator[RawPost | SourceError]:
        lines, note = csv_lines(handle, st.st_size, source)
        if note is not None:
            yield SourceWarning(source, note)
        if lines is not None:
            try:
                yield from read_csv_lines(lines, source, fields, st.st_mtime)
            except UnicodeDecodeError:
                # Rewritten between the pass that found it UTF-8 and this one.
                raise SourceError(source, "changed while it was read, and is no longer "
                                  "UTF-8; the rows after this point were not read: read it "
                                  "again") from None

    return read_streamed(path, source, rows, "rows")
