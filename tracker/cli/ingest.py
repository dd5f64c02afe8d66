"""The commands that write posts into the store: ingest and rescore.

The library (pipeline, store, models) is imported inside each command, so `tracker -h` and
`tracker ingest -h` start without it.
"""

from __future__ import annotations

import sys

import click

from tracker.cli.options import common_options
from tracker.cli.progress import CountProgress, FileProgress, wanted
from tracker.cli.signals import stop_on_signals
from tracker.config import Config


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing but failures and warnings (and no progress bar).")
@click.option("-v", "--verbose", is_flag=True,
              help="List every failing record, not the first three of each kind per file.")
@click.option("-w", "--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes that parse and score posts; up to one per CPU core.")
@common_options
def ingest(paths: tuple[str, ...], quiet: bool, verbose: bool, workers: int,
           cfg: Config) -> None:
    """Read posts from files, folders (recursively) or - for stdin, and store them.

    Example:

    \b
        tracker ingest seeds/ exports/posts.jsonl

    \b
        tracker ingest --workers 2 exports/

    Bad files and records are reported on stderr with file and line (the same problem
    repeated in one file once, with its count); the good posts around them are stored,
    and the exit code is 1. Ingesting the same posts again adds nothing. On a terminal, a
    progress bar shows files, posts, posts per second and the time left.
    """
    from tracker.errors import SourceError
    from tracker.ingest.pipeline import ingest as run_ingest
    from tracker.ingest.problems import ProblemDigest
    from tracker.ingest.summary import date_lines, summary_line
    from tracker.store.database import Store

    digest = ProblemDigest(verbose)
    progress = FileProgress("ingest", enabled=wanted(quiet))
    if progress.enabled:
        from tracker.sources import find_paths

        progress.start([p for p in find_paths(paths) if isinstance(p, str)])

    def say(problem: SourceError) -> None:
        for line in digest.add(problem):
            # A message goes on its own line, not into the bar's.
            if progress.bar is not None:
                click.echo("", err=True)
            click.echo(line, err=True)

    store = Store(cfg.db_url)
    try:
        with stop_on_signals("this ingest"):
            try:
                result = run_ingest(
                    paths, cfg, store, on_failure=say, on_warning=say, workers=workers,
                    progress=(lambda counts: progress.update(counts.files_seen,
                                                             counts.posts_seen))
                    if progress.enabled else None)
            finally:
                progress.close()
    finally:
        store.close()
        for line in digest.close():
            click.echo(line, err=True)
    if not quiet:
        click.echo(summary_line(result))
        for line in date_lines(result):
            click.echo(line)
    if result.failures:
        sys.exit(1)


@click.command()
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@common_options
def rescore(quiet: bool, cfg: Config) -> None:
    """Recompute every stored tone and label from the stored text, after a lexicon, model or
    threshold change; source files are not read again.

    Example:

    \b
        tracker rescore --config config.toml
    """
    from tracker.ingest.rescore import rescore as rescore_store
    from tracker.store.database import Store

    store = Store(cfg.db_url, create=False)
    try:
        total = store.counts()["posts"] if wanted(quiet) else 0
        progress = CountProgress("rescore", total, enabled=wanted(quiet))
        try:
            result = rescore_store(store, cfg, progress=progress.advance)
        finally:
            progress.close()
    finally:
        store.close()
    click.echo(f"rescored {_count(result.posts, 'post')} and "
               f"{_count(result.mentions, 'mention')}; "
               f"{_count(result.labels_changed, 'label')} changed")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def register(cli: click.Group) -> None:
    """Add ingest and rescore to `cli`."""
    cli.add_command(ingest)
    cli.add_command(rescore)
