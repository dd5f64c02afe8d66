"""The commands for running unattended: refresh, status and db.

The library (the store, SQLAlchemy, alembic, the models) is imported inside each command, so
`tracker -h` and `tracker refresh -h` start without it.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.options import (
    WORKER_MB,
    WORKERS,
    WORKERS_HELP,
    check_log_file,
    common_options,
    finish_run,
)
from tracker.cli.progress import FileProgress, wanted
from tracker.cli.signals import stop_on_signals
from tracker.config import Config

if TYPE_CHECKING:
    from tracker.ingest.jobs import RefreshJob
    from tracker.store.lock import RunLock

log = logging.getLogger(__name__)


class _LogFile(logging.FileHandler):
    """--log-file. Once it cannot be written (a full disk, a quota) it says so on stderr,
    once, and is dropped: the run goes on, since its posts matter more than its log.
    logging's own handleError printed a traceback for every line, and close() raised one."""

    def __init__(self, path: str) -> None:
        super().__init__(path, encoding="utf-8")
        self.failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        self._give_up(sys.exc_info()[1])

    def close(self) -> None:
        try:
            super().close()
        except OSError as exc:  # the last flush
            self._give_up(exc)

    def _give_up(self, exc: BaseException | None) -> None:
        if self.failed:
            return
        self.failed = True
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        click.echo(f"Error: {self.baseFilename}: cannot write the log ({reason}); the run "
                   "went on without it", err=True)


