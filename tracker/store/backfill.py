"""A cluster backfill's writes: a partition's posts with its pieces' rows in one transaction,
the pieces already stored, and the reposted passages settled in read order at the end.

Partitions are stored in whatever order the workers finish them, so the first post of a
reposted passage to be *stored* need not be the first one *read*. `settle_repeats` makes
the earliest post in read order the passage's holder, as a single `tracker ingest` of the
same paths would have, so the two store the same repeats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import and_, bindparam, delete, false, func, insert, select, true, update
from sqlalchemy.engine import Connection

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import Post
from tracker.store.partnotes import decode_notes, encode_notes
from tracker.store.schema import backfill_parts, mentions, passage_holders, posts
from tracker.store.upsert import insert_posts, now

_CHUNK = 400  # values per IN (...) list


@dataclass(frozen=True)
class PieceDone:
    """A stored piece of a file: where it lies, which version of the file, what it added."""

    path: str
    start: int
    stop: int
    size: int
    mtime_ns: int
    posts_read: int
    posts_added: int
    mentions_added: int
    run_id: int | None
    # What reading it had to say, restored when a retried task skips it. `failures` is a
    # list the caller may still append to (records the database refused) until it is stored.
    failures: list[SourceError] = field(default_factory=list, compare=False)
    warnings: list[SourceWarning] = field(default_factory=list, compare=False)
    warnings_counted: int = 0
    empty_posts: int = 0
    # How its posts were dated (RunCounts.dated), and a byte range's DateTally.state().
    dated: dict[str, Counter[str]] = field(default_factory=dict, compare=False)
    tally: list[Any] | None = field(default=None, compare=False)


def stored_pieces(conn: Connection, paths: Iterable[str]) -> dict[tuple[str, int, int], PieceDone]:
    """The stored pieces of `paths`, by (path, start, stop)."""
    wanted = sorted(set(paths))
    found: dict[tuple[str, int, int], PieceDone] = {}
    for i in range(0, len(wanted), _CHUNK):
        rows = conn.execute(select(
            backfill_parts.c.path, backfill_parts.c.start, backfill_parts.c.stop,
            backfill_parts.c.size, backfill_parts.c.mtime_ns, backfill_parts.c.posts_read,
            backfill_parts.c.posts_added, backfill_parts.c.mentions_added,
            backfill_parts.c.run_id, backfill_parts.c.notes)
            .where(backfill_parts.c.path.in_(wanted[i:i + _CHUNK])))
        for *row, notes in rows:
            said = decode_notes(notes)
            done = PieceDone(*row, failures=said.failures,  # type: ignore[misc]
                             warnings=said.warnings, warnings_counted=said.warnings_counted,
                             empty_posts=said.empty_posts, dated=said.dated, tally=said.tally)
            found[(done.path, done.start, done.stop)] = done
    return found


def store_part(conn: Connection, batch: Sequence[Post], done: Sequence[PieceDone],
               run_id: int | None) -> tuple[int, int]:
    """Insert `batch` (in read order) and record `done` in the open transaction; returns
    (posts added, mentions added). A piece's old row (an earlier version of its file) is
    replaced.

    What the transaction added is recorded on its first piece (the others get zeros), so a
    task run again after its worker died, finding all its pieces stored, reports the same
    totals.
    """
    added, mentioned = insert_posts(conn, batch, run_id) if batch else (0, 0)
    if done:
        done = [replace(done[0], posts_added=added, mentions_added=mentioned),
                *(replace(d, posts_added=0, mentions_added=0) for d in done[1:])]
    stamp = now()
    for piece in done:
        conn.execute(delete(backfill_parts).where(
            backfill_parts.c.path == piece.path, backfill_parts.c.start == piece.start,
            backfill_parts.c.stop == piece.stop))
    if done:
        conn.execute(insert(backfill_parts), [
            {"path": d.path, "start": d.start, "stop": d.stop, "size": d.size,
             "mtime_ns": d.mtime_ns, "posts_read": d.posts_read, "posts_added": d.posts_added,
             "mentions_added": d.mentions_added, "run_id": run_id, "finished_at": stamp,
             "notes": encode_notes(d.failures, d.warnings, d.warnings_counted, d.empty_posts,
                                   d.dated, d.tally)}
            for d in done])
    return added, mentioned


ReadOrder = Callable[[str, int | None, str], tuple[int, int, str]]


def settle_repeats(conn: Connection, run_ids: Iterable[int], order: ReadOrder) -> int:
    """Hand each reposted passage that `run_ids` stored to its earliest post in read order.

    `order(source, line, post_id)` sorts posts as they were read. Only passages whose holder
    these runs stored move: a passage held by an earlier run's post stays with it, as it
    would for ingest. Returns how many passages changed holder.
    """
    runs = sorted(set(run_ids))
    if not runs:
        return 0
    holder = passage_holders.alias("h")
    held_post = posts.alias("hp")
    # Pairs these runs' posts hold more than once, with their current holder if one of
    # these runs stored it: only those can have been claimed out of read order.
    shared = (select(mentions.c.passage, mentions.c.ticker)
              .join(posts, posts.c.id == mentions.c.post_id)
              .where(mentions.c.passage.is_not(None), posts.c.run_id.in_(runs))
              .group_by(mentions.c.passage, mentions.c.ticker)
              .having(func.count(func.distinct(mentions.c.post_id)) > 1).subquery())
    query = (
        select(mentions.c.passage, mentions.c.ticker, mentions.c.post_id, posts.c.source,
               posts.c.line, holder.c.post_id)
        .join(posts, posts.c.id == mentions.c.post_id)
        .join(shared, and_(shared.c.passage == mentions.c.passage,
                           shared.c.ticker == mentions.c.ticker))
        .join(holder, and_(holder.c.passage == mentions.c.passage,
                           holder.c.ticker == mentions.c.ticker))
        .join(held_post, held_post.c.id == holder.c.post_id)
        .where(posts.c.run_id.in_(runs), held_post.c.run_id.in_(runs))
        .order_by(mentions.c.passage, mentions.c.ticker))
    # Streamed a pair at a time (a server-side cursor on PostgreSQL): a backfill of 100M
    # posts has millions of reposted mentions, and only the pairs that move are kept.
    moves: list[dict[str, str]] = []
    # The pair being read, and its earliest post so far: (read order, post, holder).
    pair: tuple[str, str] | None = None
    best: tuple[tuple[int, int, str], str, str] | None = None

    def close_pair() -> None:
        if pair is not None and best is not None and best[1] != best[2]:
            moves.append({"p": pair[0], "t": pair[1], "new": best[1], "old": best[2]})

    # On the statement, not the connection: that would stream the updates below too.
    rows = conn.execute(query.execution_options(stream_results=True, yield_per=5000))
    for passage, ticker, post_id, source, line, held in rows:
        if (passage, ticker) != pair:
            close_pair()
            pair, best = (passage, ticker), None
        key = order(source, line, post_id)
        if best is None or key < best[0]:
            best = (key, post_id, held)
    close_pair()
    if moves:
        _move_holders(conn, moves)
    return len(moves)


def _move_holders(conn: Connection, moves: list[dict[str, str]]) -> None:
    """Make each move's "new" post the holder of its (p, t) pair instead of "old"."""
    same_pair = and_(mentions.c.passage == bindparam("p"), mentions.c.ticker == bindparam("t"))
    conn.execute(update(passage_holders).where(
        passage_holders.c.passage == bindparam("p"), passage_holders.c.ticker == bindparam("t"))
        .values(post_id=bindparam("new")), moves)
    conn.execute(update(mentions).where(same_pair, mentions.c.post_id == bindparam("old"))
                 .values(is_repeat=true()), moves)
    conn.execute(update(mentions).where(same_pair, mentions.c.post_id == bindparam("new"))
                 .values(is_repeat=false()), moves)
