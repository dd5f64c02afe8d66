"""A file's analysed posts, kept on disk until refresh commits the file whole.

`refresh` stores a file other than JSON Lines in one transaction with its read state, once
it is read to its end: an edited file's posts are replaced at once, and a file that fails
half-way is read again next run with nothing of it stored. Holding its analysed posts in
memory until then took 535 MB for a 100,000-row CSV; a spool holds them, a batch at a time,
in an unnamed temporary file, and gives them back in order when the file is committed. The
file has no name, so it goes with the process however that ends.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import IO

from tracker.store.upsert import PostRows


class PostSpool:
    """Batches of posts written to a temporary file and read back in order, as often as
    asked. Once the disk refuses a batch, `add` says False and keeps nothing more (one
    failed write, not one per post): the caller holds the rest, `refused` says why."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self.refused: Exception | None = None
        self._spans: list[tuple[int, int]] = []  # (offset, length) of each batch's pickle
        self._size = 0  # bytes of whole batches; a failed write's tail past it is ignored

    def add(self, batch: list[PostRows]) -> bool:
        """Write `batch` after the others; False, and nothing kept, if it cannot be written."""
        if self.refused is not None:
            return False
        try:
            # Workers already pickle posts; should one still not pickle, it stays in memory.
            data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            if self._file is None:
                # Unbuffered: a full disk fails this call, not a later flush or read.
                self._file = tempfile.TemporaryFile(prefix="tracker-refresh-", buffering=0)
            self._file.seek(self._size)
            view, done = memoryview(data), 0
            while done < len(data):
                wrote = self._file.write(view[done:])
                if not wrote:
                    raise OSError(f"could not write to {self._file.name}")
                done += wrote
        except Exception as exc:  # a full or unwritable temporary folder, most likely
            self.refused = exc
            return False
        self._spans.append((self._size, len(data)))
        self._size += len(data)
        return True

    def __iter__(self) -> Iterator[list[PostRows]]:
        """The batches in the order they were added, one in memory at a time."""
        for offset, length in self._spans:
            assert self._file is not None
            self._file.seek(offset)
            data = bytearray()
            while len(data) < length:
                chunk = self._file.read(length - len(data))
                if not chunk:
                    raise OSError(f"temporary spool file cut short at byte {offset + len(data)}")
                data += chunk
            batch: list[PostRows] = pickle.loads(data)
            yield batch

    def close(self) -> None:
        """Let the temporary file go."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._spans, self._size = [], 0
