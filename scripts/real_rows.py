"""Turn the hand-labelled real posts of datasets/real_train/ into tone training rows.

Run from the repository root:

    python scripts/real_rows.py

Each labelled mention gives one row: the text the scorer reads for it (its clause; see
tracker.sentiment.mention_rows) and the labeller's tone. The rows of one platform are
written as datasets/<lang>_real_<platform>.{train,test}.jsonl, split 80/20 by post (a hash of
the post id), so that the mentions of one post never sit in both parts. The rows of posts
that the genre detector calls news (reposted wire stories, headline-shaped posts) go to
datasets/<lang>_real_news.{train,test}.jsonl instead, whatever their platform: ingest
scores those posts with the news head, so they teach and measure that head. A text repeated with
different labels keeps its majority label; a tie drops it. Any post whose text is also in a
gold set (datasets/gold/, the test set) is left out, so nothing of the gold set is trained on.
Re-running the script on the same labels with the same tracker reproduces the files byte
for byte; a change to the mention rules or the packaged securities may move a few rows (the
rows of the shipped models came from tracker at commit cc95e8d: after the ContextLogic row of
issue 28 a re-run moves about 40 English rows, of posts now read as social, from en_real_news to
en_real_wsb; the closing-list tags of 1db2f34 move about 300 rows of StockTwits and 雪球 posts,
whose tags now read their own text: docs/sentiment.md, "Closing lists that are tags"), and the
next retrain picks that up.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from split_datasets import majority_rows  # noqa: E402  (scripts/, on the path above)

from tracker.config import SentimentConfig  # noqa: E402
from tracker.sentiment.genre import detect_genre  # noqa: E402
from tracker.sentiment.mention_rows import mention_rows  # noqa: E402
from tracker.sources.gold import GoldPost, read_gold  # noqa: E402

DATA = ROOT / "datasets"
LABELLED = DATA / "real_train"
GOLD = DATA / "gold"
TEST_SHARE = 5  # one post in five goes to the test part
# Labelled stretches kept for measuring the mention rules only: no tone row comes from them,
# so the shipped models keep the training set they were fitted on, and the stretch stays a
# development set of posts no model has seen (datasets/real_train/README.md).
DEVELOPMENT_ONLY = frozenset(
    {"en_stocktwits_b.jsonl", "en_reddit_long.jsonl", "zh_xueqiu_long.jsonl",
     "zh_xueqiu_long_b.jsonl"}
)


def platform(path: Path) -> str:
    """en_wsb.jsonl -> en_real_wsb; zh_xueqiu_a.jsonl -> zh_real_xueqiu."""
    lang, _, rest = path.stem.partition("_")
    return f"{lang}_real_{rest.split('_')[0]}"


def is_test(post_id: str) -> bool:
    return int(hashlib.sha1(post_id.encode("utf-8")).hexdigest(), 16) % TEST_SHARE == 0


def trained_files() -> list[Path]:
    """The files of datasets/real_train that tone rows come from: all but DEVELOPMENT_ONLY."""
    return [p for p in sorted(LABELLED.glob("*.jsonl")) if p.name not in DEVELOPMENT_ONLY]


def labelled_posts(skipped: Counter[str] | None = None) -> Iterator[tuple[Path, GoldPost]]:
    """Each labelled post of datasets/real_train the rows come from, with its file: none
    whose text is in a gold set, none a second time, none of a development-only file.
    `skipped` counts those left out."""
    gold_texts = {p.text for f in sorted(GOLD.glob("*.jsonl")) for p in read_gold(f)}
    skipped = Counter() if skipped is None else skipped
    seen: set[str] = set()
    for path in trained_files():
        for post in read_gold(path):
            if post.text in gold_texts:
                skipped["in a gold set"] += 1
                continue
            if post.id in seen:
                # Two labellers' stretches of one draw met: the first file's labels stand.
                skipped["labelled twice"] += 1
                continue
            seen.add(post.id)
            yield path, post


def main() -> None:
    rows: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"train": [], "test": []})
    skipped: Counter[str] = Counter()
    settings = SentimentConfig()
    for path, post in labelled_posts(skipped):
        news = detect_genre(post.text, post.lang) == "news"
        name = f"{post.lang}_real_news" if news else platform(path)
        part = "test" if is_test(post.id) else "train"
        for key, text, label in mention_rows(post, settings):
            rows[name][part].append({"id": f"{post.id}#{key}", "text": text,
                                     "label": label, "lang": post.lang})
    for name, parts in sorted(rows.items()):
        for part, found in parts.items():
            kept = sorted(majority_rows(found), key=lambda r: r["id"])
            out = DATA / f"{name}.{part}.jsonl"
            out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept),
                           "utf-8")
            counts = Counter(r["label"] for r in kept)
            print(f"{out.relative_to(ROOT)}: {len(kept)} rows {dict(sorted(counts.items()))}")
    for why, n in skipped.items():
        print(f"left out: {n} posts {why}")


if __name__ == "__main__":
    main()
