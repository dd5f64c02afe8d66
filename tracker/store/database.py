"""The database: SQLAlchemy schema, engine, idempotent inserts and the reads reports need."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Table, create_engine, event, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from tracker.errors import StoreError
from tracker.models import Post
from tracker.reports.sqlaggregate import aggregate_in_db, mention_stats
from tracker.store.filestate import FileState, FileUpdate, apply_update, load_states, remove_files
from tracker.store.migrate import ensure_current
from tracker.store.schema import ingest_runs, mentions, metadata, post_sources, posts, source_files
from tracker.store.upsert import insert_posts, stored_passages
from tracker.store.upsert import now as _now
from tracker.store.upsert import utc_naive as _utc_naive

__all__ = ["RunCounts", "Store", "ingest_runs", "mentions", "metadata", "post_sources",
           "posts", "source_files"]

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class RunCounts:
    """What one ingest run saw and added."""

    files_seen: int = 0
    files_failed: int = 0
    posts_seen: int = 0
    posts_added: int = 0
    mentions_added: int = 0
    failures: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_removed: int = 0
    posts_removed: int = 0


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets a report read while an ingest writes; foreign keys make deletes cascade.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Store:
    """A tracker database at `url`, created on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise StoreError(f"{url}: not a database URL this tracker can open ({exc})") from exc
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"{url}: the database driver is not installed ({exc.name}); "
                "install it, e.g. pip install 'psycopg[binary]' for PostgreSQL"
            ) from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            ensure_current(self.engine, url)
        except OperationalError as exc:
            raise StoreError(f"{url}: cannot open the database: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(ingest_runs).values(
                started_at=_now(), command=command, host=socket.gethostname()))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_run(self, run_id: int, counts: RunCounts) -> None:
        with self.engine.begin() as conn:
            conn.execute(ingest_runs.update().where(ingest_runs.c.id == run_id).values(
                finished_at=_now(), **counts.__dict__))

    def add_posts(self, batch: Sequence[Post], run_id: int | None = None) -> tuple[int, int]:
        """Store the posts not already stored, with their mentions, in one transaction.

        Returns (posts added, mentions added). A post whose id is already stored is skipped
        whole, so ingesting the same files again adds nothing; when several processes store
        the same post at once, exactly one of them adds it and its mentions.
        """
        if not batch:
            return 0, 0
        try:
            with self.engine.begin() as conn:
                return insert_posts(conn, batch, run_id)
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.url}: cannot store posts: {exc}") from exc

    def file_states(self) -> dict[str, FileState]:
        """What refresh recorded of each source file, by path."""
        with self.engine.connect() as conn:
            return load_states(conn)

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
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.url}: cannot store posts: {exc}") from exc
        return totals[0], totals[1], totals[2]

    def remove_files(self, paths: Sequence[str]) -> int:
        """Forget source files and the posts only they held; returns posts removed."""
        with self.engine.begin() as conn:
            return remove_files(conn, paths)

    def last_change(self) -> datetime | None:
        """When the last run that added or removed posts finished (naive UTC)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(ingest_runs.c.finished_at)).where(
                (ingest_runs.c.posts_added > 0) | (ingest_runs.c.posts_removed > 0))).scalar()

    def aggregate_frame(self, by: str, freq: str, tz: tzinfo, since: datetime | None = None,
                        until: datetime | None = None) -> pd.DataFrame:
        """The report table for `by`, aggregated in the database (see tracker.reports.sqlaggregate)."""
        with self.engine.connect() as conn:
            return aggregate_in_db(conn, by, freq, tz, _utc_naive(since), _utc_naive(until))

    def mention_stats(self, since: datetime | None = None,
                      until: datetime | None = None) -> dict[str, int]:
        """Mentions, posts, undated and file-dated posts in a range, counted in the database."""
        with self.engine.connect() as conn:
            return mention_stats(conn, _utc_naive(since), _utc_naive(until))

    def mentions_frame(self, since: datetime | None = None, until: datetime | None = None,
                       columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Every mention joined with its post's time, language and source, as a DataFrame.

        `columns` (names of the frame's columns) reads only those, in the frame's order:
        a report table needs neither the sentences nor the offsets, which are most of
        the bytes read.
        """
        selected = [
            mentions.c.post_id, posts.c.source, posts.c.source_id, posts.c.published,
            posts.c.published_from, posts.c.lang, posts.c.author, mentions.c.ticker,
            mentions.c.market, mentions.c.name, mentions.c.kind,
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
        query = query.order_by(posts.c.published, mentions.c.post_id, mentions.c.start_offset)
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        if "published" in frame:
            frame["published"] = pd.to_datetime(frame["published"]).dt.tz_localize("UTC")
        return frame

    def posts_frame(self) -> pd.DataFrame:
        """Every post with its mention count, as a DataFrame (text left out)."""
        counts = (select(mentions.c.post_id, func.count().label("mentions"))
                  .group_by(mentions.c.post_id).subquery())
        query = select(
            posts.c.id.label("post_id"), posts.c.source, posts.c.source_id, posts.c.url,
            posts.c.author, posts.c.title, posts.c.lang, posts.c.published,
            posts.c.published_from, posts.c.tone,
            func.coalesce(counts.c.mentions, 0).label("mentions"),
        ).outerjoin(counts, counts.c.post_id == posts.c.id).order_by(
            posts.c.published, posts.c.id)
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        frame["published"] = pd.to_datetime(frame["published"]).dt.tz_localize("UTC")
        return frame

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


def database_exists(url: str) -> bool:
    """False only for a SQLite file that is not there yet (a server database is assumed)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///")).is_file()
    return True
