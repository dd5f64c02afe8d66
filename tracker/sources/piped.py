"""What is piped on stdin (`tracker ingest -`), taken so that a JSON list of records can be
streamed record by record, as a `.json` file is.

A list was read whole into memory, decoded and parsed at once (`tracker ingest - <
big.json` held the file's text and every record parsed, where the same file named on the
command line is streamed). Now its bytes are kept as they come, past their first 8 MB in an
unnamed temporary file (stdin itself is read in place when it is a regular file not yet
read into, `< big.json`), for `jsonlist.json_posts` to read as it reads a file: once to
check its structure, once for its posts. Any other input (JSON Lines, one object, a text
post, a list of values, UTF-16) is read whole, as before.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO

from tracker.errors import SourceError
from tracker.sources.slices import read_at

# The first bytes read to tell a list of records: a list opened after 64 KB of blank lines
# is read whole, as before.
_HEAD = 65536
# A list of records: "[" then "{", after a UTF-8 byte-order mark and JSON's white space.
_LIST_OF_RECORDS = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\[[ \t\r\n]*\{")
_COPY = 1 << 20
# How much of a piped list is held in memory before it goes to a temporary file.
IN_MEMORY = 8 << 20


@contextmanager
def piped_input(source: str) -> Iterator[tuple[BinaryIO, int] | bytes]:
    """What is piped on stdin: a list of records as (a file open on it, its size), to be
    streamed while the block runs; anything else as its bytes. Raises SourceError naming
    `source` when stdin is closed, or the list cannot be kept in the temporary folder."""
    if sys.stdin is None:
        # Closed (`<&-` in a crontab line, a daemon's start): it was a traceback.
        raise SourceError(source, "stdin is closed, so nothing was piped in; pipe the posts "
                          "(... | tracker ingest -) or name their files")
    stdin = sys.stdin.buffer
    regular = _regular_from_start(stdin)
    if regular is not None:
        with regular:
            size = os.fstat(regular.fileno()).st_size
            if _LIST_OF_RECORDS.match(read_at(regular, 0, _HEAD)):
                yield regular, size
            else:
                yield read_at(regular, 0, size)
        return
    head = stdin.read(_HEAD)
    if not _LIST_OF_RECORDS.match(head):
        yield head + stdin.read()
        return
    with _spooled(head, stdin, source) as spool:
        yield spool, spool.tell()


def _regular_from_start(stdin: IO[bytes]) -> BinaryIO | None:
    """stdin opened anew when it is a regular file not yet read into (`< big.json`), to be
    read in place; None for a pipe, a terminal, or a stream without a descriptor."""
    try:
        fd = stdin.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode) or os.lseek(fd, 0, os.SEEK_CUR) != 0:
            return None
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return None
    return os.fdopen(os.dup(fd), "rb")


@contextmanager
def _spooled(head: bytes, stdin: IO[bytes], source: str) -> Iterator[BinaryIO]:
    """`head` and the rest of stdin copied as they come: in memory up to IN_MEMORY bytes
    (a small list piped with a full temporary folder is read as before), past that to an
    unnamed temporary file (in TMPDIR), which goes with the process however it ends."""
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    with spool:
        try:
            spool.write(head)
            shutil.copyfileobj(stdin, spool, _COPY)
            spool.flush()
        except OSError as exc:
            raise _cannot_keep(source, exc) from exc
        yield spool  # type: ignore[misc]


def _cannot_keep(source: str, exc: OSError) -> SourceError:
    return SourceError(source, "the JSON list piped in could not be kept in the temporary "
                       f"folder {tempfile.gettempdir()} to be read record by record "
                       f"({exc.strerror or exc}); none of it was read: make room there, set "
                       "TMPDIR to a folder with room, or name the file rather than pipe it")
