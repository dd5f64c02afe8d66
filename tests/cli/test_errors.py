"""Bad input gets one `Error:` line naming the thing and the fix, never a traceback (issue 14)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import sqlite3
import sys
import threading
from contextlib import AbstractContextManager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import tracker as tracker_api
from tests.conftest import skip_outside_ci
from tests.lockkit import Holder
from tracker.cli import cli
from tracker.cli.options import WORKERS, WorkerCount


def _config(folder: Path) -> None:
    (folder / "config.toml").write_text(
        f'[database]\nurl = "sqlite:///{folder / "t.db"}"\n'
        '[dates]\ntimezone = "Asia/Shanghai"\n', "utf-8")


@pytest.fixture(scope="module")
def home_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a config, a database holding one post, and a file to put paths under,
    built once per module: never changed, `home` copies it."""
    folder = tmp_path_factory.mktemp("home")
    _config(folder)
    (folder / "in").mkdir()
    (folder / "in" / "a.jsonl").write_text(json.dumps(
        {"text": "$TSLA is up and $NVDA is down.", "published": "2026-03-01T10:00:00Z"}) + "\n",
        "utf-8")
    (folder / "afile").write_text("not a folder\n", "utf-8")
    code, _out, err = tracker(folder, "ingest", str(folder / "in"))
    assert code == 0, err
    return folder


@pytest.fixture
def home(home_once: Path, tmp_path: Path) -> Path:
    """A copy of `home_once` in tmp_path, its config naming the copy's database (and the
    files the ingest left beside it, its lock files), for a test to change: 0.7 ms of CPU
    where an ingest per test took 15 ms, in 48 tests (docs/performance.md, "The test suite,
    fifth pass"). The stored post's source still names home_once's in/a.jsonl."""
    shutil.copytree(home_once, tmp_path, dirs_exist_ok=True)
    _config(tmp_path)
    return tmp_path


def tracker(home: Path, command: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [command, "--config", str(home / "config.toml"), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)  # a traceback, not an error line
    return result.exit_code, result.stdout, result.stderr


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


DAYS = [("report", "--until", "9999-12-31"), ("chart", "--until", "9999-12-31"),
        ("briefing", "--until", "9999-12-31"), ("report", "--until", "0001-01-02"),
        ("briefing", "--until", "0001-01-02"), ("report", "--since", "0001-01-01")]


@pytest.mark.parametrize("command,option,day", DAYS, ids=[" ".join(d) for d in DAYS])
def test_a_day_out_of_range_is_a_usage_error(home: Path, command: str, option: str,
                                             day: str) -> None:
    args = {"report": [], "chart": ["--out", str(home / "c.png")],
            "briefing": ["--format", "md"]}[command]
    code, _out, err = tracker(home, "report" if command == "briefing" else command, option,
                              day, *args)
    assert code == 2
    line = one_error_line(err)
    assert day in line and "1678-01-01" in line and "2261-12-31" in line


@pytest.mark.parametrize("content", [b"hello, I am a text file\n", bytes(range(256)) * 20,
                                     b"SQLite format 3\x00" + bytes(range(256)) * 20],
                         ids=["text file", "random bytes", "fake header"])
def test_db_at_a_file_that_is_no_database(home: Path, content: bytes) -> None:
    path = home / "not.db"
    path.write_bytes(content)
    # `db upgrade` was a traceback (sqlalchemy.exc.DatabaseError: file is not a database).
    for command in ("status", "report", "ingest", "db"):
        extra = {"ingest": [str(home / "in")], "db": ["upgrade"]}.get(command, [])
        code, _out, err = tracker(home, command, "--db", f"sqlite:///{path}", *extra)
        assert code == 1
        line = one_error_line(err)
        assert str(path) in line and "not a SQLite database" in line
    assert path.read_bytes() == content
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("not.db")) == ["not.db"]


