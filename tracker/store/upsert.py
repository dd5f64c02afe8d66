"""Idempotent inserts shared by ingest and refresh: posts once, mentions only with them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from tracker.extract.models import Mention, Post
from tracker.extract.passages import mark_repeats
from tracker.store.dialect import insert_ignore
from tracker.store.passages import claim_passages
from tracker.store.schema import mentions, posts

NAME_MAX = 200  # a mention's name is indexed; PostgreSQL caps an index row near 2.7 kB


def utc_naive(stamp: datetime | None) -> datetime | None:
    """`stamp` in UTC without a zone (SQLite keeps none); naive input is taken as UTC."""
    if stamp is None:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _storable(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with NUL removed from its text values, as normalize_text does for the body:
    PostgreSQL refuses NUL in text and SQLite keeps it, so both store the same without."""
    return {k: v.replace("\x00", "") if isinstance(v, str) and "\x00" in v else v
            for k, v in row.items()}


def _post_row(post: Post, stamp: datetime, run_id: int | None) -> dict[str, Any]:
    return _storable({
        "id": post.id, "source": post.source, "source_id": post.source_id, "line": post.line,
        "url": post.url, "author": post.author,
        "author_tag": post.author_tag, "title": post.title, "lang": post.lang,
        "genre": post.genre,
        "published": utc_naive(post.published), "published_from": post.published_from,
        "tone": post.tone, "text": post.text, "ingested_at": stamp, "run_id": run_id,
    })


def _mention_row(post_id: str, m: Mention) -> dict[str, Any]:
    return _storable({
        "post_id": post_id, "ticker": m.ticker, "market": m.market,
        "name": m.name[:NAME_MAX] if m.name else m.name,
        "kind": m.kind, "start_offset": m.start, "end_offset": m.end, "sentence": m.sentence,
        "confidence": m.confidence, "groups": ";".join(m.groups), "tone": m.tone,
        "label": m.label, "is_repeat": m.repeat, "passage": m.passage,
        "instrument": m.instrument,
    })


def unstorable(post: Post) -> str | None:
    """Why `post` cannot be turned into rows (its date cannot be put in UTC, say), or None.

    Checked per post before it joins a batch, so that whatever the rows' making raises costs
    that post, not the batch it would have been stored with.
    """
    try:
        _post_row(post, now(), None)
        for m in post.mentions:
            _mention_row(post.id, m)
    except Exception as exc:  # any reason at all is this post's
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return None


def stored_passages(conn: Connection, batch: Iterable[Post]) -> set[tuple[str, str]]:
    """The (passage, ticker) pairs of `batch`'s mentions that stored mentions already have."""
    pairs = sorted({(m.passage, m.ticker) for p in batch for m in p.mentions if m.passage})
    found: set[tuple[str, str]] = set()
    for i in range(0, len(pairs), _PAIRS_PER_QUERY):
        chunk = pairs[i:i + _PAIRS_PER_QUERY]
        # Padded to one size, so one statement is compiled and cached: a statement per
        # chunk size would fill SQLAlchemy's cache with up to 400 of them (~85 kB each).
        chunk += [chunk[-1]] * (_PAIRS_PER_QUERY - len(chunk))
        params: dict[str, str] = {}
        for j, (passage, ticker) in enumerate(chunk):
            params[f"p{j}"], params[f"t{j}"] = passage, ticker
        found.update((row[0], row[1]) for row in conn.execute(_STORED_PAIRS, params))
    return found


_PAIRS_PER_QUERY = 400  # 800 bound values: under SQLite's oldest limit of 999
# One index seek per pair (ix_mentions_passage), however often the passage was reposted:
# selecting every mention of the passages instead read all the reposts, and at a million
# posts that was most of ingest's time.
_STORED_PAIRS = text(
    "WITH k(passage, ticker) AS (VALUES "
    + ", ".join(f"(:p{j}, :t{j})" for j in range(_PAIRS_PER_QUERY))
    + ") SELECT k.passage, k.ticker FROM k WHERE EXISTS "
    "(SELECT 1 FROM mentions m WHERE m.passage = k.passage AND m.ticker = k.ticker)"
)


def insert_posts(conn: Connection, batch: Sequence[Post],
                 run_id: int | None) -> tuple[int, int]:
    """Insert `batch` in the open transaction; mentions only for posts this call added.

    RETURNING names the posts the INSERT really added, so a post another process stored
    first (or stores concurrently: PostgreSQL makes the second insert wait for the first
    to commit) gets its mentions exactly once; a reposted passage is counted once the same
    way (see tracker.store.passages). Returns (posts added, mentions added).
    """
    unique: dict[str, Post] = {}
    for post in batch:
        unique.setdefault(post.id, post)
    if not unique:
        return 0, 0
    stamp = now()
    stmt = insert_ignore(conn, posts, ["id"]).returning(posts.c.id)
    added = set(conn.execute(
        # In id order, as passages are claimed in key order: two writers storing some of
        # the same posts then never each wait for a row the other holds.
        stmt, [_post_row(unique[pid], stamp, run_id) for pid in sorted(unique)]).scalars())
    fresh = [p for pid, p in unique.items() if pid in added]
    new_posts = mark_repeats(fresh, claim_passages(conn, fresh))
    rows = [_mention_row(p.id, m) for p in new_posts for m in p.mentions]
    if rows:
        conn.execute(insert(mentions), rows)
    return len(added), len(rows)
