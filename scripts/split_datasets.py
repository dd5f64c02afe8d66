"""Split the labelled development sets once into train and test parts, with a fixed seed.

Run from the repository root:

    python scripts/split_datasets.py /path/to/shared/datasets

Writes datasets/<name>.train.jsonl and datasets/<name>.test.jsonl (80/20, stratified by
label). Texts are de-duplicated first, so that no text sits in both parts: FinFE repeats
about 4,500 texts, some with conflicting labels; a repeated text keeps its majority label
and a text whose labels tie is dropped. The split is committed; re-running this script on
the same input reproduces it byte for byte.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20240601
TEST_SHARE = 0.2
FILES = {
    "en_twitter_financial_news": "en_twitter_financial_news_train.jsonl",
    "zh_finfe": "zh_finfe_train.jsonl",
    "zh_guba": "zh_guba_algosenses.jsonl",
    "en_stocktwits_tagged": "en_stocktwits_tagged.jsonl",
    "en_pyfin_tweets": "en_pyfin_tweets.jsonl",
    "en_yash612_stock": "en_yash612_stock.jsonl",
    "en_surge_stock": "en_surge_stock.jsonl",
    "zh_stocksentcn": "zh_stocksentcn_guba.jsonl",
    "zh_wwwxmu_news": "zh_wwwxmu_news.jsonl",
}
# Files whose rows name no language: the language every row of the file is in.
LANGS = {"zh_wwwxmu_news": "zh"}


def majority_rows(rows: list[dict]) -> list[dict]:
    """One row per text, the first with its majority label; a text whose labels tie is
    dropped. Also used by scripts/real_rows.py."""
    by_text: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_text[row["text"]].append(row)
    kept = []
    for group in by_text.values():
        votes = Counter(r["label"] for r in group).most_common()
        if len(votes) > 1 and votes[0][1] == votes[1][1]:
            continue  # the annotators disagree evenly: no usable label
        first = next(r for r in group if r["label"] == votes[0][0])
        kept.append(first)
    return kept


def _split(rows: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    by_label: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_label[row["label"]].append(row)
    train, test = [], []
    for label in sorted(by_label):
        group = sorted(by_label[label], key=lambda r: r["id"])
        rng.shuffle(group)
        cut = round(len(group) * TEST_SHARE)
        test += group[:cut]
        train += group[cut:]
    return sorted(train, key=lambda r: r["id"]), sorted(test, key=lambda r: r["id"])


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name, filename in FILES.items():
        rows = [json.loads(line) for line in (src / filename).open(encoding="utf-8")]
        if name in LANGS:
            rows = [{**row, "lang": row.get("lang", LANGS[name])} for row in rows]
        kept = majority_rows(rows)
        train, test = _split(kept, random.Random(SEED))
        _write(dest / f"{name}.train.jsonl", train)
        _write(dest / f"{name}.test.jsonl", test)
        print(f"{name}: {len(rows)} rows, {len(kept)} after de-duplication, "
              f"train {len(train)} {dict(Counter(r['label'] for r in train))}, "
              f"test {len(test)} {dict(Counter(r['label'] for r in test))}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent.parent / "datasets")
