"""`tracker status` and the refresh's last change over runs rows that another writer stored."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.cli.signals import Stopped
from tracker.config import load_config
from tracker.extract.models import RunCounts
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store
from tracker.store.processes import process_identity
from tracker.store.runtimes import read_run_time
from tracker.store.status import database_status, format_status


def _store_with_run(tmp_path: Path, started: object, finished: object) -> Path:
    """A database holding one finished run that added a post, its times then rewritten as
    another writer (another release, a hand edit in the sqlite3 shell) would store them."""
    path = tmp_path / "t.db"
    store = Store(f"sqlite:///{path}")
    run_id = store.start_run("ingest")
    store.finish_run(run_id, RunCounts(posts_added=1))
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE ingest_runs SET started_at = ?, finished_at = ?",
                     (started, finished))
    return path


@pytest.mark.parametrize(("started", "finished", "shown"), [
    ("2026-12-07 08:00:00+08:00", "2026-12-07 00:00:05", "2026-12-07 00:00      5s"),
    ("2026-12-07T00:00:00Z", "2026-12-07T00:01:00.250000", "2026-12-07 00:00     60s"),
    ("2026-12-07 00:00:00", "2026-12-07T09:00:07+09:00", "2026-12-07 00:00      7s"),
], ids=["offset-start", "z-and-t", "offset-end"])
def test_status_reads_times_with_an_offset(tmp_path: Path, started: str, finished: str,
                                           shown: str) -> None:
    path = _store_with_run(tmp_path, started, finished)
    result = CliRunner().invoke(cli, ["status", "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"    1  ingest   {shown}" in result.stdout
    result = CliRunner().invoke(cli, ["status", "--db", str(path), "--format", "json"],
                                catch_exceptions=False)
    run = json.loads(result.stdout)["runs"][0]
    assert run["started_at"] == "2026-12-07T00:00:00"  # UTC, no zone, as documented


def test_status_shows_a_stored_time_that_is_no_time_as_it_is(tmp_path: Path) -> None:
    path = _store_with_run(tmp_path, "yesterday", "2026-12-07 00:00:05")
    store = Store(f"sqlite:///{path}", create=False)
    try:
        found = database_status(store)
    finally:
        store.close()
    assert found.runs[0]["started_at"] == "yesterday"
    line = format_status(found).splitlines()[-1]
    # Not a killed run's missing end ("killed?"), nor a duration it cannot know.
    assert line.split()[:4] == ["1", "ingest", "yesterday", "?"]


def test_last_change_reads_an_offset_as_utc(tmp_path: Path) -> None:
    # write_reports compares it with a file's naive UTC time: an aware one was a TypeError.
    path = _store_with_run(tmp_path, "2026-12-07 08:00:00+08:00", "2026-12-07 09:00:00+08:00")
    store = Store(f"sqlite:///{path}", create=False)
    try:
        assert store.last_change() == datetime(2026, 12, 7, 1, 0)
    finally:
        store.close()


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-12-07 01:02:03.500000", datetime(2026, 12, 7, 1, 2, 3, 500000)),
    (" 2026-12-07T01:02:03-05:00 ", datetime(2026, 12, 7, 6, 2, 3)),
    (datetime(2026, 12, 7, 1, 2, 3), datetime(2026, 12, 7, 1, 2, 3)),
    ("no time", None), (20261207, None), (None, None),
], ids=["tracker", "offset", "datetime", "text", "number", "null"])
def test_read_run_time(value: object, expected: datetime | None) -> None:
    assert read_run_time(value) == expected


def test_status_and_last_change_read_times_on_either_backend(db_url: str) -> None:
    # The times are read as stored (runtimes.stored_text): PostgreSQL's driver still gives
    # datetimes, which read_run_time takes as they are.
    store = Store(db_url)
    try:
        run_id = store.start_run("ingest")
        store.finish_run(run_id, RunCounts(posts_added=1))
        run = database_status(store).runs[0]
        changed = store.last_change()
    finally:
        store.close()
    assert isinstance(run["started_at"], datetime) and isinstance(changed, datetime)
    assert run["started_at"] <= run["finished_at"] == changed and changed.tzinfo is None


@pytest.mark.parametrize(("other", "expected"), [
    ("2026-12-07T09:00:00Z", datetime(2026, 12, 7, 10, 0)),
    ("2026-12-07 11:00:00+08:00", datetime(2026, 12, 7, 10, 0)),
    ("2026-12-07T11:00:00Z", datetime(2026, 12, 7, 11, 0)),
    ("yesterday", datetime(2026, 12, 7, 10, 0)),
], ids=["t-before-a-later-space", "offset-earlier-in-utc", "t-later", "no-time"])
def test_last_change_is_the_latest_time_not_the_greatest_text(
        tmp_path: Path, other: str, expected: datetime) -> None:
    # SQLite's max() of the stored texts compared them as text: 'T' sorts after ' ', a local
    # hour with an offset after an earlier UTC hour, and 'yesterday' after every digit. A
    # refresh's reports then looked newer than the change (or the change unknown: never
    # stale) and were not rewritten.
    path = _store_with_run(tmp_path, "2026-12-07 10:00:00", "2026-12-07 10:00:00")
    store = Store(f"sqlite:///{path}", create=False)
    try:
        run_id = store.start_run("ingest")
        store.finish_run(run_id, RunCounts(posts_added=1))
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE ingest_runs SET started_at = ?, finished_at = ? WHERE id = ?",
                     (other, other, run_id))
    store = Store(f"sqlite:///{path}", create=False)
    try:
        assert store.last_change() == expected
    finally:
        store.close()


def _status_line(path: Path) -> list[str]:
    store = Store(f"sqlite:///{path}", create=False)
    try:
        return format_status(database_status(store)).splitlines()[-1].split()
    finally:
        store.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["term", "int"])
def test_a_run_stopped_by_a_signal_is_recorded_as_stopped(tmp_path: Path, signum: int) -> None:
    # Its row kept no end, and `status` showed it `running` until a later run came.
    (tmp_path / "a.jsonl").write_text("".join(f'{{"id": "{i}", "text": "$NVDA {i}"}}\n'
                                              for i in range(5)), "utf-8")
    path = tmp_path / "t.db"
    store = Store(f"sqlite:///{path}")

    def stop(counts: RunCounts) -> None:
        if counts.posts_seen == 3:
            raise Stopped(signum)

    try:
        with pytest.raises(Stopped):
            ingest([tmp_path / "a.jsonl"], load_config(None), store, batch_size=2,
                   progress=stop)
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        stopped_by, end, added = conn.execute(
            "SELECT stopped_by, finished_at, posts_added FROM ingest_runs").fetchone()
    assert (stopped_by, end is not None, added) == (signal.Signals(signum).name, True, 2)
    assert _status_line(path)[4] == "stopped"


def _unfinished_run(tmp_path: Path) -> Path:
    """A store holding one ingest run that this process started and never finished."""
    path = tmp_path / "t.db"
    store = Store(f"sqlite:///{path}")
    store.start_run("ingest")
    store.close()
    return path


def test_a_run_without_an_end_is_told_live_or_dead_by_its_process(tmp_path: Path) -> None:
    # A run killed with `kill -9` (or its machine lost) showed `running` until the next.
    path = _unfinished_run(tmp_path)
    assert _status_line(path)[4] == "running"  # this process: alive
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE ingest_runs SET pid = ?", (int(dead.stdout),))
    assert _status_line(path)[4] == "killed"
    with sqlite3.connect(path) as conn:  # another machine's run: its process is not ours
        conn.execute("UPDATE ingest_runs SET host = 'elsewhere'")
    assert _status_line(path)[4] == "running"


def test_a_run_whose_pid_another_process_took_is_killed(tmp_path: Path) -> None:
    # The pid is alive, but its process started an hour after the run: the number was
    # reused, and the run read `running` for as long as that other process lived.
    path = _unfinished_run(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        # Told by the start time: a row stored before schema 0011, or on macOS.
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE ingest_runs SET pid = ?, process_start = NULL, started_at = "
                         "datetime(started_at, '-1 hour')", (other.pid,))
        assert _status_line(path)[4] == "killed"
        with sqlite3.connect(path) as conn:  # a run that began after it: that may be its own
            conn.execute("UPDATE ingest_runs SET started_at = datetime(started_at, '+2 hours')")
        assert _status_line(path)[4] == "running"
        if Path("/proc/self/stat").exists():  # Linux: its recorded identity is not `other`'s
            with sqlite3.connect(path) as conn:
                conn.execute("UPDATE ingest_runs SET process_start = ?",
                             (process_identity(os.getpid()),))
            assert _status_line(path)[4] == "killed"
    finally:
        other.kill()
        other.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux, CI)")
def test_a_run_under_a_clock_set_forward_is_still_running(tmp_path: Path) -> None:
    # The machine's clock was set forward by two hours after the run began (a board without
    # a real-time clock syncing after boot): its own process seemed to have started after
    # it, and the run read `killed`. Its recorded identity is read on the boot's clock.
    path = _unfinished_run(tmp_path)
    with sqlite3.connect(path) as conn:
        identity, = conn.execute("SELECT process_start FROM ingest_runs").fetchone()
        conn.execute("UPDATE ingest_runs SET started_at = datetime(started_at, '-2 hours')")
    assert identity == process_identity(os.getpid())
    assert _status_line(path)[4] == "running"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux, CI)")
def test_a_process_identity_is_its_own(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        mine, theirs = process_identity(os.getpid()), process_identity(other.pid)
        assert mine is not None and theirs is not None and mine != theirs
        assert process_identity(os.getpid()) == mine  # read again, the same
        assert mine.split()[0] == theirs.split()[0]  # one boot
    finally:
        other.kill()
        other.wait()
    assert process_identity(other.pid) is None  # gone


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux, CI)")
def test_a_run_whose_process_is_a_zombie_is_killed(tmp_path: Path) -> None:
    # A run killed while its parent had not yet collected its exit (a supervisor that
    # never waits): the pid stays taken by a zombie, which signal 0 finds, and the run read
    # `running` until the parent waited.
    path = _unfinished_run(tmp_path)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        # Until it has exited, leaving it uncollected (WNOWAIT): a zombie till `finally`.
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
        with sqlite3.connect(path) as conn:  # the run began after its process did
            conn.execute("UPDATE ingest_runs SET pid = ?, started_at = datetime(started_at, "
                         "'+1 hour')", (child.pid,))
        assert _status_line(path)[4] == "killed"
    finally:
        child.wait()


@pytest.mark.parametrize(("etime", "seconds"), [
    ("00:07", 7), ("12:07", 727), ("01:12:07", 4327), ("3-01:12:07", 263527),
    ("", None), ("7", None), ("a:07", None), ("x-01:00", None), ("1:2:3:4", None),
], ids=["s", "m", "h", "d", "empty", "bare", "letters", "bad-day", "four"])
def test_ps_elapsed_time_is_read(etime: str, seconds: int | None) -> None:
    # macOS has no /proc: there the start is `ps -o etime=` before now.
    from tracker.store.processes import _elapsed

    assert _elapsed(etime) == seconds


def test_the_start_time_comes_from_ps_without_proc(monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.store import processes

    ran: list[list[str]] = []

    def ps(args: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        ran.append(args)
        return subprocess.CompletedProcess(args, 0, " 1-00:00:10\n", "")

    monkeypatch.setattr(processes, "_linux_start", lambda pid: None)
    monkeypatch.setattr(processes.subprocess, "run", ps)
    monkeypatch.setattr(processes.time, "time", lambda: 1_000_000.0)
    assert processes.process_started(42) == datetime(1970, 1, 11, 13, 46, 30)
    assert ran == [["ps", "-o", "etime=", "-p", "42"]]
