"""The database: SQLAlchemy schema, engine, idempotent inserts and the reads reports need."""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Select, Table, create_engine, event, func, insert, select
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)

from tracker.errors import SourceError, StoreError
from tracker.extract.models import Post, RunCounts
from tracker.store.backfill import PieceDone, store_part, stored_pieces
from tracker.store.filestate import (
    FileState,
    FileUpdate,
    apply_update,
    first_post,
    load_states,
    remove_files,
)
from tracker.store.migrate import check_is_tracker_database, ensure_current
from tracker.store.processes import process_identity
from tracker.store.runtimes import read_run_time, stored_text
from tracker.store.schema import ingest_runs, mentions, metadata, post_sources, posts, source_files
from tracker.store.sqlitewait import BUSY_TIMEOUT_MS, SLICE_MS, WaitingConnection, waiting_briefly
from tracker.store.upsert import PostRows, insert_posts, stored_passages
from tracker.store.upsert import now as _now
from tracker.store.upsert import utc_naive as _utc_naive
from tracker.store.url import SQLITE_HEADER, shown_url, sqlite_path

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RunCounts", "Store", "ingest_runs", "mentions", "metadata", "post_sources",
           "posts", "source_files"]

log = logging.getLogger(__name__)

# Seconds a connection to a database server may take to be made. libpq waits for ever by
# default: a server that accepts and never answers (hung, or a half-dead proxy before it)
# held every command, a cron `refresh` too, without a word, each hour's run one more. A
# URL's own `?connect_timeout=` wins.
CONNECT_TIMEOUT_S = 30


# How db_reason names a statement serverwatch gave up on (its class is not imported here:
# psycopg is optional), and libpq's words for a connection that was not made in time: both
# read by explain, for the message, and by server_unreachable, to stop a run.
_SILENT = "ServerSilent: "
_CONNECT_TIMED_OUT = "connection timeout expired"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SLICE_MS}")
    # WAL lets a report read while an ingest writes; foreign keys make deletes cascade.
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:
        # A read-only file keeps the mode it has, and can still be read.
        if "readonly" not in str(exc) and "read-only" not in str(exc):
            raise
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def explain(url: str, exc: BaseException) -> str:
    """What went wrong with the database at `url`, and what to do, in one line."""
    url = shown_url(url)
    reason = db_reason(exc)
    if "file is not a database" in reason or "file is encrypted" in reason:
        return (f"{sqlite_path(url) or url}: not a SQLite database ({reason}); "
                "check --db or [database] url")
    if "database is locked" in reason:
        return (f"{url}: the database is locked by another process (waited "
                f"{BUSY_TIMEOUT_MS / 1000:g} s); try again when it has finished")
    if "readonly" in reason or "read-only" in reason:
        return (f"{url}: the database is read-only ({reason}); reports can read it, but to "
                "store posts make the file and its folder writable, or use a copy")
    if "database disk image is malformed" in reason:
        return (f"{sqlite_path(url) or url}: the database file is damaged ({reason}); "
                "restore it from a backup, or recover what is left with the sqlite3 "
                "shell's .recover into a new file")
    if "unable to open database file" in reason:
        return (f"{url}: cannot open the database file ({reason}); check that its folder "
                "exists and is readable (and writable, to store posts)")
    if reason.startswith(_SILENT):
        return (f"{url}: the database server stopped answering while a statement ran "
                f"({reason.removeprefix(_SILENT)}): frozen, or cut off; the batch "
                "in flight was not committed, what was stored before is kept: check the "
                "server, then run again")
    if _CONNECT_TIMED_OUT in reason:
        return (f"{url}: the database server did not answer ({reason}; tracker waits "
                f"{CONNECT_TIMEOUT_S} s, or a URL's ?connect_timeout=); check that it is up "
                "and reachable")
    if "database or disk is full" in reason:
        return (f"{url}: the disk holding the database is full ({reason}); what was stored "
                "before is kept: make room, then run again")
    if "disk I/O error" in reason:
        # SQLite's word for a write the system refused: a file-size limit (ulimit -f, EFBIG)
        # below what the file needs says only this, and so may a full disk or a bad device.
        return (f"{url}: the system refused to write or read the database file ({reason}): "
                "a full disk, a file-size limit (ulimit -f) the file outgrew, or a failing "
                "device; what was stored before is kept: make room, then run again")
    return f"{url}: cannot use the database: {reason}"


