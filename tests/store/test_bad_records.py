"""One bad record costs that record: NUL in any field, a row the database refuses."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tracker.config import Config
from tracker.errors import SourceError
from tracker.extract.models import Mention, Post
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store, posts


def _line(i: int, **extra: str) -> str:
    return json.dumps({"id": f"p{i}", "text": f"post {i}: $TSLA is up and $NVDA is down.",
                       "published": "2026-03-01T10:00:00Z", **extra}) + "\n"


def test_nul_in_author_title_id_and_url_is_stripped_on_both_databases(
        tmp_path: Path, cfg: Config, db_url: str) -> None:
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    lines = [_line(i) for i in range(200)]
    lines[7] = _line(7, author="ann\u0000ie", title="ti\u0000tle", url="https://x/\u00007")
    lines[8] = json.dumps({"id": "p\u00008", "text": "post 8: $AMD rallies.",
                           "published": "2026-03-01T10:00:00Z"}) + "\n"
    feed.write_text("".join(lines), "utf-8")
    (tmp_path / "in" / "later.jsonl").write_text(_line(1000), "utf-8")
    store = Store(db_url)
    try:
        result = ingest([tmp_path / "in"], cfg, store, batch_size=50)
        rows = {r["source_id"]: r for r in store.iter_rows(posts)}
    finally:
        store.close()
    assert result.failures == [] and result.posts_added == 201
    assert (rows["p7"]["author"], rows["p7"]["title"], rows["p7"]["url"]) == (
        "annie", "title", "https://x/7")
    assert "p8" in rows and "p1000" in rows


def _post(i: int) -> Post:
    body = f"post {i}: $TSLA is up."
    return Post(id=f"id{i:04d}", source="feed.jsonl", text=body, line=i + 1, lang="en",
                mentions=(Mention("TSLA", "US", None, "cashtag", 9, 14, body),))


def test_a_row_the_database_refuses_costs_that_record_only(db_url: str) -> None:
    batch = [_post(i) for i in range(10)]
    batch[4] = replace(batch[4], text=None)  # type: ignore[arg-type]  # NOT NULL refuses it
    rejected: list[SourceError] = []
    store = Store(db_url)
    try:
        added, mentioned = store.add_posts(batch, on_reject=rejected.append)
        counts = store.counts()
    finally:
        store.close()
    assert (added, mentioned) == (9, 9)
    assert (counts["posts"], counts["mentions"]) == (9, 9)
    assert [(e.path, e.line) for e in rejected] == [("feed.jsonl", 5)]
    message = str(rejected[0])
    # The reason, not the statement, its parameters or the post's text.
    assert "INSERT" not in message and "post 3" not in message and len(message) < 300
    assert "\n" not in message
