"""Real processes: overlapping refreshes, a refresh killed with SIGKILL, two writers at once."""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.pool import NullPool

from tests.refreshkit import make_job, snapshot, tracker_process, write_feed
from tracker.ingest.refresh import refresh
from tracker.store.database import Store, posts

pytestmark = pytest.mark.slow  # the whole module: see CONTRIBUTING.md

DEADLINE = 120  # seconds; a safety net against a hung child, not a timing assertion


def _posts_now(url: str) -> int:
    engine = _pollers.get(url)
    if engine is None:
        # One engine per database, made once: the tests poll every 10-20 ms while a child
        # runs, and a new engine per poll cost the test process 1.4 ms of CPU a poll on
        # SQLite (0.28 ms here) and 3.5 ms on PostgreSQL (1.1 ms), about 5 s of the fifteen
        # kills' CPU. NullPool: each poll still opens and closes its own connection, and
        # none is held open beside the child's between polls.
        engine = _pollers[url] = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(posts)).scalar_one())
    except Exception:  # the child may still be creating the schema
        return 0


_pollers: dict[str, Engine] = {}


@pytest.fixture(autouse=True)
def _dispose_pollers() -> Iterator[None]:
    yield
    while _pollers:
        _pollers.popitem()[1].dispose()


def _uninterrupted(folder: Path, total: int, batch: int) -> dict[str, list[tuple]]:
    """The snapshot of one refresh, never killed, of the same `total`-line feed."""
    job = make_job(folder, f"sqlite:///{folder / 'tracker.db'}", batch_size=batch)
    write_feed(folder / "in" / "big.jsonl", 0, total)
    store = Store(job.db_url)
    refresh(job, store)
    expected = snapshot(store, folder)
    store.close()
    return expected

def test_two_refreshes_started_together_leave_one_copy(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url, batch_size=50)
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 300)
    first = tracker_process(tmp_path / "config.toml", "-v")
    second = tracker_process(tmp_path / "config.toml", "-v", "--wait")
    third = tracker_process(tmp_path / "config.toml", "-v")
    outputs = [p.communicate(timeout=DEADLINE) for p in (first, second, third)]
    assert [p.returncode for p in (first, second, third)] == [0, 0, 0], outputs
    store = Store(cfg.db_url)
    counts = store.counts_all()
    store.close()
    assert (counts["posts"], counts["mentions"], counts["source_files"]) == (300, 600, 1)
    assert counts["post_sources"] == 300


def test_refresh_killed_mid_ingest_then_rerun_matches_uninterrupted(tmp_path: Path,
                                                                    db_url: str) -> None:
    # 1,000 posts: the kill lands within ~30 ms of the 100th post stored (one poll), and the
    # 900 left took a child 1.7-2.1 s here (load average 7): room for a much faster machine.
    total = 1000
    cfg = make_job(tmp_path / "a", db_url, batch_size=20)
    write_feed(tmp_path / "a" / "in" / "big.jsonl", 0, total)
    child = tracker_process(tmp_path / "a" / "config.toml")
    deadline = time.monotonic() + DEADLINE
    while _posts_now(cfg.db_url) < 100 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=DEADLINE)
    assert child.returncode == -signal.SIGKILL, "the refresh finished before it was killed"
    stored = _posts_now(cfg.db_url)
    assert 100 <= stored < total and stored % 20 == 0  # whole batches only

    rerun = tracker_process(tmp_path / "a" / "config.toml", "-v")
    out, err = rerun.communicate(timeout=DEADLINE)
    assert rerun.returncode == 0, err
    assert " 0 new, 0 changed, 1 grown," in out  # carried on from the last commit

    expected = _uninterrupted(tmp_path / "b", total, 20)
    store = Store(cfg.db_url)
    got = snapshot(store, tmp_path / "a")
    counts = store.counts()
    store.close()
    assert got == expected
    assert (counts["posts"], counts["mentions"]) == (total, 2 * total)


def test_two_machines_ingest_different_folders_into_one_database(tmp_path: Path,
                                                                 pg_url: str) -> None:
    # Two jobs (two configs: two locks) write at once; 100 posts are in both folders.
    make_job(tmp_path / "m1", pg_url, batch_size=25)
    make_job(tmp_path / "m2", pg_url, batch_size=25)
    write_feed(tmp_path / "m1" / "in" / "a.jsonl", 0, 600)
    write_feed(tmp_path / "m2" / "in" / "b.jsonl", 500, 1100)
    Store(pg_url).close()  # schema first, so the two do not race to create it
    children = [tracker_process(tmp_path / m / "config.toml", "-v", "--no-reports")
                for m in ("m1", "m2")]
    outputs = [c.communicate(timeout=DEADLINE) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs
    store = Store(pg_url)
    counts = store.counts_all()
    store.close()
    assert (counts["posts"], counts["mentions"]) == (1100, 2200)
    assert (counts["source_files"], counts["post_sources"]) == (2, 1200)


def test_two_jobs_on_one_sqlite_file_take_turns(tmp_path: Path) -> None:
    # SQLite has one lock per database file: with --wait the second job runs after the first.
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    make_job(tmp_path / "m1", url, batch_size=25)
    make_job(tmp_path / "m2", url, batch_size=25)
    write_feed(tmp_path / "m1" / "in" / "a.jsonl", 0, 300)
    write_feed(tmp_path / "m2" / "in" / "b.jsonl", 250, 550)
    children = [tracker_process(tmp_path / m / "config.toml", "--no-reports", "--wait")
                for m in ("m1", "m2")]
    outputs = [c.communicate(timeout=DEADLINE) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs
    store = Store(url)
    counts = store.counts_all()
    store.close()
    assert (counts["posts"], counts["mentions"], counts["post_sources"]) == (550, 1100, 600)


@pytest.mark.slow
def test_fifteen_kills_at_random_points_then_a_rerun_match_an_uninterrupted_run(
        tmp_path: Path) -> None:
    """Refresh with reports, killed with SIGKILL at random points (13 while posts are stored,
    2 once they all are, while reports are written), then run to the end."""
    total, batch = 2000, 40
    rng = random.Random(14)
    url = f"sqlite:///{tmp_path / 'a' / 'tracker.db'}"
    cfg = make_job(tmp_path / "a", url, batch_size=batch)
    write_feed(tmp_path / "a" / "in" / "big.jsonl", 0, total)
    thresholds = sorted(rng.sample(range(1, total), 13)) + [total, total]
    kills = 0
    for threshold in thresholds:
        child = tracker_process(tmp_path / "a" / "config.toml")
        deadline = time.monotonic() + DEADLINE
        while (_posts_now(url) < threshold and child.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.01)
        # Within a few milliseconds: past the threshold, in the next batch or the reports.
        # A longer wait lets a fast machine finish the run first, and the kill never lands.
        time.sleep(rng.uniform(0, 0.02))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.communicate(timeout=DEADLINE)
        stored = _posts_now(url)
        assert stored % batch == 0 or stored == total  # whole batches only
    assert kills >= 15, f"only {kills} runs were still going when killed"

    rerun = tracker_process(tmp_path / "a" / "config.toml")
    out, err = rerun.communicate(timeout=DEADLINE)
    assert rerun.returncode == 0, err

    expected = _uninterrupted(tmp_path / "b", total, batch)
    store = Store(cfg.db_url)
    got = snapshot(store, tmp_path / "a")
    store.close()
    assert got == expected
