"""The cron-facing commands: refresh's output and exit codes, the lock, status, db upgrade."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.refreshkit import ROOT, make_job, write_feed
from tracker.cli import cli
from tracker.reports import publish as publish_module
from tracker.reports.publish import WRITTEN
from tracker.store.database import Store
from tracker.store.lock import RunLock
from tracker.store.migrate import HEAD_REVISION


def invoke(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [args[0], "--config", str(folder / "config.toml"),
                                      *args[1:]], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def job(tmp_path: Path) -> Path:
    make_job(tmp_path, f"sqlite:///{tmp_path / 'tracker.db'}")
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 5)
    return tmp_path


def test_refresh_is_quiet_when_all_went_well(tmp_path: Path) -> None:
    assert invoke(job(tmp_path), "refresh") == (0, "", "")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        WRITTEN, "groups-weekly.csv", "groups-weekly.md", "tickers-daily.csv",
        "tickers-daily.md"]


def test_refresh_verbose_prints_the_summary_and_how_posts_were_dated(tmp_path: Path) -> None:
    code, out, err = invoke(job(tmp_path), "refresh", "-v")
    assert (code, err) == (0, "")
    feed = tmp_path / "in" / "feed.jsonl"
    assert out == ("1 file: 1 new, 0 changed, 0 grown, 0 missing, 0 pruned; 5 posts and "
                   "10 mentions added, 0 posts removed; 0 failed; 4 reports written\n"
                   f"{feed}: 5 posts, dated 5 from a field\n")
    code, out, _ = invoke(tmp_path, "refresh", "-v")
    assert out.startswith("1 file: 0 new, 0 changed, 0 grown,") and "0 reports written" in out


def test_refresh_says_date_warnings_with_verbose_only(tmp_path: Path) -> None:
    """Records dated in a field refresh does not read: quiet for cron, said once with -v
    (with the config key to set), as ingest says it; never a failure."""
    folder = job(tmp_path)
    (folder / "in" / "feed.jsonl").unlink()
    lines = [f'{{"id": "{i}", "text": "$TSLA up {i}", "timestamp": "2026-05-0{i + 1}"}}\n'
             for i in range(4)]
    (folder / "in" / "ts.jsonl").write_text("".join(lines), "utf-8")
    assert invoke(folder, "refresh") == (0, "", "")
    (folder / "in" / "ts.jsonl").write_text("".join(lines * 2), "utf-8")  # grown: read again
    code, out, err = invoke(folder, "refresh", "-v")
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("Warning: ")
    assert "4 of 4 records have no usable date field" in err
    assert 'time_fields = ["timestamp"]' in err
    assert out.endswith("; 1 warning\n" + f"{folder / 'in' / 'ts.jsonl'}: "
                        "4 posts, dated 4 from the file's time\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_log_file_on_a_full_disk_is_one_error_and_the_run_goes_on(tmp_path: Path) -> None:
    # logging printed "--- Logging error ---" and a traceback for every line, then the
    # log's close raised one more.
    code, out, err = invoke(job(tmp_path), "refresh", "--log-file", "/dev/full")
    assert (code, out) == (1, "")
    assert err == ("Error: /dev/full: cannot write the log (No space left on device); the run "
                   "went on without it\n")
    assert _stored_posts(tmp_path) == 5


def _stored_posts(folder: Path) -> int:
    """How many posts the job's database in `folder` holds."""
    with Store(f"sqlite:///{folder / 'tracker.db'}") as store:
        return store.counts()["posts"]


def _interrupt_before(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> None:
    """Make `owner.name` send this process SIGINT before it runs, as Ctrl-C at that moment."""
    original = getattr(owner, name)

    def interrupted(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGINT)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, interrupted)


def test_ctrl_c_while_waiting_for_the_lock_says_nothing_was_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `refresh --wait` stopped while it waited was click's "Aborted!" (exit 1), and
    # SIGTERM killed it without a word.
    assert invoke(job(tmp_path), "refresh") == (0, "", "")  # the database made and current
    _interrupt_before(monkeypatch, RunLock, "acquire")
    code, out, err = invoke(tmp_path, "refresh", "--wait")
    assert (code, out) == (130, "")
    assert err == STOPPED_BEFORE_THE_LOCK


STOPPED_BEFORE_THE_LOCK = ("Error: stopped by SIGINT; nothing was stored: it was opening the "
                           "database or waiting for the refresh that holds the lock: run the "
                           "same command again to go on\n")


