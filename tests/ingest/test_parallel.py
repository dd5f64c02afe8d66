"""--workers N stores exactly what one worker stores, in the same order."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tracker.config import Config
from tracker.errors import SourceError
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store, mentions, posts


def _rows(store: Store) -> tuple[list[tuple], list[tuple]]:
    post_rows = [(r["id"], r["source"], r["line"], r["tone"], r["text"])
                 for r in store.iter_rows(posts)]
    mention_rows = [(r["id"], r["post_id"], r["ticker"], r["start_offset"], r["tone"],
                     r["sentence"]) for r in store.iter_rows(mentions)]
    return post_rows, mention_rows


@pytest.mark.slow
def test_two_workers_store_what_one_stores(tmp_path: Path, cfg: Config) -> None:
    records = [{"id": str(i), "text": f"$NVDA up {i}. 英伟达大涨{i}，$TSM 看多。"}
               for i in range(230)]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(57, "{broken")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "posts.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    results = []
    for workers in (1, 2):
        store = Store(f"sqlite:///{tmp_path / f'w{workers}.db'}")
        result = ingest([SEEDS, tmp_path / "in"], cfg, store, workers=workers, batch_size=64)
        results.append((result, _rows(store)))
        store.close()
    (one, rows_one), (two, rows_two) = results
    assert rows_one == rows_two and len(rows_one[0]) == 235
    assert [str(f) for f in one.failures] == [str(f) for f in two.failures]
    assert (one.posts_seen, one.posts_added, one.mentions_added) == (
        two.posts_seen, two.posts_added, two.mentions_added)


def test_source_error_survives_pickling() -> None:
    err = pickle.loads(pickle.dumps(SourceError("a.jsonl", "invalid JSON", 3)))
    assert (err.path, err.message, err.line, str(err)) == (
        "a.jsonl", "invalid JSON", 3, "a.jsonl:3: invalid JSON")
