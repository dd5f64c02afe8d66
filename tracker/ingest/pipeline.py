"""read -> clean -> extract -> score -> store, in bounded batches, counting what failed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tracker.config import Config
from tracker.errors import ConfigError, EmptyPostWarning, SourceError, SourceWarning, StoreError
from tracker.extract.models import Post, RawPost, RunCounts
from tracker.ingest.analyze import Analyzer
from tracker.ingest.parallel import analyze_parallel, split_chunks
from tracker.ingest.problems import problem_sink
from tracker.sentiment import check_scorer
from tracker.sources import find_files, read_file
from tracker.store.database import Store
from tracker.store.upsert import PostRows, post_rows

log = logging.getLogger(__name__)

EMPTY_MESSAGE = "empty after cleaning (only page chrome or a disclaimer was left)"


def read_paths(
    paths: Iterable[str | Path], cfg: Config, result: RunCounts | None = None,
) -> Iterator[RawPost | SourceError]:
    """Raw posts from every file under `paths`, and an error for each part that failed.

    A post longer than `[input] max_post_chars` is reported, not returned.
    """
    for item in find_files(paths):
        if isinstance(item, SourceError):
            yield item
            continue
        if result is not None:
            result.files_seen += 1
        for raw in read_file(item, cfg.input):
            yield check_size(raw, cfg) if isinstance(raw, RawPost) else raw


def check_size(raw: RawPost, cfg: Config) -> RawPost | SourceError:
    """`raw`, or an error when it is longer than `[input] max_post_chars`, its record's
    other fields counted: the title is read like the body, and the rest are stored.

    One runaway file must not stall a run (or be shipped whole to a worker): a record with
    a short text and a 3 MB title took 77 s and stored 200,000 mentions.
    """
    limit = cfg.input.max_post_chars
    others = [(name, len(value)) for name, value in (
        ("title", raw.title), ("author", raw.author), ("url", raw.url), ("id", raw.source_id))
        if value]
    size = len(raw.text) + sum(n for _, n in others)
    if size <= limit:
        return raw
    parts = "" if not others else " (" + ", ".join(
        f"{name} {n:,}" for name, n in [("text", len(raw.text)), *others]) + ")"
    return SourceError(raw.source, f"post is {size:,} characters{parts}, more than "
                       f"[input] max_post_chars = {limit:,}; split it or raise the limit",
                       raw.line)


def prepare_post(post: Post) -> PostRows | SourceError:
    """`post` with its rows made, or the error that costs it alone when they cannot be made.

    Checked per post before it joins a batch, so that whatever making the rows raises costs
    that post, not the batch it would have been stored with; the rows are then stored as
    they are, not made a second time.
    """
    try:
        return post_rows(post)
    except Exception as exc:  # any reason at all is this post's
        reason = f"{type(exc).__name__}: {str(exc)[:200]}"
        return SourceError(post.source, f"cannot store this post ({reason}); please report it",
                           post.line)


def analyze_one(analyzer: Analyzer, raw: RawPost) -> Post | SourceError | None:
    """Parse and score one raw post; a post the parsers cannot handle becomes an error.

    None means nothing of the post is left after cleaning.
    """
    try:
        return analyzer.analyze(raw)
    except (ConfigError, StoreError):
        raise  # not this post's fault: the run stops, and nothing is recorded as read
    except RecursionError as exc:  # pathological nesting in a hostile page
        return SourceError(raw.source, f"cannot parse: {exc}", raw.line)
    except Exception as exc:  # a parser bug must cost one post, not the run
        log.debug("analysis of %s:%s failed", raw.source, raw.line, exc_info=True)
        return SourceError(raw.source, f"cannot parse ({type(exc).__name__}: {exc}); "
                           "please report this post", raw.line)


def analyze_chunk(analyzer: Analyzer, raws: list[RawPost]
                  ) -> list[Post | SourceError | None]:
    """`analyze_one` over each of `raws`, their texts scored in one batch (see tone.py);
    a post with nothing left after cleaning comes back as an EmptyPostWarning.

    When any post of the chunk fails, each is analyzed again alone, so the failure costs
    that post only.
    """
    outcomes: list[Post | SourceError | None]
    try:
        outcomes = list(analyzer.analyze_many(raws))
    except (ConfigError, StoreError):
        raise
    except Exception:  # analyze_one below says which post failed, and why
        outcomes = [analyze_one(analyzer, raw) for raw in raws]
    return [EmptyPostWarning(raw.source, EMPTY_MESSAGE, raw.line) if out is None else out
            for out, raw in zip(outcomes, raws, strict=True)]


def _analyze_here(raws: Iterable[RawPost | SourceError], analyzer: Analyzer
                  ) -> Iterator[Post | SourceError | None]:
    for part in split_chunks(raws):
        if isinstance(part, SourceError):
            yield part
        else:
            yield from analyze_chunk(analyzer, part)


def analyze_stream(raws: Iterable[RawPost | SourceError], cfg: Config,
                   analyzer: Callable[[], Analyzer], workers: int = 1
                   ) -> Iterator[Post | SourceError | None]:
    """One outcome per item of `raws`, in order: its post, an EmptyPostWarning when nothing
    of it is left after cleaning, or an error. Chunks of posts are scored together, in `workers`
    processes when more than one; `analyzer` makes this process's Analyzer if one is needed.
    """
    if workers > 1:
        check_scorer(cfg.sentiment)  # here, not in each worker: one error, before any work
        return analyze_parallel(raws, cfg, workers, analyze_chunk)
    return _analyze_here(raws, analyzer())


def analyze_paths(
    paths: Iterable[str | Path], cfg: Config, analyzer: Analyzer | None = None,
    result: RunCounts | None = None, workers: int = 1,
) -> Iterator[Post | SourceError]:
    """Parsed posts from every file under `paths`, an error for each part that failed, and
    a warning (SourceWarning) for what the user should know, empty posts included.

    With `workers` > 1, posts are parsed and scored in that many processes; the order of
    what comes out is the same as with one.
    """
    raws = read_paths(paths, cfg, result)
    make = (lambda: analyzer) if analyzer is not None else (lambda: Analyzer(cfg))
    for outcome in analyze_stream(raws, cfg, make, workers):
        if outcome is None:  # analyze_chunk reports empties; kept for other chunk functions
            continue
        if isinstance(outcome, EmptyPostWarning) and result is not None:
            result.empty_posts += 1
        yield outcome


def ingest(
    paths: Iterable[str | Path], cfg: Config, store: Store, *,
    on_failure: Callable[[SourceError], None] | None = None,
    on_warning: Callable[[SourceWarning], None] | None = None,
    batch_size: int | None = None, workers: int = 1,
    progress: Callable[[RunCounts], None] | None = None,
) -> RunCounts:
    """Read, parse, score and store every post under `paths`; go on past bad input.

    `progress(counts)` is called after each post is read (files opened and posts so far),
    for a progress bar.

    Each batch is one transaction, so a run stopped part-way keeps whole batches only and a
    rerun adds exactly what is missing. `workers` > 1 parses and scores in that many
    processes while this one reads and stores; what is stored is the same as with one.
    """
    # Posts per transaction: [refresh] batch_size unless the caller says.
    size = batch_size or cfg.refresh.batch_size
    result = RunCounts()
    batch: list[PostRows] = []

    take = problem_sink(result, on_failure, on_warning)

    with store.recorded_run("ingest", result) as run_id:

        def flush() -> None:
            added, mentioned = store.add_posts(batch, run_id, on_reject=take)
            result.posts_added += added
            result.mentions_added += mentioned
            batch.clear()

        for outcome in analyze_paths(list(paths), cfg, result=result, workers=workers):
            item = outcome if isinstance(outcome, SourceError) else prepare_post(outcome)
            if isinstance(item, SourceError):  # a warning or a failure
                take(item)
                continue
            result.posts_seen += 1
            result.count_date(item.post)
            batch.append(item)
            if len(batch) >= size:
                flush()
            if progress is not None:
                progress(result)
        flush()
    return result