@contextmanager
def _log_to(path: str | None) -> Iterator[_LogFile | None]:
    """With --log-file: the tracker's INFO and up, time-stamped, appended to `path`."""
    if path is None:
        yield None
        return
    logger = logging.getLogger("tracker")
    handler = _LogFile(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the terminal gets click's lines only
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        handler.close()
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _config_stamp(cfg: Config) -> tuple[int, int, int] | None:
    """The config file's (inode, size, modification time): an edit changes one of them."""
    if cfg.path is None:
        return None
    try:
        found = cfg.path.stat()
    except OSError:
        return None  # gone: read again, and say so
    return found.st_ino, found.st_size, found.st_mtime_ns


def _read_again(cfg: Config) -> Config:
    """The config as edited while this run waited for the lock, on the same database (the
    one whose lock it holds); an edit that is no longer a valid config stops the run."""
    from tracker.config import load_config
    from tracker.errors import ConfigError

    try:
        return load_config(cfg.path, db_url=cfg.db_url)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (the config was edited while this refresh waited for the "
                          "lock; nothing was done)") from exc


def _lock_name(cfg: Config) -> str:
    # One job (this config on this machine) runs once at a time; other machines feeding
    # the same PostgreSQL database with their own folders are not held up.
    where = cfg.path.resolve() if cfg.path else Path.cwd()
    return f"refresh:{socket.gethostname()}:{where}"


@click.command()
@click.option("--prune", is_flag=True,
              help="Delete the posts of source files that no longer exist.")
@click.option("--wait", is_flag=True,
              help="If another refresh is running, wait for it instead of exiting.")
@click.option("-v", "--verbose", is_flag=True,
              help="Print warnings, one summary line and how each file's posts were dated.")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Append time-stamped progress and failures to this file.")
@click.option("--no-reports", is_flag=True, help="Ingest only; leave the reports alone.")
@click.option("-w", "--workers", type=WORKERS, default=1, show_default=True,
              help="Processes that parse and score posts; up to one per CPU core, each "
                   f"holding its own models (about {WORKER_MB} MB). " + WORKERS_HELP)
@common_options
def refresh(prune: bool, wait: bool, verbose: bool, log_file: str | None, no_reports: bool,
            workers: int, cfg: Config) -> None:
    """Ingest new and changed files from [sources], then rewrite the [reports]. For cron.

    Quiet unless something failed (failures go to stderr with file and line, the same
    problem repeated in one file once with its count; exit 1); if another refresh of this
    config is running, says so and exits 0, or 1 when it has run longer than
    [refresh] stale_after hours (it may be stalled).

    Example:

    \b
        tracker refresh --config /srv/tracker/config.toml --log-file /srv/tracker/refresh.log
    """
    from tracker.errors import SourceError
    from tracker.ingest.jobs import load_job
    from tracker.ingest.problems import ProblemDigest
    from tracker.ingest.refresh import refresh as run_refresh
    from tracker.ingest.summary import refresh_line
    from tracker.reports.publish import check_reports_folder, write_reports
    from tracker.store.database import Store
    from tracker.store.lock import RunLock

    check_log_file(log_file, cfg)
    config_read = _config_stamp(cfg)
    job = load_job(cfg)
    _check_sources(cfg, job)
    with _log_to(log_file) as logged:
        # One handler from before the store opens (an upgrade, whole or not at all; the
        # lock's wait) to the store's closing, its line saying what each stage keeps: Ctrl-C
        # was click's "Aborted!" and SIGTERM a silent death while the store opened, and
        # again between the lock and the reading (a config read again, the reports folder
        # checked), where one block's handlers were put back before the next block's.
        with stop_on_signals("", kept=_OPENING) as stop:
            store = Store(cfg.db_url)
            try:
                lock = RunLock(store.engine, cfg.db_url, _lock_name(cfg))
                acquired = lock.acquire(wait=wait)
            except BaseException:
                store.close()
                raise
            try:
                if not acquired:
                    _say_held(lock, job.stale_after, logged is not None)
                    return
                stop.kept = _NOT_BEGUN
                locked_at = time.time()
                if _config_stamp(cfg) != config_read:
                    # Edited while this run waited (--wait): run as the config now says, as
                    # a run started after the edit would (its reports, then newer than the
                    # edit, had kept the old tables until posts next came or went).
                    cfg = _read_again(cfg)
                    job = load_job(cfg)
                    _check_sources(cfg, job)
                if not no_reports:
                    # After the lock: a refresh that finds another running touches nothing.
                    check_reports_folder(job.reports_folder)
                progress = FileProgress("refresh", enabled=wanted())
                digest = ProblemDigest()

                def say(problem: SourceError) -> None:
                    for line in digest.add(problem):
                        # On its own line, as ingest's: it was written onto the bar's.
                        if progress.bar is not None:
                            click.echo("", err=True)
                        click.echo(line, err=True)

                stop.what, stop.kept = "this refresh", None
                try:
                    # The bar ends before the stop's line: that line was written onto the
                    # bar's, with the cursor still hidden, and the bar then filled.
                    try:
                        result = run_refresh(cfg, store, job, prune=prune, workers=workers,
                                             on_failure=say,
                                             on_warning=say if verbose else None,
                                             on_start=progress.start,
                                             on_file=progress.file_done)
                    except BaseException:
                        progress.close(finished=False)
                        raise
                    progress.close()
                finally:
                    for line in digest.close():
                        click.echo(line, err=True)
                # SIGTERM while the reports were written left a temporary file beside them.
                stop.kept = ("the posts this refresh stored are kept, and each report is "
                             "the old one or the whole new one")
                # Before the reports, which would show a database that is gone.
                store.check_file_kept("this refresh")
                if not no_reports:
                    result.reports = write_reports(cfg, store, temps_before=locked_at)
            finally:
                lock.release()
                store.close()
        log.info("%s", refresh_line(result))
    finish_run(result, refresh_line(result) if verbose else None)
    if logged is not None and logged.failed:
        sys.exit(1)  # the log cron keeps is short of this run: a failure to look at


# What a refresh stopped before it read anything keeps: while the store opened or it waited
# for the lock, and once it held the lock.
_OPENING = ("nothing was stored: it was opening the database or waiting for the refresh "
            "that holds the lock")
_NOT_BEGUN = "nothing was stored: it had not begun reading"


def _say_held(lock: RunLock, stale_after: float, logged: bool) -> None:
    """Say that another refresh holds the lock; exit 1 when it has held it longer than
    `stale_after` seconds."""
    holder = f" ({lock.holder})" if lock.holder else ""
    message = f"another tracker refresh is running{holder}; nothing done"
    if lock.holder_age is not None and lock.holder_age > stale_after:
        # Loud, with exit 1, so that cron mails a person; killing it is theirs.
        message = (f"STALLED? {message}: it has held the lock longer than "
                   f"[refresh] stale_after = {stale_after / 3600:g} h; "
                   "check that process, and end it if it is stuck")
        if logged:
            # For the log file only: with none, logging's last-resort handler
            # printed it to stderr too, and cron mailed it twice.
            log.error("%s", message)
        click.echo(f"tracker refresh: {message}", err=True)
        sys.exit(1)
    log.info("%s", message)
    click.echo(f"tracker refresh: {message}", err=True)


def _check_sources(cfg: Config, job: RefreshJob) -> None:
    if not job.paths and not job.globs:
        # Before the store is opened: nothing to read means no database, lock or reports.
        raise click.ClickException(
            f"nothing to read: {cfg.path or 'the config'} has no [sources] paths or globs; "
            "add the folders or files to read, e.g. [sources] paths = [\"exports\"]")


@click.command()
# Bounded: a negative number listed every run on SQLite (LIMIT -1), and 10**20 was an
# OverflowError traceback.
@click.option("--runs", type=click.IntRange(1, 1_000_000), default=10, show_default=True,
              help="How many recent runs to list.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: one object, times in UTC.")
@common_options
def status(runs: int, fmt: str, cfg: Config) -> None:
    """The last runs, and the database's size, schema revision and time span.

    Example:

    \b
        tracker status --runs 5
        tracker status --format json
    """
    from tracker.store.database import Store
    from tracker.store.status import database_status, format_status, status_to_dict

    store = Store(cfg.db_url, create=False)
    try:
        found = database_status(store, runs)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(status_to_dict(found), ensure_ascii=False))
    else:
        click.echo(format_status(found), nl=False)

# What a stopped `db upgrade` leaves: the schema it found (an upgrade is one transaction).
UPGRADE_KEPT = "the database keeps the schema it had, an upgrade being whole or not at all"


@click.command()
@click.argument("action", type=click.Choice(["upgrade"]))
@common_options
def db(action: str, cfg: Config) -> None:
    """Upgrade the database schema to this tracker's version (opening it does too).

    Example:

    \b
        tracker db upgrade --db postgresql+psycopg://tracker@dbhost/tracker
    """
    from tracker.store.database import Store

    # Opened as every command opens it, which upgrades it: a damaged or foreign file, a
    # folder, a closed port or a missing driver was a traceback here, and a file under
    # /proc a wait for ever on a lock file that cannot be made beside it.
    # Ctrl-C while it waited for another process's write lock said `the database is locked
    # by another process (waited 30 s)`, exit 1, seconds in; SIGTERM ended it without a word.
    with stop_on_signals("", kept=UPGRADE_KEPT):
        store = Store(cfg.db_url)
        store.close()
    before, after = store.revisions
    click.echo(f"schema {before or 'empty'} -> {after}" if before != after
               else f"schema {after}: up to date")


def register(cli: click.Group) -> None:
    """Add refresh, status and db to `cli`."""
    for command in (refresh, status, db):
        cli.add_command(command)
