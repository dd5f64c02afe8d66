"""A CSV file read row by row: memory stays flat however many rows it has, as for JSON Lines.

A file that is UTF-8 throughout (with or without a byte-order mark) is streamed: one pass
checks that it decodes, then the rows are read from a second. Any other file (UTF-16, NUL
bytes near its start, a line in another encoding, a character cut at its end) is read
whole and decoded as before (sources/decode.py), since telling its encoding takes all of
it. Either way the file is read only up to the size it had when opened.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources.decode import decode_file, utf16_encoding
from tracker.sources.files import open_or_error
from tracker.sources.records import read_csv_lines

if TYPE_CHECKING:
    from tracker.config import InputConfig

_BLOCK = 1 << 16  # a read, and the buffer rows are decoded from
_HEAD = 65536  # as decode_file: NUL bytes in the head mean UTF-16 or binary


def read_at(handle: BinaryIO, pos: int, size: int) -> bytes:
    """Up to `size` bytes of `handle` from byte `pos`, as os.pread (which Windows lacks)."""
    handle.seek(pos)
    return handle.read(size)


class _Slice(io.RawIOBase):
    """The first `size` bytes of an open file, each read at the slice's own position: the
    file can be read again from its start after an earlier slice (a CSV read again with
    another separator), and closing a slice leaves the file open."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.size = size
        self.pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), self.size - self.pos)
        if want <= 0:
            return 0
        data = read_at(self.handle, self.pos, want)
        buffer[:len(data)] = data
        self.pos += len(data)
        return len(data)


def _streamable(handle: BinaryIO, size: int) -> tuple[bool, bool]:
    """(whether the file's first `size` bytes are UTF-8 text decode_file would read as
    UTF-8 as they are, whether that text is blank), in one pass of 64 KB blocks."""
    head = read_at(handle, 0, min(size, _HEAD))
    if utf16_encoding(head) is not None or b"\x00" in head:
        return False, False
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    blank = True
    pos = 0
    try:
        while pos < size:
            block = read_at(handle, pos, min(_BLOCK, size - pos))
            if not block:
                break  # cut short since it was opened: read as far as it goes
            pos += len(block)
            if blank:
                blank = not decoder.decode(block).strip()
            else:
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, False
    return True, blank


def csv_lines(handle: BinaryIO, size: int, source: str
              ) -> tuple[Callable[[], Iterator[str]] | None, str | None]:
    """How to read the first `size` bytes of the CSV file open as `handle`: a function
    giving its lines from the first (as `read_csv_lines` takes them; None for a file of
    blank lines only, which holds no rows), and a note when its encoding was a guess.
    Raises SourceError when it is no text."""
    stream, blank = _streamable(handle, size)
    if not stream:
        decoded = decode_file(read_at(handle, 0, size), source)
        text = decoded.text
        return (None if not text.strip() else lambda: io.StringIO(text, newline="")), \
            decoded.note
    if blank:
        return None, None

    def lines() -> Iterator[str]:
        raw = io.BufferedReader(_Slice(handle, size), _BLOCK)
        return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    return lines, None


def read_csv_file(path: Path, source: str, fields: InputConfig
                  ) -> Iterator[RawPost | SourceError]:
    """The rows of a CSV file as raw posts, streamed when it is UTF-8 throughout."""
    handle = open_or_error(path, source)  # closed below, after the generator ends
    if isinstance(handle, SourceError):
        yield handle
        return
    with handle:
        try:
            st = os.fstat(handle.fileno())
            lines, note = csv_lines(handle, st.st_size, source)
            if note is not None:
                yield SourceWarning(source, note)
            if lines is not None:
                yield from read_csv_lines(lines, source, fields, st.st_mtime)
            now = os.fstat(handle.fileno())
            if (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                # Streamed over a whole ingest, a file an exporter rewrites meanwhile is read
                # part old, part new (read whole at the start, it was one or the other).
                yield SourceWarning(source, "changed while it was read (its size or time "
                                    "moved): the rows read may mix two versions of it; read "
                                    "it again once it is written")
        except SourceError as err:
            yield err
        except UnicodeDecodeError:
            # Rewritten between the pass that found it UTF-8 and this one.
            yield SourceError(source, "changed while it was read, and is no longer UTF-8; "
                              "the rows after this point were not read: read it again")
        except OSError as exc:
            yield SourceError.unreadable(source, exc)

