"""`report` over a database of N stored mentions, against a bare SQLite GROUP BY of the same rows;
and, run as a script, the briefing's and `chart`'s peak memory and time at N mentions.

    .venv/bin/python benchmarks/bench_report.py --mentions 10000 100000 1000000 \
        --cache /tmp/bench-brief
    # the same databases, another checkout's code (e.g. a worktree of the commit before):
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/bench_report.py --mentions 100000 1000000 \
        --cache /tmp/bench-brief

Each command runs in a fresh process (the CLI, as a user runs it) whose peak RSS
(getrusage ru_maxrss) and wall time are reported; PYTHONPATH picks the code measured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.config import Config
from tracker.reports.report import ReportSpec, build_report
from tracker.store.database import Store, mentions, posts

TICKERS = [("TSLA", "US"), ("NVDA", "US"), ("AAPL", "US"), ("MSFT", "US"), ("TSM", "US"),
           ("ASML", "US"), ("AMD", "US"), ("MU", "US"), ("2382", "TW"), ("600519", "SS")]
GROUPS = ["gpu;semis", "equipment", "foundry;semis", "", "memory", "ev;robotics"]
LABELS = ["positive", "negative", "neutral"]


def build_db(url: str, count: int, per_post: int = 5, seed: int = 7) -> None:
    """Fill a fresh database with `count` mentions, `per_post` to a post, over one year."""
    rng = random.Random(seed)
    store = Store(url)
    start = datetime(2025, 1, 1)
    now = datetime(2026, 1, 1)
    with store.engine.begin() as conn:
        for base in range(0, count // per_post, 10_000):
            post_rows: list[dict[str, Any]] = []
            mention_rows: list[dict[str, Any]] = []
            for i in range(base, min(base + 10_000, count // per_post)):
                pid = f"p{i:012d}"
                post_rows.append({
                    "id": pid, "source": "bench.jsonl", "lang": "en", "text": "x",
                    "published": start + timedelta(seconds=rng.randint(0, 365 * 86400)),
                    "published_from": "field", "ingested_at": now})
                for k in range(per_post):
                    ticker, market = rng.choice(TICKERS)
                    tone = rng.uniform(-1, 1)
                    mention_rows.append({
                        "post_id": pid, "ticker": ticker, "market": market, "name": ticker,
                        "kind": "cashtag", "start_offset": k * 10, "end_offset": k * 10 + 5,
                        "sentence": "Some sentence about it.", "confidence": 1.0,
                        "groups": rng.choice(GROUPS), "tone": tone,
                        "label": LABELS[0 if tone > 0.05 else 1 if tone < -0.05 else 2],
                        "is_repeat": False})
            conn.execute(posts.insert(), post_rows)
            conn.execute(mentions.insert(), mention_rows)
    store.close()


BARE = """
SELECT date(p.published) AS day, m.ticker, m.market, count(*), count(DISTINCT m.post_id),
       avg(m.tone), sum(m.label = 'positive'), sum(m.label = 'negative'),
       sum(m.label = 'neutral')
FROM mentions m JOIN posts p ON p.id = m.post_id
WHERE p.published IS NOT NULL
GROUP BY day, m.ticker, m.market
"""


def bench_report(work: Path, count: int, cfg: Config) -> dict[str, float]:
    """Seconds for `tracker report --by ticker --freq D` and for the bare GROUP BY."""
    path = work / "report.db"
    t = time.perf_counter()
    build_db(f"sqlite:///{path}", count)
    built = time.perf_counter() - t
    with sqlite3.connect(path) as conn:  # warm the page cache for both contenders
        conn.execute(BARE).fetchall()
        t = time.perf_counter()
        rows = conn.execute(BARE).fetchall()
        bare = time.perf_counter() - t
    store = Store(f"sqlite:///{path}")
    t = time.perf_counter()
    text = build_report(store, cfg, ReportSpec("ticker", "D", "csv"))
    report = time.perf_counter() - t
    t = time.perf_counter()
    build_report(store, cfg, ReportSpec("group", "W", "md"))
    group_report = time.perf_counter() - t
    store.close()
    assert len(text.splitlines()) - 1 == len(rows), (len(text.splitlines()), len(rows))
    print(f"report over {count} mentions: ticker/day csv {report:.2f} s, group/week md "
          f"{group_report:.2f} s; bare SQLite GROUP BY {bare:.2f} s "
          f"({report / bare:.1f}x; target <= 3x); database built in {built:.1f} s", flush=True)
    return {"mentions": count, "report_s": report, "group_report_s": group_report,
            "bare_group_by_s": bare, "ratio": report / bare}


# The child process: one CLI command, then its own peak RSS (Linux: KiB) on the last line.
_CHILD = """
import resource, sys, time
from tracker.cli import cli
t = time.perf_counter()
try:
    cli.main(sys.argv[1:], prog_name="tracker", standalone_mode=False)
finally:
    print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
COMMANDS = {
    "briefing": ["report", "--format", "md", "--freq", "D"],
    "briefing weekly": ["report", "--format", "md", "--freq", "W"],
    # A monthly history and the whole span cover most of the year stored.
    "briefing monthly": ["report", "--format", "md", "--freq", "M"],
    "briefing all": ["report", "--format", "md", "--freq", "W", "--span", "all"],
    "chart": ["chart", "--by", "ticker", "--freq", "D"],
    "chart groups": ["chart", "--by", "group", "--freq", "W"],
}


def measure(db: Path, work: Path, name: str) -> dict[str, float]:
    """Seconds and peak RSS (MB) of one command of COMMANDS over the database `db`."""
    config = work / "config.toml"
    config.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    args = [*COMMANDS[name], "--config", str(config), "--db", f"sqlite:///{db}",
            "--out", str(work / ("chart.png" if name.startswith("chart") else "briefing.md"))]
    # Run in `work`: `python -c` puts the working folder first on sys.path, so a checkout's
    # folder would shadow the code PYTHONPATH names.
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True,
                          text=True, check=True, cwd=work)
    if "Error" in done.stderr:
        raise RuntimeError(f"{name}: {done.stderr.strip()}")
    seconds, kib = done.stdout.split()[-2:]
    return {"seconds": float(seconds), "peak_mb": int(kib) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/bench-report"),
                        help="keeps the built databases between runs")
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=COMMANDS)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    code = os.environ.get("PYTHONPATH") or "this checkout"
    # Compile the modules first (a stale .pyc costs a run tens of MB and seconds).
    subprocess.run([sys.executable, "-c", "import tracker.cli, tracker.reports.report, "
                    "matplotlib.figure"], check=True, cwd=args.cache)
    results: dict[str, dict[str, float]] = {}
    for count in args.mentions:
        db = args.cache / f"report-{count}.db"
        if not db.exists():
            t = time.perf_counter()
            build_db(f"sqlite:///{db}.tmp", count)
            os.replace(f"{db}.tmp", db)
            print(f"built {db} in {time.perf_counter() - t:.0f} s", flush=True)
        for name in args.commands:
            got = measure(db, args.cache, name)
            results[f"{name} {count}"] = got
            print(f"{name}, {count:,} mentions ({code}): {got['seconds']:.1f} s, peak "
                  f"{got['peak_mb']:.0f} MB", flush=True)
    print(f"load average at the end (other jobs share this machine): {os.getloadavg()[0]:.2f}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
