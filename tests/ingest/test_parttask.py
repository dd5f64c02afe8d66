"""A cluster task run again (its worker died after its commit) reports its first try's
failures, warnings and counts: the backfill's summary and exit code depend on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.config import Config
from tracker.errors import EmptyPostWarning, SourceError, SourceWarning
from tracker.ingest import parttask
from tracker.ingest.partitions import Partition, group_pieces, merge_tallies, plan_pieces
from tracker.ingest.parttask import PartResult, run_partition
from tracker.store import partnotes
from tracker.store.database import Store
from tracker.store.partnotes import NOTES_KEPT, decode_notes, encode_notes


def _said(result: PartResult) -> tuple:
    c = result.counts
    return ([str(f) for f in c.failures], [(type(w).__name__, str(w)) for w in result.warnings],
            c.warnings, c.empty_posts, c.posts_seen, c.posts_added, c.mentions_added,
            c.files_failed, c.posts_failed, c.dated,
            [str(w) for t in merge_tallies(result.dates) for w in t.summaries()])


def _twice(part: Partition, cfg: Config, db_url: str) -> tuple[PartResult, PartResult]:
    """The first try of `part`, and a try run again after it (its worker died)."""
    store = Store(db_url)
    try:
        run = store.start_run("backfill")
        return run_partition(part, cfg, db_url, run), run_partition(part, cfg, db_url, run)
    finally:
        store.close()
        parttask._stores.pop(db_url).close()


def test_a_retried_partition_reports_its_first_tries_failures(
        tmp_path: Path, cfg: Config, db_url: str) -> None:
    lines = [json.dumps({"id": str(i), "text": f"$NVDA post {i} rallies hard."})
             for i in range(6)]
    lines[2] = '{"id": "2", "text": '  # bad JSON: a failure with its line
    lines[4] = json.dumps({"id": "4", "text": "个人观点不构成投资建议"})  # empty after cleaning
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "b.jsonl").write_text("not json\n", "utf-8")
    pieces, errors = plan_pieces([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], part_bytes=40)
    assert not errors and len(pieces) > 2  # split in byte ranges, each with its own row
    (part,) = group_pieces(pieces, part_bytes=10**6)
    store = Store(db_url)
    try:
        run = store.start_run("backfill")
        first = run_partition(part, cfg, db_url, run)
        retried = run_partition(part, cfg, db_url, run)
    finally:
        store.close()
        parttask._stores.pop(db_url).close()
    assert first.pieces_skipped == 0 and retried.pieces_skipped == len(pieces)
    assert len(first.counts.failures) == 2 and first.counts.empty_posts == 1
    assert _said(retried) == _said(first)
    assert [(f.path, f.line) for f in retried.counts.failures] == [
        (f.path, f.line) for f in first.counts.failures]


def test_stored_notes_keep_the_first_messages_and_the_full_counts() -> None:
    failures = [SourceError("a.jsonl", "bad JSON", line=i, hint="fix it")
                for i in range(NOTES_KEPT + 5)]
    warnings: list[SourceWarning] = [EmptyPostWarning("a.jsonl", "empty", line=1),
                                     SourceWarning("a.jsonl", "no date", line=2)]
    text = encode_notes(failures, warnings, len(warnings), 1)
    kept, said, counted, empty, _, _ = decode_notes(text)
    # Those after the first NOTES_KEPT are kept too, as one message and one run of lines.
    assert [str(f) for f in kept] == [str(f) for f in failures]
    assert len(json.loads(text or "")["more"]) == 1
    assert [type(w) for w in said] == [EmptyPostWarning, SourceWarning]
    assert (counted, empty) == (2, 1)
    assert json.loads(text or "")["failures"] == NOTES_KEPT + 5
    assert encode_notes([], [], 0, 0) is None
    assert decode_notes(None) == ([], [], 0, 0, {}, None)


def test_a_retried_partition_lists_every_bad_record_and_dates_as_its_first_try(
        tmp_path: Path, cfg: Config, db_url: str) -> None:
    # A retried part listed only 100 bad records of a piece (the summary said 100 failed,
    # not 250), said nothing of how its posts were dated, and left its byte ranges out of
    # the file's "no usable date" warning.
    lines = [json.dumps({"id": str(i), "text": f"$NVDA post {i} rallies hard."})
             if i % 3 else '{"id": "cut", "text": ' for i in range(750)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    pieces, _ = plan_pieces([tmp_path / "a.jsonl"], part_bytes=4_000)
    assert len(pieces) > 3 and pieces[0].split
    (part,) = group_pieces(pieces, part_bytes=10**6)
    first, retried = _twice(part, cfg, db_url)
    assert first.counts.posts_failed == 250 and first.counts.dated
    assert merge_tallies(first.dates)[0].summaries()  # 500 records without a date
    assert _said(retried) == _said(first)
    assert [(f.path, f.line) for f in retried.counts.failures] == [
        (f.path, f.line) for f in first.counts.failures]


def test_notes_past_the_runs_kept_are_counted_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partnotes, "RUNS_KEPT", 3)
    failures = [SourceError("a.jsonl", "bad JSON", line=i) for i in range(1, 4 * NOTES_KEPT, 2)]
    kept, said, *_ = decode_notes(encode_notes(failures, [], 0, 0))
    assert [f.line for f in kept] == [f.line for f in failures[:NOTES_KEPT + 3]]
    assert [str(w) for w in said] == [
        "a.jsonl: 97 more bad records and 0 more warnings of this part of the file, said by "
        "the backfill's first try of it, are not listed again: a retried part keeps 3 runs "
        "of lines of them (the summary's failed count leaves these out)"]


def test_a_row_an_earlier_tracker_stored_says_what_it_cannot_list() -> None:
    # Stored before the notes past the first NOTES_KEPT were kept: its 150 other bad records
    # and 20 other warnings were dropped without a word on a retry across an upgrade.
    row = json.dumps({"failures": NOTES_KEPT + 150, "warnings": NOTES_KEPT + 20,
                      "empty_posts": 0,
                      "kept": [["error", "a.jsonl", i, "bad JSON", None]
                               for i in range(1, NOTES_KEPT + 1)]
                      + [["warning", "a.jsonl", i, "no date", None]
                         for i in range(1, NOTES_KEPT + 1)]})
    kept, said, *_ = decode_notes(row)
    assert len(kept) == NOTES_KEPT
    assert [str(w) for w in said[NOTES_KEPT:]] == [
        "a.jsonl: 150 more bad records and 20 more warnings of this part of the file, said by "
        "the backfill's first try of it, are not listed again: a retried part keeps the "
        f"first {NOTES_KEPT} of each kind when an earlier tracker stored it (the summary's "
        "failed count leaves these out)"]
