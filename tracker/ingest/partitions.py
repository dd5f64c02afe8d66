"""A backfill's work, cut into partitions: whole files, and large JSON Lines files by byte range.

A piece is a whole file, or a run of whole lines of a JSON Lines file (it starts after a
newline and ends after one, or at the end of the file). Small files are grouped into one
partition until it holds about `part_bytes`, so a folder of pages is not a task per page.
Pieces are read with the same readers as `tracker ingest`, so a post read from a piece is
the post ingest reads, with the same file name and line number.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tracker.config import Config, InputConfig
from tracker.errors import SourceError
from tracker.extract.models import RawPost
from tracker.ingest.pipeline import check_size
from tracker.sources import display_name, find_paths, read_file
from tracker.sources.datecheck import DateTally
from tracker.sources.jsonl import read_lines

# About the bytes of one task: ~2,500 posts of 800 characters, a few seconds of one core's
# analysis. Small enough to spread a single file over many workers and to lose little to a
# killed worker; large enough that Dask's per-task cost (milliseconds) stays negligible.
PART_BYTES = 2 << 20
_NUL_PROBE = 65536  # as read_jsonl_file: a NUL in the head means UTF-16 or binary


@dataclass(frozen=True)
class Piece:
    """A whole file, or lines [start, stop) of a JSON Lines file, as found at planning."""

    path: str
    start: int
    stop: int  # the byte after the piece; for a whole file, its size
    newlines: int  # newlines before `start`, so line numbers stay the file's own
    size: int  # the file's size and modification time when planned: a file changed
    mtime_ns: int  # since is not read against the plan's boundaries
    split: bool  # a byte range of a JSON Lines file (else the whole file, as ingest reads it)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.path, self.start, self.stop)


@dataclass(frozen=True)
class Partition:
    """One task: pieces read, analysed and stored together, in one transaction."""

    index: int
    pieces: tuple[Piece, ...]

    @property
    def bytes(self) -> int:
        return sum(p.stop - p.start for p in self.pieces)


def _splittable(path: str, size: int, part_bytes: int) -> bool:
    if not path.lower().endswith(".jsonl") or size <= part_bytes:
        return False
    with open(path, "rb") as handle:
        return b"\x00" not in handle.read(_NUL_PROBE)


def split_jsonl(path: str, size: int, mtime_ns: int, part_bytes: int) -> list[Piece]:
    """Pieces of about `part_bytes` each, cut after a newline; one pass over the file
    (counting newlines, so each piece knows its first line number)."""
    pieces: list[Piece] = []
    start, newlines = 0, 0
    with open(path, "rb") as handle:
        while start < size:
            block = handle.read(part_bytes)
            if not block:
                break
            counted = block.count(b"\n")
            stop = start + len(block)
            if not block.endswith(b"\n"):
                rest = handle.readline()  # to the end of the line the cut fell in
                stop += len(rest)
                counted += rest.count(b"\n")
            pieces.append(Piece(path, start, stop, newlines, size, mtime_ns, True))
            start, newlines = stop, newlines + counted
    return pieces


def plan_pieces(paths: Iterable[str | Path], part_bytes: int = PART_BYTES
                ) -> tuple[list[Piece], list[SourceError]]:
    """Every piece under `paths`, in the order `tracker ingest` reads them, and an error for
    each path that cannot be read."""
    pieces: list[Piece] = []
    errors: list[SourceError] = []
    for item in find_paths(paths):
        if isinstance(item, SourceError):
            errors.append(item)
            continue
        if item == "-":
            errors.append(SourceError("-", "standard input cannot be spread over a cluster; "
                                      "save it to a file first"))
            continue
        try:
            st = os.stat(item)
            if _splittable(item, st.st_size, part_bytes):
                pieces.extend(split_jsonl(item, st.st_size, st.st_mtime_ns, part_bytes))
                continue
        except OSError as exc:
            errors.append(SourceError.unreadable(display_name(item), exc))
            continue
        pieces.append(Piece(item, 0, st.st_size, 0, st.st_size, st.st_mtime_ns, False))
    return pieces, errors


def group_pieces(pieces: Iterable[Piece], part_bytes: int = PART_BYTES) -> list[Partition]:
    """Consecutive pieces grouped into partitions of about `part_bytes` (at least one each)."""
    parts: list[Partition] = []
    group: list[Piece] = []
    held = 0
    for piece in pieces:
        group.append(piece)
        held += piece.stop - piece.start
        if held >= part_bytes:
            parts.append(Partition(len(parts), tuple(group)))
            group, held = [], 0
    if group:
        parts.append(Partition(len(parts), tuple(group)))
    return parts


def read_piece(piece: Piece, cfg: Config, dates: DateTally | None = None
               ) -> Iterator[RawPost | SourceError]:
    """The raw posts of `piece` (too-long ones as errors, as ingest reports them); an error
    if the file changed since the plan, whose boundaries then no longer fall on lines.

    A byte range's records are counted into `dates`, whose summary ("most records have no
    date") is the caller's to say once for the whole file (see merge_tallies); without
    `dates` the piece says its own.
    """
    source = display_name(piece.path)
    try:
        st = os.stat(piece.path)
    except OSError as exc:
        yield SourceError.unreadable(source, exc)
        return
    if (st.st_size, st.st_mtime_ns) != (piece.size, piece.mtime_ns):
        yield SourceError(source, "changed while the backfill ran; not stored: run the "
                          "backfill again to read its new version")
        return
    own = dates is None
    tally = DateTally(source, cfg.input) if dates is None else dates
    items = (_read_range(piece, source, cfg.input, st.st_mtime, tally) if piece.split
             else read_file(Path(piece.path), cfg.input))
    for item in items:
        yield check_size(item, cfg) if isinstance(item, RawPost) else item
    if own and piece.split:
        yield from tally.summaries()


def merge_tallies(tallies: Iterable[DateTally]) -> list[DateTally]:
    """One tally per file from its pieces' tallies, in first-seen order."""
    merged: dict[str, DateTally] = {}
    for tally in tallies:
        into = merged.get(tally.source)
        if into is None:
            into = merged[tally.source] = DateTally(tally.source, tally.fields)
        into.merge(tally)
    return list(merged.values())


def _read_range(piece: Piece, source: str, fields: InputConfig, mtime: float,
                dates: DateTally) -> Iterator[RawPost | SourceError]:
    try:
        with open(piece.path, "rb") as handle:
            for line in read_lines(handle, piece.start, piece.newlines, None, source, fields,
                                   mtime, dates):
                if line.item is not None:
                    yield line.item
                yield from line.warnings
                if line.end >= piece.stop:
                    break
    except OSError as exc:
        yield SourceError.unreadable(source, exc)
