"""A reposted passage counts once: under concurrent writers, and after its first holder goes."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.refreshkit import ROOT, make_job
from tracker.ingest.refresh import refresh
from tracker.store.database import Store

SHARED = [f"Shared note {k}: $TSLA and $NVDA will lead the whole market higher this quarter."
          for k in range(60)]


def _repost(i: int, prefix: str) -> str:
    """A post with its own sentence and one of SHARED, pasted in many posts."""
    return json.dumps({
        "id": f"{prefix}{i}",
        "text": f"{prefix} post {i} says $AMD is fine. {SHARED[i % len(SHARED)]}",
        "published": f"2026-03-{1 + i % 27:02d}T10:00:00Z",
    }) + "\n"


def _counted(store: Store) -> tuple[Counter[str], int]:
    """Mentions per ticker as reports count them (repeats left out), and the number of
    (passage, ticker) pairs held by more than one post."""
    with store.engine.connect() as conn:
        per_ticker = Counter({r[0]: int(r[1]) for r in conn.execute(text(
            "SELECT ticker, COUNT(*) FROM mentions WHERE NOT is_repeat GROUP BY ticker"))})
        doubled = conn.execute(text(
            "SELECT COUNT(*) FROM (SELECT passage, ticker FROM mentions "
            "WHERE passage IS NOT NULL AND NOT is_repeat GROUP BY passage, ticker "
            "HAVING COUNT(DISTINCT post_id) > 1) d")).scalar_one()
    return per_ticker, int(doubled)


@pytest.mark.slow
def test_two_concurrent_postgresql_writers_count_reposts_like_one(tmp_path: Path,
                                                                  pg_url: str) -> None:
    import subprocess

    for name in ("a", "b"):
        folder = tmp_path / name / "in"
        folder.mkdir(parents=True)
        (folder / f"{name}.jsonl").write_text(
            "".join(_repost(i, name) for i in range(600)), "utf-8")
        make_job(tmp_path / name, pg_url, batch_size=20)
    Store(pg_url).close()  # schema first, so the two do not race to create it
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    children = [subprocess.Popen(
        [sys.executable, "-m", "tracker", "refresh", "--no-reports",
         "--config", str(tmp_path / name / "config.toml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for name in ("a", "b")]
    outputs = [c.communicate(timeout=300) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs

    one = make_job(tmp_path / "one", f"sqlite:///{tmp_path / 'one.db'}", batch_size=20)
    (tmp_path / "one" / "in").mkdir()
    for name in ("a", "b"):
        (tmp_path / "one" / "in" / f"{name}.jsonl").write_bytes(
            (tmp_path / name / "in" / f"{name}.jsonl").read_bytes())
    single = Store(one.db_url)
    refresh(one, single)
    expected, _ = _counted(single)
    single.close()

    store = Store(pg_url)
    got, doubled = _counted(store)
    store.close()
    assert doubled == 0
    assert got == expected
    assert expected == Counter({"AMD": 1200, "TSLA": 60, "NVDA": 60})


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), "utf-8")


@pytest.mark.parametrize("how", ["changed file", "prune"])
def test_deleting_the_first_holder_hands_the_passage_on(tmp_path: Path, db_url: str,
                                                        how: str) -> None:
    cfg = make_job(tmp_path, db_url)
    first, second = tmp_path / "in" / "a.jsonl", tmp_path / "in" / "b.jsonl"
    _write(first, [_repost(0, "a")])
    store = Store(cfg.db_url)
    try:
        refresh(cfg, store)
        _write(second, [_repost(0, "b"), _repost(60, "c")])  # the same shared note, twice
        refresh(cfg, store)
        before, _ = _counted(store)
        if how == "changed file":
            _write(first, [json.dumps({"id": "x", "text": "Nothing shared: $MU dips."}) + "\n"])
            refresh(cfg, store)
        else:
            first.unlink()
            refresh(cfg, store, prune=True)
        after, doubled = _counted(store)
    finally:
        store.close()
    assert before == Counter({"AMD": 3, "TSLA": 1, "NVDA": 1})
    assert doubled == 0
    # The shared note still counts once: the earliest remaining post took it over.
    assert (after["TSLA"], after["NVDA"]) == (1, 1)


def test_a_writer_waits_for_the_uncommitted_first_holder(pg_url: str) -> None:
    """The interleaving that double-counted: A stores a passage and has not committed when
    B stores the same passage; A commits first. B must end up holding a repeat."""
    import threading
    import time

    from tracker.config import load_config
    from tracker.extract.models import RawPost
    from tracker.ingest.analyze import Analyzer
    from tracker.store.upsert import insert_posts

    analyzer = Analyzer(load_config(None))
    first, second = (analyzer.analyze(RawPost(f"{n}.jsonl", text, line=1)) for n, text in (
        ("a", f"The first post. {SHARED[0]}"), ("b", f"The second post. {SHARED[0]}")))
    assert first is not None and second is not None
    store = Store(pg_url)
    done = threading.Event()
    try:
        with store.engine.connect() as conn_a:
            tx_a = conn_a.begin()
            insert_posts(conn_a, [first], None)

            def write_b() -> None:
                with store.engine.begin() as conn_b:
                    insert_posts(conn_b, [second], None)
                done.set()

            writer = threading.Thread(target=write_b)
            writer.start()
            # Commit A once B has finished or is waiting on a lock, whichever comes first.
            deadline = time.monotonic() + 60  # a safety net, not a timing assertion
            while not done.is_set() and time.monotonic() < deadline:
                with store.engine.connect() as probe:
                    waiting = probe.execute(text(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")).scalar_one()
                if waiting:
                    break
                time.sleep(0.01)
            tx_a.commit()
            writer.join(timeout=60)
        assert done.is_set()
        counted, doubled = _counted(store)
    finally:
        store.close()
    assert doubled == 0
    assert (counted["TSLA"], counted["NVDA"]) == (1, 1)
