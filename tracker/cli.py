"""The `tracker` command: a thin click layer over the library."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .aggregate import FREQS
from .analyze import Analyzer
from .config import Config, load_config
from .errors import SourceError, TrackerError
from .export import export_rows, post_to_dict, render_export
from .pipeline import analyze_paths
from .pipeline import ingest as run_ingest
from .render import write_atomic
from .report import ReportSpec, build_report
from .store import Store

F = TypeVar("F", bound=Callable[..., Any])


def common_options(func: F) -> F:
    """--config and --db on every command, loaded into a Config passed as `cfg`."""

    @click.option("--config", "config_path", type=click.Path(dir_okay=False),
                  help="Config file (default: ./config.toml, if present).")
    @click.option("--db", "db_url", metavar="URL",
                  help="Database URL (default: from the config; a SQLite file beside it).")
    @functools.wraps(func)
    def wrapper(*args: Any, config_path: str | None, db_url: str | None, **kwargs: Any) -> Any:
        try:
            cfg = load_config(config_path, db_url=db_url)
            return func(*args, cfg=cfg, **kwargs)
        except TrackerError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        click.echo(text, nl=False)
    else:
        write_atomic(Path(out), text)


def _report_failure(err: SourceError) -> None:
    click.echo(f"Error: {err}", err=True)


@click.group()
@click.version_option(__version__, prog_name="tracker")
def cli() -> None:
    """Track which stocks posts mention, and in what tone, in English and Chinese."""
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but failures.")
@click.option("-w", "--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes that parse and score posts; up to one per CPU core.")
@common_options
def ingest(paths: tuple[str, ...], quiet: bool, workers: int, cfg: Config) -> None:
    """Read posts from files, folders (recursively) or - for stdin, and store them.

    Example:

        tracker ingest seeds/ exports/posts.jsonl

        tracker ingest --workers 2 exports/

    Bad files and records are reported on stderr with file and line; the good posts around
    them are stored, and the exit code is 1. Ingesting the same posts again adds nothing.
    """
    store = Store(cfg.db_url)
    try:
        result = run_ingest(paths, cfg, store, on_failure=_report_failure, workers=workers)
    finally:
        store.close()
    if not quiet:
        click.echo(
            f"{result.files_seen} files, {result.posts_seen} posts read: "
            f"{result.posts_added} new posts, {result.mentions_added} new mentions; "
            f"{len(result.failures)} failed"
        )
    if result.failures:
        sys.exit(1)


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-05-08") from None


@cli.command()
@click.option("--by", type=click.Choice(["ticker", "group"]), default="ticker",
              show_default=True, help="One row per ticker or per group.")
@click.option("--freq", type=click.Choice(list(FREQS)), default="D", show_default=True,
              help="Period: H hour, D day, W week (from Monday), M month.")
@click.option("--format", "fmt", type=click.Choice(["csv", "md"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@click.option("--since", callback=_parse_day, help="First day to report (YYYY-MM-DD).")
@click.option("--until", callback=_parse_day, help="Last day to report (YYYY-MM-DD).")
@common_options
def report(by: str, freq: str, fmt: str, out: str | None, since: date | None,
           until: date | None, cfg: Config) -> None:
    """Mentions, posts and tone per period and ticker (or group), as CSV or Markdown.

    Example:

        tracker report --by group --freq W --format md --out reports/groups-weekly.md
    """
    store = Store(cfg.db_url)
    try:
        text = build_report(store, cfg, ReportSpec(by, freq, fmt, since, until))
    finally:
        store.close()
    _write(text, out)


@cli.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per post, per line.")
@common_options
def show(file: str, as_json: bool, cfg: Config) -> None:
    """What the tracker finds in one file: mentions, groups, date and tone. Stores nothing.

    Example:

        tracker show seeds/000_0fac7ee0c8b55c56.txt --json
    """
    failed = False
    for item in analyze_paths([file], cfg, Analyzer(cfg)):
        if isinstance(item, SourceError):
            _report_failure(item)
            failed = True
        elif as_json:
            click.echo(json.dumps(post_to_dict(item), ensure_ascii=False))
        else:
            click.echo(_describe(post_to_dict(item)))
    if failed:
        sys.exit(1)


def _describe(post: dict[str, Any]) -> str:
    lines = [
        f"{post['source']}" + (f" [{post['source_id']}]" if post["source_id"] else ""),
        f"  published: {post['published'] or '-'} (from {post['published_from'] or 'nowhere'})",
        f"  language: {post['lang']}   tone: {_fmt_tone(post['tone'])}",
    ]
    for group, tickers in post["groups"].items():
        lines.append(f"  group {group}: {', '.join(tickers)}")
    lines.append(f"  mentions: {len(post['mentions'])}")
    text = post["text"]
    for m in post["mentions"]:
        left = text[max(0, m["start"] - 30):m["start"]].replace("\n", " ")
        right = text[m["end"]:m["end"] + 30].replace("\n", " ")
        market = f".{m['market']}" if m["market"] else ""
        lines.append(
            f"    {m['ticker']}{market:<4} {m['kind']:<12} {m['label'] or 'unscored':<8} "
            f"{_fmt_tone(m['tone']):>6}  …{left}[{text[m['start']:m['end']]}]{right}…"
        )
    return "\n".join(lines)


def _fmt_tone(tone: float | None) -> str:
    return "-" if tone is None else f"{tone:+.2f}"


@cli.command()
@click.argument("what", type=click.Choice(["mentions", "posts"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@common_options
def export(what: str, fmt: str, out: str | None, cfg: Config) -> None:
    """The stored rows, one per mention or per post, for spreadsheets and other tools.

    Example:

        tracker export mentions --format csv --out mentions.csv
    """
    store = Store(cfg.db_url)
    try:
        columns, records = export_rows(store, what)
        text = render_export(columns, records, fmt)
    finally:
        store.close()
    _write(text, out)


def main() -> None:
    cli()
