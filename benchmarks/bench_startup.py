"""What a process pays before its first post: each step of building an Analyzer and its
models, one after the other, with CPU seconds and resident memory after each.

Run it with a checkout's own interpreter to measure that checkout (its venv's tracker is
what gets imported):

    .venv/bin/python benchmarks/bench_startup.py
    /path/to/other/checkout/.venv/bin/python benchmarks/bench_startup.py

The steps are those a one-post ingest of an English post takes, then those the first
Chinese text adds; `python -X importtime` and py-spy say more about any one of them.
Nothing here is a test.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable


def _rss_mib() -> tuple[int, int]:
    """(resident now, peak so far), MiB."""
    with open("/proc/self/statm") as f:
        now = int(f.read().split()[1]) * resource.getpagesize() // 2**20
    return now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> int:
    steps: list[tuple[str, Callable[[], object]]] = []
    state: dict[str, object] = {}

    def step(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
        def add(fn: Callable[[], object]) -> Callable[[], object]:
            steps.append((name, fn))
            return fn
        return add

    @step("import tracker.cli")
    def _cli() -> object:
        import tracker.cli
        return tracker.cli

    @step("import the ingest pipeline")
    def _pipeline() -> object:
        import tracker.ingest.pipeline
        return tracker.ingest.pipeline

    @step("securities list (packaged universe)")
    def _securities() -> object:
        from tracker.config import load_config
        from tracker.extract.securities import securities_from_config
        state["cfg"] = cfg = load_config()
        state["securities"] = securities_from_config(cfg.securities)
        return state["securities"]

    @step("name matcher")
    def _matcher() -> object:
        from tracker.extract.names import get_matcher
        return get_matcher(state["securities"])  # type: ignore[arg-type]

    @step("language ID model")
    def _langid() -> object:
        from tracker.extract.text.languages import latin_lang
        return latin_lang("beats estimates, a great quarter for the company")

    @step("English scorer")
    def _en() -> object:
        from tracker.sentiment import get_scorer
        return get_scorer("en", state["cfg"].sentiment).score_many(["warm up"])

    @step("genre detectors")
    def _genre() -> object:
        from tracker.sentiment.genre import detect_genre
        return detect_genre("warm up", "en"), detect_genre("预热", "zh")

    @step("open a new database")
    def _store() -> object:
        import tempfile
        from pathlib import Path

        from tracker.store.database import Store
        folder = tempfile.mkdtemp()
        Store(f"sqlite:///{Path(folder) / 'tracker.db'}").close()
        return folder

    @step("first Chinese text: name segmenter")
    def _zh_names() -> object:
        from tracker.extract.names import get_matcher
        return get_matcher(state["securities"]).tokenize("贵州茅台")  # type: ignore[arg-type]

    @step("Chinese scorer")
    def _zh() -> object:
        from tracker.sentiment import get_scorer
        return get_scorer("zh", state["cfg"].sentiment).score_many(["预热"])

    print(f"{sys.executable}\n")
    print("| step | CPU s | resident MiB after | peak MiB so far |")
    print("|---|---:|---:|---:|")
    total = 0.0
    for name, fn in steps:
        start = time.process_time()
        fn()
        cpu = time.process_time() - start
        total += cpu
        now, peak = _rss_mib()
        print(f"| {name} | {cpu:.3f} | {now} | {peak} |")
    print(f"| **all** | {total:.3f} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
