"""export: rows streamed from the store into a file written atomically."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import threading
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.reports.export import export_rows, render_export, write_export
from tracker.reports.render import open_atomic, write_atomic
from tracker.store.database import Store

DEADLINE = 60  # seconds; a safety net against a write that blocks, not a timing assertion


def test_a_failed_streamed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "mentions.csv"
    target.write_text("old\n", "utf-8")

    def rows():  # the store fails after the first row
        yield {"a": 1}
        raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError), open_atomic(target) as handle:
        write_export(["a"], rows(), "csv", handle)
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mentions.csv"]  # no temporary left


@pytest.mark.parametrize("writer", ["streamed", "whole"])
def test_a_full_disk_is_one_error_naming_the_file(tmp_path: Path, writer: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # ENOSPC from a write names no file, so it went past the CLI's mapping as a traceback
    # (export --out, and refresh's reports under cron).
    target = tmp_path / "mentions.csv"
    target.write_text("old\n", "utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(TrackerError) as caught:
        if writer == "streamed":
            with open_atomic(target) as handle:
                write_export(["a"], [{"a": 1}], "csv", handle)
        else:
            write_atomic(target, "new\n")
    assert str(caught.value) == (f"{target}: cannot write it (No space left on device); the "
                                 "file is as it was before")
    assert target.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mentions.csv"]


def test_export_rows_are_read_lazily(tmp_path: Path, analyzer: Analyzer) -> None:
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    try:
        post = analyzer.analyze(RawPost("x.txt", "$NVDA soars, $AMD too"))
        assert post is not None
        store.add_posts([post])
        columns, records = export_rows(store, "mentions")
        first = next(records)  # a generator: nothing is read before it is asked for
        assert first["ticker"] == "NVDA" and first["published"] is None
        rest = list(records)
        assert [r["ticker"] for r in rest] == ["AMD"]
        text = render_export(columns, [first, *rest], "jsonl")
        assert [json.loads(line)["ticker"] for line in text.splitlines()] == ["NVDA", "AMD"]
    finally:
        store.close()


def test_a_pipe_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    # `--out /dev/stdout`, `--out /dev/null`, a FIFO: renaming a temporary file over such a
    # name replaced it with a regular file (as root, the system's /dev/null), and reading
    # a FIFO's first bytes for the SQLite header blocked for ever.
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer open it
    try:
        writer = threading.Thread(target=write_atomic, args=(fifo, "new\n"), daemon=True)
        writer.start()
        writer.join(DEADLINE)
        assert not writer.is_alive(), "write_atomic blocked on a FIFO"
        assert os.read(reader, 100) == b"new\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]  # no temporary left


def test_a_folder_that_cannot_be_written_is_named_by_the_output_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The error named the temporary file (`.r.csv.dtlhcvxh.tmp`), never the --out given.
    target = tmp_path / "r.csv"

    def read_only(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied",
                              str(tmp_path / ".r.csv.dtlhcvxh.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(PermissionError) as caught:
        write_atomic(target, "new\n")
    assert caught.value.filename == str(target)
    assert caught.value.strerror == "Permission denied"


def test_a_link_is_written_through(tmp_path: Path) -> None:
    # Renaming over the link replaced it with a regular file and left its target stale.
    (tmp_path / "2026").mkdir()
    real = tmp_path / "2026" / "r.csv"
    real.write_text("old\n", "utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(Path("2026") / "r.csv")
    write_atomic(link, "new\n")
    assert link.is_symlink() and real.read_text("utf-8") == "new\n"
    assert sorted(p.name for p in (tmp_path / "2026").iterdir()) == ["r.csv"]
