"""The database: SQLAlchemy schema, engine, idempotent inserts and the reads reports need."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from .errors import StoreError
from .models import Post

log = logging.getLogger(__name__)

metadata = MetaData()

posts = Table(
    "posts", metadata,
    Column("id", String(40), primary_key=True),
    Column("source", Text, nullable=False),
    Column("source_id", Text),
    Column("line", Integer),
    Column("url", Text),
    Column("author", Text),
    Column("title", Text),
    Column("lang", String(8), nullable=False),
    Column("published", DateTime),  # UTC, naive: SQLite keeps no zone
    Column("published_from", String(8)),
    Column("tone", Float),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    Column("run_id", Integer),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", String(40), ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("ticker", String(32), nullable=False),
    Column("market", String(8)),
    Column("name", Text),
    Column("kind", String(16), nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("groups", Text, nullable=False, default=""),  # ";"-joined: portable, and CSV-ready
    Column("tone", Float),
    Column("label", String(8)),
    Column("is_repeat", Boolean, nullable=False, default=False),
    Index("ix_mentions_post", "post_id"),
    Index("ix_mentions_ticker", "ticker", "market"),
)

ingest_runs = Table(
    "ingest_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("command", String(32), nullable=False),
    Column("files_seen", Integer, nullable=False, default=0),
    Column("files_failed", Integer, nullable=False, default=0),
    Column("posts_seen", Integer, nullable=False, default=0),
    Column("posts_added", Integer, nullable=False, default=0),
    Column("mentions_added", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),
)


def _utc_naive(stamp: datetime | None) -> datetime | None:
    if stamp is None:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RunCounts:
    """What one ingest run saw and added."""

    files_seen: int = 0
    files_failed: int = 0
    posts_seen: int = 0
    posts_added: int = 0
    mentions_added: int = 0
    failures: int = 0


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
            metadata.create_all(self.engine)
        except OperationalError as exc:
            raise StoreError(f"{url}: cannot open the database: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(ingest_runs).values(
                started_at=_now(), command=command))
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
        whole, so ingesting the same files again adds nothing.
        """
        if not batch:
            return 0, 0
        try:
            with self.engine.begin() as conn:
                ids = list({p.id for p in batch})
                existing = set(conn.execute(
                    select(posts.c.id).where(posts.c.id.in_(ids))).scalars())
                new_posts: dict[str, Post] = {}
                for post in batch:
                    if post.id not in existing and post.id not in new_posts:
                        new_posts[post.id] = post
                if not new_posts:
                    return 0, 0
                now = _now()
                conn.execute(insert(posts), [_post_row(p, now, run_id) for p in new_posts.values()])
                rows = [_mention_row(p.id, m) for p in new_posts.values() for m in p.mentions]
                if rows:
                    conn.execute(insert(mentions), rows)
                return len(new_posts), len(rows)
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.url}: cannot store posts: {exc}") from exc

    def mentions_frame(self, since: datetime | None = None,
                       until: datetime | None = None) -> pd.DataFrame:
        """Every mention joined with its post's time, language and source, as a DataFrame."""
        query = select(
            mentions.c.post_id, posts.c.source, posts.c.source_id, posts.c.published,
            posts.c.published_from, posts.c.lang, posts.c.author, mentions.c.ticker,
            mentions.c.market, mentions.c.name, mentions.c.kind,
            mentions.c.start_offset.label("start"), mentions.c.end_offset.label("end"),
            mentions.c.groups, mentions.c.tone, mentions.c.label, mentions.c.confidence,
            mentions.c.is_repeat, mentions.c.sentence,
        ).join(posts, posts.c.id == mentions.c.post_id)
        if since is not None:
            query = query.where(posts.c.published >= _utc_naive(since))
        if until is not None:
            query = query.where(posts.c.published < _utc_naive(until))
        query = query.order_by(posts.c.published, mentions.c.post_id, mentions.c.start_offset)
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
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

    def counts(self) -> dict[str, int]:
        """Rows per table, for status lines and tests."""
        with self.engine.connect() as conn:
            return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                    for t in (posts, mentions, ingest_runs)}

    def iter_rows(self, table: Table) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            for row in conn.execute(select(table)):
                yield dict(row._mapping)


def _post_row(post: Post, now: datetime, run_id: int | None) -> dict[str, Any]:
    return {
        "id": post.id, "source": post.source, "source_id": post.source_id, "line": post.line,
        "url": post.url, "author": post.author, "title": post.title, "lang": post.lang,
        "published": _utc_naive(post.published), "published_from": post.published_from,
        "tone": post.tone, "text": post.text, "ingested_at": now, "run_id": run_id,
    }


def _mention_row(post_id: str, m: Any) -> dict[str, Any]:
    return {
        "post_id": post_id, "ticker": m.ticker, "market": m.market, "name": m.name,
        "kind": m.kind, "start_offset": m.start, "end_offset": m.end, "sentence": m.sentence,
        "confidence": m.confidence, "groups": ";".join(m.groups), "tone": m.tone,
        "label": m.label, "is_repeat": m.repeat,
    }