def test_a_database_locked_at_start(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.store import sqlitewait

    monkeypatch.setattr(sqlitewait, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(home / "t.db")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _out, err = tracker(home, "ingest", str(home / "in"))
    finally:
        holder.rollback()
        holder.close()
    assert code == 1
    line = one_error_line(err)
    assert "t.db" in line and "locked" in line and "try again" in line


def test_ctrl_c_while_waiting_for_the_lock_stops_at_once(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # It took effect when the wait ended, 30 s on (SQLite's wait is C code that Python's
    # signal handlers cannot break into), then said so, exit 130.
    from tracker.extract.models import RunCounts
    from tracker.store.database import Store

    timers: list[threading.Timer] = []
    recorded_run = Store.recorded_run

    def interrupted_while_waiting(store: Store, command: str,
                                  counts: RunCounts) -> AbstractContextManager[int]:
        # Ctrl-C half a second into the run's first write, which waits for the lock.
        timers.append(threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)))
        timers[0].start()
        return recorded_run(store, command, counts)

    monkeypatch.setattr(Store, "recorded_run", interrupted_while_waiting)
    with Holder(home / "t.db") as holder:
        code, out, err = tracker(home, "ingest", str(home / "in"))
        holder.release()
        timers[0].join()
    assert not holder.gave_up  # stopped while the other process held the lock
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; the posts this ingest stored before it are "
                   "kept: run the same command again to go on\n")


def test_a_read_only_database_can_still_be_read(home: Path) -> None:
    ro = f"sqlite:///file:{home / 't.db'}?mode=ro&uri=true"
    for lock in home.glob("*.lock"):  # left by the ingest that made the database
        lock.unlink()
    for command in ("status", "report"):
        code, out, err = tracker(home, command, "--db", ro)
        assert code == 0, err
    assert "TSLA" in tracker(home, "report", "--db", ro)[1]
    code, _out, err = tracker(home, "ingest", "--db", ro, str(home / "in"))
    assert code == 1
    line = one_error_line(err)
    assert "t.db" in line and "read-only" in line
    assert not list(home.glob("*.lock"))


@pytest.mark.parametrize("option", ["--out", "--charts"])
def test_report_output_under_a_file(home: Path, option: str) -> None:
    target = home / "afile" / ("charts" if option == "--charts" else "r.md")
    extra = ["--out", str(home / "b.md")] if option == "--charts" else []
    code, _out, err = tracker(home, "report", "--format", "md", option, str(target), *extra)
    assert code == 1
    line = one_error_line(err)
    assert str(home / "afile") in line


def test_refresh_log_file_under_a_file(home: Path) -> None:
    config = home / "config.toml"
    config.write_text(config.read_text("utf-8") + '[sources]\npaths = ["in"]\n', "utf-8")
    code, _out, err = tracker(home, "refresh", "--log-file", str(home / "afile" / "r.log"))
    assert code == 1
    assert str(home / "afile") in one_error_line(err)


def test_refresh_fails_before_storing_when_reports_cannot_be_written(home: Path) -> None:
    config = home / "config.toml"
    config.write_text(config.read_text("utf-8") + '[sources]\npaths = ["in2"]\n'
                      '[reports]\nfolder = "afile/reports"\n', "utf-8")
    (home / "in2").mkdir()
    (home / "in2" / "b.jsonl").write_text(json.dumps({"text": "$AMD rallies."}) + "\n", "utf-8")
    for _ in range(2):
        code, _out, err = tracker(home, "refresh")
        assert code == 1
        assert str(home / "afile") in one_error_line(err)
    con = sqlite3.connect(home / "t.db")
    try:
        assert con.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 1  # nothing stored
    finally:
        con.close()


def test_a_database_in_a_read_only_folder_can_still_be_read(home: Path) -> None:
    """The real thing, made with chattr +i: root too is refused new files in the folder."""
    import subprocess

    folder = home / "ro"
    folder.mkdir()
    shutil.copy(home / "t.db", folder / "t.db")
    url = f"sqlite:///{folder / 't.db'}"
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)]).returncode != 0:
        skip_outside_ci("this test needs chattr +i (an immutable folder) to make a folder "
                        "root cannot write")
    try:
        for command in ("status", "report"):
            code, _out, err = tracker(home, command, "--db", url)
            assert code == 0, err
        code, _out, err = tracker(home, "ingest", "--db", url, str(home / "in"))
        assert code == 1
        assert "read-only" in one_error_line(err)
        assert sorted(p.name for p in folder.iterdir()) == ["t.db"]
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


