"""Refresh: an idle run over many stored files, and posts per second on new input.

Run from the repository root (or with PYTHONPATH at another checkout, to compare):

    python benchmarks/bench_refresh.py --files 10000 --posts 5000

Nothing here is a test: pytest does not collect this folder.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

from tracker.config import Config, load_config  # noqa: E402
from tracker.ingest.refresh import refresh  # noqa: E402
from tracker.store.database import Store  # noqa: E402


def _job(folder: Path, batch_size: int) -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{folder / "t.db"}"\n[dates]\n'
                    f'timezone = "UTC"\n[sources]\npaths = ["in"]\n'
                    f"[refresh]\nbatch_size = {batch_size}\n", "utf-8")
    return load_config(path)


def _refresh(cfg: Config, workers: int) -> tuple[float, int]:
    kwargs = {"workers": workers} if "workers" in inspect.signature(refresh).parameters else {}
    if workers > 1 and not kwargs:
        return float("nan"), 0  # this checkout's refresh has no workers
    store = Store(cfg.db_url)
    try:
        start = time.perf_counter()
        result = refresh(cfg, store, **kwargs)
        return time.perf_counter() - start, result.posts_added
    finally:
        store.close()


def idle(root: Path, files: int) -> dict[str, float]:
    """Seconds for a refresh that finds nothing new among `files` stored files."""
    cfg = _job(root / "idle", 500)
    folder = root / "idle" / "in"
    folder.mkdir()
    for i in range(files):
        (folder / f"{i:05d}.jsonl").write_text(
            json.dumps({"id": str(i), "text": f"post {i} about $TSLA"}) + "\n", "utf-8")
    first, added = _refresh(cfg, 1)
    runs = [_refresh(cfg, 1)[0] for _ in range(3)]
    return {"files": files, "first_run_s": round(first, 2), "posts_added": added,
            "idle_run_s": round(min(runs), 3)}


def throughput(root: Path, posts: int, workers: int) -> dict[str, float]:
    """Posts per second of a refresh that reads `posts` new posts (JSON Lines shards)."""
    cfg = _job(root / f"speed{workers}", 500)
    write_corpus(root / f"speed{workers}" / "in", posts)
    seconds, added = _refresh(cfg, workers)
    return {"workers": workers, "posts_added": added, "seconds": round(seconds, 2),
            "posts_per_s": round(added / seconds, 1) if added else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(json.dumps({"idle": idle(root, args.files)}), flush=True)
        for workers in args.workers:
            print(json.dumps({"throughput": throughput(root, args.posts, workers)}), flush=True)


if __name__ == "__main__":
    main()
