"""A backfill spread over a Dask cluster, into one PostgreSQL database.

The paths are cut into partitions (tracker.ingest.partitions), each a Dask task that reads,
analyses and stores its pieces (tracker.ingest.parttask). Pieces stored by an earlier,
interrupted backfill are left out of the plan, so a killed backfill resumes where it
stopped; a task whose worker dies is run again by Dask on another worker, and stores
nothing twice. When every task is done, reposted passages are handed to their earliest post
in read order (tracker.store.backfill.settle_repeats), so the database holds what one
`tracker ingest` of the same paths would have stored.

dask.distributed is an optional dependency (pip install 'tracker[cluster]'); it is imported
only here, and only when a backfill runs.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from tracker.config import Config
from tracker.errors import OptionsError, SourceError, SourceWarning, TrackerError
from tracker.extract.models import RunCounts
from tracker.ingest.partitions import (
    PART_BYTES,
    Partition,
    group_pieces,
    merge_tallies,
    plan_pieces,
)
from tracker.ingest.parttask import PartResult, run_partition
from tracker.ingest.problems import problem_sink
from tracker.sources import display_name
from tracker.sources.datecheck import DateTally
from tracker.store.backfill import settle_repeats
from tracker.store.database import Store
from tracker.store.url import shown_url

log = logging.getLogger(__name__)

# Runs of a task that raised (a lost database connection, say) before it counts as failed.
# A task whose worker died is run again by Dask on its own, up to its
# distributed.scheduler.allowed-failures (3 by default).
RETRIES = 2
_LOCAL = re.compile(r"local:(\d+)")
INSTALL_HINT = "pip install 'tracker[cluster]'"


class ClusterError(TrackerError):
    """The Dask cluster cannot be used: not installed, not reachable."""


@dataclass(frozen=True)
class BackfillPlan:
    """What a backfill is about to do, told before its tasks run (for a progress display)."""

    partitions: int
    pieces: int
    pieces_stored_before: int
    dashboard: str | None


def require_server_database(url: str) -> None:
    """Raise OptionsError unless `url` is a PostgreSQL database (every worker writes to it)."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise OptionsError(f"{url}: not a database URL ({exc})") from exc
    if backend != "postgresql":
        raise OptionsError(
            f"--cluster needs a PostgreSQL database that every worker can reach, not {backend} "
            f"({shown_url(url)}); pass --db postgresql+psycopg://USER@HOST/DB or set "
            "[database] url")


def check_cluster(spec: str | Any) -> None:
    """Raise OptionsError unless `spec` is local:N (N >= 1), a scheduler address or a client."""
    if not isinstance(spec, str):
        return
    local = _LOCAL.fullmatch(spec)
    if local is not None and int(local.group(1)) < 1:
        raise OptionsError(f"--cluster {spec}: a local cluster needs at least 1 worker")
    if local is None and "://" not in spec:
        raise OptionsError(f"--cluster {spec}: give a scheduler address (tcp://HOST:8786) "
                           "or local:N")


def _distributed() -> Any:
    try:
        import distributed
    except ModuleNotFoundError as exc:
        raise ClusterError(f"--cluster needs dask.distributed, which is not installed; "
                           f"install it with {INSTALL_HINT}") from exc
    return distributed


def quiet_dask_logs() -> None:
    """Keep dask.distributed's own logging to errors: on import it sets its loggers to INFO,
    and a local cluster's scheduler runs in this process, so a command line would otherwise
    print every worker's start and stop."""
    distributed = _distributed()
    logging.getLogger(distributed.__name__).setLevel(logging.ERROR)


@contextmanager
def connect(spec: str | Any) -> Iterator[Any]:
    """A Dask client for `spec`: "local:N" starts a LocalCluster of N worker processes (one
    thread each) on this machine; another string is a scheduler address (tcp://HOST:8786);
    a distributed.Client is used as it is, and left open."""
    if not isinstance(spec, str):
        yield spec
        return
    check_cluster(spec)
    distributed = _distributed()
    local = _LOCAL.fullmatch(spec)
    if local is not None:
        workers = int(local.group(1))
        # The dashboard on a free port: two backfills (or tests) at once do not collide.
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=":0",
                                      silence_logs=logging.ERROR) as cluster, \
                distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(spec, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"{spec}: cannot reach the Dask scheduler ({exc}); is "
                           "`dask scheduler` running there, and the port open?") from exc
    with client:
        yield client


def _dashboard(client: Any) -> str | None:
    try:
        link = client.dashboard_link
    except Exception:  # no dashboard served (bokeh missing where the scheduler runs)
        return None
    return str(link) if link else None


def _merge(total: RunCounts, part: RunCounts) -> None:
    """Add a partition's counts to the run's; its failures and warnings are told apart."""
    total.posts_seen += part.posts_seen
    total.posts_added += part.posts_added
    total.mentions_added += part.mentions_added
    total.empty_posts += part.empty_posts
    total.failures.extend(part.failures)
    total.add_dated(part.dated)


def read_order(paths: Iterable[str]) -> Callable[[str, int | None, str], tuple[int, int, str]]:
    """The order `tracker ingest` reads posts in: by file (in `paths`' order), then line.
    A post id breaks ties between posts of one file that have no line."""
    rank: dict[str, int] = {}
    for path in paths:
        rank.setdefault(display_name(path), len(rank))

    def order(source: str, line: int | None, post_id: str) -> tuple[int, int, str]:
        return (rank.get(source, len(rank)), -1 if line is None else line, post_id)

    return order