def test_ctrl_c_while_refresh_opens_the_store_says_nothing_was_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The store opened before the handlers were set: a signal then (an upgrade) was click's
    # "Aborted!" (exit 1), or for SIGTERM an end without a word.
    _interrupt_before(monkeypatch, Store, "_probe")
    code, out, err = invoke(job(tmp_path), "refresh")
    assert (code, out, err) == (130, "", STOPPED_BEFORE_THE_LOCK)
    monkeypatch.undo()
    assert invoke(tmp_path, "refresh") == (0, "", "")
    assert _stored_posts(tmp_path) == 5


@pytest.mark.parametrize(
    ("owner", "name", "kept"),
    [(publish_module, "check_reports_folder", "nothing was stored: it had not begun reading"),
     (Store, "check_file_kept", "the posts this refresh stored are kept, and each report is "
      "the old one or the whole new one")],
    ids=["after-the-lock", "before-the-reports"])
def test_ctrl_c_between_the_steps_of_a_refresh_says_what_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str,
        kept: str) -> None:
    # Between the lock and the run, and between the run and the reports, no handler was
    # set: Ctrl-C there was click's "Aborted!" (exit 1), and SIGTERM an end without a word
    # (review28).
    assert invoke(job(tmp_path), "refresh") == (0, "", "")
    write_feed(tmp_path / "in" / "more.jsonl", 5, 8)
    _interrupt_before(monkeypatch, owner, name)
    code, out, err = invoke(tmp_path, "refresh")
    assert (code, out) == (130, "")
    assert err == f"Error: stopped by SIGINT; {kept}: run the same command again to go on\n"
    monkeypatch.undo()
    assert invoke(tmp_path, "refresh") == (0, "", "")
    assert _stored_posts(tmp_path) == 8


def _edit_while_waiting(monkeypatch: pytest.MonkeyPatch, config: Path, text: str) -> None:
    """Rewrite `config` as `refresh --wait` takes the lock: the edit made while it waited."""
    original = RunLock.acquire

    def acquire(self: RunLock, *args: object, **kwargs: object) -> bool:
        config.write_text(text, "utf-8")
        os.utime(config, ns=(config.stat().st_atime_ns, config.stat().st_mtime_ns + 10**9))
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(RunLock, "acquire", acquire)


def test_a_config_edited_while_refresh_waits_is_read_once_it_holds_the_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The run used the config as it was when it began: the daily table taken out and a
    # weekly one put in were written the old way, and the new table not at all.
    config = job(tmp_path) / "config.toml"
    edited = config.read_text("utf-8") + (
        '[reports]\ntables = [{ file = "weekly", by = "ticker", freq = "W", '
        'formats = ["csv"] }]\n')
    _edit_while_waiting(monkeypatch, config, edited)
    assert invoke(tmp_path, "refresh", "--wait") == (0, "", "")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [WRITTEN, "weekly.csv"]


def test_a_config_made_invalid_while_refresh_waits_stops_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The run went on with the config as it was, and the mistake came to light a run later.
    config = job(tmp_path) / "config.toml"
    _edit_while_waiting(monkeypatch, config,
                        config.read_text("utf-8") + "[reports]\nbogus = 1\n")
    code, out, err = invoke(tmp_path, "refresh", "--wait")
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {config}: unknown key `bogus` in [reports]; ")
    assert err.endswith("(the config was edited while this refresh waited for the lock; "
                        "nothing was done)\n")
    assert _stored_posts(tmp_path) == 0
    assert not (tmp_path / "reports").exists()


def test_ctrl_c_while_writing_the_reports_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SIGTERM there killed refresh with a report's temporary file left in the folder.
    import tracker.reports.publish as publish

    _interrupt_before(monkeypatch, publish, "write_atomic")
    code, out, err = invoke(job(tmp_path), "refresh")
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; the posts this refresh stored are kept, and each "
                   "report is the old one or the whole new one: run the same command again "
                   "to go on\n")
    assert list((tmp_path / "reports").iterdir()) == []
    monkeypatch.undo()
    assert invoke(tmp_path, "refresh") == (0, "", "")  # the reports are written, as overdue


def test_refresh_failures_go_to_stderr_with_file_and_line(tmp_path: Path) -> None:
    feed = job(tmp_path) / "in" / "feed.jsonl"
    with open(feed, "a", encoding="utf-8") as handle:
        handle.write("not json\n")
    log = tmp_path / "refresh.log"
    code, out, err = invoke(tmp_path, "refresh", "--log-file", str(log))
    assert (code, out) == (1, "")
    assert err == f"Error: {feed}:6: invalid JSON: Expecting value\n"
    logged = log.read_text("utf-8")
    assert f"WARNING {feed}:6: invalid JSON" in logged and "INFO 1 file: 1 new" in logged


