"""The short-form mentions (tracker/extract/short_names.py) found in real posts, for judging.

    python benchmarks/short_names_sample.py /work/draw/real_zh_xueqiu_2021.jsonl --skip 1000

Reads a JSON-lines draw of posts, leaves out the first `--skip` (the draw's test positions),
and prints each mention the short forms add, with 25 characters either side, in a seeded
random order (`--seed`, `--limit`), so that a person can mark each one right or wrong. The
figures go into docs/mentions.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.config import load_config  # noqa: E402
from tracker.extract.models import RawPost  # noqa: E402
from tracker.ingest.analyze import Analyzer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("draw", type=Path)
    parser.add_argument("--skip", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=28)
    parser.add_argument("--limit", type=int, default=120)
    args = parser.parse_args()
    analyzer = Analyzer(load_config(None))
    lines = args.draw.read_text("utf-8").splitlines()[args.skip:]
    found = []
    for n, line in enumerate(lines, start=args.skip):
        record = json.loads(line)
        post = analyzer.analyze(RawPost(str(args.draw), record["text"],
                                        published_field=record.get("published")))
        if post is None:
            continue
        for m in post.mentions:
            if m.kind == "name" and m.confidence < 1 and m.market in ("SS", "SZ", "BJ"):
                left = post.text[max(0, m.start - 25):m.start].replace("\n", " ")
                right = post.text[m.end:m.end + 25].replace("\n", " ")
                found.append(f"{n}\t{m.ticker}.{m.market}\t{m.name}\t"
                             f"{left}[{post.text[m.start:m.end]}]{right}")
    print(f"# {len(lines)} posts, {len(found)} short-form or ambiguous A-share name mentions")
    random.Random(args.seed).shuffle(found)
    for row in found[:args.limit]:
        print(row)


if __name__ == "__main__":
    main()