def _file_identity(url: str) -> tuple[int, int] | None:
    """The device and inode of a SQLite database file; None for another database, or when
    it is missing."""
    path = sqlite_path(url)
    try:
        found = path.stat() if path is not None else None
    except OSError:
        return None
    return None if found is None else (found.st_dev, found.st_ino)


# How much of a SQLite file's start is read to tell a zeroed file (a page of the smallest
# size) from another program's file.
_HEAD_READ = 512

# Failures no retry or rollback can mend, met by any query after the store opened.
_DAMAGED = ("database disk image is malformed", "file is not a database")


def _damaged_is_store_error(context: Any) -> None:
    """A query on a damaged SQLite file raises StoreError, saying so, wherever it runs:
    the opening probe reads too little of the file to find every damaged page."""
    if any(d in str(context.original_exception) for d in _DAMAGED):
        url = context.engine.url.render_as_string(hide_password=True)
        raise StoreError(explain(url, context.sqlalchemy_exception
                                 or context.original_exception)) from context.original_exception


# A table or column of the schema missing when a query ran, once the database opened at
# the latest revision: it was changed outside tracker (a table dropped in the sqlite3 shell).
_MISSING = re.compile(r"no such (table|column): (\S+)")


def _missing_is_store_error(context: Any) -> None:
    """A query meeting a table or column that is gone raises StoreError, saying so: it was a
    traceback from whichever command first read it (`status` on a dropped ingest_runs,
    `report` on a dropped mentions). Listened to only after the opening, whose own queries
    (of a new database's alembic_version) may meet no table by design."""
    missing = _MISSING.search(str(context.original_exception))
    if missing is not None:
        url = context.engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"{sqlite_path(url) or url}: the database has no {missing[1]} {missing[2]}, "
            "which its schema revision has: it was changed outside tracker; restore it from "
            "a backup") from context.original_exception


def _posts_only(batch: Iterable[Post | PostRows | None]) -> list[Post | PostRows]:
    """A caller's batch as a list of posts, without the Nones analyze_many gives for posts
    left empty (each cost the whole batch an AttributeError from inside the store); anything
    else that is no Post is a TypeError naming it."""
    if batch is None or isinstance(batch, str | bytes | Post):
        raise TypeError("Store.add_posts takes a list of tracker.Post (what Analyzer.analyze "
                        f"gives), not {type(batch).__name__}")
    kept = []
    for item in batch:
        if item is None:
            continue
        if not isinstance(item, Post | PostRows):
            hint = "; analyze it first (Analyzer.analyze_many)" if type(item).__name__ == \
                "RawPost" else ""
            raise TypeError("Store.add_posts takes a list of tracker.Post (what "
                            f"Analyzer.analyze gives), not one holding {type(item).__name__}"
                            + hint)
        kept.append(item)
    return kept


