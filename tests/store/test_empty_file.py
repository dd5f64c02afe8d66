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
