"""The commands that write posts into the store: ingest and rescore.

The library (pipeline, store, models) is imported inside each command, so `tracker -h` and
`tracker ingest -h` start without it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.options import WORKER_MB, WORKERS, WORKERS_HELP, common_options, finish_run
from tracker.cli.progress import CountProgress, FileProgress, wanted
from tracker.cli.signals import stop_on_signals
from tracker.config import Config
from tracker.extract.text.plural import counted

if TYPE_CHECKING:
    from tracker.errors import SourceError
    from tracker.extract.models import RunCounts
    from tracker.ingest.cluster import BackfillPlan


def show_progress(plan: BackfillPlan, client: Any, futures: list[Any]) -> None:
    """Say what a backfill will do and where its dashboard is; on a terminal, show Dask's
    progress bar until the tasks are done (never into a pipe or a cron mail)."""
    before = (f" ({plan.pieces_stored_before:,} of {plan.pieces:,} pieces stored by an "
              "earlier run, skipped)" if plan.pieces_stored_before else "")
    click.echo(f"backfill: {plan.partitions:,} partitions{before}", err=True)
    if plan.dashboard:
        click.echo(f"dashboard: {plan.dashboard}", err=True)
    if futures and sys.stdout.isatty():
        from distributed import progress  # installed: the backfill has a client

        progress(futures)

@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing but failures and warnings (and no progress bar).")
@click.option("-v", "--verbose", is_flag=True,
              help="List every failing record, not the first three of each kind per file.")
@click.option("-w", "--workers", type=WORKERS, default=1, show_default=True,
              help="Processes that parse and score posts; up to one per CPU core. On "
                   "Linux the models load once, before the workers start, and each worker "
                   "shares them; elsewhere each loads its own (about 1.5 s of CPU and "
                   f"{WORKER_MB} MB). More pay on large inputs: on 5,000-6,000 real posts, "
                   "2 gave 1.6-1.7x the "
                   "posts per second of 1 on two otherwise idle cores (docs/performance.md). "
                   + WORKERS_HELP)
@click.option("--cluster", metavar="ADDRESS",
              help="Spread the work over a Dask cluster: a scheduler's tcp://HOST:8786, "
                   "or local:N for N worker processes here. Needs a PostgreSQL --db and "
                   "pip install 'tracker[cluster]' (docs/cluster.md).")
@common_options
def ingest(paths: tuple[str, ...], quiet: bool, verbose: bool, workers: int,
           cluster: str | None, cfg: Config) -> None:
    """Read posts from files, folders (recursively) or - for stdin, and store them.

    Example:

    \b
        tracker ingest seeds/ exports/posts.jsonl

    \b
        tracker ingest --workers 2 exports/

    \b
        tracker ingest --cluster tcp://scheduler:8786 \\
            --db postgresql+psycopg://tracker@dbhost/tracker /data/exports/

    Bad files and records are reported on stderr with file and line (the same problem
    repeated in one file once, with its count); the good posts around them are stored,
    and the exit code is 1. Ingesting the same posts again adds nothing. On a terminal, a
    progress bar shows files, posts, posts per second and the time left.
    """
    from tracker.ingest.pipeline import ingest as run_ingest
    from tracker.ingest.problems import ProblemDigest
    from tracker.store.database import Store

    if cluster is not None and workers != 1:
        raise click.UsageError("--workers and --cluster do not go together: a cluster's "
                               "workers are its own (local:N for N here)")
    digest = ProblemDigest(verbose)
    # A backfill draws Dask's own bar (show_progress); this one is for a run here.
    progress = FileProgress("ingest", enabled=wanted(quiet) and cluster is None)

    def say(problem: SourceError) -> None:
        for line in digest.add(problem):
            # A message goes on its own line, not into the bar's.
            if progress.bar is not None:
                click.echo("", err=True)
            click.echo(line, err=True)

    if cluster is not None:
        from tracker.ingest.cluster import backfill, quiet_dask_logs

        quiet_dask_logs()
        try:
            # As a plain ingest: one line and 128 + the signal's number (was click's
            # "Aborted!", exit 1, for Ctrl-C and an end without a word for SIGTERM); the
            # parts stored stay, and a rerun skips them.
            with stop_on_signals("this backfill"):
                result = backfill(paths, cfg, cluster, on_failure=say, on_warning=say,
                                  on_plan=None if quiet else show_progress)
        finally:
            for line in digest.close():
                click.echo(line, err=True)
        _finish(result, quiet)
        return

    # From before the store opens: a signal while it opened (an upgrade, a lock wait) ended
    # the run without the line or the exit code; an upgrade is whole or not at all.
    with stop_on_signals("this ingest"):
        store = Store(cfg.db_url)
        try:
            # Once the store is open: drawn before, a store that failed to open (a folder
            # for --db, a server down) left the bar's line unfinished, the error written
            # onto it, and the terminal's cursor hidden.
            if progress.enabled:
                from tracker.sources import find_paths

                progress.start([p for p in find_paths(paths) if isinstance(p, str)])
            try:
                result = run_ingest(
                    paths, cfg, store, on_failure=say, on_warning=say, workers=workers,
                    progress=(lambda counts: progress.update(counts.files_seen,
                                                             counts.posts_seen))
                    if progress.enabled else None)
            except BaseException:
                progress.close(finished=False)
                raise
            progress.close()
            store.check_file_kept("this ingest")
        finally:
            store.close()
            for line in digest.close():
                click.echo(line, err=True)
    _finish(result, quiet)


def _finish(result: RunCounts, quiet: bool) -> None:
    from tracker.ingest.summary import summary_line

    finish_run(result, None if quiet else summary_line(result))


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

    # Ctrl-C was click's "Aborted!" (exit 1) and SIGTERM a silent death, neither saying
    # that the batches committed keep their new tones and a rerun finishes the rest; from
    # before the store opens (an upgrade, a lock wait), as ingest's.
    with stop_on_signals("this rescore", kept="the posts rescored before it keep their "
                         "new tones, the rest their old ones"):
        store = Store(cfg.db_url, create=False)
        try:
            total = store.counts()["posts"] if wanted(quiet) else 0
            progress = CountProgress("rescore", total, enabled=wanted(quiet))
            try:
                result = rescore_store(store, cfg, progress=progress.advance)
            finally:
                progress.close()
            store.check_file_kept("this rescore")
        finally:
            store.close()
    click.echo(f"rescored {counted(result.posts, 'post')} and "
               f"{counted(result.mentions, 'mention')}; "
               f"{counted(result.labels_changed, 'label')} changed")


def register(cli: click.Group) -> None:
    """Add ingest and rescore to `cli`."""
    cli.add_command(ingest)
    cli.add_command(rescore)
