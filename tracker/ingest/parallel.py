"""Parse and score posts in worker processes, in order, with a bounded number in flight.

Each worker builds one Analyzer when it starts and parses chunks of raw posts (a chunk's
texts are scored together, as with one process); the main process reads files and stores.
Where workers are forked (Linux), the main process loads the universe, the name index, the
models and jieba's dictionary once before the pool starts and every worker inherits them;
elsewhere each worker loads its own, once, never per post. Results come back in input
order, so a run with N workers stores exactly what a run with one stores, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tracker.config import Config
from tracker.errors import SourceError, TrackerError
from tracker.extract.models import Post, RawPost
from tracker.ingest.analyze import Analyzer

# Raw posts per task (and per scoring batch with one process): big enough to amortise
# pickling and to score long runs of one language, small for balance and memory.
CHUNK_SIZE = 50
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker: keeps workers busy, memory bounded
PARENT_CHECK_SECONDS = 0.5
# Posts that make an Analyzer load what its first posts of either language would (the
# clause rules' name automaton, the language and genre models, the short names, jieba).
_WARM_POSTS = ("$NVDA beats, great quarter: Nvidia shares are up.",
               "$贵州茅台(SH600519)$ 业绩大涨，看多茅台。")

Outcome = Post | SourceError | None
AnalyzeChunk = Callable[[Analyzer, list[RawPost]], list[Outcome]]
Pending = deque[Future[list[Outcome]] | list[Outcome]]

_worker_analyzer: Analyzer | None = None
_worker_analyze: AnalyzeChunk | None = None


class WorkerError(TrackerError):
    """A worker process died (killed, or out of memory); what was stored before stays."""


def _watch_parent(parent: int) -> None:
    """End this worker once the process that started it is gone (killed with SIGKILL, say),
    rather than live on as an orphan holding its memory."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _init_worker(cfg: Config, analyze_chunk: AnalyzeChunk, parent: int) -> None:
    global _worker_analyzer, _worker_analyze
    # Ctrl-C reaches the whole process group: the main process stops the run, the workers
    # leave it to it. SIGTERM ends a worker at once, as by default.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _worker_analyzer = Analyzer(cfg)
    _worker_analyze = analyze_chunk
    _worker_analyzer.warm_up()


def load_before_fork(cfg: Config) -> bool:
    """Load in this process what each worker's Analyzer would load for itself, when the
    workers start as copies of this process (the "fork" start method, Linux's default);
    returns whether it did.

    Why: each worker loaded the universe, the name index and both languages' models on its
    own (0.4-0.5 s of CPU and its own copy of them), so two workers spent about a second
    of CPU that one worker does not; loaded here once, the forked workers find them loaded
    and share their pages with this process until they write to them. Under "spawn" or
    "forkserver" a worker inherits nothing, so nothing is loaded here.
    """
    if multiprocessing.get_start_method() != "fork":
        return False
    analyzer = Analyzer(cfg)
    analyzer.warm_up()
    analyzer.analyze_many(list(_WARM_POSTS))
    return True


def _run_chunk(chunk: list[RawPost]) -> list[Outcome]:
    assert _worker_analyzer is not None and _worker_analyze is not None
    return _worker_analyze(_worker_analyzer, chunk)


def split_chunks(items: Iterable[RawPost | SourceError], size: int = CHUNK_SIZE
                 ) -> Iterator[list[RawPost] | SourceError]:
    """Runs of up to `size` raw posts, in order; a read error comes out alone, in its place."""
    chunk: list[RawPost] = []
    for item in items:
        if isinstance(item, SourceError):
            if chunk:
                yield chunk
                chunk = []
            yield item
            continue
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyze_parallel(
    items: Iterable[RawPost | SourceError], cfg: Config, workers: int,
    analyze_chunk: AnalyzeChunk, *, chunk_size: int = CHUNK_SIZE,
) -> Iterator[Outcome]:
    """`analyze_chunk` over runs of raw posts in `workers` processes; errors pass through in
    place.

    At most `workers * IN_FLIGHT_PER_WORKER` chunks are queued at once, so memory stays flat
    however large the input is.
    """
    limit = workers * IN_FLIGHT_PER_WORKER
    load_before_fork(cfg)
    pending: Pending = deque()
    source = split_chunks(items, chunk_size)
    exhausted = False
    finished = False
    pool = ProcessPoolExecutor(workers, initializer=_init_worker,
                               initargs=(cfg, analyze_chunk, os.getpid()))
    try:
        while True:
            while not exhausted and len(pending) < limit:
                part = next(source, None)
                if part is None:
                    exhausted = True
                elif isinstance(part, SourceError):
                    pending.append([part])
                else:
                    pending.append(pool.submit(_run_chunk, part))
            if not pending:
                break
            head = pending.popleft()
            try:
                yield from head if isinstance(head, list) else head.result()
            except BrokenProcessPool as exc:
                raise WorkerError(
                    f"a worker process died ({exc}); the batches stored so far are kept: "
                    "run again, perhaps with fewer --workers") from exc
        finished = True
    finally:
        # A run stopped part way (SIGTERM, Ctrl-C, a store that failed) drops every queued
        # chunk, those whose Future it never got back included: a signal raised inside
        # submit() can leave a work item the pool holds but the caller has no Future for,
        # and shutdown() without cancel_futures waited for that item for ever, with the
        # workers idle (a stopped `ingest --workers 2` hung once so in a full test run).
        # Chunks already in a worker still finish, so the workers end cleanly.
        pool.shutdown(wait=True, cancel_futures=not finished)
