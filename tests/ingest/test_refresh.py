"""Incremental refresh on SQLite and PostgreSQL: only new and changed input is read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.refreshkit import make_job, record, snapshot, write_feed
from tracker.config import Config, load_config
from tracker.ingest.refresh import refresh
from tracker.store.database import Store


def run(cfg, prune: bool = False, warnings: list[str] | None = None):  # type: ignore[no-untyped-def]
    """One refresh: its counts, the files it had to read, a snapshot and the row counts;
    the warnings it said are appended to `warnings`."""
    store = Store(cfg.db_url)
    seen: list[int] = []
    told = (lambda w: warnings.append(str(w))) if warnings is not None else None
    try:
        result = refresh(cfg, store, prune=prune, on_start=seen.append, on_warning=told)
        return result, seen[0], snapshot(store), store.counts_all()
    finally:
        store.close()


def job_with(folder: Path, sources: str) -> Config:
    """A job on a SQLite file in `folder` whose [sources] table holds `sources`."""
    (folder / "config.toml").write_text(
        f'[database]\nurl = "sqlite:///{folder / "t.db"}"\n[dates]\ntimezone = "UTC"\n'
        f"[sources]\n{sources}\n", "utf-8")
    return load_config(folder / "config.toml")


def test_second_refresh_with_no_change_reads_nothing(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    write_feed(tmp_path / "in" / "a.jsonl", 0, 40)
    (tmp_path / "in" / "b.txt").write_text("$NVDA is soaring today", "utf-8")
    first, to_read, snap, counts = run(cfg)
    assert (first.files_new, first.posts_added, to_read) == (2, 41, 2)
    again, to_read, snap2, counts2 = run(cfg)
    assert to_read == 0  # size and mtime unchanged: no file opened
    assert (again.files_seen, again.files_new, again.files_changed, again.files_appended,
            again.posts_seen, again.posts_added, again.mentions_added) == (2, 0, 0, 0, 0, 0, 0)
    assert snap2 == snap
    assert counts2 == {**counts, "ingest_runs": 2}


def test_appended_jsonl_line_is_ingested_alone(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    feed = tmp_path / "in" / "feed.jsonl"
    write_feed(feed, 0, 3)
    run(cfg)
    write_feed(feed, 3, 4)
    result, to_read, snap, _ = run(cfg)
    assert (result.files_appended, result.posts_seen, result.posts_added) == (1, 1, 1)
    assert result.mentions_added == 2
    lines = {line for (_id, _src, line, _pub, _tone) in snap["posts"]}
    assert lines == {1, 2, 3, 4}
    assert snap["files"][0][3] == feed.stat().st_size  # read up to the end


def test_unfinished_last_line_waits_for_its_newline(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    feed = tmp_path / "in" / "feed.jsonl"
    write_feed(feed, 0, 2)
    line = record(2)
    with open(feed, "a", encoding="utf-8") as handle:
        handle.write(line[:20])  # a writer half-way through a line
    first, _, _, _ = run(cfg)
    assert (first.posts_added, first.failures) == (2, [])
    with open(feed, "a", encoding="utf-8") as handle:
        handle.write(line[20:])
    second, _, snap, _ = run(cfg)
    assert (second.posts_added, second.failures) == (1, [])
    assert sorted(p[2] for p in snap["posts"]) == [1, 2, 3]


def test_changed_file_replaces_its_posts(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    feed = tmp_path / "in" / "feed.jsonl"
    other = tmp_path / "in" / "other.jsonl"
    write_feed(feed, 0, 5)
    write_feed(other, 4, 6)  # post 4 is in both files
    _, _, before, _ = run(cfg)
    # Edited (its first post is still first): 1-4 gone, 100 new.
    feed.write_text(record(0) + record(100), "utf-8")
    result, _, after, counts = run(cfg)
    assert (result.files_changed, result.posts_added, result.posts_removed) == (1, 1, 3)
    gone = {p[0] for p in before["posts"]} - {p[0] for p in after["posts"]}
    assert len(gone) == 3 and not gone & {p[1] for p in after["links"]}
    assert counts["posts"] == 5 - 3 + 1 + 1  # 0, 100 from feed; 4 (still in other), 5
    assert len(after["mentions"]) == 2 * counts["posts"]
    assert {line for (_f, _p, line) in after["links"] if _f.endswith("feed.jsonl")} == {1, 2}


@pytest.mark.parametrize("new_lines", [(), (7,), (4, 7, 8, 9, 10, 11, 12)],
                         ids=["truncated", "shorter", "longer"])
def test_rotated_jsonl_keeps_its_earlier_posts(tmp_path: Path, db_url: str,
                                               new_lines: tuple[int, ...]) -> None:
    # logrotate's copytruncate empties the feed in place and the writer goes on: each cron
    # run after it deleted every post the feed had held (the copy, feed.jsonl.1, is never
    # read). The new content is read from its start; a post in both versions is one post.
    cfg = make_job(tmp_path, db_url)
    feed = tmp_path / "in" / "feed.jsonl"
    write_feed(feed, 0, 5)
    _, _, before, _ = run(cfg)
    feed.write_text("".join(record(i) for i in new_lines), "utf-8")
    result, _, after, counts = run(cfg)
    fresh = len(set(new_lines) - {0, 1, 2, 3, 4})
    assert (result.files_changed, result.posts_added, result.posts_removed) == (1, fresh, 0)
    assert counts["posts"] == 5 + fresh and len(after["mentions"]) == 2 * counts["posts"]
    assert set(before["posts"]) <= set(after["posts"])
    write_feed(feed, 20, 21)  # the rotated feed grows: its new line alone is read
    grown, _, _, counts = run(cfg)
    assert (grown.files_appended, grown.posts_seen, grown.posts_added) == (1, 1, 1)
    pruned = run(cfg, prune=True)[3]  # the file is there: nothing to prune
    assert pruned["posts"] == counts["posts"] == 6 + fresh


@pytest.mark.slow
def test_touched_file_is_not_read_again(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    post = tmp_path / "in" / "p.txt"
    post.parent.mkdir()
    post.write_text("$TSLA is up", "utf-8")
    run(cfg)
    os.utime(post, (1e9, 1e9))
    result, to_read, _, _ = run(cfg)
    assert to_read == 1 and (result.files_changed, result.posts_seen) == (0, 0)
    _, to_read, _, _ = run(cfg)
    assert to_read == 0


@pytest.mark.slow
def test_deleted_file_keeps_its_posts_unless_pruned(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    write_feed(tmp_path / "in" / "a.jsonl", 0, 3)
    write_feed(tmp_path / "in" / "b.jsonl", 2, 4)  # post 2 in both
    run(cfg)
    (tmp_path / "in" / "a.jsonl").unlink()
    kept, _, _, counts = run(cfg)
    assert (kept.files_missing, kept.posts_removed, counts["posts"]) == (1, 0, 4)
    pruned, _, snap, counts = run(cfg, prune=True)
    assert (pruned.files_removed, pruned.posts_removed, counts["posts"]) == (1, 2, 2)
    assert counts["source_files"] == 1 and len(snap["mentions"]) == 4


def test_bad_lines_are_reported_once_with_file_and_line(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text(record(0) + "{broken\n" + record(1), "utf-8")
    result, _, _, counts = run(cfg)
    assert [str(f) for f in result.failures] == [f"{feed}:2: invalid JSON: Expecting property "
                                                 "name enclosed in double quotes"]
    assert counts["posts"] == 2
    again, _, _, _ = run(cfg)
    assert again.failures == []


@pytest.mark.slow
def test_posts_stored_by_ingest_are_never_removed_by_refresh(tmp_path: Path) -> None:
    from tracker.ingest.pipeline import ingest

    job = make_job(tmp_path / "job", f"sqlite:///{tmp_path / 'job' / 't.db'}")
    feed = tmp_path / "job" / "in" / "feed.jsonl"
    write_feed(feed, 0, 2)
    store = Store(job.db_url)
    ingest([feed], job, store)
    store.close()
    run(job)
    feed.write_text(record(5), "utf-8")
    result, _, _, counts = run(job)
    assert result.posts_removed == 0 and counts["posts"] == 3


@pytest.mark.parametrize("killed_after", [1, 3], ids=["after-1-batch", "after-3-batches"])
@pytest.mark.slow
def test_run_stopped_between_batches_resumes_exactly(tmp_path: Path, killed_after: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 't.db'}"
    cfg = make_job(tmp_path / "a", url, batch_size=7)
    write_feed(tmp_path / "a" / "in" / "big.jsonl", 0, 50)
    write_feed(tmp_path / "a" / "in" / "small.jsonl", 50, 55)
    real = Store.apply_file_updates
    calls = []

    def dying(self, updates, run_id=None):  # type: ignore[no-untyped-def]
        if len(calls) == killed_after:
            raise KeyboardInterrupt  # stands in for the process dying mid-run
        calls.append(1)
        return real(self, updates, run_id)

    monkeypatch.setattr(Store, "apply_file_updates", dying)
    with pytest.raises(KeyboardInterrupt):
        run(cfg)
    monkeypatch.setattr(Store, "apply_file_updates", real)
    _, _, resumed, _ = run(cfg)

    ref_cfg = make_job(tmp_path / "b", f"sqlite:///{tmp_path / 'b' / 't.db'}", batch_size=7)
    write_feed(tmp_path / "b" / "in" / "big.jsonl", 0, 50)
    write_feed(tmp_path / "b" / "in" / "small.jsonl", 50, 55)
    store = Store(ref_cfg.db_url)
    refresh(ref_cfg, store)
    reference = snapshot(store, tmp_path / "b")
    store.close()
    store = Store(url)
    assert snapshot(store, tmp_path / "a") == reference
    store.close()


def test_runaway_post_costs_one_post_not_the_refresh(tmp_path: Path, db_url: str) -> None:
    make_job(tmp_path, db_url)
    (tmp_path / "config.toml").write_text(
        (tmp_path / "config.toml").read_text("utf-8") + "[input]\nmax_post_chars = 100\n",
        "utf-8")
    cfg = load_config(tmp_path / "config.toml")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 3)
    (tmp_path / "in" / "big.txt").write_text("$NVDA soars. " * 20, "utf-8")
    result, _, _, _ = run(cfg)
    assert result.posts_added == 3
    (failure,) = result.failures
    assert failure.path.endswith("big.txt") and "max_post_chars = 100" in failure.message


def test_deeply_nested_line_costs_that_line_as_in_ingest(tmp_path: Path) -> None:
    from tracker.ingest.pipeline import ingest

    feed = tmp_path / "in" / "feed.jsonl"
    write_feed(feed, 0, 1)
    with open(feed, "a", encoding="utf-8") as handle:
        handle.write("[" * 100_000 + "]" * 100_000 + "\n")
    write_feed(feed, 1, 3)
    (tmp_path / "in" / "later.jsonl").write_text(record(9), "utf-8")
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 'r.db'}")
    result, _, snap, _ = run(cfg)
    ingested = ingest([tmp_path / "in"], cfg, store := Store(f"sqlite:///{tmp_path / 'i.db'}"))
    store.close()
    for outcome in (result, ingested):
        assert outcome.posts_added == 4
        (failure,) = outcome.failures
        assert (failure.line, failure.message) == (2, "invalid JSON: nested too deeply to be a post")
    assert sorted(p[2] for p in snap["posts"]) == [1, 1, 3, 4]


def test_line_separators_inside_strings_do_not_split_lines(tmp_path: Path) -> None:
    from tracker.ingest.pipeline import ingest

    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    lines = [json.dumps({"id": str(i), "text": f"$NVDA up{sep}and away {i}"}, ensure_ascii=False)
             for i, sep in enumerate(["\u2028", "\u2029", "\u0085", "\u2028\u2029\u0085"])]
    feed.write_text("\n".join(lines) + "\n", "utf-8")
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 'r.db'}")
    refreshed, _, _, _ = run(cfg)
    store = Store(f"sqlite:///{tmp_path / 'i.db'}")
    ingested = ingest([feed], cfg, store)
    store.close()
    for outcome in (refreshed, ingested):
        assert (outcome.posts_added, outcome.failures) == (4, [])


def test_refresh_with_two_workers_stores_what_one_stores(tmp_path: Path) -> None:
    snaps = []
    for workers in (1, 2):
        folder = tmp_path / f"w{workers}"
        cfg = make_job(folder, f"sqlite:///{folder / 't.db'}", batch_size=30)
        write_feed(folder / "in" / "a.jsonl", 0, 120)
        (folder / "in" / "b.txt").write_text("$NVDA is soaring today", "utf-8")
        os.utime(folder / "in" / "b.txt", (1.7e9, 1.7e9))  # dated by its file
        store = Store(cfg.db_url)
        result = refresh(cfg, store, workers=workers)
        assert (result.posts_added, result.failures) == (121, [])
        snaps.append(snapshot(store, folder))
        store.close()
    assert snaps[0] == snaps[1]


def test_batch_that_fails_to_store_is_read_again_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from tracker.store import sqlitewait

    db = tmp_path / "t.db"
    cfg = make_job(tmp_path, f"sqlite:///{db}", batch_size=10)
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 200)
    monkeypatch.setattr(sqlitewait, "BUSY_TIMEOUT_MS", 50)
    real_apply = Store.apply_file_updates
    calls: list[int] = []
    holder = sqlite3.connect(db, isolation_level=None, timeout=5)

    def locked_for_a_while(self, updates, run_id=None):  # type: ignore[no-untyped-def]
        # Once 30 posts are stored, another connection holds the database while the
        # next batch tries to store; the batches after it would store fine.
        calls.append(1)
        if len(calls) != 4:
            return real_apply(self, updates, run_id)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            return real_apply(self, updates, run_id)
        finally:
            holder.execute("COMMIT")

    monkeypatch.setattr(Store, "apply_file_updates", locked_for_a_while)
    first, _, _, counts = run(cfg)
    holder.close()
    assert first.posts_added == 30 and counts["posts"] == 30
    assert [f.message.startswith("not stored, will retry next run") for f in first.failures] \
        == [True]
    second, _, _, counts = run(cfg)
    assert (second.posts_added, second.failures, counts["posts"]) == (170, [], 200)


def test_run_killed_after_a_commit_leaves_reports_stale(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC

    from sqlalchemy import select

    from tracker.reports.publish import write_reports
    from tracker.store.database import ingest_runs

    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=5)
    with open(tmp_path / "config.toml", "a", encoding="utf-8") as handle:
        handle.write('[reports]\ntables = [{file = "daily", by = "ticker", freq = "D"}]\n')
    cfg = load_config(tmp_path / "config.toml")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 5)
    store = Store(cfg.db_url)
    refresh(cfg, store)
    assert write_reports(cfg, store) == [tmp_path / "reports" / "daily.csv"]
    report = tmp_path / "reports" / "daily.csv"
    write_feed(tmp_path / "in" / "a.jsonl", 5, 20)
    real_finish = Store.finish_run

    def killed(self, run_id, counts):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # the process dies after its batches committed

    monkeypatch.setattr(Store, "finish_run", killed)
    with pytest.raises(KeyboardInterrupt):
        refresh(cfg, store)
    monkeypatch.setattr(Store, "finish_run", real_finish)
    with store.engine.connect() as conn:
        (finished, _), (_, started) = conn.execute(
            select(ingest_runs.c.finished_at, ingest_runs.c.started_at)
            .order_by(ingest_runs.c.id)).all()
    # The report was written between the first run's end and the killed run's start.
    between = (finished + (started - finished) / 2).replace(tzinfo=UTC).timestamp()
    os.utime(report, (between, between))
    again = refresh(cfg, store)
    assert again.posts_added == 0
    assert write_reports(cfg, store) == [report]
    store.close()


def test_temporary_report_files_of_a_killed_write_are_removed(tmp_path: Path) -> None:
    import time

    from tracker.reports.publish import WRITTEN, write_reports

    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    with open(tmp_path / "config.toml", "a", encoding="utf-8") as handle:
        handle.write('[reports]\ntables = [{file = "daily", by = "ticker", freq = "D"}]\n')
    cfg = load_config(tmp_path / "config.toml")
    folder = tmp_path / "reports"
    folder.mkdir()
    left = folder / ".daily.csv.k2j4x9.tmp"  # a write killed before its rename
    left.write_text("half a rep", "utf-8")
    os.utime(left, (1.7e9, 1.7e9))
    busy = folder / ".daily.csv.a8b7c6.tmp"  # a writer at work since after the lock
    busy.write_text("being written", "utf-8")
    record = folder / f".{WRITTEN}.z9y8x7.tmp"  # the record of written reports' own
    record.write_text("{", "utf-8")
    os.utime(record, (1.7e9, 1.7e9))
    other = folder / ".notes.md.q1w2e3.tmp"  # not a configured report
    other.write_text("x", "utf-8")
    os.utime(other, (1.7e9, 1.7e9))
    store = Store(cfg.db_url)
    write_reports(cfg, store, temps_before=time.time() - 60)
    store.close()
    assert sorted(p.name for p in folder.iterdir()) == [
        ".daily.csv.a8b7c6.tmp", ".notes.md.q1w2e3.tmp", WRITTEN, "daily.csv"]


@pytest.mark.parametrize("source", ["path", "glob"])
def test_prune_keeps_the_posts_of_a_source_that_is_missing(tmp_path: Path, source: str) -> None:
    # An unmounted share looks like a folder whose files were all deleted: --prune deleted
    # every post it held.
    cfg = job_with(tmp_path, 'paths = ["share/in"]' if source == "path" else
                   'globs = ["share/in/**/*.jsonl"]')
    write_feed(tmp_path / "share" / "in" / "x" / "a.jsonl", 0, 3)
    write_feed(tmp_path / "share" / "in" / "y" / "b.jsonl", 3, 5)
    run(cfg)
    (tmp_path / "share").rename(tmp_path / "away")
    warnings: list[str] = []
    kept, _, _, counts = run(cfg, prune=True, warnings=warnings)
    assert (kept.files_missing, kept.files_removed, kept.posts_removed) == (2, 0, 0)
    assert counts["posts"] == 5
    root = tmp_path / "share" / "in"  # the path, or the glob's part before its wildcards
    assert warnings == [f"{root}: not pruned: this source path is missing or cannot be read, "
                        "so the posts of its 2 stored files are kept; prune again once it "
                        "is back (an empty folder in its place lets them go)"]
    (tmp_path / "share" / "in").mkdir(parents=True)  # back, and empty: now they go
    pruned, _, _, counts = run(cfg, prune=True)
    assert (pruned.files_removed, pruned.posts_removed, counts["posts"]) == (2, 5, 0)


def test_a_glob_whose_folder_is_missing_fails_as_a_missing_path(tmp_path: Path) -> None:
    # A mistyped or unmounted folder under [sources] globs matched nothing, and every cron
    # run said "0 files, 0 failed", exit 0, while a missing path fails.
    cfg = job_with(tmp_path, 'globs = ["inbx/**/*.jsonl", "inbox/**/*.jsonl"]')
    write_feed(tmp_path / "inbox" / "a.jsonl", 0, 3)
    result, _, _, counts = run(cfg)
    assert (result.files_failed, counts["posts"]) == (1, 3)  # the other pattern is read
    assert [str(f) for f in result.failures] == [
        f"{tmp_path / 'inbx'}: no such folder, where [sources] globs pattern "
        f"{tmp_path / 'inbx' / '**' / '*.jsonl'} starts"]
    (tmp_path / "inbx").mkdir()  # there, and empty: nothing to say
    again, _, _, _ = run(cfg)
    assert (again.files_failed, again.failures) == (0, [])


def test_the_reports_refresh_writes_are_never_read_as_posts(tmp_path: Path) -> None:
    # With the config's own folder as the source, each run read the last run's briefing
    # (and its CSV tables, as failures) and counted its tickers again.
    cfg = job_with(tmp_path, 'paths = ["."]')
    write_feed(tmp_path / "posts" / "a.jsonl", 0, 3)
    first, _, _, _ = run(cfg)
    for table in ("tickers-daily", "groups-weekly"):
        (tmp_path / "reports").mkdir(exist_ok=True)
        (tmp_path / "reports" / f"{table}.md").write_text("# $NVDA rallies, $AMD falls\n")
        (tmp_path / "reports" / f"{table}.csv").write_text("period,ticker\n2026-03-01,NVDA\n")
    again, _, snap, counts = run(cfg)
    assert (first.files_seen, again.files_seen, again.failures) == (1, 1, [])
    assert counts["posts"] == 3
    assert {os.path.relpath(p[1], tmp_path) for p in snap["posts"]} == {"posts/a.jsonl"}


def test_a_csv_is_refreshed_as_ingest_reads_it(tmp_path: Path, db_url: str) -> None:
    # Streamed since the seventh walk (sources/csvfile.py): hashed in one pass, read in
    # another; a touched file is not read again, an edited one replaces its posts, and a
    # file in another encoding is read whole, as ingest reads it.
    cfg = make_job(tmp_path, db_url)
    sheet = tmp_path / "in" / "sheet.csv"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    rows = 'id,text,published\n1,"$NVDA up, strong",2026-03-01\n2,"$TSLA\nweak",2026-03-02\n'
    sheet.write_bytes(rows.encode("utf-8"))
    first, _, snap, _ = run(cfg)
    assert (first.files_new, first.posts_added, first.failures) == (1, 2, [])
    os.utime(sheet, (1_800_000_000, 1_800_000_000))
    again, to_read, snap2, _ = run(cfg)
    assert (to_read, again.posts_seen, again.files_changed) == (1, 0, 0) and snap2 == snap
    sheet.write_bytes(rows.encode("utf-8") + "3,Café $AAPL,2026-03-03\n".encode("cp1252"))
    edited, _, snap3, _ = run(cfg)
    assert (edited.files_changed, edited.posts_seen, edited.failures) == (1, 3, [])
    assert sorted(p[2] for p in snap3["posts"]) == [2, 4, 5]  # a row is at its last line
    assert "AAPL" in {m[1] for m in snap3["mentions"]}


def _json_list(path: Path, start: int, stop: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[\n" + ",\n".join(record(i).strip() for i in range(start, stop)) + "\n]",
                    "utf-8")


def test_a_json_list_is_refreshed_as_ingest_reads_it(tmp_path: Path, db_url: str) -> None:
    # Streamed since the fourteenth walk (sources/jsonlist.py): hashed in one pass, read
    # in others; a touched file is not read again, an edited one replaces its posts, a bad
    # record costs that record (the file was lost whole) and a file cut short changes
    # nothing stored.
    cfg = make_job(tmp_path, db_url, batch_size=3)
    dump = tmp_path / "in" / "dump.json"
    _json_list(dump, 0, 8)
    first, _, snap, _ = run(cfg)
    assert (first.files_new, first.posts_added, first.failures) == (1, 8, [])
    assert sorted(p[2] for p in snap["posts"]) == list(range(1, 9))  # a record's number
    assert snap["files"][0][1:4:2] == (dump.stat().st_size, dump.stat().st_size)
    os.utime(dump, (1_800_000_000, 1_800_000_000))
    again, to_read, snap2, _ = run(cfg)
    assert (to_read, again.posts_seen, again.files_changed) == (1, 0, 0) and snap2 == snap
    _json_list(dump, 4, 10)
    # A raw tab in a string is no JSON: record 2, post5, on line 3.
    dump.write_text(dump.read_text("utf-8").replace('"post 5', '"post\t5'), "utf-8")
    edited, _, snap3, counts = run(cfg)
    assert (edited.files_changed, edited.posts_seen, edited.posts_added) == (1, 5, 2)
    assert [str(f) for f in edited.failures] == [
        f"{dump}:3: invalid JSON: Invalid control character in record 2, which is skipped"]
    assert counts["posts"] == 5  # post4 and post6 to post9: the first version's are gone
    dump.write_text(dump.read_text("utf-8")[:-40], "utf-8")  # cut short, or being written
    for _run in range(2):
        # Its earlier posts are kept (they were deleted, the cut file holding none), and it
        # is read again next run (it was counted as read until it changed again).
        cut, to_read, snap4, _ = run(cfg)
        assert (to_read, cut.posts_added, cut.posts_removed) == (1, 0, 0)
        assert snap4["posts"] == snap3["posts"] and snap4["files"] == snap3["files"]
        [failure] = cut.failures
        assert failure.line == 7 and failure.message.endswith("no record of the file was read")
    _json_list(dump, 4, 11)
    whole_again, _, _, counts = run(cfg)
    assert (whole_again.posts_added, whole_again.failures, counts["posts"]) == (2, [], 7)


def test_a_json_list_changed_while_it_is_read_is_read_again(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Streamed, a list rewritten while its posts were read could be stored part old, part
    # new, under the old version's hash: the file is stopped, stores nothing, and the next
    # run reads its new version whole.
    from tracker.ingest import refresh as refresh_module

    cfg = make_job(tmp_path, db_url, batch_size=2)
    dump = tmp_path / "in" / "dump.json"
    _json_list(dump, 0, 6)
    posts = refresh_module.json_posts

    def rewritten_after_the_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        for i, item in enumerate(posts(*args, **kwargs)):
            yield item
            if i == 0:
                _json_list(dump, 10, 13)
                os.utime(dump, ns=(dump.stat().st_atime_ns, dump.stat().st_mtime_ns + 10**9))

    monkeypatch.setattr(refresh_module, "json_posts", rewritten_after_the_first)
    first, _, snap, counts = run(cfg)
    assert counts["posts"] == 0 and first.posts_added == 0
    assert [str(f) for f in first.failures] == [
        f"{dump}: changed while it was read; it will be read again next run"]
    monkeypatch.setattr(refresh_module, "json_posts", posts)
    second, _, snap, counts = run(cfg)
    assert (second.files_new, second.posts_added, second.failures) == (1, 3, [])
    assert counts["posts"] == 3 and snap["files"][0][1] == dump.stat().st_size


def test_a_csv_changed_while_it_is_read_is_read_again(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Read from a slice of the size it had, a CSV rewritten while refresh read it gave 4
    # posts: the old version's first row, then the new version's bytes from where the
    # reading was, cut at the old size; stored under the old version's hash until the next
    # run replaced them.
    from tracker.ingest import refresh as refresh_module

    cfg = make_job(tmp_path, db_url, batch_size=2)
    sheet = tmp_path / "in" / "sheet.csv"
    sheet.parent.mkdir(parents=True, exist_ok=True)

    def rows(prefix: str) -> str:
        return "id,text\n" + "".join(f"{prefix}{i},{prefix} {i}: $TSLA is strong\n"
                                     for i in range(4))

    sheet.write_text(rows("a"), "utf-8")
    lines = refresh_module.read_csv_lines

    def rewritten_after_the_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        for i, item in enumerate(lines(*args, **kwargs)):
            yield item
            if i == 0:
                sheet.write_text(rows("longer"), "utf-8")
                os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 10**9))

    monkeypatch.setattr(refresh_module, "read_csv_lines", rewritten_after_the_first)
    first, _, _, counts = run(cfg)
    assert (counts["posts"], first.posts_added) == (0, 0)
    assert [str(f) for f in first.failures] == [
        f"{sheet}: changed while it was read; it will be read again next run"]
    monkeypatch.setattr(refresh_module, "read_csv_lines", lines)
    second, _, snap, counts = run(cfg)
    assert (second.files_new, second.posts_added, second.failures) == (1, 4, [])
    assert snap["files"][0][1] == sheet.stat().st_size


def test_a_csv_that_grows_while_it_is_read_keeps_what_was_read(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rows appended meanwhile leave what was read as it was hashed: stored, and the new
    # rows read next run (the file is then changed, and read whole).
    from tracker.ingest import refresh as refresh_module

    cfg = make_job(tmp_path, db_url, batch_size=2)
    sheet = tmp_path / "in" / "sheet.csv"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text("id,text\n" + "".join(f"a{i},a {i}: $TSLA is strong\n" for i in range(4)),
                     "utf-8")
    lines = refresh_module.read_csv_lines

    def grown_after_the_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        for i, item in enumerate(lines(*args, **kwargs)):
            yield item
            if i == 0:
                with sheet.open("a", encoding="utf-8") as handle:
                    handle.write("a4,a 4: $NVDA is weak\n")
                os.utime(sheet, ns=(sheet.stat().st_atime_ns, sheet.stat().st_mtime_ns + 10**9))

    monkeypatch.setattr(refresh_module, "read_csv_lines", grown_after_the_first)
    first, _, _, counts = run(cfg)
    assert (counts["posts"], first.posts_added, first.failures) == (4, 4, [])
    monkeypatch.setattr(refresh_module, "read_csv_lines", lines)
    second, _, _, counts = run(cfg)
    assert (second.files_changed, second.posts_added, second.failures, counts["posts"]) == (
        1, 1, [], 5)


def test_a_report_is_written_again_when_the_config_changes(tmp_path: Path) -> None:
    # Given another freq with no post added or removed, `daily.csv` kept its daily rows
    # (0 reports written) until the sources next changed, for ever if they never did.
    from tracker.reports.publish import write_reports

    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    config = tmp_path / "config.toml"
    base = config.read_text("utf-8")
    config.write_text(base + '[reports]\ntables = [{file = "t", by = "ticker", freq = "D"}]\n',
                      "utf-8")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 5)
    report = tmp_path / "reports" / "t.csv"
    store = Store(load_config(config).db_url)
    try:
        refresh(load_config(config), store)
        assert write_reports(load_config(config), store) == [report]
        assert write_reports(load_config(config), store) == []  # nothing changed
        first = report.read_text("utf-8")
        config.write_text(base + '[reports]\ntables = [{file = "t", by = "ticker", '
                          'freq = "M"}]\n', "utf-8")
        edited = report.stat().st_mtime + 1  # after the report, on a coarse clock too
        os.utime(config, (edited, edited))
        assert write_reports(load_config(config), store) == [report]
        assert report.read_text("utf-8") != first
    finally:
        store.close()


def test_a_report_file_whose_table_left_the_config_is_removed(tmp_path: Path) -> None:
    # The files of a table taken out of the config (or of a format dropped) stayed in the
    # reports folder as last written, read as if refresh still kept them up to date.
    from tracker.reports.publish import WRITTEN, write_reports

    make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    config = tmp_path / "config.toml"
    base = config.read_text("utf-8")

    def tables(*entries: str) -> Config:
        config.write_text(base + f"[reports]\ntables = [{', '.join(entries)}]\n", "utf-8")
        return load_config(config)

    daily = '{file = "daily", by = "ticker", freq = "D", formats = ["csv", "md"]}'
    weekly = '{file = "weekly", by = "group", freq = "W"}'
    monthly = '{file = "monthly", by = "ticker", freq = "M"}'
    write_feed(tmp_path / "in" / "a.jsonl", 0, 5)
    folder = tmp_path / "reports"
    store = Store(load_config(config).db_url)
    try:
        refresh(load_config(config), store)
        write_reports(tables(daily, weekly, monthly), store)
        (folder / "mine.csv").write_text("a person's own file\n", "utf-8")
        (folder / "monthly.csv").write_text("edited by hand\n", "utf-8")
        write_reports(tables('{file = "daily", by = "ticker", freq = "D"}'), store)
        # daily.md and weekly.csv were refresh's; the edited monthly.csv and mine.csv are not.
        assert sorted(p.name for p in folder.iterdir()) == [
            WRITTEN, "daily.csv", "mine.csv", "monthly.csv"]
        assert write_reports(tables(), store) == []
        assert sorted(p.name for p in folder.iterdir()) == [WRITTEN, "mine.csv", "monthly.csv"]
    finally:
        store.close()


def test_a_config_sharing_the_reports_folder_removes_none_of_the_others_files(
        tmp_path: Path) -> None:
    from tracker.reports.publish import write_reports

    folder = tmp_path / "reports"
    configs = []
    for name in ("a", "b"):
        make_job(tmp_path / name, f"sqlite:///{tmp_path / name / 't.db'}")
        config = tmp_path / name / "config.toml"
        with open(config, "a", encoding="utf-8") as handle:
            handle.write(f'[reports]\nfolder = "{folder}"\n'
                         f'tables = [{{file = "{name}", by = "ticker", freq = "D"}}]\n')
        configs.append(config)
        write_feed(tmp_path / name / "in" / "a.jsonl", 0, 5)
    for config in configs:
        store = Store(load_config(config).db_url)
        try:
            refresh(load_config(config), store)
            written = write_reports(load_config(config), store)
            assert written == [folder / f"{config.parent.name}.csv"]
        finally:
            store.close()
    assert {"a.csv", "b.csv"} <= {p.name for p in folder.iterdir()}


def test_a_server_that_stopped_answering_stops_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each further file's batch waited as long again for the silent server (a minute, a
    # cron run over 100 files for hours) before its "not stored, will retry next run".
    from tracker.errors import StoreError

    class ServerSilent(Exception):  # as tracker.store.serverwatch's, by name
        pass

    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=10)
    for name in ("a", "b", "c"):
        write_feed(tmp_path / "in" / f"{name}.jsonl", 0, 30)
    calls: list[int] = []

    def silent(self, updates, run_id=None):  # type: ignore[no-untyped-def]
        calls.append(1)
        try:
            raise ServerSilent("the server stopped answering (nothing for 60 s ...)")
        except ServerSilent as exc:
            raise StoreError("db: the database server stopped answering") from exc

    monkeypatch.setattr(Store, "apply_file_updates", silent)
    with pytest.raises(StoreError, match="stopped answering"):
        run(cfg)
    assert calls == [1]