class Store:
    """A tracker database at `url`, created on first use unless `create` is False.

    Read-only commands pass `create=False`, so a mistyped path is an error instead of a new
    empty database (and its folders) that reports nothing.
    """

    def __init__(self, url: str, create: bool = True) -> None:
        self.url = url
        folder = sqlite_path(url)
        if folder is not None and folder.is_dir():
            # Else "no database at" or "cannot open the database file": a folder is there.
            raise StoreError(f"{folder}: a folder, not a database file; give the file's path "
                             f"(e.g. {folder / 'tracker.db'})")
        if not create and not database_exists(url):
            raise StoreError(f"no database at {sqlite_path(url) or shown_url(url)} "
                             "(run `tracker ingest` first)")
        path = sqlite_path(url)
        if not create and path is not None and path.is_file() and path.stat().st_size == 0:
            # SQLite would take an empty file for an empty database and write a schema
            # into it: a command that only reads must not change a file it was pointed at.
            raise StoreError(f"{path}: the file is empty, not a tracker database; check --db "
                             "or [database] url (run `tracker ingest` to make one)")
        try:
            path = sqlite_path(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = _engine(url)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise StoreError(f"{shown_url(url)}: not a database URL this tracker can open "
                             f"({exc})") from exc
        except ModuleNotFoundError as exc:
            raise StoreError(_missing_driver(url, exc.name)) from exc
        if self.engine.dialect.name == "sqlite":
            self._check_sqlite_file()
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "handle_error", _damaged_is_store_error)
        try:
            try:
                self._probe()
            except DBAPIError as exc:
                if not self._reopen_read_only(exc):
                    raise
            # (revision before, after) of this opening: `tracker db upgrade` says them.
            self.revisions = ensure_current(self.engine, url)
            self._file = _file_identity(self.url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "handle_error", _missing_is_store_error)
        except DBAPIError as exc:
            raise StoreError(explain(url, exc)) from exc
        except OSError as exc:  # the upgrade lock beside a database in a read-only folder
            raise StoreError(f"{shown_url(url)}: the database needs a schema upgrade but its "
                             f"folder cannot be written ({exc.strerror}); upgrade a writable "
                             "copy with `tracker db upgrade`") from exc

    def _probe(self) -> None:
        """Read the database once: a locked or foreign file fails here, before any lock
        file is made beside it."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("SELECT COUNT(*) FROM sqlite_master")
            else:
                conn.execute(select(1))

    def _reopen_read_only(self, exc: DBAPIError) -> bool:
        """After `exc`, open a SQLite file in a read-only folder for reading only.

        A database in WAL mode needs its -shm file beside it even to be read; in a folder
        that cannot be written SQLite cannot make one, so the file is opened immutable
        (no shared memory, no locks). Only when no write-ahead log is left beside it, whose
        posts an immutable reader would miss. Returns whether the database is now open.
        """
        path = sqlite_path(self.url)
        if (path is None or "unable to open database file" not in str(exc.orig)
                or not path.is_file() or os.access(path.parent, os.W_OK)):
            return False
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return False
        self.engine.dispose()
        # A URL object, the file name quoted for SQLite's URI reading alone: in a URL string a
        # `?` in the name began the query string, and SQLAlchemy unquoted a `%3F` first.
        self.engine = create_engine(URL.create(
            "sqlite", database=f"file:{quote(str(path))}",
            query={"mode": "ro", "immutable": "1", "uri": "true"}))
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self._probe()
        log.info("%s: opened read-only (its folder cannot be written)", path)
        return True

    def _check_sqlite_file(self) -> None:
        path = sqlite_path(self.url)
        if path is None or not path.is_file() or path.stat().st_size == 0:
            return
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_READ)
        if not head.strip(b"\0"):
            # A crash on some file systems, or a copy or disk image cut short, leaves a
            # database zeroed: "check --db" sent the user after a path that was right.
            raise StoreError(f"{path}: the database file is damaged (its first "
                             f"{len(head):,} bytes are all zero, where the SQLite header "
                             "should be); restore it from a backup")
        if len(head) < len(SQLITE_HEADER) and SQLITE_HEADER.startswith(head):
            raise StoreError(f"{path}: the database file is damaged (cut short after "
                             f"{len(head)} bytes, within the SQLite header); restore it from "
                             "a backup")
        if head[:len(SQLITE_HEADER)] != SQLITE_HEADER:
            raise StoreError(f"{path}: not a SQLite database (it does not start with the "
                             "SQLite header); check --db or [database] url")
        # Another program's database is refused before the connection pragmas switch it
        # to WAL mode; a file that cannot be read here is explained by the opening below.
        try:
            probe = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=1)
            try:
                tables = [r[0] for r in probe.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
            finally:
                probe.close()
        except sqlite3.Error:
            return
        check_is_tracker_database(tables, self.url)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def check_file_kept(self, what: str) -> None:
        """Raise StoreError if the SQLite file this store opened was deleted or replaced
        since (`rm t.db`, a backup copied over it): SQLite writes on into the file it holds
        open, and an ingest said "6,000 new posts", exit 0, of posts gone with that file."""
        if self._file is None:
            return
        now = _file_identity(self.url)
        if now != self._file:
            raise StoreError(f"{sqlite_path(self.url)}: the database file was deleted or "
                             f"replaced while {what} ran; what it stored went with the old "
                             "file, not into this one: run it again")

    def start_run(self, command: str) -> int:
        try:
            with self.engine.begin() as conn:
                return _insert_run(conn, command)
        except OperationalError as exc:
            raise StoreError(explain(self.url, exc)) from exc

    def finish_run(self, run_id: int, counts: RunCounts) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(ingest_runs.update().where(ingest_runs.c.id == run_id).values(
                    finished_at=_now(), **counts.columns()))
        except OperationalError as exc:
            raise StoreError(explain(self.url, exc)) from exc

    def stop_run(self, run_id: int, counts: RunCounts, signum: int) -> None:
        """Record that signal `signum` stopped the run, with what it stored by then; its
        row stayed without an end, and `status` showed it `running` until a later run.
        Best effort: the stop is the caller's to report, whatever the database says."""
        try:
            with waiting_briefly(), self.engine.begin() as conn:
                # This process's row only: a start rolled back by the stop left its id free
                # for another process's run.
                conn.execute(ingest_runs.update().where(
                    ingest_runs.c.id == run_id, ingest_runs.c.pid == os.getpid()).values(
                    finished_at=_now(), stopped_by=signal.Signals(signum).name,
                    **counts.columns()))
        except (SQLAlchemyError, StoreError, ValueError) as exc:
            log.info("run %d: its stop was not recorded (%s)", run_id, exc)

    @contextmanager
    def recording_stop(self, run_id: int, counts: RunCounts) -> Iterator[None]:
        """Run the block; if a signal stops it (KeyboardInterrupt, or the CLI's Stopped with
        its `signum`), record the stop on the run's row before the stop goes on up."""
        try:
            yield
        except KeyboardInterrupt as exc:
            self.stop_run(run_id, counts, getattr(exc, "signum", signal.SIGINT))
            raise

    @contextmanager
    def recorded_run(self, command: str, counts: RunCounts) -> Iterator[int]:
        """A run's row around the block: started before it, finished after it with
        `counts`, and a signal at any moment from its start to its end recorded as the
        run's stop. With start_run, recording_stop and finish_run one after the other, a
        stop between them (refresh drawing its bar, the end's own transaction) left a row
        without an end: `killed` in this host's `status`, `running` in another's."""
        started: list[int] = []
        try:
            try:
                with self.engine.begin() as conn:
                    # Known before the commit: a stop just after it is recorded too.
                    started.append(_insert_run(conn, command))
            except OperationalError as exc:
                raise StoreError(explain(self.url, exc)) from exc
            yield started[0]
            self.finish_run(started[0], counts)
        except KeyboardInterrupt as exc:
            if started:
                self.stop_run(started[0], counts, getattr(exc, "signum", signal.SIGINT))
            raise

    def add_posts(self, batch: Sequence[Post | PostRows], run_id: int | None = None, *,
                  on_reject: Callable[[SourceError], None] | None = None) -> tuple[int, int]:
        """Store the posts not already stored, with their mentions, in one transaction.

        Returns (posts added, mentions added). A post whose id is already stored is skipped
        whole, so ingesting the same files again adds nothing; when several processes store
        the same post at once, exactly one of them adds it and its mentions.

        With `on_reject`, a batch the database refuses is stored again post by post, and
        each post it still refuses is passed to `on_reject` rather than costing the batch.
        A database that cannot be written at all (locked, read-only) raises StoreError.
        A post may come with its rows already made (PostRows), which are then stored as
        they are. A None in `batch` (what Analyzer.analyze_many gives for a post left empty
        by cleaning) is skipped.
        """
        if not isinstance(batch, Sequence) or any(
                not isinstance(item, Post | PostRows) for item in batch):
            batch = _posts_only(batch)
        if not batch:
            return 0, 0
        try:
            with self.engine.begin() as conn:
                added, mentioned = insert_posts(conn, batch, run_id)
                _count_commit(conn, run_id, added, mentioned, 0)
                return added, mentioned
        except OperationalError as exc:
            raise StoreError(explain(self.url, exc)) from exc
        except SQLAlchemyError as exc:
            if on_reject is None:
                raise StoreError(explain(self.url, exc)) from exc
            log.debug("batch refused (%s); storing its posts one by one", db_reason(exc))
        totals = [0, 0]
        for item in batch:
            post = item.post if isinstance(item, PostRows) else item
            try:
                with self.engine.begin() as conn:
                    added, mentioned = insert_posts(conn, [item], run_id)
                    _count_commit(conn, run_id, added, mentioned, 0)
            except OperationalError as exc:
                raise StoreError(explain(self.url, exc)) from exc
            except SQLAlchemyError as exc:
                on_reject(SourceError(post.source, "the database refused this post "
                                      f"({db_reason(exc)}); it was not stored", post.line))
                continue
            totals[0] += added
            totals[1] += mentioned
        return totals[0], totals[1]

    def add_part(self, batch: Sequence[Post], done: Sequence[PieceDone], run_id: int | None,
                 *, on_reject: Callable[[SourceError], None]) -> tuple[int, int]:
        """Store a backfill partition's posts and record its pieces in one transaction.

        Returns (posts added, mentions added). When the database refuses the batch, its posts
        are stored one by one as add_posts does (each refused one goes to `on_reject`), and
        the pieces are recorded after them.
        """
        try:
            with self.engine.begin() as conn:
                added, mentioned = store_part(conn, batch, done, run_id)
                _count_commit(conn, run_id, added, mentioned, 0)
                return added, mentioned
        except OperationalError as exc:
            raise StoreError(explain(self.url, exc)) from exc
        except SQLAlchemyError as exc:
            log.debug("partition refused (%s); storing its posts one by one", db_reason(exc))
        added, mentioned = self.add_posts(batch, run_id, on_reject=on_reject)
        try:
            with self.engine.begin() as conn:
                store_part(conn, [], done, run_id)
        except SQLAlchemyError as exc:
            raise StoreError(explain(self.url, exc)) from exc
        return added, mentioned

    def stored_pieces(self, paths: Iterable[str]) -> dict[tuple[str, int, int], PieceDone]:
        """The pieces of `paths` a backfill has stored, by (path, start, stop)."""
        try:
            with self.engine.connect() as conn:
                return stored_pieces(conn, paths)
        except SQLAlchemyError as exc:
            raise StoreError(explain(self.url, exc)) from exc

    def file_states(self) -> dict[str, FileState]:
        """What refresh recorded of each source file, by path."""
        with self.engine.connect() as conn:
            return load_states(conn)

    def first_post(self, path: str) -> str | None:
        """The id of the first post (by line) that refresh linked to `path`, or None."""
        with self.engine.connect() as conn:
            return first_post(conn, path)

    def apply_file_updates(self, updates: Sequence[FileUpdate],
                           run_id: int | None = None) -> tuple[int, int, int]:
        """Store files' posts and new read positions in one transaction.

        Returns (posts added, mentions added, posts removed).
        """
        totals = [0, 0, 0]
        try:
            with self.engine.begin() as conn:
                for upd in updates:
                    for i, n in enumerate(apply_update(conn, upd, run_id)):
                        totals[i] += n
                _count_commit(conn, run_id, *totals)
        except SQLAlchemyError as exc:
            raise StoreError(explain(self.url, exc)) from exc
        return totals[0], totals[1], totals[2]

    def remove_files(self, paths: Sequence[str]) -> int:
        """Forget source files and the posts only they held; returns posts removed."""
        with self.engine.begin() as conn:
            return remove_files(conn, paths)

    def last_change(self) -> datetime | None:
        """When the last run that added or removed posts finished (naive UTC); for a run
        that never finished (killed after some commits), when it started."""
        when = func.coalesce(ingest_runs.c.finished_at, ingest_runs.c.started_at)
        with self.engine.connect() as conn:
            # Read as stored: a time another writer gave an offset was an aware datetime
            # that refresh compared with a naive one, a TypeError (tracker/store/runtimes.py).
            # Each is read and the latest kept: SQLite's max() compares the stored texts as
            # text, where 'T' sorts after ' ', an offset's local hour after an earlier UTC
            # one, and 'yesterday' after every time (then no report was ever stale).
            stored = conn.execute(select(stored_text(when)).where(
                (ingest_runs.c.posts_added > 0) | (ingest_runs.c.posts_removed > 0))).scalars()
            times = [t for t in map(read_run_time, stored) if t is not None]
        return max(times, default=None)

    def count_silent_posts(self, since: datetime | None = None,
                           until: datetime | None = None) -> int:
        """Dated posts published in [since, until) that named no ticker (no mention stored)."""
        named = select(mentions.c.post_id).where(mentions.c.post_id == posts.c.id).exists()
        query = select(func.count()).select_from(posts).where(
            posts.c.published.is_not(None), ~named)
        if since is not None:
            query = query.where(posts.c.published >= _utc_naive(since))
        if until is not None:
            query = query.where(posts.c.published < _utc_naive(until))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def _mentions_query(self, since: datetime | None, until: datetime | None,
                        columns: Sequence[str] | None) -> Select[Any]:
        selected = [
            mentions.c.post_id, posts.c.source, posts.c.source_id, posts.c.published,
            posts.c.published_from, posts.c.lang, posts.c.genre, posts.c.author,
            posts.c.author_tag, mentions.c.ticker, mentions.c.market, mentions.c.name,
            mentions.c.kind, mentions.c.instrument,
            mentions.c.start_offset.label("start"), mentions.c.end_offset.label("end"),
            mentions.c.groups, mentions.c.tone, mentions.c.label, mentions.c.confidence,
            mentions.c.is_repeat, mentions.c.sentence,
        ]
        if columns is not None:
            unknown = set(columns) - {c.name for c in selected}
            if unknown:
                raise ValueError(f"no mention column {sorted(unknown)}")
            selected = [c for c in selected if c.name in columns]
        query = select(*selected).join(posts, posts.c.id == mentions.c.post_id)
        if since is not None:
            query = query.where(posts.c.published >= _utc_naive(since))
        if until is not None:
            query = query.where(posts.c.published < _utc_naive(until))
        return query.order_by(posts.c.published, mentions.c.post_id, mentions.c.start_offset)

    def mentions_frame(self, since: datetime | None = None, until: datetime | None = None,
                       columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Every mention joined with its post's time, language and source, as a DataFrame.

        `columns` (names of the frame's columns) reads only those, in the frame's order:
        a report table needs neither the sentences nor the offsets, which are most of
        the bytes read.
        """
        query = self._mentions_query(since, until, columns)
        import pandas as pd
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        if "published" in frame:
            frame["published"] = pd.to_datetime(frame["published"]).dt.tz_localize("UTC")
        return frame

    def iter_mentions(self) -> Iterator[dict[str, Any]]:
        """The rows of `mentions_frame()`, one at a time (published naive UTC), so an export
        holds one batch in memory, not the table."""
        yield from self._stream(self._mentions_query(None, None, None))

    def _posts_query(self) -> Select[Any]:
        counts = (select(mentions.c.post_id, func.count().label("mentions"))
                  .group_by(mentions.c.post_id).subquery())
        return select(
            posts.c.id.label("post_id"), posts.c.source, posts.c.source_id, posts.c.url,
            posts.c.author, posts.c.author_tag, posts.c.title, posts.c.lang, posts.c.published,
            posts.c.published_from, posts.c.tone,
            func.coalesce(counts.c.mentions, 0).label("mentions"),
        ).outerjoin(counts, counts.c.post_id == posts.c.id).order_by(
            posts.c.published, posts.c.id)

    def iter_posts(self) -> Iterator[dict[str, Any]]:
        """Every post with its mention count (text left out), one at a time (published naive
        UTC)."""
        yield from self._stream(self._posts_query())

    def _stream(self, query: Select[Any], batch: int = 1000) -> Iterator[dict[str, Any]]:
        # stream_results: a server-side cursor on PostgreSQL, so rows arrive in batches.
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
            for row in result:
                yield dict(row._mapping)

    def passages_seen(self, batch: Sequence[Post]) -> set[tuple[str, str]]:
        """The (passage, ticker) pairs of `batch`'s mentions already stored by other posts."""
        ids = [p.id for p in batch]
        with self.engine.connect() as conn:
            stored = set(conn.execute(select(posts.c.id).where(posts.c.id.in_(ids))).scalars())
            fresh = [p for p in batch if p.id not in stored]
            return stored_passages(conn, fresh)

    def counts(self) -> dict[str, int]:
        """Rows per table, for status lines and tests."""
        with self.engine.connect() as conn:
            return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                    for t in (posts, mentions, ingest_runs)}

    def counts_all(self) -> dict[str, int]:
        """Rows per table, source files and their links included."""
        with self.engine.connect() as conn:
            return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                    for t in (posts, mentions, ingest_runs, source_files, post_sources)}

    def iter_rows(self, table: Table) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            for row in conn.execute(select(table)):
                yield dict(row._mapping)


