"""Parse and score posts in worker processes, in order, with a bounded number in flight.

Each worker builds one Analyzer when it starts (jieba's dictionary, lexicons and scorer
models load once per worker, never per post) and parses chunks of raw posts; the main
process reads files and stores. Results come back in input order, so a run with N workers
stores exactly what a run with one stores, in the same order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from .analyze import Analyzer
from .config import Config
from .errors import SourceError, TrackerError
from .models import Post, RawPost

CHUNK_SIZE = 50  # raw posts per task: big enough to amortise pickling, small for balance
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker: keeps workers busy, memory bounded

Outcome = Post | SourceError | None
AnalyzeOne = Callable[[Analyzer, RawPost], Outcome]
Pending = deque[Future[list[Outcome]] | list[Outcome]]

_worker_analyzer: Analyzer | None = None
_worker_analyze: AnalyzeOne | None = None


class WorkerError(TrackerError):
    """A worker process died (killed, or out of memory); what was stored before stays."""


def _init_worker(cfg: Config, analyze_one: AnalyzeOne) -> None:
    global _worker_analyzer, _worker_analyze
    _worker_analyzer = Analyzer(cfg)
    _worker_analyze = analyze_one
    _worker_analyzer.warm_up()


def _run_chunk(chunk: list[RawPost]) -> list[Outcome]:
    assert _worker_analyzer is not None and _worker_analyze is not None
    return [_worker_analyze(_worker_analyzer, raw) for raw in chunk]


def analyze_parallel(
    items: Iterable[RawPost | SourceError], cfg: Config, workers: int,
    analyze_one: AnalyzeOne, *, chunk_size: int = CHUNK_SIZE,
) -> Iterator[Outcome]:
    """`analyze_one` over each raw post in `workers` processes; errors pass through in place.

    At most `workers * IN_FLIGHT_PER_WORKER` chunks are queued at once, so memory stays flat
    however large the input is.
    """
    limit = workers * IN_FLIGHT_PER_WORKER
    pending: Pending = deque()
    source = iter(items)
    exhausted = False
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(cfg, analyze_one)) as pool:
        try:
            while True:
                while not exhausted and len(pending) < limit:
                    exhausted = not _submit(pool, source, pending, chunk_size)
                if not pending:
                    break
                head = pending.popleft()
                try:
                    yield from head if isinstance(head, list) else head.result()
                except BrokenProcessPool as exc:
                    raise WorkerError(
                        f"a worker process died ({exc}); the batches stored so far are kept: "
                        "run again, perhaps with fewer --workers") from exc
        finally:
            for item in pending:
                if isinstance(item, Future):
                    item.cancel()


def _submit(pool: ProcessPoolExecutor, source: Iterator[RawPost | SourceError],
            pending: Pending, size: int) -> bool:
    """Queue the next chunk; read errors keep their place. False once `source` is empty."""
    chunk: list[RawPost] = []
    seen = 0
    for item in islice(source, size):
        seen += 1
        if isinstance(item, SourceError):
            if chunk:
                pending.append(pool.submit(_run_chunk, chunk))
                chunk = []
            pending.append([item])
        else:
            chunk.append(item)
    if chunk:
        pending.append(pool.submit(_run_chunk, chunk))
    return seen > 0
