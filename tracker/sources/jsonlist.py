"""A `.json` file read: a top-level list streamed record by record, any other shape whole.

A list in a file that is UTF-8 throughout is read in 1 MB pieces of text, one record at a
time (`json.JSONDecoder.raw_decode`, the json module's own parser, where the piece holds it),
so memory holds a record, not the file: 100 MB of posts were parsed whole into 730 MB. A
record that is not valid JSON costs that record when the list's structure still says where
the next one starts (its brackets and quotes balance up to a comma at the list's level); else
(a quote or bracket missing, the file cut short, no comma between two records, text after
the list) the file is not read at all, as before: the file is read once to check that, and
once more for its posts, so that no record before such a break is stored from a file that
is then left unread.

Any other `.json` (one object, an API dump wrapping its list, JSON Lines named `.json`, a
file in another encoding, which takes all of it to tell) is read whole, as before.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources.decode import decode_file
from tracker.sources.files import read_streamed
from tracker.sources.jsonl import read_jsonl
from tracker.sources.records import (
    JSON_DECODER,
    TOO_DEEP,
    UnreadableFile,
    invalid_json,
    looks_like_json_lines,
    read_json,
    records_to_posts,
)
from tracker.sources.slices import read_at, utf8_head

if TYPE_CHECKING:
    from tracker.config import InputConfig

_PIECE = 1 << 20  # characters read at a time
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's white space, no other
# Where the scan of a record that is not JSON looks next: a string's start, a bracket, or a
# comma; and inside a string, how far it runs (an escaped character, quote included, in it).
_STRUCTURE = re.compile(r'["\[\]{},]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S)
_OPENING = {"]": "[", "}": "{"}
# How near the end of the text read so far a parse may fail for want of the rest: a literal
# or number cut there (`-Infinit`) fails where it starts.
_NEAR_END = 16
_NOT_READ = "no record of the file was read"
_LOST = ("where the records after it start cannot be told (a quote or bracket missing, or "
         f"the file cut short), so {_NOT_READ}")


class _Broken(Exception):
    """The list's structure is lost: the file is not read (`error` says where and why, and
    what it costs; `problem` only where and why)."""

    def __init__(self, source: str, problem: str, line: int, cost: str = _NOT_READ) -> None:
        self.error = UnreadableFile(source, f"{problem}; {cost}", line)
        self.problem = problem
        super().__init__(str(self.error))


class _Text:
    """The first `size` bytes of a UTF-8 file decoded piece by piece: `text[pos:]` is what
    is not consumed yet. Raises UnicodeDecodeError where the bytes are not UTF-8."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.size = size
        self.offset = 0  # bytes read
        # A byte-order mark dropped, as decode_file drops it. An incremental decoder over
        # byte pieces: 2.5 times as fast as a TextIOWrapper's read of as many characters.
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.lines = 0  # newlines before text[0]
        self.eof = False

    def more(self) -> bool:
        """Drop what is consumed and read the next piece; False at the end of the file. A
        record longer than a piece doubles what is read, so it is parsed a few times, not
        once per megabyte."""
        if self.eof:
            return False
        want = min(max(_PIECE, len(self.text) - self.pos), self.size - self.offset)
        block = read_at(self.handle, self.offset, want) if want > 0 else b""
        self.offset += len(block)
        piece = self.decoder.decode(block, final=not block)
        if not piece:
            if block:
                return self.more()  # a piece of a character: read on
            self.eof = True
            return False  # the text and its positions left as they were
        if self.pos:
            self.lines += self.text.count("\n", 0, self.pos)
            self.text = self.text[self.pos:]
            self.pos = 0
        self.text += piece
        return True

    def next_char(self) -> str:
        """The character after JSON white space (consumed), "" at the end of the file."""
        while True:
            match = _SPACE.match(self.text, self.pos)
            assert match is not None  # `*` matches the empty string
            self.pos = match.end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def line(self, index: int | None = None) -> int:
        """The file's line number at `index` of `text` (default: `pos`)."""
        return self.lines + self.text.count("\n", 0, self.pos if index is None else index) + 1


