"""ingest stores its posts in transactions of [refresh] batch_size, as refresh does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.refreshkit import make_job, write_feed
from tracker.extract.models import Post
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store


def test_ingest_commits_batches_of_the_configured_size(tmp_path: Path) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=3)
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 7)
    store = Store(cfg.db_url)
    sizes: list[int] = []
    add_posts = store.add_posts

    def counted(batch: list[Post], *args: Any, **kwargs: Any) -> tuple[int, int]:
        sizes.append(len(batch))
        return add_posts(batch, *args, **kwargs)

    store.add_posts = counted  # type: ignore[method-assign]
    try:
        result = ingest([tmp_path / "in"], cfg, store)
    finally:
        store.close()
    assert result.posts_added == 7
    assert sizes == [3, 3, 1]
