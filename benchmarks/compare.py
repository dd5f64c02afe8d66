"""Two checkouts side by side in one run: CPU per post, wall time, peak memory, start-up.

Each checkout is measured through its own `tracker` command (its own venv), so the two
need not share any internals; rounds alternate between them, because this machine's speed
drifts and other jobs share it. Nothing here is a test.

    python benchmarks/compare.py --tracker base=/path/to/7aec2d8/.venv/bin/tracker \\
        --tracker new=.venv/bin/tracker --posts 2000 --real ../shared/datasets/real

Prints a Markdown table: per corpus and checkout, the median over rounds of CPU seconds
(user + system, the process and its workers), CPU per post, wall seconds and peak RSS of
`tracker ingest`; then `tracker -h` wall time and a one-post ingest's wall time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402


def _run(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """(CPU seconds of the command and its children, wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (its waited-for workers included), not the sum of
    # every child this script has waited for.
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed:\n{err[-2000:]}")
    # ru_maxrss is the largest single process of the tree, in KiB on Linux.
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def _ingest(tracker: str, corpus: Path, workers: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
        return _run([tracker, "ingest", str(corpus), "--workers", str(workers), "-q"], folder)


def _help(tracker: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return _run([tracker, "-h"], Path(tmp))[1]


def _count(corpus: Path) -> int:
    files = [corpus] if corpus.is_file() else sorted(corpus.rglob("*.jsonl"))
    return sum(1 for path in files for line in path.open("rb") if line.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracker", action="append", required=True, metavar="NAME=PATH",
                        help="a checkout's tracker command (give two or more)")
    parser.add_argument("--posts", type=int, default=2000, help="synthetic corpus size")
    parser.add_argument("--real", type=Path, action="append", default=[],
                        help="a folder or file of real posts, ingested as a second corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="*", default=[1])
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "tracker-bench-compare")
    args = parser.parse_args()
    # Each run starts in a temporary folder: relative paths (.venv/bin/tracker,
    # ../shared/datasets/real) are read from here, where the user typed them. An ingest of a
    # path it cannot find exits 1, as for any failed record, so it would go unnoticed.
    trackers = {name: str(Path(path).resolve()) if Path(path).exists() else path
                for name, path in (item.split("=", 1) for item in args.tracker)}
    args.real = [real.resolve() for real in args.real]
    for real in args.real:
        if not real.exists():
            parser.error(f"--real {real}: no such file or folder")
    missing = [f"{name}={path}" for name, path in trackers.items() if not Path(path).exists()
               and shutil.which(path) is None]
    if missing:
        parser.error(f"--tracker {', '.join(missing)}: no such command")
    args.cache = args.cache.resolve()

    synthetic = args.cache / f"synthetic-{args.posts}"
    if not synthetic.exists():
        write_corpus(synthetic, args.posts)
    corpora = [(f"synthetic {args.posts:,} posts", synthetic)]
    for real in args.real:
        corpora.append((f"real: {real.name}", real))
    one = args.cache / "one-post"
    one.mkdir(parents=True, exist_ok=True)
    (one / "post.txt").write_text("$NVDA beats, great quarter\n", "utf-8")

    rows: dict[tuple[str, str, int], list[tuple[float, float, float]]] = {}
    helps: dict[str, list[float]] = {name: [] for name in trackers}
    ones: dict[str, list[float]] = {name: [] for name in trackers}
    checkouts = list(trackers.items())
    for round_ in range(args.rounds):
        # Each round starts with the next checkout: the one measured last in a round ran
        # after the others, in a warmer or busier machine, every time.
        turn = round_ % len(checkouts)
        for name, tracker in checkouts[turn:] + checkouts[:turn]:
            helps[name].append(_help(tracker))
            ones[name].append(_ingest(tracker, one, 1)[1])
            for label, corpus in corpora:
                for workers in args.workers:
                    rows.setdefault((label, name, workers), []).append(
                        _ingest(tracker, corpus, workers))

    print(f"{args.rounds} alternating rounds; medians. "
          "CPU = user + system of ingest and its workers.\n")
    print("| corpus | checkout | workers | posts | CPU s | CPU ms/post | wall s | peak RSS MiB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (label, name, workers), runs in rows.items():
        posts = _count(dict(corpora)[label])
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        rss = max(r[2] for r in runs)
        print(f"| {label} | {name} | {workers} | {posts:,} | {cpu:.2f} | "
              f"{1000 * cpu / posts:.2f} | {wall:.2f} | {rss:.0f} |")
    print("\n| checkout | `tracker -h` wall s | one-post ingest wall s |")
    print("|---|---:|---:|")
    for name in trackers:
        print(f"| {name} | {statistics.median(helps[name]):.2f} | "
              f"{statistics.median(ones[name]):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
