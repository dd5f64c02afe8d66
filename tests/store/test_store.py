"""The store: idempotent inserts, and reading back what went in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tracker.config import Config
from tracker.errors import StoreError
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store, posts


def snapshot(store: Store) -> tuple:
    stored = sorted((r["id"], r["source"], r["tone"]) for r in store.iter_rows(posts))
    frame = store.mentions_frame()
    mentions = sorted(map(tuple, frame[["post_id", "ticker", "start", "tone"]].values.tolist()))
    return stored, mentions


@pytest.mark.slow
def test_reingest_changes_nothing(tmp_path: Path, cfg: Config) -> None:
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    first = ingest([SEEDS], cfg, store)
    assert first.posts_added == 5 and first.mentions_added > 0 and not first.failures
    before = snapshot(store)
    second = ingest([SEEDS], cfg, store)
    assert (second.posts_seen, second.posts_added, second.mentions_added) == (5, 0, 0)
    assert snapshot(store) == before
    assert store.counts()["ingest_runs"] == 2


def test_same_post_from_two_places_counts_once(tmp_path: Path, cfg: Config) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "p.txt").write_text("$TSLA  is up\n", "utf-8")
    (tmp_path / "b" / "p.txt").write_text("$TSLA is up", "utf-8")
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    result = ingest([tmp_path / "a", tmp_path / "b"], cfg, store)
    assert (result.posts_seen, result.posts_added) == (2, 1)


def test_failures_do_not_stop_the_batch(tmp_path: Path, cfg: Config) -> None:
    (tmp_path / "good.txt").write_text("$NVDA soars", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01")
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    result = ingest([tmp_path], cfg, store)
    assert result.posts_added == 1 and [f.path for f in result.failures] == [
        str(tmp_path / "bad.txt")]


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("nosuchdb://x")