def backfill(
    paths: Iterable[str | Path], cfg: Config, cluster: str | Any, *,
    part_bytes: int = PART_BYTES,
    on_failure: Callable[[SourceError], None] | None = None,
    on_warning: Callable[[SourceWarning], None] | None = None,
    on_plan: Callable[[BackfillPlan, Any, list[Any]], None] | None = None,
) -> RunCounts:
    """Read, analyse and store every post under `paths` on the Dask cluster `cluster`
    ("local:N", a scheduler address, or a distributed.Client) into the PostgreSQL database
    `cfg.db_url`.

    Like ingest it goes on past bad input, and storing the same posts again adds nothing.
    `on_plan(plan, client, futures)` is called once the tasks are submitted (a caller can
    show Dask's progress bar over `futures`); it may block until they finish.
    """
    check_cluster(cluster)
    require_server_database(cfg.db_url)
    _distributed()  # not installed: say so before any work
    result = RunCounts()

    fail = problem_sink(result, on_failure, on_warning)

    pieces, errors = plan_pieces(paths, part_bytes)
    for err in errors:
        fail(err)
    files = list(dict.fromkeys(p.path for p in pieces))
    result.files_seen = len(files)
    store = Store(cfg.db_url)  # creates or upgrades the schema before any worker opens it
    try:
        stored = store.stored_pieces(files)
        # A piece is stored when a row has its range of the same version of its file.
        before = {p.key: row.run_id for p in pieces if (row := stored.get(p.key)) is not None
                  and (row.size, row.mtime_ns) == (p.size, p.mtime_ns)}
        todo = [p for p in pieces if p.key not in before]
        parts = group_pieces(todo, part_bytes)
        # A SIGTERM or Ctrl-C to the client is recorded as a plain ingest's is (`stopped` in
        # `status`, with what the finished parts stored); its row was left without an end.
        with store.recorded_run("backfill", result) as run_id:
            plan = BackfillPlan(len(parts), len(pieces), len(pieces) - len(todo), None)
            if parts:
                with connect(cluster) as client:
                    plan = replace(plan, dashboard=_dashboard(client))
                    _run(client, parts, cfg, run_id, fail, result, on_plan, plan)
            elif on_plan is not None:
                on_plan(plan, None, [])  # all stored before: no cluster to start
            # This backfill is this run and the runs that stored the pieces it skipped (the
            # same versions of the same files): a backfill resumed any number of times.
            runs = {run_id} | {r for r in before.values() if r is not None}
            with store.engine.begin() as conn:
                moved = settle_repeats(conn, runs, read_order(files))
            log.info("backfill: %d reposted passages handed to their first post in read "
                     "order", moved)
    finally:
        store.close()
    return result


def _run(client: Any, parts: list[Partition], cfg: Config, run_id: int,
         fail: Callable[[SourceError], None], result: RunCounts,
         on_plan: Callable[[BackfillPlan, Any, list[Any]], None] | None,
         plan: BackfillPlan) -> None:
    distributed = _distributed()
    # Sent once, not with every task; under a key of its own (hash=False): scattered by
    # content, an equal config of a backfill resumed on the same cluster took the key the
    # stopped one was still releasing, and the new tasks were cancelled for "lost
    # dependencies" (dask/distributed#4612; test_an_interrupted_backfill_resumes...).
    shared_cfg = client.scatter(cfg, broadcast=True, hash=False)
    # Dask takes a task whose key it already holds for that task: keyed by the run's id
    # alone, a backfill into another database (whose runs count from 1 too) sharing the
    # cluster could be given the other's results for its own parts, and a backfill resumed
    # right after a stopped one met keys still being released. A token of the run's own
    # makes each key one task's.
    token = secrets.token_hex(4)
    futures = [client.submit(run_partition, part, shared_cfg, cfg.db_url, run_id,
                             key=f"tracker-backfill-{run_id}-{token}-{part.index}",
                             retries=RETRIES, pure=False)
               for part in parts]
    by_key = {f.key: part for f, part in zip(futures, parts, strict=True)}
    if on_plan is not None:
        on_plan(plan, client, futures)
    tallies: list[DateTally] = []
    for future in distributed.as_completed(futures):
        part = by_key[future.key]
        try:
            # result() rather than the status: a finished part whose worker then dies is
            # "lost" for a moment and computed again, and result() waits for that; only the
            # task's own error, or Dask's after RETRIES (KilledWorker), comes out as one.
            outcome: PartResult = future.result()
        except (Exception, asyncio.CancelledError) as exc:
            for piece in part.pieces:
                where = f"bytes {piece.start:,}-{piece.stop:,} " if piece.split else ""
                fail(SourceError(display_name(piece.path),
                                 f"{where}not stored ({type(exc).__name__}: {exc}); run the "
                                 "backfill again to retry"))
        else:
            failures = outcome.counts.failures
            outcome.counts.failures = []
            _merge(result, outcome.counts)
            for warning in outcome.warnings:
                fail(warning)
            for err in failures:
                fail(err)
            tallies.extend(outcome.dates)
        future.release()
    for tally in merge_tallies(tallies):
        for summary in tally.summaries():
            fail(summary)
