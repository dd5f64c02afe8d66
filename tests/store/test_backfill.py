"""A backfill's partitions stored out of read order: the pieces' rows, and the reposted
passages settled back to the post read first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.extract.models import Post, RawPost
from tracker.ingest.analyze import Analyzer
from tracker.ingest.cluster import read_order
from tracker.store.backfill import PieceDone, settle_repeats
from tracker.store.database import Store
from tracker.store.schema import mentions, passage_holders

SHARED = "Everyone keeps pasting this: $TSLA will lead the whole market higher this quarter."


def _posts(analyzer: Analyzer, source: str, texts: list[str]) -> list[Post]:
    raws = [RawPost(text=t, source=source, line=i + 1, source_id=f"{source}-{i}")
            for i, t in enumerate(texts)]
    posts = [analyzer.analyze(r) for r in raws]
    assert all(p is not None for p in posts)
    return [p for p in posts if p is not None]


def _repeats(store: Store) -> tuple[list[tuple], list[tuple]]:
    with store.engine.connect() as conn:
        marks = sorted(conn.execute(select(mentions.c.post_id, mentions.c.ticker,
                                           mentions.c.is_repeat)).all())
        holders = sorted(conn.execute(select(passage_holders)).all())
    return [tuple(r) for r in marks], [tuple(r) for r in holders]


def _piece(path: str, posts: int) -> PieceDone:
    return PieceDone(path, 0, 100, 100, 1, posts, 0, 0, None)


def test_partitions_stored_backwards_settle_to_read_order(db_url: str,
                                                          analyzer: Analyzer) -> None:
    first = _posts(analyzer, "a.jsonl", ["$AMD opened the day quietly.", SHARED])
    second = _posts(analyzer, "b.jsonl", [SHARED + " Indeed.", SHARED + " Again."])
    parts = [(first, _piece("a.jsonl", 2)), (second, _piece("b.jsonl", 2))]

    in_order = Store(db_url)
    run = in_order.start_run("backfill")
    for batch, piece in parts:
        in_order.add_part(batch, [piece], run, on_reject=pytest.fail)
    expected = _repeats(in_order)
    in_order.close()
    assert sum(mark[2] for mark in expected[0]) == 2  # b's two posts repeat a's passage

    backwards_url = db_url.replace("tracker.db", "backwards.db")
    backwards = Store(backwards_url) if backwards_url != db_url else None
    if backwards is None:  # PostgreSQL: a second database is not at hand; clear this one
        backwards = Store(db_url)
        with backwards.engine.begin() as conn:
            for table in ("backfill_parts", "passage_holders", "mentions", "posts"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
    run = backwards.start_run("backfill")
    for batch, piece in reversed(parts):  # b's partition happened to commit first
        backwards.add_part(batch, [piece], run, on_reject=pytest.fail)
    assert _repeats(backwards) != expected
    with backwards.engine.begin() as conn:
        moved = settle_repeats(conn, {run}, read_order(["a.jsonl", "b.jsonl"]))
    assert moved == 1
    assert _repeats(backwards) == expected
    with backwards.engine.begin() as conn:  # settled: a second pass moves nothing
        assert settle_repeats(conn, {run}, read_order(["a.jsonl", "b.jsonl"])) == 0
    backwards.close()


def test_a_passage_held_by_an_earlier_run_stays_with_it(tmp_path: Path,
                                                        analyzer: Analyzer) -> None:
    store = Store(f"sqlite:///{tmp_path / 'tracker.db'}")
    old = _posts(analyzer, "z-old.jsonl", [SHARED])
    store.add_posts(old, store.start_run("ingest"))
    run = store.start_run("backfill")
    new = _posts(analyzer, "a.jsonl", [SHARED + " Once more."])
    store.add_part(new, [_piece("a.jsonl", 1)], run, on_reject=pytest.fail)
    with store.engine.begin() as conn:
        # a.jsonl comes first in this backfill's read order, but the older run stored first.
        assert settle_repeats(conn, {run}, read_order(["a.jsonl"])) == 0
    marks, holders = _repeats(store)
    assert [h[2] for h in holders] == [old[0].id]
    assert {m[0]: m[2] for m in marks} == {old[0].id: False, new[0].id: True}
    store.close()


def test_stored_pieces_say_what_their_transaction_added(tmp_path: Path,
                                                       analyzer: Analyzer) -> None:
    store = Store(f"sqlite:///{tmp_path / 'tracker.db'}")
    run = store.start_run("backfill")
    posts = _posts(analyzer, "a.jsonl", ["$AMD rallied hard today.", "$NVDA slipped."])
    pieces = [_piece("a.jsonl", 1), PieceDone("a.jsonl", 100, 200, 200, 1, 1, 0, 0, None)]
    assert store.add_part(posts, pieces, run, on_reject=pytest.fail) == (2, 2)
    stored = store.stored_pieces(["a.jsonl", "other.jsonl"])
    assert sorted(stored) == [("a.jsonl", 0, 100), ("a.jsonl", 100, 200)]
    first, second = stored[("a.jsonl", 0, 100)], stored[("a.jsonl", 100, 200)]
    assert (first.posts_added, first.mentions_added, first.run_id) == (2, 2, run)
    assert (second.posts_added, second.mentions_added) == (0, 0)
    # Stored again (a retried task): nothing added, the rows replaced, not doubled.
    assert store.add_part(posts, pieces, run, on_reject=pytest.fail) == (0, 0)
    assert len(store.stored_pieces(["a.jsonl"])) == 2
    store.close()