def _insert_run(conn: Connection, command: str) -> int:
    """A new run's row, started now by this process; its id."""
    result = conn.execute(insert(ingest_runs).values(
        started_at=_now(), command=command, host=socket.gethostname(), pid=os.getpid(),
        process_start=process_identity(os.getpid())))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _count_commit(conn: Connection, run_id: int | None, added: int, mentioned: int,
                  removed: int) -> None:
    """Add a batch's counts to its run's row in the batch's own transaction, so a run
    killed after some commits still says what it changed (and reports are rewritten)."""
    if run_id is None or not (added or mentioned or removed):
        return
    conn.execute(ingest_runs.update().where(ingest_runs.c.id == run_id).values(
        posts_added=ingest_runs.c.posts_added + added,
        mentions_added=ingest_runs.c.mentions_added + mentioned,
        posts_removed=ingest_runs.c.posts_removed + removed))


def db_reason(exc: BaseException) -> str:
    """What the database said, in one line: never the statement, its parameters or the
    failing row (PostgreSQL's DETAIL quotes the post's text)."""
    orig = getattr(exc, "orig", None)
    source = orig if orig is not None else exc
    first = str(source).strip().split("\n", 1)[0]
    first = first.split(" [SQL:", 1)[0].strip()
    return f"{type(source).__name__}: {first[:200]}" if first else type(source).__name__


