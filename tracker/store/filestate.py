"""What refresh has read of each source file, and which posts each file holds.

Posts are keyed by a hash of their content, so the same post read from two files is stored
once and linked to both (table post_sources). When a file changes, its links are replaced
by the new version's, and the posts no file links to any more are deleted with their
mentions; a post the new version still holds, or another file holds, stays as it was.
Posts first stored by `tracker ingest` are never removed by refresh, even when a refreshed
file held them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.engine import Connection

from tracker.store.dialect import insert_ignore
from tracker.store.passages import hand_on, held_by
from tracker.store.schema import ingest_runs, post_sources, posts, source_files
from tracker.store.upsert import PostRows, insert_posts

CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


@dataclass(frozen=True)
class FileState:
    """A source file as refresh last recorded it."""

    id: int
    path: str
    size: int
    mtime_ns: int
    sha256: str
    bytes_read: int
    lines_read: int
    posts: int


@dataclass
class FileUpdate:
    """Posts read from one file (or one part of it) and the file's state after them.

    `replace` drops the posts of the file's previous version first; it is set on the first
    update of a changed file only. `spooled` holds posts read before `posts`, in batches
    read back one at a time (refresh keeps a large file's posts on disk until it commits).
    """

    path: str
    size: int
    mtime_ns: int
    sha256: str
    bytes_read: int
    lines_read: int
    replace: bool = False
    posts: list[PostRows] = field(default_factory=list)  # made once, by prepare_post
    spooled: Iterable[Sequence[PostRows]] = ()

    def batches(self) -> Iterator[Sequence[PostRows]]:
        """The posts in read order, a batch at a time."""
        yield from self.spooled
        yield self.posts


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def load_states(conn: Connection) -> dict[str, FileState]:
    """Every recorded file, by path."""
    rows = conn.execute(select(
        source_files.c.id, source_files.c.path, source_files.c.size, source_files.c.mtime_ns,
        source_files.c.sha256, source_files.c.bytes_read, source_files.c.lines_read,
        source_files.c.posts)).all()
    return {row[1]: FileState(*row) for row in rows}


def first_post(conn: Connection, path: str) -> str | None:
    """The post at the lowest line `path` held when last read, or None."""
    return conn.execute(
        select(post_sources.c.post_id).join(source_files,
                                            source_files.c.id == post_sources.c.file_id)
        .where(source_files.c.path == path)
        .order_by(post_sources.c.line, post_sources.c.post_id).limit(1)).scalar()


def _file_id(conn: Connection, path: str) -> int:
    now = _now()
    conn.execute(insert_ignore(conn, source_files, ["path"]).values(
        path=path, size=0, mtime_ns=0, sha256="", bytes_read=0, lines_read=0, posts=0,
        first_seen=now, updated_at=now))
    return int(conn.execute(
        select(source_files.c.id).where(source_files.c.path == path)).scalar_one())


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _drop_orphans(conn: Connection, candidates: Sequence[str]) -> int:
    """Delete those of `candidates` that refresh stored and no file links to any more.

    Their mentions go with them (ON DELETE CASCADE), and the passages they first held pass
    to the next post holding them, so those mentions stop being repeats.
    """
    held = held_by(conn, candidates)
    removed = 0
    linked = exists().where(post_sources.c.post_id == posts.c.id)
    by_refresh = select(ingest_runs.c.id).where(ingest_runs.c.command == "refresh")
    for chunk in _chunks(candidates):
        result = conn.execute(delete(posts).where(
            posts.c.id.in_(chunk), ~linked, posts.c.run_id.in_(by_refresh)))
        removed += result.rowcount or 0
    if removed:
        hand_on(conn, held)
    return removed


def apply_update(conn: Connection, upd: FileUpdate, run_id: int | None) -> tuple[int, int, int]:
    """Store one file update in the open transaction: (posts added, mentions added, removed)."""
    file_id = _file_id(conn, upd.path)
    old: list[str] = []
    if upd.replace:
        old = list(conn.execute(select(post_sources.c.post_id)
                                .where(post_sources.c.file_id == file_id)).scalars())
        conn.execute(delete(post_sources).where(post_sources.c.file_id == file_id))
    added = mentioned = 0
    for batch in upd.batches():
        # Batch by batch in the one transaction: a spooled file's posts are never all in
        # memory at once.
        new, named = insert_posts(conn, batch, run_id)
        added, mentioned = added + new, mentioned + named
        links: dict[str, dict[str, object]] = {}
        for r in batch:
            # A post twice in a file is linked at its first line, as its row is stored
            # (insert_posts) and as a later batch's repeat is (the insert ignores it),
            # wherever the batches happen to end.
            links.setdefault(r.post.id, {"file_id": file_id, "post_id": r.post.id,
                                         "line": r.post.line})
        if links:
            conn.execute(insert_ignore(conn, post_sources, ["file_id", "post_id"]),
                         list(links.values()))
    removed = _drop_orphans(conn, old) if old else 0
    count = conn.execute(select(func.count()).select_from(post_sources)
                         .where(post_sources.c.file_id == file_id)).scalar_one()
    conn.execute(update(source_files).where(source_files.c.id == file_id).values(
        size=upd.size, mtime_ns=upd.mtime_ns, sha256=upd.sha256, bytes_read=upd.bytes_read,
        lines_read=upd.lines_read, posts=count, updated_at=_now(), run_id=run_id))
    return added, mentioned, removed


def remove_files(conn: Connection, paths: Sequence[str]) -> int:
    """Forget `paths` and delete the posts only they held; returns posts removed."""
    removed = 0
    for path in paths:
        file_id = conn.execute(select(source_files.c.id)
                               .where(source_files.c.path == path)).scalar()
        if file_id is None:
            continue
        old = list(conn.execute(select(post_sources.c.post_id)
                                .where(post_sources.c.file_id == file_id)).scalars())
        conn.execute(delete(post_sources).where(post_sources.c.file_id == file_id))
        conn.execute(delete(source_files).where(source_files.c.id == file_id))
        removed += _drop_orphans(conn, old)
    return removed
