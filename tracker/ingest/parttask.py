"""What a cluster worker does with one partition: read, analyse and store it, once.

The analysis is ingest's own (tracker.ingest.pipeline.analyze_stream, the chunk function
`--workers` runs), and the posts go in with ingest's idempotent inserts. The partition's
posts and the rows saying its pieces are stored commit in one transaction, so a task that
Dask runs again (its worker died after the commit, or before it) stores nothing twice:
pieces already recorded are not read again, and a post already stored is skipped.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from dataclasses import dataclass, field

from tracker.config import Config
from tracker.errors import EmptyPostWarning, SourceError, SourceWarning
from tracker.extract.models import Post, RunCounts
from tracker.ingest.analyze import Analyzer
from tracker.ingest.partitions import Partition, Piece, read_piece
from tracker.ingest.pipeline import analyze_stream
from tracker.sources import display_name
from tracker.sources.datecheck import DateTally
from tracker.store.backfill import PieceDone
from tracker.store.database import Store


@dataclass
class PartResult:
    """What one partition read and stored, and what it has to say (failures are in
    `counts.failures`, warnings in `warnings`)."""

    counts: RunCounts = field(default_factory=RunCounts)
    warnings: list[SourceWarning] = field(default_factory=list)
    pieces_skipped: int = 0  # stored before, by an earlier try of this task
    # The date tallies of byte ranges: the driver says one summary per file.
    dates: list[DateTally] = field(default_factory=list)


# One Store per worker process and URL (its connection pool is thread-safe); one Analyzer
# per worker thread and configuration (jieba's dictionary and the models load once there).
_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()
_local = threading.local()


def _store(url: str) -> Store:
    with _stores_lock:
        if url not in _stores:
            _stores[url] = Store(url)
        return _stores[url]


def _analyzer(cfg: Config) -> Analyzer:
    key = hashlib.sha256(pickle.dumps(cfg)).hexdigest()
    cached: dict[str, Analyzer] = getattr(_local, "analyzers", {})
    if key not in cached:
        analyzer = Analyzer(cfg)
        analyzer.warm_up()
        cached = {key: analyzer}  # a worker serves one backfill at a time: keep one
        _local.analyzers = cached
    return cached[key]


def _is_done(piece: Piece, done: dict[tuple[str, int, int], PieceDone]) -> bool:
    row = done.get(piece.key)
    return row is not None and (row.size, row.mtime_ns) == (piece.size, piece.mtime_ns)


def run_partition(part: Partition, cfg: Config, url: str, run_id: int) -> PartResult:
    """Read, analyse and store `part`'s pieces not stored yet; the task Dask runs."""
    store = _store(url)
    result = PartResult()
    counts = result.counts
    done = store.stored_pieces(p.path for p in part.pieces)
    analyzer = _analyzer(cfg)
    batch: list[Post] = []
    finished: list[PieceDone] = []
    for piece in part.pieces:
        if _is_done(piece, done):
            row = done[piece.key]
            # Its earlier try committed and then lost its worker: say what it stored.
            counts.posts_seen += row.posts_read
            counts.posts_added += row.posts_added
            counts.mentions_added += row.mentions_added
            # ... and what it had to say, so the summary and the exit code are the first try's.
            counts.failures.extend(row.failures)
            result.warnings.extend(row.warnings)
            counts.warnings += row.warnings_counted
            counts.empty_posts += row.empty_posts
            # ... and how its posts were dated, for the summary's lines per file.
            counts.add_dated(row.dated)
            if row.tally is not None:
                result.dates.append(DateTally.restored(display_name(piece.path), cfg.input,
                                                       row.tally))
            result.pieces_skipped += 1
            continue
        read = 0
        own = RunCounts()  # this piece's dating, kept in its row
        whole_file_failed = False
        failures: list[SourceError] = []
        warnings: list[SourceWarning] = []
        empty = 0
        tally = DateTally(display_name(piece.path), cfg.input)
        if piece.split:
            result.dates.append(tally)
        for outcome in analyze_stream(read_piece(piece, cfg, tally), cfg, lambda: analyzer):
            if isinstance(outcome, SourceWarning):
                empty += isinstance(outcome, EmptyPostWarning)
                warnings.append(outcome)
            elif isinstance(outcome, SourceError):
                failures.append(outcome)
                whole_file_failed |= outcome.line is None
            elif isinstance(outcome, Post):
                read += 1
                counts.posts_seen += 1
                own.count_date(outcome)
                batch.append(outcome)
        counts.add_dated(own.dated)
        counts.failures.extend(failures)
        counts.warnings += len(warnings)
        counts.empty_posts += empty
        result.warnings.extend(warnings)
        # A file that could not be read at all is not recorded: the next run tries it again.
        if not whole_file_failed:
            finished.append(PieceDone(piece.path, piece.start, piece.stop, piece.size,
                                      piece.mtime_ns, read, 0, 0, run_id, failures=failures,
                                      warnings=warnings, warnings_counted=len(warnings),
                                      empty_posts=empty, dated=own.dated,
                                      tally=tally.state() if piece.split else None))

    def reject(err: SourceError) -> None:
        # A record the database refused is the partition's failure, kept on its first piece
        # (as what it added is): the pieces' rows are written after the refusals.
        counts.failures.append(err)
        if finished:
            finished[0].failures.append(err)

    added, mentioned = store.add_part(batch, finished, run_id, on_reject=reject)
    counts.posts_added += added
    counts.mentions_added += mentioned
    return result
