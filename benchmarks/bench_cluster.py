"""A Dask backfill's posts/s with N local workers against `ingest --workers N`, both into
PostgreSQL, and the rate PostgreSQL takes rows at (batched upserts, and COPY for scale).

Run from the repository root with a PostgreSQL server whose user may create databases:

    python benchmarks/bench_cluster.py --posts 4000 \\
        --pg postgresql+psycopg://postgres@127.0.0.1:5544/postgres

Every figure of one run is measured side by side; this machine is shared and its speed
drifts. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from corpus import write_corpus  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tracker.config import Config, load_config  # noqa: E402
from tracker.extract.models import Post  # noqa: E402
from tracker.ingest.analyze import Analyzer  # noqa: E402
from tracker.ingest.cluster import backfill  # noqa: E402
from tracker.ingest.pipeline import analyze_paths, ingest  # noqa: E402
from tracker.store.database import Store  # noqa: E402
from tracker.store.upsert import insert_posts, now  # noqa: E402
from tracker.store.upsert import post_rows as make_rows  # noqa: E402


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one measurement, dropped afterwards."""
    name = f"tracker_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _config(folder: Path, url: str) -> Config:
    path = folder / "config.toml"
    path.write_text(f'[database]\nurl = "{url}"\n[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


def _warm(cfg: Config) -> int:
    from tracker.ingest.parttask import _analyzer  # the worker's own cache

    _analyzer(cfg)
    return os.getpid()


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _worker_cpu(client: Any) -> float:
    return sum(client.run(_cpu).values())


def measure_workers(folder: Path, work: Path, admin: str, workers: int) -> tuple[float, float]:
    """(posts/s, CPU ms per post in all processes) of `ingest --workers N`."""
    with fresh_database(admin) as url:
        cfg = _config(work, url)
        Store(url).close()  # the schema, outside the timing
        store = Store(url)
        cpu = _cpu() + _cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        counts = ingest([folder], cfg, store, workers=workers)
        elapsed = time.perf_counter() - start
        # The pool's processes have ended and been waited for: their time is the children's.
        cpu = _cpu() + _cpu(resource.RUSAGE_CHILDREN) - cpu
        store.close()
    return counts.posts_seen / elapsed, 1000 * cpu / counts.posts_seen


def measure_dask(folder: Path, work: Path, admin: str, workers: int, part_bytes: int
                 ) -> tuple[float, float, float, float]:
    """(posts/s of the backfill on a started, warmed cluster; seconds to start and warm the
    cluster; posts/s counting that start; CPU ms per post in the driver, the scheduler
    and the workers, start left out)."""
    import distributed

    with fresh_database(admin) as url:
        cfg = _config(work, url)
        Store(url).close()
        start = time.perf_counter()
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as client:
            # As a task on each worker: the Analyzer is kept per task thread, which
            # client.run (the worker's event loop) is not.
            client.gather([client.submit(_warm, cfg, workers=[addr], pure=False)
                           for addr in client.scheduler_info()["workers"]])
            cpu = _cpu() + _worker_cpu(client)
            warmed = time.perf_counter()
            counts = backfill([folder], cfg, client, part_bytes=part_bytes)
            done = time.perf_counter()
            cpu = _cpu() + _worker_cpu(client) - cpu
    posts = counts.posts_seen
    return posts / (done - warmed), warmed - start, posts / (done - start), 1000 * cpu / posts


def _analysed(folder: Path, cfg: Config, limit: int) -> list[Post]:
    posts: list[Post] = []
    for item in analyze_paths([folder], cfg, Analyzer(cfg)):
        if isinstance(item, Post):
            posts.append(item)
            if len(posts) >= limit:
                break
    return posts


def measure_writes(posts: list[Post], admin: str, work: Path, batch: int
                   ) -> dict[str, float]:
    """Rows (posts + mentions) per second into PostgreSQL: ingest's batched upserts
    (insert_posts, one transaction per batch), then COPY of the same rows."""
    mentions = sum(len(p.mentions) for p in posts)
    rates: dict[str, float] = {}
    with fresh_database(admin) as url:
        store = Store(url)
        start = time.perf_counter()
        for i in range(0, len(posts), batch):
            with store.engine.begin() as conn:
                insert_posts(conn, posts[i:i + batch], None)
        rates["upsert"] = (len(posts) + mentions) / (time.perf_counter() - start)
        store.close()
    with fresh_database(admin) as url:
        store = Store(url)
        extra = {"ingested_at": now(), "run_id": None}
        made = [make_rows(p) for p in posts]
        post_rows = [{**m.row, **extra} for m in made]
        mention_rows = [row for m in made for row in m.mention_rows]
        raw = store.engine.raw_connection()
        start = time.perf_counter()
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            for table, rows in (("posts", post_rows), ("mentions", mention_rows)):
                cols = list(rows[0])
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in cols])
        raw.commit()
        rates["copy"] = (len(posts) + mentions) / (time.perf_counter() - start)
        raw.close()
        store.close()
    rates["mentions_per_post"] = mentions / len(posts)
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", required=True, help="PostgreSQL URL of a user who may "
                        "CREATE DATABASE")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--part-bytes", type=int, default=512 << 10,
                        help="partition size for the Dask runs (small: enough tasks for 4)")
    parser.add_argument("--write-posts", type=int, default=3000)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "tracker-bench")
    args = parser.parse_args(argv)

    folder = args.cache / f"corpus-{args.posts}-{args.seed}"
    if not (folder / ".bytes").exists():
        size = write_corpus(folder, args.posts, seed=args.seed)
        (folder / ".bytes").write_text(str(size))
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-cluster-"))
    print(f"corpus: {args.posts} posts, {int((folder / '.bytes').read_text()):,} bytes; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    if not args.skip_scaling:
        print("| workers | --workers posts/s | CPU ms/post | Dask posts/s (started) "
              "| CPU ms/post | Dask start + warm-up s | Dask posts/s (with start) | load |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for n in args.workers:
            local, local_cpu = measure_workers(folder, work, args.pg, n)
            dask_rate, started, with_start, dask_cpu = measure_dask(folder, work, args.pg, n,
                                                                    args.part_bytes)
            print(f"| {n} | {local:.0f} | {local_cpu:.2f} | {dask_rate:.0f} | {dask_cpu:.2f} "
                  f"| {started:.1f} | {with_start:.0f} | {os.getloadavg()[0]:.1f} |", flush=True)
    cfg = _config(work, "sqlite:///" + str(work / "unused.db"))
    posts = _analysed(folder, cfg, args.write_posts)
    for batch in (500,):
        rates = measure_writes(posts, args.pg, work, batch)
        print(f"PostgreSQL writes, {len(posts)} posts "
              f"({rates['mentions_per_post']:.1f} mentions each): batched upserts of {batch} "
              f"posts {rates['upsert']:,.0f} rows/s; COPY {rates['copy']:,.0f} rows/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

