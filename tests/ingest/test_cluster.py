"""A backfill on a real Dask LocalCluster (2 worker processes) into a real PostgreSQL.

Each backfill is compared with one single-process `tracker ingest` of the same files into
SQLite, through `tracker export mentions` and `tracker export posts` (rows sorted, since
the two databases list rows in their own order). The corpus repeats passages across files
and partitions, so the repeat marks depend on read order.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import delete

from tests.conftest import skip_outside_ci
from tracker.cli import cli
from tracker.config import Config, load_config
from tracker.extract.models import RunCounts
from tracker.ingest.cluster import BackfillPlan, backfill
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store
from tracker.store.schema import backfill_parts

pytestmark = pytest.mark.slow  # a cluster's start and a few thousand posts

PART_BYTES = 24_000  # ~150 posts a partition: about twenty tasks over the corpus
DEADLINE = 120  # seconds; a safety net against a hung wait, not a timing assertion

TICKERS = ["NVDA", "TSLA", "AAPL", "AMD", "MSFT", "META"]
# Sentences long enough to be passages (tracker.extract.passages): each recurs in many
# posts, in every file, so which post holds it depends on the order posts are read in.
EN = [
    "${t} crushed earnings and the guidance for next year looks fantastic to me",
    "I am selling every share of ${t} because the margins keep shrinking badly",
    "Nothing new on ${t} today, volume was light and it closed flat again",
    "Analysts cut their target for ${t} after a weak quarter and a grim outlook",
]
ZH = [
    "${t}今天又大跌了，真是被套牢了，太惨了，不知道什么时候才能回本。",
    "我看好${t}的长期发展，业绩超预期，值得继续持有下去，不会卖出。",
]


def _post(rng: random.Random, i: int) -> str:
    pool = ZH if i % 3 == 0 else EN
    parts = [rng.choice(pool).replace("{t}", rng.choice(TICKERS)) for _ in range(2)]
    # And a passage shared by a run of 40 neighbours only: many runs straddle two
    # partitions, which two workers store at once, in either order.
    window = i // 40
    parts.append(f"Copied note {window}: ${TICKERS[window % len(TICKERS)]} is the one "
                 "to watch this week")
    return " ".join(parts) + f" Note {i}."


def _write_corpus(root: Path) -> list[str]:
    rng = random.Random(24)
    feeds = root / "feeds"
    feeds.mkdir(parents=True)
    n = 0
    for name, count in (("big.jsonl", 1600), ("second.jsonl", 500)):
        with open(feeds / name, "w", encoding="utf-8") as handle:
            for _ in range(count):
                n += 1
                day = 1 + n % 28
                handle.write(json.dumps({"id": f"{name}-{n}", "text": _post(rng, n),
                                         "created_at": f"2026-11-{day:02d}T10:00:00Z"},
                                        ensure_ascii=False) + "\n")
                if n % 400 == 0:
                    handle.write("{this line is not JSON\n")  # a failure, reported alike
    with open(root / "rows.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "text", "created_at"])
        for i in range(300):
            out.writerow([f"row-{i}", _post(rng, 5000 + i), "2026-11-15T12:00:00Z"])
    pages = root / "pages"
    pages.mkdir()
    for i in range(12):
        (pages / f"page{i:02d}.txt").write_text(_post(rng, 9000 + i), "utf-8")
    return [str(feeds), str(root / "rows.csv"), str(pages)]


def _config(folder: Path, db_url: str) -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


def _export(cfg: Config, what: str) -> list[list[str]]:
    assert cfg.path is not None
    result = CliRunner().invoke(cli, ["export", what, "--config", str(cfg.path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(io.StringIO(result.output)))
    return [header, *sorted(rows)]


Snapshot = dict[str, Any]


def _snapshot(cfg: Config, counts: RunCounts) -> Snapshot:
    return {"mentions": _export(cfg, "mentions"), "posts": _export(cfg, "posts"),
            "failures": sorted(str(f) for f in counts.failures)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def expected(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """One single-process ingest of the corpus into SQLite."""
    folder = tmp_path_factory.mktemp("single")
    cfg = _config(folder, f"sqlite:///{folder / 'tracker.db'}")
    store = Store(cfg.db_url)
    counts = ingest(corpus, cfg, store)
    store.close()
    snap = _snapshot(cfg, counts)
    repeats = [row for row in snap["mentions"][1:]
               if row[snap["mentions"][0].index("repeat")] == "True"]
    assert len(snap["posts"]) > 2000 and repeats  # the corpus is what this module needs
    return snap


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    if not os.environ.get("TRACKER_TEST_POSTGRES_URL"):
        skip_outside_ci("cluster tests need TRACKER_TEST_POSTGRES_URL (see tests/conftest.py)")
    if os.environ.get("CI"):
        import distributed  # the dev extra installs it: missing in CI is a failure
    else:
        distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as dask_client:
        yield dask_client


def _backfill(corpus: list[str], cfg: Config, dask_client: Any, **kwargs: Any) -> RunCounts:
    return backfill(corpus, cfg, dask_client, part_bytes=PART_BYTES, **kwargs)


def test_backfill_equals_single_ingest_and_a_second_adds_nothing(
        client: Any, corpus: list[str], expected: Snapshot, pg_url: str,
        tmp_path: Path) -> None:
    cfg = _config(tmp_path, pg_url)
    plans: list[BackfillPlan] = []
    first = _backfill(corpus, cfg, client, on_plan=lambda plan, *_: plans.append(plan))
    assert plans[0].partitions > 10  # the big file was spread over several tasks
    assert _snapshot(cfg, first) == expected
    assert first.posts_added == len(expected["posts"]) - 1

    # Run again: every piece is recorded as stored, so nothing is read.
    again = _backfill(corpus, cfg, client, on_plan=lambda plan, *_: plans.append(plan))
    assert (plans[1].partitions, plans[1].pieces_stored_before) == (0, plans[1].pieces)
    assert (again.posts_seen, again.posts_added, again.mentions_added) == (0, 0, 0)

    # Forget the read positions: everything is read again and the upserts add nothing.
    store = Store(pg_url)
    with store.engine.begin() as conn:
        conn.execute(delete(backfill_parts))
    store.close()
    third = _backfill(corpus, cfg, client)
    assert third.posts_seen == first.posts_seen
    assert (third.posts_added, third.mentions_added) == (0, 0)
    assert _snapshot(cfg, third) == expected


def _worker_pids(dask_client: Any) -> list[int]:
    return sorted(dask_client.run(os.getpid).values())


def test_a_worker_killed_mid_run_changes_nothing(
        client: Any, corpus: list[str], expected: Snapshot, pg_url: str,
        tmp_path: Path) -> None:
    cfg = _config(tmp_path, pg_url)
    killed: list[tuple[int, int]] = []

    def kill_one(plan: BackfillPlan, dask_client: Any, futures: list[Any]) -> None:
        deadline = time.monotonic() + DEADLINE
        while sum(f.done() for f in futures) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim = _worker_pids(dask_client)[0]
        os.kill(victim, signal.SIGKILL)  # this test's own LocalCluster worker
        killed.append((victim, sum(not f.done() for f in futures)))

    counts = _backfill(corpus, cfg, client, on_plan=kill_one)
    [(victim, left)] = killed
    assert left > 0, "every task had finished before the kill"
    assert victim not in _worker_pids(client)  # it died; its nanny started another
    assert _snapshot(cfg, counts) == expected
    assert counts.posts_added == len(expected["posts"]) - 1


class _Stop(Exception):
    """Ends a backfill from its progress callback, as a Ctrl-C or a lost driver would."""


def test_an_interrupted_backfill_resumes_where_it_stopped(
        client: Any, corpus: list[str], expected: Snapshot, pg_url: str,
        tmp_path: Path) -> None:
    cfg = _config(tmp_path, pg_url)
    submitted: list[Any] = []

    def stop_early(plan: BackfillPlan, dask_client: Any, futures: list[Any]) -> None:
        deadline = time.monotonic() + DEADLINE
        while sum(f.done() for f in futures) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        dask_client.cancel(futures)  # the tasks not started never run
        submitted.extend(futures)
        raise _Stop

    with pytest.raises(_Stop):
        _backfill(corpus, cfg, client, on_plan=stop_early)
    client.gather(submitted, errors="skip")  # let the tasks already running finish
    plans: list[BackfillPlan] = []
    counts = _backfill(corpus, cfg, client, on_plan=lambda plan, *_: plans.append(plan))
    [plan] = plans
    assert 0 < plan.pieces_stored_before < plan.pieces
    assert _snapshot(cfg, counts) == _snapshot_minus_failures_of_skipped(expected, counts)


def _snapshot_minus_failures_of_skipped(expected: Snapshot, counts: RunCounts) -> Snapshot:
    # The resumed run reads only the pieces not stored before, so it reports only their
    # bad lines; what is stored must still be everything.
    reported = sorted(str(f) for f in counts.failures)
    assert set(reported) <= set(expected["failures"])
    return {**expected, "failures": reported}


class _KeyRecorder:
    """A client that records what a backfill submits and runs nothing."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.scatter_hash: list[bool] = []

    def scatter(self, data: Any, *, broadcast: bool = False, hash: bool = True) -> Any:
        self.scatter_hash.append(hash)
        return data

    def submit(self, func: Any, *args: Any, key: str, **kwargs: Any) -> Any:
        self.keys.append(key)
        return type("Submitted", (), {"key": key})()


def test_two_backfills_with_the_same_run_id_never_share_a_task_key(tmp_path: Path) -> None:
    # Dask takes a submitted key it holds for the task it holds: two databases' backfills
    # on one cluster (each counting runs from 1), or a resume right after a stop, must
    # submit keys of their own, and the config under a key of its own, not its content's.
    if not os.environ.get("CI"):
        pytest.importorskip("distributed")  # in CI the dev extra installs it: a failure
    from tracker.ingest.cluster import _run
    from tracker.ingest.partitions import Partition

    cfg = _config(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    parts = [Partition(i, ()) for i in range(3)]
    plan = BackfillPlan(len(parts), len(parts), 0, None)
    recorders = [_KeyRecorder(), _KeyRecorder()]

    def stop(*_: Any) -> None:
        raise _Stop  # once submitted: nothing runs

    for recorder in recorders:
        with pytest.raises(_Stop):
            _run(recorder, parts, cfg, 1, lambda err: None, RunCounts(), stop, plan)
    first, second = (r.keys for r in recorders)
    assert len(first) == len(set(first)) == 3 and not set(first) & set(second)
    assert all(k.startswith("tracker-backfill-1-") for k in first + second)
    assert [r.scatter_hash for r in recorders] == [[False], [False]]
