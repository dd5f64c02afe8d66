"""Idempotent inserts shared by ingest and refresh: posts once, mentions only with them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from tracker.extract.models import Mention, Post
from tracker.extract.passages import repeat_flags
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
    # Looked for first and copied only when found: almost no row has one, and a
    # comprehension over every row cost three times the loop.
    for v in row.values():
        if isinstance(v, str) and "\x00" in v:
            return {key: value.replace("\x00", "") if isinstance(value, str) else value
                    for key, value in row.items()}
    return row


def _post_row(post: Post) -> dict[str, Any]:
    # Without ingested_at and run_id, which the batch that stores the post adds.
    return _storable({
        "id": post.id, "source": post.source, "source_id": post.source_id, "line": post.line,
        "url": post.url, "author": post.author,
        "author_tag": post.author_tag, "title": post.title, "lang": post.lang,
        "genre": post.genre,
        "published": utc_naive(post.published), "published_from": post.published_from,
        "tone": post.tone, "text": post.text,
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


@dataclass(frozen=True, slots=True)
class PostRows:
    """A post and its rows, made once: before the post joins a batch, so that whatever
    making them raises costs that post alone, and then inserted as they are. The batch that
    stores them fills in its stamp, its run and the repeats it finds."""

    post: Post
    row: dict[str, Any]
    mention_rows: tuple[dict[str, Any], ...]


def post_rows(post: Post) -> PostRows:
    """`post`'s rows; raises whatever making them raises (a date that cannot be put in UTC,
    say)."""
    return PostRows(post, _post_row(post),
                    tuple(_mention_row(post.id, m) for m in post.mentions))


def _rows(item: Post | PostRows) -> PostRows:
    return item if isinstance(item, PostRows) else post_rows(item)


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


def insert_posts(conn: Connection, batch: Sequence[Post | PostRows],
                 run_id: int | None) -> tuple[int, int]:
    """Insert `batch` in the open transaction; mentions only for posts this call added.

    RETURNING names the posts the INSERT really added, so a post another process stored
    first (or stores concurrently: PostgreSQL makes the second insert wait for the first
    to commit) gets its mentions exactly once; a reposted passage is counted once the same
    way (see tracker.store.passages). Returns (posts added, mentions added).
    """
    unique: dict[str, PostRows] = {}
    for item in batch:
        made = _rows(item)
        unique.setdefault(made.post.id, made)
    if not unique:
        return 0, 0
    # The rows are filled in where they are, not copied: a copy of a batch's rows was a
    # second copy of its text in memory at ingest's peak.
    stamp = now()
    for made in unique.values():
        made.row["ingested_at"], made.row["run_id"] = stamp, run_id
    stmt = insert_ignore(conn, posts, ["id"]).returning(posts.c.id)
    added = set(conn.execute(
        # In id order, as passages are claimed in key order: two writers storing some of
        # the same posts then never each wait for a row the other holds.
        stmt, [unique[pid].row for pid in sorted(unique)]).scalars())
    fresh = [made for pid, made in unique.items() if pid in added]
    fresh_posts = [made.post for made in fresh]
    rows = []
    for made, marks in zip(fresh, repeat_flags(fresh_posts, claim_passages(conn, fresh_posts)),
                           strict=True):
        for row, repeat in zip(made.mention_rows, marks, strict=True):
            row["is_repeat"] = repeat
            rows.append(row)
    if rows:
        insert_mentions(conn, rows)
    return len(added), len(rows)


def insert_mentions(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (each with the keys of the first) into mentions.

    On SQLite the rows go to the driver's executemany as tuples: SQLAlchemy's executemany
    made each row's parameters in Python (its compiled statement's construct_params), 4-5
    us a row, a third of storing a StockTwits batch, where sqlite3 binds a tuple in C. No
    mention column has a bind processor that changes what SQLite stores (a bool is bound as
    the integer SQLAlchemy's Boolean makes of it; tests/store/test_mention_insert.py holds
    the stored rows and their SQLite types equal). Other databases keep SQLAlchemy's path.
    """
    if conn.dialect.paramstyle == "qmark":
        compiled = insert(mentions).compile(dialect=conn.dialect, column_keys=list(rows[0]))
        values = itemgetter(*(compiled.positiontup or ()))
        try:
            params = list(map(values, rows))
        except KeyError:
            # A row without a column that has a default (confidence, groups, is_repeat),
            # which the statement binds: SQLAlchemy fills it in (or says which row lacks
            # what), below.
            pass
        else:
            conn.exec_driver_sql(str(compiled), params)
            return
    conn.execute(insert(mentions), list(rows))