def server_unreachable(exc: BaseException) -> bool:
    """Whether `exc`, or the database error it was raised from, says the server did not
    answer (silent while a statement ran, or a connection that timed out): a run with more
    to store stops there, where each further batch waited as long again for it."""
    seen: BaseException | None = exc
    while seen is not None:
        reason = db_reason(seen)
        if reason.startswith(_SILENT) or _CONNECT_TIMED_OUT in reason:
            return True
        seen = seen.__cause__
    return False


# The PostgreSQL drivers over libpq, whose connect() takes libpq's `connect_timeout`. Any
# other (pg8000) refuses the keyword: every connection was a TypeError, a traceback.
_LIBPQ_DRIVERS = frozenset(("psycopg", "psycopg2", "psycopg2cffi"))


def _engine(url: str) -> Engine:
    """The engine for `url`; a PostgreSQL one over libpq gives up connecting after
    CONNECT_TIMEOUT_S, and any PostgreSQL one waiting for a lock after LOCK_WAIT_S
    (pglocks.py); a SQLite one waits for another process's lock where a signal can
    stop the wait."""
    made = make_url(url)
    if made.get_backend_name() == "sqlite" and made.get_driver_name() == "pysqlite":
        return create_engine(url, connect_args={"factory": WaitingConnection})
    if made.get_backend_name() == "postgresql" and made.get_driver_name() in _LIBPQ_DRIVERS \
            and "connect_timeout" not in made.query:
        engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    else:
        engine = create_engine(url)
    if made.get_backend_name() == "postgresql":
        from tracker.store.pglocks import limit_lock_waits, lock_wait_is_store_error

        event.listen(engine, "connect", limit_lock_waits)
        event.listen(engine, "handle_error", lock_wait_is_store_error)
    if made.get_backend_name() == "postgresql" and made.get_driver_name() == "psycopg":
        # Imported here: psycopg is an optional dependency (tracker[postgres]).
        from tracker.store.serverwatch import connect_watched

        event.listen(engine, "do_connect",
                     lambda _dialect, _record, cargs, cparams: connect_watched(cargs, cparams))
    return engine


def _missing_driver(url: str, module: str | None) -> str:
    """What to do when the driver `url` names is not installed. For PostgreSQL through
    another driver than psycopg 3 (psycopg2, pg8000), installing psycopg as the message
    said made no difference: the URL still named the other one."""
    said = f"{shown_url(url)}: the database driver is not installed ({module})"
    made = make_url(url)
    if made.get_backend_name() == "postgresql" and made.get_driver_name() != "psycopg":
        return (f"{said}; install it, or write the URL as postgresql+psycopg://... for "
                "psycopg 3 (pip install 'tracker[postgres]'), the driver tracker is tested "
                "with, and the one whose wait for a server that stops answering ends")
    return f"{said}; install it, e.g. pip install 'psycopg[binary]' for PostgreSQL"


def database_exists(url: str) -> bool:
    """False only for a SQLite file that is not there yet (a server database is assumed)."""
    path = sqlite_path(url)
    return path is None or path.is_file()
