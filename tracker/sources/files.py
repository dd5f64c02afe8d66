"""Open input files safely: regular files only (never a named pipe, device or socket, which
can block a read forever or never end), and read whole only up to the size they had."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tracker.errors import SourceError, SourceWarning

if TYPE_CHECKING:
    from tracker.extract.models import RawPost

_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder"))


class NotRegularFile(SourceWarning):
    """A source path that is not a regular file, directly or behind a symlink: skipped."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(source: str, mode: int) -> NotRegularFile:
    return NotRegularFile(source, f"not a regular file ({_kind(mode)}); skipped")


def open_regular(path: str | Path, source: str) -> BinaryIO:
    """`path` opened for binary reading, or NotRegularFile when it is not a regular file.

    Checked before opening (opening a FIFO waits for a writer) and again on the open file
    (O_NONBLOCK, so that a file swapped for a FIFO in between cannot block either); raises
    OSError as open() does.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _refuse(source, mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse(source, mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_or_error(path: str | Path, source: str) -> BinaryIO | SourceError:
    """`open_regular(path, source)`, or what stopped it as the SourceError a streaming
    reader yields in place of the file's records."""
    try:
        return open_regular(path, source)
    except SourceError as err:
        return err
    except OSError as exc:
        return SourceError.unreadable(source, exc)


# A streaming reader's work on its open file: the posts of `handle` (whose fstat is `st`)
# up to `st.st_size`, or the errors and warnings of its records.
StreamRead = Callable[[BinaryIO, os.stat_result], Iterator["RawPost | SourceError"]]


def read_streamed(path: str | Path, source: str, read: StreamRead, items: str | None = None
                  ) -> Iterator[RawPost | SourceError]:
    """`read(handle, st)` over regular file `path` opened, for the streamed readers (JSON
    Lines, CSV, a `.json` list), which each opened, stat'ed and closed their file and said
    why it could not be read in their own copy of these lines: an error naming the file
    where it cannot be opened, or a SourceError or OSError ends its reading. With `items`
    ("rows", "records"), a warning follows when the file changed while it was read.

    The file stays open while the posts are consumed, and closes when the generator ends.
    """
    handle = _open_or_error(path, source)
    if isinstance(handle, SourceError):
        yield handle
        return
    with handle:
        try:
            st = os.fstat(handle.fileno())
            yield from read(handle, st)
            if items is not None and (
                    changed := changed_while_read(handle, st, source, items)) is not None:
                yield changed
        except SourceError as err:
            yield err
        except OSError as exc:
            yield SourceError.unreadable(source, exc)


def read_regular(path: str | Path, source: str, limit: int | None = None
                 ) -> tuple[bytes, os.stat_result]:
    """The bytes of regular file `path`, no more than its size when opened, and its stat:
    a file still being written is read as it was, and read again when it has changed.

    A file of more than `limit` bytes is not read: SourceError.
    """
    with open_regular(path, source) as handle:
        st = os.fstat(handle.fileno())
        if limit is not None and st.st_size > limit:
            raise SourceError(source, f"file is {st.st_size:,} bytes, more than one post of "
                              "[input] max_post_chars can take; split it or raise the limit")
        return handle.read(st.st_size), st


def changed_while_read(handle: BinaryIO, before: os.stat_result, source: str, items: str
                       ) -> SourceWarning | None:
    """A warning when the file open as `handle` moved in size or time since `before` (its
    fstat when the reading began): streamed over a whole ingest, a file an exporter rewrites
    meanwhile is read part old, part new (read whole at the start, it was one or the other).
    `items` names what was read of it ("rows", "records")."""
    now = os.fstat(handle.fileno())
    if (now.st_size, now.st_mtime_ns) == (before.st_size, before.st_mtime_ns):
        return None
    return SourceWarning(source, f"changed while it was read (its size or time moved): the "
                         f"{items} read may mix two versions of it; read it again once it is "
                         "written")