def test_a_second_refresh_exits_at_once_with_a_message(tmp_path: Path) -> None:
    folder = job(tmp_path)
    from tracker.cli.cron import _lock_name
    from tracker.config import load_config

    cfg = load_config(folder / "config.toml")
    store = Store(cfg.db_url)
    lock = RunLock(store.engine, cfg.db_url, _lock_name(cfg))
    assert lock.acquire()
    try:
        code, out, err = invoke(folder, "refresh", "-v")
    finally:
        lock.release()
        store.close()
    assert (code, out) == (0, "")
    assert err.startswith("tracker refresh: another tracker refresh is running (pid ")
    assert not (folder / "reports").exists()


def _hold_lock(folder: Path, since: str | None) -> tuple[Store, RunLock]:
    from tracker.cli.cron import _lock_name
    from tracker.config import load_config

    cfg = load_config(folder / "config.toml")
    store = Store(cfg.db_url)
    lock = RunLock(store.engine, cfg.db_url, _lock_name(cfg))
    assert lock.acquire()
    if since is not None:  # as a holder that started at `since` wrote it
        holder = next(folder.glob("*.lock.holder"))
        holder.write_text(f"pid 4242 on somehost since {since}\n", "utf-8")
    return store, lock


def test_a_held_lock_shows_its_holders_age(tmp_path: Path) -> None:
    folder = job(tmp_path)
    store, lock = _hold_lock(folder, None)
    try:
        code, out, err = invoke(folder, "refresh")
    finally:
        lock.release()
        store.close()
    assert (code, out) == (0, "")
    assert re.match(r"tracker refresh: another tracker refresh is running \(pid \d+ on \S+, "
                    r"running for \d+ s\); nothing done\n$", err), err


@pytest.mark.parametrize("stale_after, hours, code", [(None, 7, 1), (None, 5, 0), (0.5, 1, 1)],
                         ids=["default-6h-exceeded", "default-6h-not-yet", "configured"])
