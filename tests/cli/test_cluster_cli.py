"""`tracker ingest --cluster`: the usage errors, said before any work starts, and the
progress display."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.cli.ingest import show_progress
from tracker.ingest.cluster import BackfillPlan


def _ingest(tmp_path: Path, *args: str) -> tuple[int, str]:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "a.txt").write_text("$TSLA is up.", "utf-8")
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    result = CliRunner().invoke(cli, ["ingest", "--config", str(tmp_path / "config.toml"),
                                      str(tmp_path / "in"), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--cluster", "local:2"], "--cluster needs a PostgreSQL database that every worker "
                               "can reach, not sqlite"),
    (["--cluster", "local:0", "--db", "postgresql+psycopg://u@h/d"],
     "a local cluster needs at least 1 worker"),
    (["--cluster", "scheduler:8786", "--db", "postgresql+psycopg://u@h/d"],
     "give a scheduler address (tcp://HOST:8786) or local:N"),
    (["--cluster", "local:2", "--workers", "2"], "--workers and --cluster do not go together"),
], ids=["sqlite", "no-workers", "not-an-address", "with-workers"])
def test_cluster_usage_errors_exit_2_and_store_nothing(tmp_path: Path, args: list[str],
                                                       message: str) -> None:
    code, err = _ingest(tmp_path, *args)
    assert code == 2
    assert message in err
    assert not (tmp_path / "tracker.db").exists()


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_dask_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              terminal: bool) -> None:
    distributed = pytest.importorskip("distributed")
    shown: list[list[object]] = []
    monkeypatch.setattr(distributed, "progress", lambda futures: shown.append(futures))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: terminal)
    plan = BackfillPlan(partitions=3, pieces=5, pieces_stored_before=2,
                        dashboard="http://127.0.0.1:8787/status")
    show_progress(plan, None, ["f1", "f2", "f3"])
    assert shown == ([["f1", "f2", "f3"]] if terminal else [])
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "backfill: 3 partitions (2 of 5 pieces stored by an earlier run, skipped)",
        "dashboard: http://127.0.0.1:8787/status"]


@pytest.mark.parametrize(("signum", "code"), [(15, 143), (2, 130)], ids=["term", "int"])
def test_a_stopped_backfill_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                signum: int, code: int) -> None:
    # Ctrl-C was click's "Aborted!" (exit 1), SIGTERM an end without a word.
    if not os.environ.get("CI"):
        pytest.importorskip("distributed")  # in CI the dev extra installs it: a failure
    from tracker.cli.signals import Stopped
    from tracker.ingest import cluster

    def stopped(*args: object, **kwargs: object) -> None:
        raise Stopped(signum)

    monkeypatch.setattr(cluster, "backfill", stopped)
    got, err = _ingest(tmp_path, "--cluster", "local:1", "--db", "postgresql+psycopg://u@h/d")
    assert got == code
    name = "SIGTERM" if signum == 15 else "SIGINT"
    assert err.splitlines()[-1] == (f"Error: stopped by {name}; the posts this backfill stored "
                                    "before it are kept: run the same command again to go on")
