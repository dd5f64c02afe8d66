"""A stopped ingest: workers never outlive the main process; SIGTERM and SIGINT end it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.refreshkit import ROOT, write_feed
from tracker.store.database import Store

DEADLINE = 120  # seconds; a safety net against a hung child, not a timing assertion
TOTAL = 3000
BATCH_SIZE = 500  # [refresh] batch_size, written into the child's config


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its parent may reap it


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        store = Store(f"sqlite:///{db}")
        try:
            return store.counts()["posts"]
        finally:
            store.close()
    except Exception:  # the child may still be creating the schema
        return 0


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, set[int]]:
    write_feed(tmp_path / "in" / "feed.jsonl", 0, TOTAL)
    db = tmp_path / "t.db"
    (tmp_path / "config.toml").write_text(
        f'[dates]\ntimezone = "UTC"\n[refresh]\nbatch_size = {BATCH_SIZE}\n', "utf-8")
    # Output to files, not pipes: an orphaned worker would hold a pipe open for ever.
    with open(tmp_path / "out.txt", "w") as out, open(tmp_path / "err.txt", "w") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "tracker", "ingest", "--workers", "2", "--config",
             str(tmp_path / "config.toml"), "--db", f"sqlite:///{db}", str(tmp_path / "in")],
            stdout=out, stderr=err, text=True,
            # faulthandler: a child that hangs is sent SIGABRT (_outlived) and writes every
            # thread's stack into err.txt, so a hang says where it hung.
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1"})
    deadline = time.monotonic() + DEADLINE
    while _stored(db) == 0 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(child.pid) if child.poll() is None else set()
    assert len(workers) >= 2, "the ingest finished (or never started) before it was stopped"
    return child, db, workers


def _outlived(child: subprocess.Popen[str], workers: set[int], err: Path) -> set[int]:
    """Wait for `child`, then for its workers; kill and return those still running. A child
    that does not end in time is aborted, its workers killed, and the test fails with the
    stacks faulthandler wrote (it once hung in a loaded full run, and no rerun did again)."""
    try:
        child.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGABRT)
        try:
            child.wait(timeout=DEADLINE / 4)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        pytest.fail(f"the ingest did not end within {DEADLINE} s; its stderr:\n"
                    f"{err.read_text(errors='replace')[-20000:]}")
    deadline = time.monotonic() + DEADLINE / 4
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    left = {p for p in workers if _alive(p)}
    for pid in left:  # leave nothing running, then fail
        os.kill(pid, signal.SIGKILL)
    return left


@pytest.mark.slow
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    child, _db, workers = _start(tmp_path)
    child.kill()
    assert not _outlived(child, workers, tmp_path / "err.txt"), "workers outlived the killed ingest"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_ingest_cleanly(tmp_path: Path, signum: int) -> None:
    child, db, workers = _start(tmp_path)
    child.send_signal(signum)
    assert not _outlived(child, workers, tmp_path / "err.txt"), \
        "workers outlived the stopped ingest"
    err = (tmp_path / "err.txt").read_text()
    assert child.returncode == 128 + signum, err
    assert "Traceback" not in err
    name = signal.Signals(signum).name
    assert err.strip().splitlines()[-1].startswith(f"Error: stopped by {name}"), err
    stored = _stored(db)
    assert 0 < stored < TOTAL and stored % BATCH_SIZE == 0  # whole batches kept