def read_json_text(text: str, source: str, fields: InputConfig, mtime: float | None
                   ) -> Iterator[RawPost | SourceError]:
    """A whole `.json` file's decoded text: JSON Lines (with a warning to rename it), or one
    JSON document, parsed at once."""
    if looks_like_json_lines(text):
        yield SourceWarning(source, "one JSON object per line, read as JSON Lines; name the "
                            "file .jsonl (then a refresh reads only its new lines)")
        yield from read_jsonl(text, source, fields, mtime)
    else:
        yield from read_json(text, source, fields, mtime)


def json_posts(handle: BinaryIO, size: int, source: str, fields: InputConfig,
               mtime: float | None) -> Iterator[RawPost | SourceError]:
    """The posts of the `.json` file open as `handle`, read no further than its first
    `size` bytes: a list in UTF-8 streamed, any other file whole. Raises SourceError when
    it is no text, or changes under the reading so that it is no longer UTF-8."""
    first = _first_reading(handle, size, source) if utf8_head(handle, size) else _WHOLE
    if first is _BLANK:
        return  # no records, as an empty .jsonl or .csv file
    if isinstance(first, SourceError):
        yield first  # the list's structure breaks there: no record is read
    elif first is None:
        records = _records(_Text(handle, size), source)
        yield from records_to_posts(_recoded(records, source), source, fields, mtime)
    else:
        decoded = decode_file(read_at(handle, 0, size), source)
        if decoded.note is not None:
            yield SourceWarning(source, decoded.note)
        yield from read_json_text(decoded.text, source, fields, mtime)


def read_json_file(path: Path, source: str, fields: InputConfig
                   ) -> Iterator[RawPost | SourceError]:
    """The posts of a `.json` file (`json_posts`), or errors naming it."""
    return read_streamed(path, source, lambda handle, st: json_posts(
        handle, st.st_size, source, fields, st.st_mtime), "records")


# What the first reading found besides a list whose structure is whole (None) or broken (the
# error saying where): a file to read whole, or one of JSON white space only.
_WHOLE, _BLANK = object(), object()


def _first_reading(handle: BinaryIO, size: int, source: str
                   ) -> object | UnreadableFile | None:
    """Whether the file is a list in UTF-8 whose structure is whole (None), one whose
    structure breaks (the error that says where), blank (_BLANK), or another file (_WHOLE):
    one pass, which reads the records and keeps none."""
    text = _Text(handle, size)
    try:
        first = text.next_char()
        if first != "[":
            return _BLANK if first == "" else _WHOLE
        try:
            for _item in _records(text, source):
                pass
        except _Broken as broken:
            while text.more():  # the rest must be UTF-8 too, or the file is read whole
                text.pos = len(text.text)
            return broken.error
    except UnicodeDecodeError:
        return _WHOLE  # read whole, as decode_file reads a file in another encoding
    return None


def _recoded(records: Iterator[tuple[int, Any] | SourceError], source: str
             ) -> Iterator[tuple[int, Any] | SourceError]:
    """`records` of the second reading, which the file may no longer support: a break found
    now (it changed since the first) is said where it is found, and bytes no longer UTF-8
    end the reading with an error. The records before the break were given already (ingest
    stores them): the error does not say that no record was read."""
    try:
        yield from records
    except _Broken as broken:
        yield UnreadableFile(source, f"changed while it was read ({broken.problem}); read it "
                             "again once it is written", broken.error.line)
    except UnicodeDecodeError:
        raise SourceError(source, "changed while it was read, and is no longer UTF-8; read "
                          "it again once it is written") from None


