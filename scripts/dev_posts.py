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

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from real_rows import is_test, labelled_posts, trained_files  # noqa: E402  (scripts/, on the path)


def main(out: Path) -> None:
    # The posts real_rows.py makes rows of (no gold text, none labelled twice), held out.
    kept: dict[Path, list[int]] = {path: [] for path in trained_files()}
    for path, post in labelled_posts():
        if is_test(post.id):
            kept[path].append(post.line)
    out.mkdir(parents=True, exist_ok=True)
    for path, numbers in kept.items():
        lines = path.read_text("utf-8-sig").split("\n")
        (out / path.name).write_text("".join(lines[n - 1] + "\n" for n in numbers), "utf-8")
        print(f"{out / path.name}: {len(numbers)} posts")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/dev_posts.py OUT_FOLDER")
    main(Path(sys.argv[1]))
