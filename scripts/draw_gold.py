"""Draw the real-post gold sets' posts: each source file in its own seeded random order.

Writes one draw list per source file (``<out>/<source>.jsonl``): the posts a labeller takes
in order, as docs/labelling.md says. A gold file in ``datasets/gold/`` is a prefix of its
draw list, which this script can check (``--check``).

    python scripts/draw_gold.py ../shared/datasets/real --out /tmp/draw
    python scripts/draw_gold.py ../shared/datasets/real --check datasets/gold
    python scripts/draw_gold.py ../shared/datasets/real --long --out /tmp/draw-long

``--long`` writes, instead, the posts the draw leaves out as too long (``<source>.long.jsonl``),
in an order of their own, for a labeller with the time to read long posts whole.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

SEED = 20261206
MAX_CHARS = 1200  # a labeller reads each post whole; longer posts are left out of the draw


def _posts(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def draw(path: Path, seed: int = SEED, max_chars: int = MAX_CHARS) -> tuple[list[dict], int]:
    """The file's posts in draw order, and how many were left out as too long."""
    posts = _posts(path)
    kept = [p for p in posts if p.get("text") and len(p["text"]) <= max_chars]
    # One generator per file, seeded by the seed and the file's name, so adding a file
    # never reorders another's draw.
    random.Random(f"{seed}:{path.stem}").shuffle(kept)
    return kept, len(posts) - len(kept)


def draw_long(path: Path, seed: int = SEED, max_chars: int = MAX_CHARS) -> list[dict]:
    """The file's posts that `draw` leaves out as too long (text over `max_chars`), in a
    seeded order of their own: none of them is in a draw list, so none is in a gold set."""
    long = [p for p in _posts(path) if p.get("text") and len(p["text"]) > max_chars]
    # A generator of its own name, so the draw lists above (and the gold sets cut from
    # them) keep their order whatever is done with the long posts.
    random.Random(f"{seed}:{path.stem}:long").shuffle(long)
    return long


def _check(real: Path, gold: Path) -> int:
    """Exit status 1 where a gold file is not a prefix of its source's draw list."""
    orders = {p.stem: [post["id"] for post in draw(p)[0]] for p in sorted(real.glob("*.jsonl"))}
    bad = 0
    for path in sorted(gold.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        by_source: dict[str, list[str]] = {}
        for row in rows:
            by_source.setdefault(row["source"], []).append(row["id"])
        for source, ids in by_source.items():
            order = orders.get(source)
            # A file may hold every other post of a draw (two labellers sharing one source):
            # it is then a prefix of the even or the odd positions.
            prefixes = ([order[: len(ids)], order[0::2][: len(ids)], order[1::2][: len(ids)]]
                        if order else [])
            if ids not in prefixes:
                print(f"{path}: {source}: not a prefix of its draw list", file=sys.stderr)
                bad += 1
            else:
                print(f"{path}: {source}: {len(ids)} posts, a prefix of the draw")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("real", type=Path, help="the folder of real_*.jsonl files")
    parser.add_argument("--out", type=Path, help="write the draw lists here")
    parser.add_argument("--check", type=Path, help="check that each gold file follows its draw")
    parser.add_argument(
        "--long", action="store_true",
        help=f"with --out: list the posts over {MAX_CHARS} characters instead"
    )
    args = parser.parse_args()
    if args.check:
        return _check(args.real, args.check)
    if not args.out:
        parser.error("give --out or --check")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.real.glob("*.jsonl")):
        if args.long:
            posts = draw_long(path)
            _write(args.out / f"{path.stem}.long.jsonl", posts, path.stem)
            print(f"{path.stem}: {len(posts)} over {MAX_CHARS} characters, in their own order")
            continue
        kept, dropped = draw(path)
        _write(args.out / f"{path.stem}.jsonl", kept, path.stem)
        print(f"{path.stem}: {len(kept)} in the draw, {dropped} over {MAX_CHARS} characters "
              "left out")
    return 0


def _write(target: Path, posts: list[dict], source: str) -> None:
    with open(target, "w", encoding="utf-8") as out:
        for post in posts:
            out.write(json.dumps({**post, "source": source}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
