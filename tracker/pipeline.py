"""read -> clean -> extract -> score -> store, in bounded batches, counting what failed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .analyze import Analyzer
from .config import Config
from .errors import SourceError
from .models import Post
from .sources import find_files, read_file
from .store import RunCounts, Store

log = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class IngestResult:
    """Counts of one ingest and the failures it went on past."""

    files_seen: int = 0
    posts_seen: int = 0
    posts_added: int = 0
    mentions_added: int = 0
    empty_posts: int = 0
    failures: list[SourceError] = field(default_factory=list)

    @property
    def files_failed(self) -> int:
        return len({f.path for f in self.failures if f.line is None})

    def counts(self) -> RunCounts:
        return RunCounts(
            files_seen=self.files_seen, files_failed=self.files_failed,
            posts_seen=self.posts_seen, posts_added=self.posts_added,
            mentions_added=self.mentions_added, failures=len(self.failures),
        )


def analyze_paths(
    paths: Iterable[str | Path], cfg: Config, analyzer: Analyzer | None = None,
    result: IngestResult | None = None,
) -> Iterator[Post | SourceError]:
    """Parsed posts from every file under `paths`, and an error for each part that failed."""
    analyzer = analyzer or Analyzer(cfg)
    for item in find_files(paths):
        if isinstance(item, SourceError):
            yield item
            continue
        if result is not None:
            result.files_seen += 1
        for raw in read_file(item, cfg.input):
            if isinstance(raw, SourceError):
                yield raw
                continue
            try:
                post = analyzer.analyze(raw)
            except RecursionError as exc:  # pathological nesting in a hostile page
                yield SourceError(raw.source, f"cannot parse: {exc}", raw.line)
                continue
            if post is None:
                if result is not None:
                    result.empty_posts += 1
                continue
            yield post


def ingest(
    paths: Iterable[str | Path], cfg: Config, store: Store, *,
    on_failure: Callable[[SourceError], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestResult:
    """Read, parse, score and store every post under `paths`; go on past bad input.

    Each batch is one transaction, so a run stopped part-way keeps whole batches only and a
    rerun adds exactly what is missing.
    """
    result = IngestResult()
    run_id = store.start_run("ingest")
    batch: list[Post] = []

    def flush() -> None:
        added, mentioned = store.add_posts(batch, run_id)
        result.posts_added += added
        result.mentions_added += mentioned
        batch.clear()

    for item in analyze_paths(list(paths), cfg, result=result):
        if isinstance(item, SourceError):
            result.failures.append(item)
            log.warning("%s", item)
            if on_failure is not None:
                on_failure(item)
            continue
        result.posts_seen += 1
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    store.finish_run(run_id, result.counts())
    return result
