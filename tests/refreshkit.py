"""Helpers for the refresh tests: a job folder, feeds of posts, and database snapshots."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tracker.config import Config, load_config
from tracker.store.database import Store, mentions, post_sources, posts, source_files

ROOT = Path(__file__).resolve().parent.parent
TICKERS = ["TSLA", "NVDA", "AAPL", "AMD", "TSM", "ASML", "MU"]
WORDS = ["great", "weak", "strong", "bad", "rallying", "crashing", "steady"]


def record(i: int, prefix: str = "post") -> str:
    """One JSONL line: a dated post mentioning two tickers, unique per (prefix, i)."""
    return json.dumps({
        "id": f"{prefix}{i}",
        "text": f"{prefix} {i}: ${TICKERS[i % 7]} is {WORDS[i % 7]} and "
                f"${TICKERS[(i * 3 + 1) % 7]} looks {WORDS[(i + 2) % 7]}.",
        "published": f"2026-0{1 + i % 5}-{1 + i % 27:02d}T{i % 24:02d}:30:00Z",
    }) + "\n"


def write_feed(path: Path, start: int, stop: int, prefix: str = "post") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.writelines(record(i, prefix) for i in range(start, stop))


def make_job(folder: Path, db_url: str, *, sources: tuple[str, ...] = ("in",),
             batch_size: int = 500) -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(
        f'[database]\nurl = "{db_url}"\n[dates]\ntimezone = "UTC"\n'
        f"[sources]\npaths = {json.dumps(list(sources))}\n"
        f"[refresh]\nbatch_size = {batch_size}\n", "utf-8")
    return load_config(path)


def snapshot(store: Store, base: Path | None = None) -> dict[str, list[tuple]]:
    """Every stored row that matters, with paths made relative to `base`."""
    def rel(path: str) -> str:
        return os.path.relpath(path, base) if base else path

    with store.engine.connect() as conn:
        files = {r.id: rel(r.path) for r in conn.execute(source_files.select())}
        return {
            "posts": sorted((r.id, rel(r.source), r.line, r.published, round(r.tone or 0, 6))
                            for r in conn.execute(posts.select())),
            "mentions": sorted((r.post_id, r.ticker, r.start_offset, r.label)
                               for r in conn.execute(mentions.select())),
            "files": sorted((rel(r.path), r.size, r.sha256, r.bytes_read, r.lines_read, r.posts)
                            for r in conn.execute(source_files.select())),
            "links": sorted((files[r.file_id], r.post_id, r.line)
                            for r in conn.execute(post_sources.select())),
        }


def tracker_process(config: Path, *args: str) -> subprocess.Popen[str]:
    """`tracker refresh` in a child process, for locking and crash tests."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "refresh", "--config", str(config), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