def _records(text: _Text, source: str) -> Iterator[tuple[int, Any] | SourceError]:
    """The records of the list `text` opens (numbered from 1, as a list's records are),
    each bad one as the error that costs it; raises _Broken where the structure is lost."""
    text.next_char()
    text.pos += 1  # the list's "["
    number = 0
    after = text.next_char()
    while after != "]":
        number += 1
        parsed = _value(text)
        if isinstance(parsed, tuple):
            yield number, parsed[0]
            after = _separator(text, source, number)
        else:
            # Skipped first: where the structure is lost there (_Broken), the file's error
            # alone is said, not this record's too.
            after = _skip(text, source, number, parsed)
            yield SourceError(source, f"{parsed.message} in record {number:,}, which is "
                              "skipped", parsed.line)
        if after == ",":
            if text.next_char() == "]":
                yield SourceWarning(source, f"a comma after the list's last record (record "
                                    f"{number:,}), which JSON does not allow; read as if "
                                    "it were not there", text.line())
                after = "]"
    text.pos += 1  # the list's "]"
    if text.next_char() != "":
        raise _Broken(source, "invalid JSON: Extra data after the list's end", text.line())


class _Bad:
    """Why one record could not be parsed, and the line where it shows."""

    def __init__(self, message: str, line: int) -> None:
        self.message = message
        self.line = line


def _value(text: _Text) -> tuple[Any] | _Bad:
    """The record at `text.pos` parsed (consumed), or why it is not JSON (`pos` left at its
    start). A parse that fails, or ends, where the text read so far ends is tried again
    with more of it."""
    while True:
        try:
            value, end = JSON_DECODER.raw_decode(text.text, text.pos)
        except json.JSONDecodeError as exc:
            cut = exc.msg.startswith("Unterminated string") or \
                exc.pos >= len(text.text) - _NEAR_END
            if cut and text.more():
                continue
            return _Bad(invalid_json(exc), text.line(exc.pos))
        except RecursionError:
            return _Bad(TOO_DEEP, text.line())
        if end >= len(text.text) - _NEAR_END and text.more():
            continue  # a number may go on in the next piece: parsed again
        text.pos = end
        return (value,)


def _separator(text: _Text, source: str, number: int) -> str:
    """What follows record `number`: "," or "]" (not consumed past the comma); else the
    list's structure is lost."""
    after = text.next_char()
    if after == ",":
        text.pos += 1
        return ","
    if after == "]":
        return "]"
    problem = ("the file ends before the list is closed (cut short?)" if after == "" else
               "Expecting ',' delimiter")
    raise _Broken(source, f"invalid JSON after record {number:,}: {problem}", text.line())


def _skip(text: _Text, source: str, number: int, bad: _Bad) -> str:
    """Past the record at `text.pos`, which is not JSON, to the comma that ends it (","),
    or to the "]" that closes the list (left for the caller); raises _Broken when its
    brackets and quotes do not balance before one. The record is not kept: memory holds a
    piece, however long it runs."""
    opened: list[str] = []
    in_string = False
    while True:
        if in_string:
            end = _STRING_REST.match(text.text, text.pos)
            assert end is not None  # `*` matches the empty string
            text.pos = end.end()
            if text.pos < len(text.text) and text.text[text.pos] == '"':
                text.pos += 1
                in_string = False
                continue
            # The text read so far ends in the string (or in an escape): read on.
        else:
            found = _STRUCTURE.search(text.text, text.pos)
            if found is not None:
                char = found.group()
                text.pos = found.end()
                if char == '"':
                    in_string = True
                elif char in "[{":
                    opened.append(char)
                elif char == "," and not opened:
                    return ","
                elif char in "]}":
                    if not opened and char == "]":
                        text.pos -= 1
                        return "]"
                    if not opened or opened.pop() != _OPENING[char]:
                        break  # a bracket closing one it did not open
                continue
            text.pos = len(text.text)
        if not text.more():
            break
    raise _Broken(source, f"{bad.message} in record {number:,}", bad.line, _LOST)