@pytest.mark.parametrize("span", ["latest", "all"])
def test_a_briefing_since_after_the_data_says_why_it_is_empty(home: Path, span: str) -> None:
    # Counted in SQL, the briefing of a range after the last mention raised IndexError.
    code, out, err = tracker(home, "report", "--format", "md", "--since", "2026-04-01",
                             "--span", span)
    assert (code, out) == (0, "# Briefing\n\nNo dated mentions to report.\n")
    assert err == ("Note: no mentions from 2026-04-01 to the end; the stored mentions run "
                   "from 2026-03-01 to 2026-03-01\n")


@pytest.mark.parametrize("command", ["report", "chart"])
def test_a_reversed_range_is_a_usage_error(home: Path, command: str) -> None:
    # chart said "nothing to chart: no mentions from 2026-03-10 to 2026-03-01", exit 1.
    out = home / "c.png"
    code, _out, err = tracker(home, command, "--since", "2026-03-10", "--until", "2026-03-01",
                              *(["--out", str(out)] if command == "chart" else []))
    assert code == 2
    assert one_error_line(err) == "Error: --since 2026-03-10 is after --until 2026-03-01"
    assert not out.exists()


def _change_by_hand(db: Path, sql: str) -> None:
    con = sqlite3.connect(db)
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()


@pytest.mark.parametrize(("sql", "command", "what"), [
    ("DROP TABLE ingest_runs", ["status"], "no table ingest_runs"),
    ("DROP TABLE mentions", ["report"], "no table mentions"),
    ("DROP TABLE mentions", ["export", "mentions"], "no table mentions"),
    ("ALTER TABLE posts DROP COLUMN genre", ["report"], "no column posts.genre"),
], ids=["status-runs", "report-mentions", "export-mentions", "report-column"])
def test_a_table_or_column_dropped_by_hand_is_one_error_line(
        home: Path, sql: str, command: list[str], what: str) -> None:
    # Each was an OperationalError traceback ("no such table: ingest_runs").
    db = home / "t.db"
    _change_by_hand(db, sql)
    code, _out, err = tracker(home, *command)
    assert code == 1
    assert one_error_line(err) == (f"Error: {db}: the database has {what}, which its schema "
                                   "revision has: it was changed outside tracker; restore it "
                                   "from a backup")


@pytest.mark.parametrize("sql", ["DROP TABLE alembic_version", "DELETE FROM alembic_version"],
                         ids=["dropped", "emptied"])
def test_a_database_whose_revision_record_is_gone_is_said_and_left_alone(
        home: Path, sql: str) -> None:
    # Read as an older schema, the upgrade met its own tables: "cannot use the database:
    # OperationalError: duplicate column name: files_new" or "table alembic_version
    # already exists".
    db = home / "t.db"
    _change_by_hand(db, sql)
    con = sqlite3.connect(db)
    try:
        schema = con.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    finally:
        con.close()
    for command in (["status"], ["report"], ["db", "upgrade"]):
        code, _out, err = tracker(home, *command)
        assert code == 1, command
        assert one_error_line(err) == (
            f"Error: sqlite:///{db}: the database holds tables of a later schema than the "
            "revision it records (its alembic_version table was dropped or emptied outside "
            "tracker); nothing was changed: restore it from a backup")
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall() == schema
    finally:
        con.close()


