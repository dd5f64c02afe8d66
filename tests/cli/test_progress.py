"""Long work shows a progress bar to a person at a terminal, and to nobody else."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli


def _posts(folder: Path) -> Path:
    folder.mkdir()
    for n in range(3):
        rows = [{"text": f"$TSLA rallied {n} {i}", "published": "2026-03-01T10:00:00Z"}
                for i in range(4)]
        (folder / f"f{n}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return folder


def _on_a_terminal(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run `tracker args` with stderr on a pseudo-terminal; its exit code and what it drew."""
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", args[0], "--config", str(tmp_path / "config.toml"),
         *args[1:]], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
        env=env, cwd=tmp_path)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes (EIO on Linux) when the command exits
            break
        if not chunk:
            break
        drawn += chunk
    assert proc.stdout is not None
    proc.stdout.read()
    os.close(leader)
    return proc.wait(timeout=60), drawn.decode("utf-8", "replace")


@pytest.mark.slow  # three runs of tracker in fresh processes
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are Unix's")
def test_ingest_on_a_terminal_shows_files_posts_and_speed(tmp_path: Path) -> None:
    folder = _posts(tmp_path / "in")
    code, drawn = _on_a_terminal(tmp_path, "ingest", str(folder))
    assert code == 0, drawn
    assert "ingest" in drawn and "100%" in drawn
    assert "3/3 files, 12 posts" in drawn and "posts/s" in drawn
    code, drawn = _on_a_terminal(tmp_path, "ingest", "-q", str(folder))
    assert (code, drawn) == (0, "")  # -q: no bar
    code, drawn = _on_a_terminal(tmp_path, "rescore")
    assert code == 0 and "rescore" in drawn and "12/12" in drawn


def test_no_bar_in_a_pipe(tmp_path: Path) -> None:
    folder = _posts(tmp_path / "in")
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    result = CliRunner().invoke(cli, ["ingest", "--config", str(tmp_path / "config.toml"),
                                      str(folder)])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("3 files, 12 posts read: 12 new posts")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are Unix's")
def test_a_store_that_fails_to_open_leaves_no_bar_on_the_terminal(tmp_path: Path) -> None:
    # The bar was drawn before the store opened: the error was written onto the bar's
    # unfinished line, and the terminal's cursor was left hidden.
    folder = _posts(tmp_path / "in")
    (tmp_path / "db").mkdir()
    code, drawn = _on_a_terminal(tmp_path, "ingest", "--db", str(tmp_path / "db"), str(folder))
    assert (code, drawn) == (1, f"Error: {tmp_path / 'db'}: a folder, not a database file; "
                                f"give the file's path (e.g. {tmp_path / 'db' / 'tracker.db'})"
                                "\r\n")