def test_a_holder_older_than_stale_after_is_reported_loudly(
        tmp_path: Path, stale_after: float | None, hours: int, code: int) -> None:
    folder = job(tmp_path)
    if stale_after is not None:
        config = folder / "config.toml"
        config.write_text(config.read_text("utf-8").replace(
            "[refresh]\n", f"[refresh]\nstale_after = {stale_after}\n"), "utf-8")
    since = (datetime.now(UTC) - timedelta(hours=hours, minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store, lock = _hold_lock(folder, since)
    try:
        got, out, err = invoke(folder, "refresh")
    finally:
        lock.release()
        store.close()
    assert (got, out) == (code, "")
    assert f"(pid 4242 on somehost, running for {hours} h 1 min)" in err
    assert ("STALLED?" in err) == (code == 1)
    assert not (folder / "reports").exists()


def test_a_stalled_holder_is_said_once_from_cron(tmp_path: Path) -> None:
    # Run as cron runs it, with no log file: the message was also logged, and logging's
    # last-resort handler printed it to stderr a second time ("ERROR tracker.cli.cron: ...").
    folder = job(tmp_path)
    since = (datetime.now(UTC) - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store, lock = _hold_lock(folder, since)
    try:
        done = subprocess.run([sys.executable, "-m", "tracker", "refresh", "--config",
                               str(folder / "config.toml")], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
    finally:
        lock.release()
        store.close()
    assert (done.returncode, done.stdout) == (1, "")
    assert [line.split("?")[0] for line in done.stderr.splitlines()] == [
        "tracker refresh: STALLED"]


def test_stale_after_must_be_a_positive_number_of_hours(tmp_path: Path) -> None:
    folder = job(tmp_path)
    config = folder / "config.toml"
    config.write_text(config.read_text("utf-8").replace(
        "[refresh]\n", "[refresh]\nstale_after = -1\n"), "utf-8")
    result = CliRunner().invoke(cli, ["refresh", "--config", str(config)])
    assert result.exit_code == 2
    assert "[refresh] stale_after must be a positive number of hours" in result.output


def test_status_lists_runs_and_span(tmp_path: Path) -> None:
    invoke(job(tmp_path), "refresh")
    code, out, _ = invoke(tmp_path, "status")
    assert code == 0
    assert f"(schema {HEAD_REVISION}," in out and "posts: 5, mentions: 10, files refresh tracks: 1" in out
    assert "published: 2026-01-01 00:30 to 2026-05-05 04:30 UTC" in out
    assert "securities: listings as of 2022-05-11 (crypto-akshare) to 2026-08-22; the newest " \
        "is " in out and " days old (rebuild: docs/securities.md)" in out
    assert "refresh" in out.splitlines()[-1]


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    make_job(tmp_path, f"sqlite:///{tmp_path / 'tracker.db'}")
    assert invoke(tmp_path, "db", "upgrade") == (0, f"schema empty -> {HEAD_REVISION}\n", "")
    assert invoke(tmp_path, "db", "upgrade") == (0, f"schema {HEAD_REVISION}: up to date\n", "")


def test_tracker_db_url_sits_between_db_option_and_config(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tracker.config import load_config

    make_job(tmp_path, "sqlite:///from-config.db")
    monkeypatch.setenv("TRACKER_DB_URL", "sqlite:///from-env.db")
    assert load_config(tmp_path / "config.toml").db_url == "sqlite:///from-env.db"
    assert load_config(tmp_path / "config.toml", db_url="sqlite:///x.db").db_url == \
        "sqlite:///x.db"


@pytest.mark.parametrize(("name", "what"), [
    ("config.toml", "the config file in use; the log is never appended to it"),
    ("tracker.db", "a SQLite database (tracker's own?); the log is never appended to one"),
    ("new.db", "a SQLite database (tracker's own?); the log is never appended to one"),
    ("tracker.db-wal", "the write-ahead log of the SQLite database tracker.db; the log is "
     "never appended to it"),
], ids=["config", "database", "database-not-made-yet", "its-write-ahead-log"])
def test_a_log_file_naming_the_config_or_the_database_is_refused(tmp_path: Path, name: str,
                                                                 what: str) -> None:
    # --log-file config.toml appended the log to the config (every later run: "not valid
    # TOML", exit 2); --log-file tracker.db appended it to the database file.
    folder = job(tmp_path)
    if name == "new.db":
        make_job(folder, f"sqlite:///{folder / 'new.db'}")
    else:
        assert invoke(folder, "refresh") == (0, "", "")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    code, _out, err = invoke(folder, "refresh", "--log-file", str(folder / name))
    assert code == 2
    assert err.splitlines()[-1] == f"Error: {folder / name}: {what}; give another --log-file"
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_refresh_on_a_terminal_ends_its_bar_before_a_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bad record's line was written onto the bar's; Ctrl-C's line too, with the cursor
    # still hidden, and the bar then drawn full over it.
    import click._termui_impl

    monkeypatch.setattr("tracker.cli.cron.wanted", lambda *_: True)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda _stream: True)
    for name in ("a.jsonl", "b.jsonl"):  # a's line is said when b's problem comes
        (job(tmp_path) / "in" / name).write_text("{not json\n", "utf-8")
    _interrupt_before(monkeypatch, Store, "apply_file_updates")
    code, out, err = invoke(tmp_path, "refresh")
    assert (code, out) == (130, "")
    shown = "\x1b[?25h\n"  # the bar's end: its line ended, the cursor shown again
    assert err.count(shown) == 1
    bar, after = err.split(shown)
    assert after.endswith("\nError: stopped by SIGINT; the posts this refresh stored before "
                          "it are kept: run the same command again to go on\n")
    assert after.startswith("Error: ") and "b.jsonl:1: " in after
    assert re.search(r"files?, \d+ posts?, \d+ posts/s\nError: \S+a\.jsonl:1: ", bar)


def test_ctrl_c_between_the_lock_and_the_reading_says_nothing_was_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The handlers set for the opening were put back once the lock was taken, and the
    # next ones set only as the reading began: a signal in between (the reports folder
    # checked, an edited config read again) was click's "Aborted!", exit 1, or for SIGTERM
    # an end without a word.
    import tracker.reports.publish

    _interrupt_before(monkeypatch, tracker.reports.publish, "check_reports_folder")
    code, out, err = invoke(job(tmp_path), "refresh")
    assert (code, out, err) == (130, "", "Error: stopped by SIGINT; nothing was stored: it had "
                                "not begun reading: run the same command again to go on\n")
    assert _stored_posts(tmp_path) == 0
    monkeypatch.undo()
    assert invoke(tmp_path, "refresh") == (0, "", "")
    assert _stored_posts(tmp_path) == 5