def test_a_damaged_database_is_one_error_line_in_every_reading_command(home: Path) -> None:
    # Page 1 (the schema) intact, so the file opens; the pages of the rows damaged: the
    # first query that met them raised sqlite3.DatabaseError through to a traceback.
    db = home / "t.db"
    for lock in home.glob("*.lock*"):
        lock.unlink()
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        roots = [r[0] for r in con.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name "
                                           "IN ('posts', 'mentions') AND rootpage > 0")]
    finally:
        con.close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for root in roots:  # pages are numbered from 1
        data[(root - 1) * page:root * page] = b"\xde\xad\xbe\xef" * (page // 4)
    db.write_bytes(bytes(data))
    for command in (["report"], ["report", "--format", "md"], ["export", "posts"], ["rescore"]):
        code, _out, err = tracker(home, *command)
        assert code == 1, command
        line = one_error_line(err)
        assert line.startswith(f"Error: {db}: the database file is damaged (DatabaseError: "
                               "database disk image is malformed); restore it from a backup")


@pytest.mark.parametrize("command", [["report"], ["report", "--format", "md"],
                                     ["export", "mentions"], ["chart"]],
                         ids=["report", "briefing", "export", "chart"])
def test_an_output_over_the_database_is_refused_and_the_database_kept(
        home: Path, command: list[str]) -> None:
    # `--out t.db` replaced the database with a CSV file: every stored post lost.
    db = home / ("t.db.png" if command == ["chart"] else "t.db")
    if command == ["chart"]:
        db.write_bytes((home / "t.db").read_bytes())
    before = db.read_bytes()
    code, _out, err = tracker(home, *command, "--out", str(db))
    assert code == 2
    assert one_error_line(err) == (f"Error: {db}: a SQLite database (tracker's own?); a "
                                   "report or export never replaces one; write somewhere else")
    assert db.read_bytes() == before
    assert tracker(home, "status")[0] == 0


@pytest.mark.parametrize(("suffix", "what"), [("-wal", "write-ahead log"),
                                            ("-shm", "shared-memory index"),
                                            ("-journal", "rollback journal")],
                         ids=["wal", "shm", "journal"])
@pytest.mark.parametrize("command", [["report"], ["export", "posts"]], ids=["report", "export"])
def test_an_output_over_a_file_sqlite_keeps_beside_the_database_is_refused(
        home: Path, command: list[str], suffix: str, what: str) -> None:
    # `--out t.db-wal` replaced the log holding what a killed run committed last; SQLite then
    # took the report for a damaged log and deleted it, the committed posts with it.
    companion = home / f"t.db{suffix}"
    before = {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}
    code, _out, err = tracker(home, *command, "--out", str(companion))
    assert code == 2
    assert one_error_line(err) == (f"Error: {companion}: the {what} of the SQLite database "
                                   "t.db; a report or export never replaces it; write "
                                   "somewhere else")
    assert {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("command", [["report"], ["report", "--format", "md"],
                                     ["export", "mentions"]],
                         ids=["report", "briefing", "export"])
def test_an_output_over_the_config_in_use_is_refused(home: Path, command: list[str]) -> None:
    # `--out config.toml` replaced the config with a CSV file.
    config = home / "config.toml"
    before = config.read_bytes()
    code, _out, err = tracker(home, *command, "--out", str(config))
    assert code == 2
    assert one_error_line(err) == (f"Error: {config}: the config file in use; a report or "
                                   "export never replaces it; write somewhere else")
    assert config.read_bytes() == before


@pytest.mark.parametrize(("command", "out"), [
    (["export", "posts", "--format", "jsonl"], "in/a.jsonl"),
    (["report", "--format", "md"], "in/briefing.md"),
    (["export", "mentions"], "inbox/day/m.csv"),
    (["export", "posts", "--format", "jsonl"], "link.jsonl"),
    # A new file where `**` matches no folder: glob.glob reads inbox/m.csv under
    # inbox/**/*.csv, fnmatch (whose `**/` needs a folder) did not match it.
    (["export", "mentions"], "inbox/m.csv"),
], ids=["over-a-source-file", "into-a-source-folder", "matching-a-glob", "a-link-to-one",
        "matching-a-glob-at-its-root"])
def test_an_output_refresh_would_read_as_posts_is_refused(home: Path, command: list[str],
                                                          out: str) -> None:
    # `export posts --out` over a [sources] feed replaced its posts with records refresh
    # cannot read ("1 record has no text field", every run after); a briefing in a source
    # folder was read as a post, its tickers counted again.
    config = _with_sources(home)
    (home / "inbox" / "day").mkdir(parents=True)
    (home / "link.jsonl").symlink_to(home / "in" / "a.jsonl")  # written through to its target
    before = (home / "in" / "a.jsonl").read_bytes()
    code, _out, err = tracker(home, *command, "--out", str(home / out))
    assert code == 2
    assert one_error_line(err) == (f"Error: {home / out}: under [sources] in {config}, which "
                                   "tracker refresh reads as posts; a report or export never "
                                   "goes there; write somewhere else")
    assert (home / "in" / "a.jsonl").read_bytes() == before
    assert sorted(p.name for p in (home / "in").iterdir()) == ["a.jsonl"]
    assert not (home / out).exists() or out in ("in/a.jsonl", "link.jsonl")
    # Beside the sources, it is written.
    beside = home / "out" / Path(out).name
    beside.parent.mkdir()
    code, _out, err = tracker(home, *command, "--out", str(beside))
    assert code == 0 and beside.exists(), err


def test_a_chart_among_the_sources_is_written(home: Path) -> None:
    # A chart has none of the inputs' suffixes: refresh never reads it, so it may go in a
    # source folder. Once here, where each case above drew the same chart into the same
    # folder (five charts, 0.2-0.3 s of CPU each; docs/performance.md, "The test suite,
    # ninth pass").
    _with_sources(home)
    code, _out, err = tracker(home, "chart", "--out", str(home / "in" / "c.png"))
    assert code == 0 and (home / "in" / "c.png").exists(), err


def _with_sources(home: Path) -> Path:
    """home's config given a [sources] table (the folder in/, the glob inbox/**/*.csv); the
    config's path."""
    config = home / "config.toml"
    with open(config, "a", encoding="utf-8") as handle:
        handle.write('[sources]\npaths = ["in"]\nglobs = ["inbox/**/*.csv"]\n')
    return config


@pytest.mark.parametrize("command", [["report"], ["report", "--format", "md"],
                                     ["export", "mentions"], ["chart"]],
                         ids=["report", "briefing", "export", "chart"])
def test_an_empty_out_is_a_usage_error(home: Path, command: list[str]) -> None:
    # `--out "$OUT"` with OUT unset (a cron line): "Error: .: Is a directory", exit 1.
    code, _out, err = tracker(home, *command, "--out", "")
    assert code == 2
    assert one_error_line(err) == ("Error: Invalid value for '--out': an empty file name; name "
                                   "the file to write, or leave --out out to print")


@pytest.mark.parametrize("command", ["ingest", "report", "status", "db"])
def test_a_folder_given_as_the_database_is_named_a_folder(home: Path, command: str) -> None:
    # "no database at ..." (report, status) or "cannot open the database file ... check that
    # its folder exists" (ingest), of a folder that is plainly there; `db upgrade` was a
    # traceback (sqlite3.OperationalError: unable to open database file).
    folder = home / "in"
    code, _out, err = tracker(home, command, "--db", str(folder),
                              *{"ingest": [str(home / "in")], "db": ["upgrade"]}.get(command, []))
    assert code == 1
    assert one_error_line(err) == (f"Error: {folder}: a folder, not a database file; give "
                                   f"the file's path (e.g. {folder / 'tracker.db'})")


@pytest.mark.parametrize("what", ["posts", "mentions"])
def test_an_export_of_an_empty_database_says_so(tmp_path: Path, what: str) -> None:
    # A header alone and exit 0 looked like a failed export; `report` already said why.
    db = tmp_path / "t.db"
    (tmp_path / "config.toml").write_text(f'[database]\nurl = "sqlite:///{db}"\n', "utf-8")
    tracker_api.open_store(str(db), create=True).close()
    code, out, err = tracker(tmp_path, "export", what)
    assert code == 0 and out.count("\n") == 1  # the header, for a script that reads it
    assert err == f"Note: the database holds no {what}; `tracker ingest` adds posts\n"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:",
                                 "sqlite:///file:x?mode=memory&uri=true"],
                         ids=["no-path", "empty-path", "memory", "memory-uri"])
