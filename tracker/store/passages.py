"""Who first held each reposted passage: claimed as posts are stored, handed on when the
holder is deleted, so a passage's mentions count once however posts come and go.

The rule itself (what a passage is, what a repeat is) lives in tracker.extract.passages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import and_, false, select, update
from sqlalchemy.engine import Connection

from tracker.extract.models import Post
from tracker.store.dialect import insert_ignore
from tracker.store.schema import mentions, passage_holders

Pair = tuple[str, str]
_CHUNK = 400  # pairs per statement: 800 bound values, under SQLite's oldest limit of 999


def claim_passages(conn: Connection, new_posts: Sequence[Post]) -> set[Pair]:
    """Claim the (passage, ticker) pairs of `new_posts`, the first post in order holding
    each; returns the pairs another post already held, whose mentions here are repeats.

    The claim is an insert into a primary key, so it holds under concurrent writers: on
    PostgreSQL the second of two transactions claiming a pair waits for the first to commit
    and then finds the pair taken. Pairs are claimed in sorted order, so two writers never
    wait on each other in a circle.
    """
    claims: dict[Pair, str] = {}
    for post in new_posts:
        for m in post.mentions:
            if m.passage:
                claims.setdefault((m.passage, m.ticker), post.id)
    if not claims:
        return set()
    stmt = insert_ignore(conn, passage_holders, ["passage", "ticker"]).returning(
        passage_holders.c.passage, passage_holders.c.ticker)
    ordered = sorted(claims)
    won: set[Pair] = set()
    for i in range(0, len(ordered), _CHUNK):
        rows = [{"passage": p, "ticker": t, "post_id": claims[(p, t)]}
                for p, t in ordered[i:i + _CHUNK]]
        won.update((r[0], r[1]) for r in conn.execute(stmt, rows))
    return set(claims) - won


def held_by(conn: Connection, post_ids: Collection[str]) -> set[Pair]:
    """The pairs `post_ids` hold, read before deleting them."""
    ids = list(post_ids)
    held: set[Pair] = set()
    for i in range(0, len(ids), _CHUNK):
        held.update((r[0], r[1]) for r in conn.execute(
            select(passage_holders.c.passage, passage_holders.c.ticker)
            .where(passage_holders.c.post_id.in_(ids[i:i + _CHUNK]))))
    return held


def hand_on(conn: Connection, pairs: Iterable[Pair]) -> None:
    """For each of `pairs` left without a holder (its holder was deleted), make the post
    with the earliest remaining mention of it the holder, and its mentions not repeats."""
    for passage, ticker in sorted(pairs):
        if conn.execute(select(passage_holders.c.post_id).where(
                passage_holders.c.passage == passage,
                passage_holders.c.ticker == ticker)).first() is not None:
            continue  # its holder is still there
        same = and_(mentions.c.passage == passage, mentions.c.ticker == ticker)
        heir = conn.execute(select(mentions.c.post_id).where(same)
                            .order_by(mentions.c.id).limit(1)).scalar()
        if heir is None:
            continue  # no post holds the passage any more
        conn.execute(insert_ignore(conn, passage_holders, ["passage", "ticker"]).values(
            passage=passage, ticker=ticker, post_id=heir))
        conn.execute(update(mentions).where(same, mentions.c.post_id == heir)
                     .values(is_repeat=false()))

