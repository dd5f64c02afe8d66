"""Rows made before a post joins a batch (PostRows) are stored as the post itself would be."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker.extract.models import Mention, Post
from tracker.store.database import Store, mentions, posts
from tracker.store.upsert import post_rows

PASSAGE = "0123456789abcdef"


def _mention(ticker: str, start: int, passage: str | None) -> Mention:
    return Mention(ticker=ticker, market="US", name=None, kind="cashtag", start=start,
                   end=start + 5, sentence=f"s{start}", groups=("g1", "g2"), tone=0.25,
                   label="positive", passage=passage, instrument="stock")


def _posts() -> list[Post]:
    # b repeats a's passage for TSLA (a repeat) but not for NVDA; c names TSLA twice in
    # it, and being a later post both are repeats; a NUL in a title is dropped on store.
    stamp = datetime(2026, 3, 1, 10, tzinfo=UTC)
    return [
        Post(id="a", source="f.jsonl", text="x", line=1, published=stamp, tone=0.5,
             title="t\x00itle", mentions=(_mention("TSLA", 0, PASSAGE),)),
        Post(id="b", source="f.jsonl", text="y", line=2, mentions=(
            _mention("TSLA", 0, PASSAGE), _mention("NVDA", 7, PASSAGE),
            _mention("AMD", 14, None))),
        Post(id="c", source="f.jsonl", text="z", line=3, mentions=(
            _mention("TSLA", 0, PASSAGE), _mention("TSLA", 9, PASSAGE))),
        Post(id="a", source="g.jsonl", text="x again", line=9),  # the same id: skipped
    ]


def _stored(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [{k: v for k, v in r.items() if k != "ingested_at"} for r in store.iter_rows(posts)]
    found = [{k: v for k, v in r.items() if k != "id"} for r in store.iter_rows(mentions)]
    key = lambda r: (r["post_id"], r["start_offset"])  # noqa: E731
    return sorted(rows, key=lambda r: r["id"]), sorted(found, key=key)


def test_rows_made_first_are_stored_like_posts(tmp_path: Path) -> None:
    stored = []
    for name, batch in (("posts", _posts()), ("rows", [post_rows(p) for p in _posts()])):
        store = Store(f"sqlite:///{tmp_path / name}.db")
        try:
            assert store.add_posts(batch) == (3, 6)
            stored.append(_stored(store))
        finally:
            store.close()
    assert stored[0] == stored[1]
    post_table, mention_table = stored[1]
    assert post_table[0]["title"] == "title"
    assert [(m["post_id"], m["ticker"], m["is_repeat"]) for m in mention_table] == [
        ("a", "TSLA", False), ("b", "TSLA", True), ("b", "NVDA", False), ("b", "AMD", False),
        ("c", "TSLA", True), ("c", "TSLA", True)]
    assert mention_table[0]["groups"] == "g1;g2"


def test_rows_stored_again_get_that_batch_s_run_and_repeats(tmp_path: Path) -> None:
    # What a batch fills into the rows (its stamp, its run, the repeats) is filled in again
    # by the next batch that stores them, as when a refused batch is stored post by post.
    made = [post_rows(p) for p in _posts()]
    repeats = {}
    for name, order in (("first", [0, 1, 2, 3]), ("second", [1, 2, 0, 3])):
        store = Store(f"sqlite:///{tmp_path / name}.db")
        try:
            run_id = store.start_run("ingest") if name == "second" else None
            assert store.add_posts([made[i] for i in order], run_id) == (3, 6)
            rows, found = _stored(store)
            assert {r["run_id"] for r in rows} == {run_id}
            repeats[name] = [(m["post_id"], m["is_repeat"]) for m in found
                             if m["ticker"] == "TSLA"]
        finally:
            store.close()
    assert repeats["first"] == [("a", False), ("b", True), ("c", True), ("c", True)]
    # b came first here: a's TSLA is the repeat, and b's is not.
    assert repeats["second"] == [("a", True), ("b", False), ("c", True), ("c", True)]