@pytest.mark.parametrize("where", ["--db", "env"])
def test_an_in_memory_database_is_refused(home: Path, monkeypatch: pytest.MonkeyPatch,
                                          url: str, where: str) -> None:
    # TRACKER_DB_URL=sqlite:///$DB with DB unset: the whole ingest said "1 new post" and
    # exit 0, and was gone with the process.
    args = ["--db", url] if where == "--db" else []
    if where == "env":
        monkeypatch.setenv("TRACKER_DB_URL", url)
    for command in (["ingest", str(home / "in"), *args], ["report", *args],
                    ["status", *args]):
        code, out, err = tracker(home, *command)
        assert (code, out) == (2, "")
        assert one_error_line(err) == (
            f"Error: {url}: an in-memory SQLite database keeps nothing once the command ends; "
            "give a file path or URL in --db, TRACKER_DB_URL or [database] url")


@pytest.mark.parametrize(("command", "args", "message"), [
    ("ingest", ["-w", "99999999999999999999", "in"],
     "Invalid value for '-w' / '--workers': 99999999999999999999 is not in the range "
     f"1<=x<={WORKERS.max} ({WORKERS.reason})."),
    ("refresh", ["--workers", str(WORKERS.max + 1)],
     f"Invalid value for '-w' / '--workers': {WORKERS.max + 1} is not in the range "
     f"1<=x<={WORKERS.max} ({WORKERS.reason})."),
    ("refresh", ["--workers", "0"],
     f"Invalid value for '-w' / '--workers': 0 is not in the range 1<=x<={WORKERS.max}."),
    ("status", ["--runs", "99999999999999999999"],
     "Invalid value for '--runs': 99999999999999999999 is not in the range 1<=x<=1000000."),
    ("status", ["--runs", "-1"], "Invalid value for '--runs': -1 is not in the range "
     "1<=x<=1000000."),
], ids=["ingest-workers-overflow", "refresh-workers", "refresh-workers-0",
        "status-runs-overflow", "status-runs-negative"])
