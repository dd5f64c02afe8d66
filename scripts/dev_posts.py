"""Write the labelled real posts whose rows are held out (the test part of scripts/real_rows.py)
to a folder, as gold-format files that `tracker eval` reads through the whole pipeline.

Run from the repository root:

    python scripts/dev_posts.py /tmp/dev_posts
    tracker eval /tmp/dev_posts --scorer all

The rows of these posts are the real sources' test parts (datasets/<lang>_real_*.test.jsonl),
so the shipped models never trained on them; unlike those rows (one per distinct text), the
pipeline counts every mention, as the gold sets do. A development measure: datasets/gold/
stays the test set, never read here (docs/sentiment.md, "Closing lists that are tags").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from real_rows import GOLD, LABELLED, is_test  # noqa: E402  (scripts/, on the path above)

from tracker.sources.gold import read_gold  # noqa: E402


def main(out: Path) -> None:
    # As real_rows.py leaves them out of the rows: posts whose text is in a gold set, and a
    # post labelled twice (the first file's labels stand).
    gold_texts = {p.text for f in sorted(GOLD.glob("*.jsonl")) for p in read_gold(f)}
    seen: set[str] = set()
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(LABELLED.glob("*.jsonl")):
        kept = []
        with path.open(encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                post = json.loads(line)
                post_id = str(post["id"])
                if post_id in seen or post["text"] in gold_texts or not is_test(post_id):
                    continue
                seen.add(post_id)
                kept.append(line if line.endswith("\n") else line + "\n")
        (out / path.name).write_text("".join(kept), "utf-8")
        print(f"{out / path.name}: {len(kept)} posts")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/dev_posts.py OUT_FOLDER")
    main(Path(sys.argv[1]))
