"""The `tracker` command: a thin click layer over the library."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .aggregate import FREQS, MEASURES
from .analyze import Analyzer
from .charts import MAX_SERIES, write_chart
from .config import Config, load_config
from .errors import SourceError, TrackerError
from .evaluate import evaluate_file, evaluate_loso, format_folds, format_report
from .export import export_rows, post_to_dict, render_export
from .filters import MentionFilter, split_list
from .models import MENTION_KINDS, Post
from .passages import mark_repeats
from .pipeline import analyze_paths
from .pipeline import ingest as run_ingest
from .render import write_atomic
from .report import ReportSpec, build_report, read_mentions
from .rescore import rescore as rescore_store
from .store import Store, database_exists

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


def filter_options(func: F) -> F:
    """The filters every report and chart takes, passed on as `filters`, `since`, `until`."""

    @click.option("--freq", type=click.Choice(list(FREQS)), default="D", show_default=True,
                  help="Period: H hour, D day, W week (from Monday), M month, in the "
                       "configured time zone.")
    @click.option("--since", callback=_parse_day, metavar="DAY", help="First day (YYYY-MM-DD).")
    @click.option("--until", callback=_parse_day, metavar="DAY",
                  help="Last day (YYYY-MM-DD), inclusive.")
    @click.option("--tickers", metavar="LIST", help="Only these tickers: TSLA,2382.TW,...")
    @click.option("--groups", metavar="LIST", help="Only mentions in these groups: gpu,foundry")
    @click.option("--lang", metavar="LIST", help="Only posts in these languages: en,zh")
    @click.option("--kind", metavar="LIST",
                  help=f"Only these mention kinds: {','.join(MENTION_KINDS)}")
    @click.option("--source", metavar="PATTERN", multiple=True,
                  help="Only posts from this file, folder or glob (repeatable).")
    @click.option("--min-mentions", type=click.IntRange(min=0), default=0,
                  help="Only tickers (groups) with at least this many mentions.")
    @click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0,
                  help="Only mentions at least this sure: 1 cashtags and unambiguous names, "
                       "0.9 bare tickers, 0.8 ambiguous names.")
    @click.option("--private/--no-private", default=True, show_default=True,
                  help="Include private companies (SpaceX, OpenAI), which have no market.")
    @click.option("--file-dates/--no-file-dates", default=True, show_default=True,
                  help="Include posts dated only by their file's modification time.")
    @functools.wraps(func)
    def wrapper(*args: Any, tickers: str | None, groups: str | None, lang: str | None,
                kind: str | None, source: tuple[str, ...], min_mentions: int,
                min_confidence: float, private: bool, file_dates: bool,
                **kwargs: Any) -> Any:
        try:
            flt = MentionFilter(tickers=split_list(tickers), groups=split_list(groups),
                                langs=split_list(lang), kinds=split_list(kind), sources=source,
                                min_mentions=min_mentions, min_confidence=min_confidence,
                                private=private, file_dates=file_dates)
        except TrackerError as exc:
            raise click.UsageError(str(exc)) from exc
        return func(*args, filters=flt, **kwargs)

    return wrapper  # type: ignore[return-value]


@cli.command()
@click.option("--by", type=click.Choice(["ticker", "group"]), default=None,
              help="A table with one row per period and ticker (or group). Default: ticker "
                   "for CSV; for Markdown, the briefing.")
@click.option("--format", "fmt", type=click.Choice(["csv", "md"]), default="csv",
              show_default=True, help="md without --by writes the briefing.")
@click.option("--shape", type=click.Choice(["long", "wide"]), default="long",
              show_default=True, help="long: a row per period and key; wide: a row per "
                                      "period, a column per ticker (or group).")
@click.option("--measure", type=click.Choice(list(MEASURES)), default="mentions",
              show_default=True, help="What the wide shape's cells hold.")
@click.option("--excel", is_flag=True, help="Start the CSV with a UTF-8 byte-order mark.")
@click.option("--charts", "charts_dir", type=click.Path(file_okay=False),
              help="Briefing only: draw PNG charts into this folder and link them.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@filter_options
@common_options
def report(by: str | None, fmt: str, shape: str, measure: str, excel: bool,
           charts_dir: str | None, out: str | None, freq: str, since: date | None,
           until: date | None, filters: MentionFilter, cfg: Config) -> None:
    """Mentions, posts and tone per period and ticker (or group), or a Markdown briefing.

    Example:

        tracker report --by group --freq W --format csv --shape wide --excel --out groups.csv

        tracker report --format md --freq W --charts reports/charts --out reports/briefing.md
    """
    spec = ReportSpec(by, freq, fmt, since, until, shape, measure, excel, filters)
    store = Store(cfg.db_url)
    try:
        text = build_report(store, cfg, spec, Path(charts_dir) if charts_dir else None,
                            Path(out) if out and out != "-" else None)
    finally:
        store.close()
    _write(text, out)


@cli.command()
@click.option("--by", type=click.Choice(["ticker", "group"]), default="ticker",
              show_default=True, help="One line per ticker or per group.")
@click.option("--top", type=click.IntRange(min=1, max=MAX_SERIES), default=5,
              show_default=True, help="Chart the most mentioned this many.")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="PNG file to write.")
@filter_options
@common_options
def chart(by: str, top: int, out: str, freq: str, since: date | None, until: date | None,
          filters: MentionFilter, cfg: Config) -> None:
    """Draw a PNG of mentions and tone over time for chosen tickers or groups.

    Example:

        tracker chart --tickers NVDA,AMD,TSM --freq W --out reports/chips.png
    """
    store = Store(cfg.db_url)
    try:
        frame = read_mentions(store, cfg, since, until, filters)
    finally:
        store.close()
    write_chart(frame, by, freq, cfg.timezone, Path(out), limit=top)


@cli.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per post, per line.")
@common_options
def show(file: str, as_json: bool, cfg: Config) -> None:
    """What the tracker finds in one file: mentions, groups, date and tone. Stores nothing.

    Example:

        tracker show seeds/000_0fac7ee0c8b55c56.txt --json
    """
    found: list[Post] = []
    failed = False
    for item in analyze_paths([file], cfg, Analyzer(cfg)):
        if isinstance(item, SourceError):
            _report_failure(item)
            failed = True
        else:
            found.append(item)
    # A passage already stored from another post (or earlier in this file) is marked a repeat.
    seen: set[tuple[str, str]] = set()
    if found and database_exists(cfg.db_url):
        store = Store(cfg.db_url)
        try:
            seen = store.passages_seen(found)
        finally:
            store.close()
    for post in mark_repeats(found, seen):
        data = post_to_dict(post)
        click.echo(json.dumps(data, ensure_ascii=False) if as_json else _describe(data))
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
        symbol = f"{m['ticker']}.{m['market']}" if m["market"] else m["ticker"]
        lines.append(
            f"    {symbol:<10} {m['kind']:<12} {m['label'] or 'unscored':<8} "
            f"{_fmt_tone(m['tone']):>6}  …{left}[{text[m['start']:m['end']]}]{right}…"
            + ("  (repeat of a passage seen before)" if m["repeat"] else "")
        )
    return "\n".join(lines)


def _fmt_tone(tone: float | None) -> str:
    return "-" if tone is None else f"{tone:+.2f}"


@cli.command()
@click.argument("what", type=click.Choice(["mentions", "posts"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@common_options
def export(what: str, fmt: str, excel: bool, out: str | None, cfg: Config) -> None:
    """The stored rows, one per mention or per post, for spreadsheets and other tools.

    Example:

        tracker export mentions --format csv --out mentions.csv
    """
    store = Store(cfg.db_url)
    try:
        columns, records = export_rows(store, what)
        text = render_export(columns, records, fmt, excel=excel and fmt == "csv")
    finally:
        store.close()
    _write(text, out)


@cli.command(name="eval")
@click.argument("path", type=click.Path(exists=True))
@click.option("--scorer", type=click.Choice(["default", "vader", "snownlp", "all"]),
              default="default", show_default=True,
              help="default: finance-aware; vader/snownlp: the plain libraries; all: each.")
@click.option("--loso", is_flag=True,
              help="PATH is a datasets folder: retrain leaving out each source in turn and "
                   "score it (needs the train extra; minutes per language).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="With --loso: one language.")
@click.option("--sample", type=click.IntRange(min=50),
              help="With --loso: that many rows per source, for a quick run.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"<lang>": {"n", "accuracy", "macro_f1", "confusion"}} '
                   '(with --loso: {"<lang>": [{"source", "macro_f1", ...}]}).')
@common_options
def eval_(path: str, scorer: str, loso: bool, lang: str | None, sample: int | None,
          as_json: bool, cfg: Config) -> None:
    """Score a labelled JSONL file and print accuracy, macro-F1 and confusion per language.

    Each line: "text"; "label" as pos/neg/neu or a number in [-1, 1]; optional "lang";
    optional "target", a ticker whose mention's tone is scored instead of the whole text.
    On a file labelled only pos/neg, a neutral prediction counts as wrong.

    With --loso, PATH is a folder of <source>.train.jsonl / <source>.test.jsonl files (the
    repository's datasets/): for each source, a model is trained on the other sources of its
    language and scored on the whole left-out file, with tracker's own labels.

    Examples:

    \b
        tracker eval datasets/en_twitter_financial_news.test.jsonl --scorer all
        tracker eval --loso datasets --lang zh
    """
    if loso:
        if not Path(path).is_dir():
            raise click.UsageError("with --loso, PATH must be a datasets folder")
        tables = evaluate_loso(Path(path), cfg.sentiment, lang, sample)
        if as_json:
            click.echo(json.dumps({k: [asdict(f) for f in v] for k, v in tables.items()},
                                  ensure_ascii=False))
            return
        for name, folds in tables.items():
            click.echo(f"{name}: leave-one-source-out\n{format_folds(folds)}")
        return
    if Path(path).is_dir():
        raise click.UsageError("PATH is a folder: give a labelled JSONL file, or use --loso")
    names = ["default", "vader", "snownlp"] if scorer == "all" else [scorer]
    results = {name: evaluate_file(Path(path), cfg.sentiment, name) for name in names}
    if as_json:
        payload = results if scorer == "all" else results[scorer]
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    for name, result in results.items():
        if len(results) > 1:
            click.echo(f"== {name}")
        click.echo(format_report(result))


@cli.command()
@common_options
def rescore(cfg: Config) -> None:
    """Recompute every stored tone and label from the stored text, after a lexicon, model or
    threshold change; source files are not read again.

    Example:

        tracker rescore --config config.toml
    """
    store = Store(cfg.db_url)
    try:
        result = rescore_store(store, cfg)
    finally:
        store.close()
    click.echo(f"rescored {result.posts} posts and {result.mentions} mentions; "
               f"{result.labels_changed} labels changed")


def main() -> None:
    cli()


from . import cli_cron  # noqa: E402, F401 - registers refresh, status and db