def test_a_count_out_of_range_is_a_usage_error(home: Path, command: str, args: list[str],
                                               message: str) -> None:
    # Were an OverflowError traceback (10**20 workers or runs), and every run listed for
    # --runs -1 (SQLite's LIMIT -1).
    code, _out, err = tracker(home, command, *[str(home / a) if a == "in" else a for a in args])
    assert code == 2 and err.splitlines()[-1] == f"Error: {message}"


@pytest.mark.parametrize(("platform", "taken", "most", "why"), [
    ("win32", 61, 61, "Windows' process pool takes at most 61"),
    ("linux", 64, 1024, "each worker holds its own models"),
    ("darwin", 64, 1024, "each worker holds its own models"),
], ids=["windows", "linux", "macos"])
def test_workers_are_bounded_by_the_platforms_pool(monkeypatch: pytest.MonkeyPatch,
                                                   platform: str, taken: int, most: int,
                                                   why: str) -> None:
    # 61 is the Windows pool's own limit (concurrent.futures refuses more there only); it
    # refused a 64-core Linux server its cores, and said no reason.
    monkeypatch.setattr(sys, "platform", platform)
    count = WorkerCount()
    assert count.convert(str(taken), None, None) == taken
    with pytest.raises(click.BadParameter, match=rf"^{most + 1} is not in the range "
                       rf"1<=x<={most} \({why}"):
        count.convert(str(most + 1), None, None)


@pytest.mark.parametrize(("url", "said"), [
    ("mysql://u@localhost/x", "the database driver is not installed (MySQLdb)"),
    ("postgresql+psycopg://u@127.0.0.1:1/x", "cannot use the database: OperationalError"),
    # Installing psycopg, as it said, left the URL naming psycopg2.
    pytest.param("postgresql+psycopg2://u@127.0.0.1:1/x", "the database driver is not "
                 "installed (psycopg2); install it, or write the URL as postgresql+psycopg://"
                 "... for psycopg 3 (pip install 'tracker[postgres]'), the driver tracker is "
                 "tested with, and the one whose wait for a server that stops answering ends",
                 marks=pytest.mark.skipif(importlib.util.find_spec("psycopg2") is not None,
                                          reason="psycopg2 is installed here")),
], ids=["no-driver", "closed-port", "psycopg2"])
def test_db_upgrade_of_a_database_it_cannot_reach_is_one_error_line(home: Path, url: str,
                                                                    said: str) -> None:
    # Tracebacks (ModuleNotFoundError, psycopg.OperationalError): `db upgrade` made its own
    # engine, outside the store's error mapping every other command goes through.
    code, _out, err = tracker(home, "db", "upgrade", "--db", url)
    assert code == 1
    assert one_error_line(err).startswith(f"Error: {url}: {said}")
