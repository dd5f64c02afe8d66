"""A SQLite database file deleted or replaced while `ingest` or `refresh` writes: SQLite
writes on into the file it holds open, so the run says its posts went with the old file and
exits 1, where it said "5 new posts", exit 0, of posts no database held (`rescore` alike,
of tones no database held)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.refreshkit import make_job, write_feed
from tracker.cli import cli
from tracker.store.database import Store


def _gone(path: Path, how: str) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        (path.parent / name).unlink(missing_ok=True)
    if how == "replaced":
        Store(f"sqlite:///{path}").close()  # a fresh database in its place


@pytest.mark.parametrize("how", ["deleted", "replaced"])
@pytest.mark.parametrize("command", ["ingest", "refresh", "rescore"])
def test_a_database_file_gone_during_a_run_is_said_and_fails_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, how: str) -> None:
    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 5)
    module, name = {"ingest": ("tracker.ingest.pipeline", "ingest"),
                    "refresh": ("tracker.ingest.refresh", "refresh"),
                    "rescore": ("tracker.ingest.rescore", "rescore")}[command]
    if command == "rescore":
        CliRunner().invoke(cli, ["ingest", "--config", str(tmp_path / "config.toml"),
                                 str(tmp_path / "in")])
    real = getattr(__import__(module, fromlist=[name]), name)

    def run_then_lose_the_file(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        _gone(tmp_path / "t.db", how)
        return result

    monkeypatch.setattr(f"{module}.{name}", run_then_lose_the_file)
    extra = [str(tmp_path / "in")] if command == "ingest" else []
    out = CliRunner().invoke(cli, [command, "--config", str(tmp_path / "config.toml"),
                                   *extra])
    assert out.exit_code == 1
    assert out.stderr.splitlines()[-1] == (
        f"Error: {tmp_path / 't.db'}: the database file was deleted or replaced while this "
        f"{command} ran; what it stored went with the old file, not into this one: run it "
        "again")
    if command == "refresh":
        assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_a_run_whose_file_stays_says_nothing_of_it(tmp_path: Path) -> None:
    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 5)
    out = CliRunner().invoke(cli, ["ingest", "--config", str(tmp_path / "config.toml"),
                                   str(tmp_path / "in")])
    assert out.exit_code == 0 and "5 new posts" in out.stdout
