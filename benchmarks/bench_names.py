"""How long company-name matching takes on one huge post: `NameMatcher.find` alone, and a
whole `Analyzer.analyze`, on English and Chinese posts of growing size.

    python benchmarks/bench_names.py [--sizes 100000 200000 1000000] [--no-analyze]

A post that names companies thousands of times once made `find` quadratic (each candidate
was tested against every chosen hit); this shows the time per size, CPU seconds, so
that doubling the size should about double the time. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from tracker.config import load_config
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer

ROOT = Path(__file__).resolve().parent.parent
UNITS = {
    "en": "Apple and Microsoft and Tesla ",
    "zh": "贵州茅台和宁德时代以及比亚迪都涨了，",
}


def _text(lang: str, chars: int) -> str:
    unit = UNITS[lang]
    return (unit * (chars // len(unit) + 1))[:chars]


def _cpu(func: object, *args: object) -> tuple[float, object]:
    start = time.process_time()
    out = func(*args)  # type: ignore[operator]
    return time.process_time() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000, 1_000_000])
    parser.add_argument("--no-analyze", action="store_true",
                        help="time NameMatcher.find only, not the whole analysis")
    args = parser.parse_args()
    cfg = load_config(ROOT / "config.toml")
    analyzer = Analyzer(cfg)
    analyzer.matcher.find("Apple 贵州茅台")  # load the automata and jieba first
    analyzer.warm_up()
    for lang in UNITS:
        for size in args.sizes:
            text = _text(lang, size)
            row: dict[str, object] = {"lang": lang, "chars": size}
            seconds, hits = _cpu(analyzer.matcher.find, text)
            row["find_cpu_s"] = round(seconds, 2)
            row["hits"] = len(hits)  # type: ignore[arg-type]
            if not args.no_analyze:
                raw = RawPost(source="bench", text=text, line=1)
                seconds, post = _cpu(analyzer.analyze, raw)
                row["analyze_cpu_s"] = round(seconds, 2)
                row["mentions"] = len(post.mentions) if post else 0  # type: ignore[attr-defined]
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
