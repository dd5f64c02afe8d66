"""An existing file that is not a database is refused, and a reading command leaves it alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import StoreError
from tracker.store.database import Store


def test_an_empty_file_is_refused_by_a_reading_command_and_left_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    out = CliRunner().invoke(cli, ["report", "--db", str(empty)])
    assert out.exit_code == 1
    assert "the file is empty, not a tracker database" in out.output
    assert empty.stat().st_size == 0
    with pytest.raises(StoreError, match="empty"):
        Store(f"sqlite:///{empty}", create=False)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_text("hello", "utf-8")
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(f"sqlite:///{other}")
    assert other.read_text("utf-8") == "hello"


@pytest.mark.parametrize(("content", "why"), [
    (bytes(8192), "its first 512 bytes are all zero"),
    (b"SQLite for", "cut short after 10 bytes"),
], ids=["zeroed", "cut-in-header"])
@pytest.mark.parametrize("command", [["status"], ["report"], ["export", "posts"]])
def test_a_zeroed_or_cut_database_is_said_damaged_and_left_alone(
        tmp_path: Path, content: bytes, why: str, command: list[str]) -> None:
    # Both were "not a SQLite database ...; check --db or [database] url", sending the user
    # after a path that was right; the file is the database, damaged.
    path = tmp_path / "t.db"
    path.write_bytes(content)
    out = CliRunner().invoke(cli, [*command, "--db", str(path)])
    assert out.exit_code == 1
    assert out.output.startswith(f"Error: {path}: the database file is damaged ({why}")
    assert "restore it from a backup" in out.output
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.db"]
