"""--workers N stores exactly what one worker stores, in the same order."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
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


# Run in a child process: on the old code the run hung for ever, which a test process must
# not. The pool's queue of work ids refuses the third submit() after the pool registered its
# work item, as a SIGTERM or Ctrl-C raised inside submit() does: the caller never gets that
# chunk's Future back, so only the pool itself can cancel it.
_ORPHANED_SUBMIT = """
import queue
import sys

from tracker.config import load_config
from tracker.extract.models import RawPost
from tracker.ingest import parallel


class _Refusing(queue.Queue):
    calls = 0

    def put(self, item, block=True, timeout=None):
        type(self).calls += 1
        if type(self).calls == 3:
            raise KeyboardInterrupt
        super().put(item, block, timeout)


class _Pool(parallel.ProcessPoolExecutor):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._work_ids = _Refusing()


def _chunk(analyzer, raws):
    return [None for _ in raws]


parallel.ProcessPoolExecutor = _Pool
posts = [RawPost("feed.jsonl", f"$NVDA up {i}", line=i + 1) for i in range(400)]
try:
    for _ in parallel.analyze_parallel(posts, load_config(sys.argv[1]), 2, _chunk,
                                       chunk_size=10):
        pass
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_stop_inside_submit_does_not_hang_the_pool(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    try:
        done = subprocess.run([sys.executable, "-c", _ORPHANED_SUBMIT, str(config)],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:  # a safety net against the hang, not a timing
        pytest.fail("analyze_parallel hung after a stop inside submit()")
    assert (done.returncode, done.stdout) == (0, "stopped\n"), done.stderr


# Run in a child process, where nothing is loaded yet (this test process has loaded the
# models for other tests, and forked workers would inherit them on the old code too).
_LOADS_ONCE = """
import multiprocessing
import sys

multiprocessing.set_start_method("fork")

from tracker import sentiment
from tracker.config import load_config
from tracker.extract.models import RawPost
from tracker.ingest import parallel


def _chunk(analyzer, raws):
    # What this worker has loaded of the scorers' models, by the time it reads a chunk.
    return [sentiment._load.cache_info().misses for _ in raws]


posts = [RawPost("feed.jsonl", f"$NVDA up {i}", line=i + 1) for i in range(40)]
seen = set(parallel.analyze_parallel(posts, load_config(sys.argv[1]), 2, _chunk,
                                     chunk_size=10))
print(sorted(seen), sentiment._load.cache_info().misses)
"""


def test_forked_workers_use_the_models_the_main_process_loaded(tmp_path: Path) -> None:
    # Each worker loaded both languages' models for itself (a second of CPU for two
    # workers); now the main process loads them once and the forked workers inherit them.
    config = tmp_path / "config.toml"
    config.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    done = subprocess.run([sys.executable, "-c", _LOADS_ONCE, str(config)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    # Both languages loaded (two misses), in the main process, and no worker loaded more.
    assert done.stdout == "[2] 2\n"
