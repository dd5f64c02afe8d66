"""The commands that read the store or a file and print what they find: report, chart,
export and show.

The library (pandas, the store, the models) is imported inside each command, so `tracker -h`
and `tracker report -h` start without it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from tracker.cli.options import FILTERS, common_options, filter_options, out_option, write_output
from tracker.cli.sections import SectionedCommand
from tracker.cli.signals import READ_ONLY, stop_on_signals, stop_writing
from tracker.config import Config
from tracker.reports.choices import (
    DEFAULT_MEASURE,
    FORMATS,
    MAX_SERIES,
    MEASURES,
    SPANS,
    TABLES,
    WIDE_TOP,
)

if TYPE_CHECKING:
    from tracker.reports.filters import MentionFilter
    from tracker.reports.spec import ReportSpec

# report -h in groups: what table, the briefing's options, the wide shape's, then the filters.
REPORT_SECTIONS = (
    ("Table", ("by", "fmt", "freq", "excel")),
    ("Briefing (--format md without --by)", ("span", "charts_dir")),
    ("Wide shape", ("shape", "measure", "top")),
    ("Filters", FILTERS),
)


@click.command(cls=SectionedCommand, sections=REPORT_SECTIONS)
@click.option("--by", type=click.Choice(TABLES), default=None,
              help="A table with one row per period and ticker (or group). Default: ticker "
                   "for CSV; for Markdown, the briefing.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv",
              show_default=True, help="md without --by writes the briefing; json: an "
                                      "array of row objects.")
@click.option("--shape", type=click.Choice(["long", "wide"]), default="long",
              show_default=True, help="long: a row per period and key; wide: a row per "
                                      "period, a column per ticker (or group).")
@click.option("--measure", type=click.Choice(list(MEASURES)), default=DEFAULT_MEASURE,
              show_default=True, help="What the wide shape's cells hold.")
@click.option("--excel", is_flag=True, help="Start the CSV with a UTF-8 byte-order mark.")
@click.option("--top", type=click.IntRange(min=1), default=WIDE_TOP, show_default=True,
              help="Wide shape: a column for each of the most mentioned this many; the "
                   "rest are summed in an 'other' column.")
@click.option("--span", type=click.Choice(list(SPANS)), default="latest",
              show_default=True,
              help="Briefing: the latest period, or all of the (filtered) history at once.")
@click.option("--charts", "charts_dir", type=click.Path(file_okay=False),
              help="Briefing only: draw PNG charts into this folder and link them.")
@out_option("Write here (default: stdout).")
@filter_options
@common_options
def report(by: str | None, fmt: str, shape: str, measure: str, excel: bool, top: int,
           span: str, charts_dir: str | None, out: str | None, freq: str,
           since: date | None, until: date | None, filters: MentionFilter,
           cfg: Config) -> None:
    """Mentions, posts and tone per period and ticker (or group), or a Markdown briefing.

    Example:

    \b
        tracker report --by group --freq W --format csv --shape wide --excel --out groups.csv

    \b
        tracker report --format md --freq W --charts reports/charts --out reports/briefing.md

    \b
        tracker report --format md --span all --charts reports/charts --out reports/all.md
    """
    from tracker.reports.report import build_report
    from tracker.reports.spec import ReportSpec
    from tracker.store.database import Store

    spec = ReportSpec(by, freq, fmt, since, until, shape, measure, excel, filters,
                      span=span, top=top)
    _check_given(spec)
    notices: list[str] = []
    with stop_writing():
        store = Store(cfg.db_url, create=False)
        try:
            text = build_report(store, cfg, spec, Path(charts_dir) if charts_dir else None,
                                Path(out) if out and out != "-" else None, notices)
        finally:
            store.close()
        write_output(text, out)
    for notice in notices:
        click.echo(f"Note: {notice}", err=True)


def _given(name: str) -> bool:
    """Whether the user set option `name` (on the command line or in the environment),
    rather than it taking its default."""
    source = click.get_current_context().get_parameter_source(name)
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def _check_given(spec: ReportSpec) -> None:
    """Refuse an option the chosen output has no use for: a cron line with `--top 20` on a
    long table, or `--span all` on a CSV, otherwise ran as if it were not there."""
    if spec.shape != "wide":
        for name in ("measure", "top"):
            if _given(name):
                raise click.UsageError(f"--{name} shapes the wide table's columns; add "
                                       "--shape wide with --by ticker or --by group")
    if _given("span") and not spec.is_briefing:
        raise click.UsageError("--span belongs to the briefing (--format md without --by)")


# The chart is drawn as PNG (the briefing links PNGs too); another suffix is refused rather
# than written as a PNG under a name that says otherwise.
CHART_SUFFIX = ".png"


def _png_only(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if Path(value).suffix.lower() != CHART_SUFFIX:
        raise click.BadParameter(
            f"{value}: charts are drawn as PNG; give a file name ending in {CHART_SUFFIX}")
    return value


@click.command(cls=SectionedCommand,
               sections=(("Chart", ("by", "freq", "top", "out")), ("Filters", FILTERS)))
@click.option("--by", type=click.Choice(TABLES), default="ticker",
              show_default=True, help="One line per ticker or per group.")
@click.option("--top", type=click.IntRange(min=1, max=MAX_SERIES), default=5,
              show_default=True, help="Chart the most mentioned this many.")
@out_option("PNG file to write (its name ends in .png).", required=True, callback=_png_only)
@filter_options
@common_options
def chart(by: str, top: int, out: str, freq: str, since: date | None, until: date | None,
          filters: MentionFilter, cfg: Config) -> None:
    """Draw a PNG of mentions and tone over time for chosen tickers or groups.

    Without --since or --until it shows the last 12 periods that hold data.

    Example:

    \b
        tracker chart --tickers NVDA,AMD,TSM --freq W --out reports/chips.png
    """
    from tracker.reports.charts import write_table_chart
    from tracker.reports.report import CHART_PERIODS, chart_table
    from tracker.store.database import Store

    with stop_writing():
        store = Store(cfg.db_url, create=False)
        try:
            table = chart_table(store, cfg, by, freq, since, until, filters)
        finally:
            store.close()
        # Without a date range, the chart shows the last periods that hold data, so one old
        # outlier does not stretch it over years.
        last = None if since or until else CHART_PERIODS
        write_table_chart(table, by, freq, Path(out), limit=top, last=last)


@click.command()
@click.argument("what", type=click.Choice(["mentions", "posts"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark.")
@out_option("Write here (default: stdout).")
@common_options
def export(what: str, fmt: str, excel: bool, out: str | None, cfg: Config) -> None:
    """The stored rows, one per mention or per post, for spreadsheets and other tools.

    Rows are read and written one batch at a time, so the export of a large database
    needs little memory; with --out the file appears whole when it is complete.

    Example:

    \b
        tracker export mentions --format csv --out mentions.csv
    """
    if excel and fmt != "csv":
        raise click.UsageError(f"--excel marks a CSV file for Excel; --format {fmt} takes no "
                               "--excel")
    from tracker.reports.export import export_rows, write_export
    from tracker.reports.render import open_atomic
    from tracker.store.database import Store

    with stop_writing():
        store = Store(cfg.db_url, create=False)
        try:
            columns, records = export_rows(store, what)
            if out is None or out == "-":
                written = write_export(columns, records, fmt, sys.stdout, excel=excel)
            else:
                with open_atomic(Path(out)) as handle:
                    written = write_export(columns, records, fmt, handle, excel=excel)
        finally:
            store.close()
    if not written:
        # As `report` says of an empty range: a header alone looked like a failed export.
        click.echo(f"Note: the database holds no {what}; `tracker ingest` adds posts", err=True)


@click.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per post, per line.")
@common_options
def show(file: str, as_json: bool, cfg: Config) -> None:
    """What the tracker finds in one file: mentions, groups, date and tone. Stores nothing.

    Example:

    \b
        tracker show seeds/000_0fac7ee0c8b55c56.txt --json
    """
    from tracker.errors import SourceError, SourceWarning
    from tracker.extract.models import Post
    from tracker.extract.passages import mark_repeats
    from tracker.ingest.analyze import Analyzer
    from tracker.ingest.pipeline import analyze_paths
    from tracker.ingest.problems import line_prefix
    from tracker.reports.export import post_to_dict
    from tracker.sources import SUFFIXES
    from tracker.store.database import Store, database_exists

    found: list[Post] = []
    failed = said = False
    # Ctrl-C was click's "Aborted!" (exit 1) and SIGTERM an end without a word, as for
    # the other commands before they stopped cleanly.
    with stop_on_signals("", kept=READ_ONLY):
        for item in analyze_paths([file], cfg, Analyzer(cfg)):
            if isinstance(item, SourceError):
                # Warnings (an empty post, a date that is not one) say why a post is missing
                # or misdated; only errors fail.
                click.echo(line_prefix(item) + str(item), err=True)
                failed = failed or not isinstance(item, SourceWarning)
                said = True
            else:
                found.append(item)
    if not found and not said:
        # Not an error, but a silent exit 0 read as "tracker found nothing to say".
        click.echo(f"Note: {file}: no posts in it (an empty file, or a folder without "
                   f"files of a kind tracker reads: {', '.join(SUFFIXES)})", err=True)
    # A passage already stored from another post (or earlier in this file) is marked a repeat.
    # The database is optional, unless --db (or TRACKER_DB_URL) names one.
    named = click.get_current_context().params.get("db_url") is not None
    seen: set[tuple[str, str]] = set()
    if found and (named or database_exists(cfg.db_url)):
        store = Store(cfg.db_url, create=False)
        try:
            seen = store.passages_seen(found)
        finally:
            store.close()
    for post in mark_repeats(found, seen):
        data = post_to_dict(post)
        click.echo(json.dumps(data, ensure_ascii=False) if as_json else _describe(data))
    if failed:
        sys.exit(1)


def register(cli: click.Group) -> None:
    """Add report, chart, export and show to `cli`."""
    for command in (report, chart, export, show):
        cli.add_command(command)


def _seconds(stamp: str | None) -> str | None:
    """An ISO time to the second, for a reader: a file's time carries microseconds
    (2026-12-06T20:57:29.299537+00:00), which `--json` keeps."""
    if stamp is None or "." not in stamp:
        return stamp
    head, _, rest = stamp.partition(".")
    return head + rest.lstrip("0123456789")


def _describe(post: dict[str, Any]) -> str:
    lines = [
        f"{post['source']}" + (f" [{post['source_id']}]" if post["source_id"] else ""),
        f"  published: {_seconds(post['published']) or '-'} "
        f"(from {post['published_from'] or 'nowhere'})",
        f"  language: {post['lang']}   genre: {post['genre']}   tone: {_fmt_tone(post['tone'])}",
    ]
    for group, tickers in post["groups"].items():
        lines.append(f"  group {group}: {', '.join(tickers)}")
    lines.append(f"  mentions: {len(post['mentions'])}")
    if not post["mentions"]:
        lines.append("    (no cashtag such as $TSLA, and no listed company name or ticker in "
                     "the cleaned text; add companies under [securities] in config.toml)")
    text = post["text"]
    for m in post["mentions"]:
        left = text[max(0, m["start"] - 30):m["start"]].replace("\n", " ")
        right = text[m["end"]:m["end"] + 30].replace("\n", " ")
        symbol = f"{m['ticker']}.{m['market']}" if m["market"] else m["ticker"]
        lines.append(
            f"    {symbol:<10} {m['kind']:<12} {m['instrument'] or '-':<8} "
            f"{m['label'] or 'unscored':<8} "
            f"{_fmt_tone(m['tone']):>6}  …{left}[{text[m['start']:m['end']]}]{right}…"
            + ("  (repeat of a passage seen before)" if m["repeat"] else "")
            + _security_note(m)
        )
    return "\n".join(lines)


def _security_note(m: dict[str, Any]) -> str:
    """Who the mention names, when that is not a listing of today's universe."""
    from tracker.extract.history import holder_mark

    mark = holder_mark(m["ticker"])
    if mark:
        return f"  {m['name'] or m['ticker']}{mark}"
    if m["instrument"] is None and m["market"] and m["kind"] not in ("name", "bare_ticker"):
        return f"  {m['name'] or m['ticker']} (not in the universe)"
    return ""


def _fmt_tone(tone: float | None) -> str:
    return "-" if tone is None else f"{tone:+.2f}"
