"""The record of written reports (.tracker-written.json) when it is damaged or cannot be
written: the reports are still written, and no file it cannot prove refresh wrote is removed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.refreshkit import make_job, write_feed
from tracker.config import Config, load_config
from tracker.ingest.refresh import refresh
from tracker.reports.publish import WRITTEN, write_reports
from tracker.store.database import Store

_DAILY = '[reports]\ntables = [{file = "daily", by = "ticker", freq = "D"}]\n'


def _job(tmp_path: Path) -> tuple[Config, Store]:
    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    config = tmp_path / "config.toml"
    with open(config, "a", encoding="utf-8") as handle:
        handle.write(_DAILY)
    write_feed(tmp_path / "in" / "a.jsonl", 0, 5)
    cfg = load_config(config)
    store = Store(cfg.db_url)
    refresh(cfg, store)
    return cfg, store


def _stamp(path: Path) -> list[int]:
    found = path.stat()
    return [found.st_size, found.st_mtime_ns]


@pytest.mark.parametrize("damage", [
    b'{"%s": {"old\\u0000.csv": [1, 2]}}',  # a NUL in a name reached os.stat: a ValueError
    b'{"%s": {"old.csv": \x00[1, 2]}}',  # a raw NUL: not JSON
    b'\xff\xfe{"%s": {}}',  # not UTF-8
    b'{"%s": {"old.csv": [1, 2]',  # cut short
], ids=["escaped-nul", "raw-nul", "not-utf8", "truncated"])
def test_a_damaged_record_costs_no_report_and_no_file(tmp_path: Path, damage: bytes) -> None:
    cfg, store = _job(tmp_path)
    folder = cfg.reports.folder
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / "old.csv"
    old.write_text("a file the damaged record may name\n", "utf-8")
    assert cfg.path is not None
    key = json.dumps(str(cfg.path.resolve()))[1:-1].encode()
    (folder / WRITTEN).write_bytes(damage.replace(b"%s", key))
    try:
        assert write_reports(cfg, store) == [folder / "daily.csv"]
    finally:
        store.close()
    assert old.exists()
    # Replaced by a record of this run's files, which the next run can read.
    record = json.loads((folder / WRITTEN).read_text("utf-8"))
    assert record == {str(cfg.path.resolve()): {"daily.csv": _stamp(folder / "daily.csv")}}


def test_a_record_naming_a_folder_a_path_or_no_stamp_removes_none_of_them(
        tmp_path: Path) -> None:
    cfg, store = _job(tmp_path)
    folder = cfg.reports.folder
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "outside.csv"
    outside.write_text("not in the reports folder\n", "utf-8")
    kept = folder / "kept.csv"
    kept.write_text("stamp of the wrong shape\n", "utf-8")
    link = folder / "link.csv"
    link.symlink_to(outside)
    assert cfg.path is not None
    entry = {"sub": _stamp(folder / "sub"),  # a folder whose stamp matches: IsADirectoryError
             "../outside.csv": _stamp(outside), "kept.csv": "big",
             "link.csv": _stamp(link)}
    (folder / WRITTEN).write_text(json.dumps({str(cfg.path.resolve()): entry}), "utf-8")
    try:
        assert write_reports(cfg, store) == [folder / "daily.csv"]
    finally:
        store.close()
    assert (folder / "sub").is_dir() and outside.exists() and kept.exists()
    assert link.is_symlink()


def test_a_record_that_cannot_be_written_costs_no_report(tmp_path: Path) -> None:
    cfg, store = _job(tmp_path)
    folder = cfg.reports.folder
    (folder / WRITTEN).mkdir(parents=True)  # in the record's place: it cannot be replaced
    try:
        assert write_reports(cfg, store) == [folder / "daily.csv"]
    finally:
        store.close()
    assert (folder / "daily.csv").stat().st_size > 0
    assert (folder / WRITTEN).is_dir()
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]


def test_a_file_the_record_proves_refresh_wrote_is_still_removed(tmp_path: Path) -> None:
    cfg, store = _job(tmp_path)
    folder = cfg.reports.folder
    try:
        write_reports(cfg, store)
        assert cfg.path is not None
        cfg.path.write_text(cfg.path.read_text("utf-8").replace('"daily"', '"other"'), "utf-8")
        assert write_reports(load_config(cfg.path), store) == [folder / "other.csv"]
    finally:
        store.close()
    assert sorted(os.listdir(folder)) == [WRITTEN, "other.csv"]


def test_a_record_that_is_a_link_is_neither_followed_nor_replaced(tmp_path: Path) -> None:
    # Written through the link, as reports are, it replaced the linked file with JSON.
    cfg, store = _job(tmp_path)
    folder = cfg.reports.folder
    folder.mkdir(parents=True, exist_ok=True)
    notes = tmp_path / "notes.txt"
    notes.write_text("a person's notes\n", "utf-8")
    (folder / WRITTEN).symlink_to(notes)
    try:
        assert write_reports(cfg, store) == [folder / "daily.csv"]
    finally:
        store.close()
    assert notes.read_text("utf-8") == "a person's notes\n"
    assert (folder / WRITTEN).is_symlink()
