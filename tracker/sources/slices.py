"""A file's first bytes read in place, as a stream, and whether they are UTF-8 text throughout:
what the streamed readers (CSV, a JSON list) need to read a file of any size in flat memory,
no further than the size it had when opened."""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO

from tracker.sources.decode import utf16_encoding

BLOCK = 1 << 16  # a read, and the buffer text is decoded from
_HEAD = 65536  # as decode_file: NUL bytes in the head mean UTF-16 or binary


def read_at(handle: BinaryIO, pos: int, size: int) -> bytes:
    """Up to `size` bytes of `handle` from byte `pos`, as os.pread (which Windows lacks)."""
    handle.seek(pos)
    return handle.read(size)


class Slice(io.RawIOBase):
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


def utf8_head(handle: BinaryIO, size: int) -> bool:
    """Whether the file of `size` bytes open as `handle` may be UTF-8 as decode_file reads
    it, by its first 64 KB: neither UTF-16 nor NUL bytes (binary, or UTF-16 without a
    byte-order mark)."""
    head = read_at(handle, 0, min(size, _HEAD))
    return utf16_encoding(head) is None and b"\x00" not in head


def utf8_text(handle: BinaryIO, size: int) -> tuple[bool, bool]:
    """(whether the file's first `size` bytes are UTF-8 text decode_file would read as
    UTF-8 as they are, whether that text is blank), in one pass of 64 KB blocks."""
    if not utf8_head(handle, size):
        return False, False
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    blank = True
    pos = 0
    try:
        while pos < size:
            block = read_at(handle, pos, min(BLOCK, size - pos))
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


def text_of(handle: BinaryIO, size: int) -> io.TextIOWrapper:
    """The first `size` bytes of `handle` as UTF-8 text (a byte-order mark dropped), read in
    blocks as it is consumed; for a file `utf8_text` found to be UTF-8 throughout."""
    raw = io.BufferedReader(Slice(handle, size), BLOCK)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
