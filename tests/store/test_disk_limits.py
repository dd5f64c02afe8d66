"""A database that cannot grow: a file-size limit (ulimit -f) and a full disk are one line
saying so and what to do, the batches stored before kept, and a rerun stores the rest."""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.refreshkit import ROOT, write_feed
from tracker.store.database import explain

LIMIT = 400_000  # bytes: the database of about a third of the posts below


def _ingest(folder: Path, limit: int | None) -> subprocess.CompletedProcess[str]:
    def cap() -> None:  # in the child: Python ignores SIGXFSZ, so a write past it is EFBIG
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "tracker", "ingest", "-q", "--config",
         str(folder / "config.toml"), str(folder / "in")],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=cap, timeout=300)


@pytest.mark.slow
def test_a_file_size_limit_keeps_whole_batches_and_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[dates]\ntimezone = "UTC"\n[refresh]\nbatch_size = 100\n', "utf-8")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 1500)
    cut = _ingest(tmp_path, LIMIT)
    assert cut.returncode == 1
    # Was "cannot use the database: OperationalError: disk I/O error", and no more.
    assert cut.stderr.splitlines()[-1] == (
        f"Error: sqlite:///{tmp_path / 'tracker.db'}: the system refused to write or read "
        "the database file (OperationalError: disk I/O error): a full disk, a file-size "
        "limit (ulimit -f) the file outgrew, or a failing device; what was stored before "
        "is kept: make room, then run again")
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        kept = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert 0 < kept < 1500 and kept % 100 == 0  # whole batches
    rerun = _ingest(tmp_path, None)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 1500


@pytest.mark.parametrize(("said", "told"), [
    ("database or disk is full", "the disk holding the database is full"),
    ("disk I/O error", "a file-size limit (ulimit -f) the file outgrew"),
], ids=["full", "io-error"])
def test_a_database_that_cannot_grow_says_what_to_do(said: str, told: str) -> None:
    line = explain("sqlite:///t.db", sqlite3.OperationalError(said))
    assert line.startswith("sqlite:///t.db: ") and told in line
    assert f"(OperationalError: {said})" in line and line.endswith("make room, then run again")
