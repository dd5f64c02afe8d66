"""Only regular files are read, and reads are bounded: a named pipe, a device or a socket
among the sources (directly or behind a symlink) costs a warning, never a stall; a runaway
line or file is reported without being held in memory."""

from __future__ import annotations

import json
import os
import pickle
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.refreshkit import ROOT, make_job, record
from tracker.config import Config, load_config
from tracker.errors import SourceError, SourceWarning
from tracker.ingest import refresh as refresh_module
from tracker.ingest.pipeline import ingest
from tracker.ingest.refresh import refresh
from tracker.sources import find_paths, read_file
from tracker.sources.files import NotRegularFile
from tracker.store.database import Store, posts

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and devices are POSIX")


def _specials(folder: Path) -> dict[str, str]:
    """Special files under `folder`, each with the kind its warning names."""
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "null.jsonl").symlink_to("/dev/null")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "s.csv"))
    sock.close()
    return {"pipe.txt": "a named pipe", "zero.txt": "a character device",
            "null.jsonl": "a character device", "s.csv": "a socket"}


def _run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # In a child process with a time limit: on a tracker that opens a FIFO, this hangs.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tracker", *args, "--config", str(config)],
                          capture_output=True, text=True, env=env, timeout=120)


@posix_only
@pytest.mark.parametrize("command", ["ingest", "refresh"])
def test_pipes_devices_and_sockets_cost_a_warning_not_a_stall(tmp_path: Path,
                                                              command: str) -> None:
    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    kinds = _specials(tmp_path / "in")
    (tmp_path / "in" / "good.txt").write_text("$NVDA is strong today", "utf-8")
    args = [command, str(tmp_path / "in")] if command == "ingest" else [command, "-v"]
    done = _run(tmp_path / "config.toml", *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name, kind in kinds.items():
        assert f"{name}: not a regular file ({kind}); skipped" in done.stderr
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    try:
        with store.engine.connect() as conn:
            assert [r.text for r in conn.execute(posts.select())] == ["$NVDA is strong today"]
    finally:
        store.close()


@posix_only
def test_a_fifo_named_directly_is_skipped_with_a_warning(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    [item] = list(read_file(tmp_path / "pipe.jsonl", cfg.input))
    assert isinstance(item, NotRegularFile) and isinstance(item, SourceWarning)
    assert str(item).endswith("not a regular file (a named pipe); skipped")


def _short_post_feed(tmp_path: Path) -> tuple[Config, Path]:
    """A config whose posts may hold 10 characters, refreshing the folder `in/`, and the
    path of a JSON Lines feed in it (not yet written)."""
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "t.db"}"\n'
                      '[input]\nmax_post_chars = 10\n[sources]\npaths = ["in"]\n', "utf-8")
    feed = tmp_path / "in" / "a.jsonl"
    feed.parent.mkdir()
    return load_config(config), feed


def test_runaway_jsonl_line_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    cfg, feed = _short_post_feed(tmp_path)
    with open(feed, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a", "text": "$AAPL up"}) + "\n")
        handle.write('{"id": "b", "text": "' + "x" * (3 << 20) + '"}\n')
        handle.write(json.dumps({"id": "c", "text": "$MSFT up"}) + "\n")
    items = [i for i in read_file(feed, cfg.input) if not isinstance(i, SourceWarning)]
    assert [getattr(i, "source_id", None) for i in items] == ["a", None, "c"]
    assert items[1].line == 2 and "line is longer than" in str(items[1])
    store = Store(cfg.db_url)
    try:
        result = refresh(cfg, store)
        assert (result.posts_added, len(result.failures)) == (2, 1)
        assert "a.jsonl:2: line is longer than" in str(result.failures[0])
        with open(feed, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"id": "d", "text": "$TSLA up"}) + "\n")
        again = refresh(cfg, store)  # read from where the first run stopped
        assert (again.posts_added, again.failures) == (1, [])
    finally:
        store.close()


