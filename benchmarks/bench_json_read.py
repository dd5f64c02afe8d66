"""Read one large `.json` list of posts, as `ingest` and `refresh` read it, and say what came out.

Measures the reader alone (no analysis, no database): run it under `/usr/bin/time -f "%e s %M
KB"` for its time and peak memory, and with `PYTHONPATH=<another checkout>` for that
checkout's reader on the same file.

    python benchmarks/bench_json_read.py build /tmp/posts.json --mb 100   # once
    /usr/bin/time -f "%e s %M KB" python benchmarks/bench_json_read.py read /tmp/posts.json

`build` writes the development posts (datasets/real_train) again and again, each with an id
of its own, one record a line inside one JSON list, until the file holds `--mb` megabytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAIN = HERE.parent / "datasets" / "real_train"


def build(out: Path, megabytes: int) -> None:
    records = [json.loads(line) for path in sorted(TRAIN.glob("*.jsonl"))
               for line in path.read_text("utf-8").splitlines() if line.strip()]
    limit, written, count = megabytes * 1_000_000, 1, 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write("[")
        while written < limit:
            record = dict(records[count % len(records)], id=f"bench-{count}")
            line = ("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
            handle.write(line)
            written += len(line.encode("utf-8"))
            count += 1
        handle.write("\n]\n")
    print(f"{out}: {count:,} posts, {out.stat().st_size:,} bytes")


def read(path: Path) -> None:
    from tracker.config import load_config
    from tracker.errors import SourceError, SourceWarning
    from tracker.sources import read_file

    with tempfile.TemporaryDirectory() as folder:  # the packaged defaults, nothing else
        empty = Path(folder) / "config.toml"
        empty.write_text("", "utf-8")
        cfg = load_config(empty)
    posts = errors = warnings = 0
    digest = hashlib.sha256()
    for item in read_file(path, cfg.input):
        if isinstance(item, SourceWarning):
            warnings += 1
        elif isinstance(item, SourceError):
            errors += 1
        else:
            posts += 1
            digest.update(f"{item.line}\t{item.source_id}\t{item.text}\n".encode())
    # The digest of what was read: the same in two checkouts means the same posts.
    print(f"{posts:,} posts, {errors:,} errors, {warnings:,} warnings, "
          f"sha256 {digest.hexdigest()[:16]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    made = sub.add_parser("build")
    made.add_argument("out", type=Path)
    made.add_argument("--mb", type=int, default=100)
    sub.add_parser("read").add_argument("path", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build(args.out, args.mb)
    else:
        read(args.path)


if __name__ == "__main__":
    main()