def test_runaway_last_line_without_newline_is_said_not_lost_in_silence(tmp_path: Path) -> None:
    # Ingest, which reads no further, dropped it without a word and exited 0; refresh
    # left it for the next run without saying so, as it says of a short unfinished line.
    cfg, feed = _short_post_feed(tmp_path)
    with open(feed, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a", "text": "$AAPL up"}) + "\n")
        handle.write('{"id": "b", "text": "' + "x" * (3 << 20))  # still being written
    said = [str(i) for i in read_file(feed, cfg.input) if isinstance(i, SourceError)
            and "usable date" not in str(i)]
    assert said == [f"{feed}:2: last line is longer than 1,048,696 bytes, more than a post of "
                    "[input] max_post_chars can take, and has no newline; skipped"]
    store = Store(cfg.db_url)
    warnings: list[str] = []
    try:
        result = refresh(cfg, store, on_warning=lambda w: warnings.append(str(w)))
        assert (result.posts_added, result.failures) == (1, [])
        assert [w for w in warnings if "usable date" not in w] == [
            f"{feed}:2: last line is longer than 1,048,696 bytes, more than a post of [input] "
            "max_post_chars can take, and has no newline yet; left for the next run"]
        with open(feed, "a", encoding="utf-8") as handle:
            handle.write('"}\n' + json.dumps({"id": "c", "text": "$TSLA up"}) + "\n")
        again = refresh(cfg, store)  # the line, finished, is skipped; the next one read
        assert again.posts_added == 1
        assert [str(f) for f in again.failures] == [
            f"{feed}:2: line is longer than 1,048,696 bytes, more than a post of [input] "
            "max_post_chars can take; skipped"]
    finally:
        store.close()


def test_text_file_too_big_for_one_post_is_not_read(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[input]\nmax_post_chars = 100\n', "utf-8")
    cfg = load_config(config)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 401)
    [item] = list(read_file(big, cfg.input))
    assert "file is 401 bytes, more than one post of [input] max_post_chars" in str(item)
    big.write_bytes(b"$TSLA up " * 10)
    assert [type(i).__name__ for i in read_file(big, cfg.input)] == ["RawPost"]


def test_blank_lines_in_refresh_take_no_memory_per_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    feed = tmp_path / "in" / "a.jsonl"
    feed.parent.mkdir()
    feed.write_text(record(1) + "\n" * 20000 + record(2), "utf-8")
    longest = [0]
    take = refresh_module._Run.take

    def watch(self: refresh_module._Run, outcome: object) -> None:
        longest[0] = max(longest[0], len(self.tags))
        take(self, outcome)  # type: ignore[arg-type]

    monkeypatch.setattr(refresh_module._Run, "take", watch)
    store = Store(cfg.db_url)
    try:
        result = refresh(cfg, store)
    finally:
        store.close()
    assert result.posts_added == 2
    assert longest[0] < 10  # the 20,000 blank lines are one position, not 20,000 tags


def test_ingest_skips_special_files_through_the_library(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("FIFOs are POSIX")
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    os.mkfifo(tmp_path / "in.txt")
    store = Store(cfg.db_url)
    warned: list[str] = []
    try:
        counts = ingest([tmp_path / "in.txt"], cfg, store,
                        on_warning=lambda w: warned.append(str(w)))
    finally:
        store.close()
    assert counts.failures == [] and len(warned) == 1 and "named pipe" in warned[0]


@pytest.mark.parametrize("name", ["gone.jsonl", "gone.txt"], ids=["streamed", "whole"])
def test_a_file_that_cannot_be_opened_is_one_error_in_the_readers_one_wording(
        tmp_path: Path, name: str) -> None:
    # Every reader words an unreadable file as SourceError.unreadable does, and a worker can
    # send it back to the main process (pickled) as it was.
    (error,) = list(read_file(tmp_path / name, load_config().input))
    assert isinstance(error, SourceError)
    assert str(error) == f"{tmp_path / name}: cannot read: No such file or directory"
    assert pickle.loads(pickle.dumps(error)).message == error.message


def test_a_link_named_directly_that_leads_nowhere_says_why(tmp_path: Path) -> None:
    # Both were "no such file or folder", though the link is there to see with ls.
    (tmp_path / "a.jsonl").symlink_to(tmp_path / "b.jsonl")
    (tmp_path / "b.jsonl").symlink_to(tmp_path / "a.jsonl")
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "missing" / "x.jsonl")
    names = ["a.jsonl", "gone.jsonl", "absent.jsonl"]
    errors = list(find_paths(str(tmp_path / n) for n in names))
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'a.jsonl'}: cannot read: Too many levels of symbolic links",
        f"{tmp_path / 'gone.jsonl'}: cannot read: No such file or directory",
        f"{tmp_path / 'absent.jsonl'}: no such file or folder"]


def test_a_wildcard_path_that_matches_no_file_says_where_patterns_go(tmp_path: Path) -> None:
    # paths = ["in/*.jsonl"] in [sources], or a quoted 'in/*.jsonl' on the command line:
    # never expanded, and "no such file or folder" left the user looking for a file.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"text": "$TSLA"}\n', "utf-8")
    [error] = list(find_paths([str(tmp_path / "in" / "*.jsonl")]))
    assert str(error) == (f"{tmp_path / 'in' / '*.jsonl'}: no such file or folder; wildcards "
                          "are not expanded here: list the pattern under [sources] globs, or "
                          "leave it unquoted for the shell to expand")
