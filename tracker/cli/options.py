"""What every command shares: --config and --db, the report filters, output and the error mapping.

Imported by `tracker -h`: nothing here may load pandas, SQLAlchemy or the models at import
time (tests/cli/test_startup.py counts the modules); what needs them is imported inside.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.config import Config, load_config, within
from tracker.errors import ConfigError, OptionsError, TrackerError
from tracker.extract.models import GENRES, MENTION_KINDS
from tracker.extract.securities import KINDS
from tracker.reports.choices import DEFAULT_INSTRUMENTS, FIRST_DAY, FREQS, LAST_DAY

if TYPE_CHECKING:
    from tracker.extract.models import RunCounts

F = TypeVar("F", bound=Callable[..., Any])


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

# --workers of ingest and refresh. On Windows, concurrent.futures' process pool refuses more
# than 61 workers (WaitForMultipleObjects waits on at most 63 handles; the pool keeps 2 of
# its own). Elsewhere it takes any number, and 61 refused a 64-core Linux server its cores
# for a Windows reason: there the bound only stops a typo (10**20 was an OverflowError
# traceback) before it starts a process per unit, each holding its own models.
WINDOWS_MAX_WORKERS = 61
MAX_WORKERS = 1024
WORKER_MB = 230  # a worker's resident memory once its models are loaded, on 4,000 real posts
WORKERS_HELP = (f"At most {WINDOWS_MAX_WORKERS} on Windows (its process pool's limit), "
                f"{MAX_WORKERS:,} elsewhere.")


class WorkerCount(click.IntRange):
    """--workers: 1 to this platform's bound, saying why when a count is out of it."""

    def __init__(self) -> None:
        windows = sys.platform == "win32"
        super().__init__(1, WINDOWS_MAX_WORKERS if windows else MAX_WORKERS)
        self.reason = (
            f"Windows' process pool takes at most {WINDOWS_MAX_WORKERS}" if windows
            else f"each worker holds its own models, about {WORKER_MB} MB; more than one per "
            "CPU core only costs memory")

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            if not _above(value, self.max):
                raise  # not a number, or below 1: click's own words
            self.fail(f"{exc.message.rstrip('.')} ({self.reason}).", param, ctx)


def _above(value: Any, most: Any) -> bool:
    try:
        return int(value) > most
    except (TypeError, ValueError):
        return False


WORKERS = WorkerCount()


class ConfigUsageError(click.ClickException):
    """A config error: printed as `Error: ...` like any other, but exit 2 (a usage error)."""

    exit_code = 2


def _config_option(func: F) -> F:
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), envvar="TRACKER_CONFIG",
        show_envvar=True, help="Config file (default: ./config.toml, if present).")(func)


def _db_option(func: F) -> F:
    # The library reads TRACKER_DB_URL too; naming it here shows it in --help.
    return click.option(
        "--db", "db_url", metavar="URL", envvar="TRACKER_DB_URL", show_envvar=True,
        help="Database URL, or a SQLite file (default: from the config; a SQLite "
             "file beside it).")(func)


def _run(func: Callable[..., Any], config_path: str | None, db_url: str | None,
         args: tuple[Any, ...], kwargs: dict[str, Any], *, uses_db: bool = True) -> Any:
    """Load the config and run the command, mapping library errors to CLI errors.

    The one place they are mapped: a ConfigError exits 2 and an OptionsError is a usage
    error (exit 2, with the usage line); any other TrackerError, or an OSError naming a
    file, prints `Error: ...`, exit 1.
    """
    try:
        cfg = load_config(config_path, db_url=db_url)
        if uses_db:
            _check_not_memory(cfg.db_url)
        _check_not_config(kwargs.get("out"), cfg)
        _check_not_a_source(kwargs.get("out"), cfg)
        return func(*args, cfg=cfg, **kwargs)
    except ConfigError as exc:
        raise ConfigUsageError(str(exc)) from exc
    except OptionsError as exc:
        raise click.UsageError(str(exc)) from exc
    except TrackerError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        if exc.filename is None:
            raise
        # An output path (--out, --charts, --log-file, a report file) that cannot be
        # written: a user's mistake to fix, not a bug to trace.
        raise click.ClickException(
            f"{exc.filename}: {exc.strerror or exc}; check that the folder exists and "
            "can be written") from exc


def _check_not_memory(url: str) -> None:
    """An in-memory SQLite database (`TRACKER_DB_URL=sqlite:///$DB` with DB unset) took a
    whole ingest and said "2 new posts", then was gone with the process: refused, as a
    setting no command can use. The Python API still takes one (Store("sqlite://"))."""
    if not url.startswith("sqlite"):
        return
    from tracker.store.url import in_memory

    if in_memory(url):  # shown as given: a SQLite URL holds no password
        raise ConfigError(f"{url}: an in-memory SQLite database keeps nothing once "
                          "the command ends; give a file path or URL in --db, TRACKER_DB_URL "
                          "or [database] url")


def _check_not_config(out: str | None, cfg: Config) -> None:
    """`--out config.toml` (a name completed one key too soon, as `tracker.db` was) replaced
    the config in use with a report: refused, as a database is."""
    if out and out != "-" and cfg.path is not None and cfg.path.is_file() \
            and Path(out).resolve() == cfg.path.resolve():
        raise OptionsError(f"{out}: the config file in use; a report or export never "
                           "replaces it; write somewhere else")


def _check_not_a_source(out: str | None, cfg: Config) -> None:
    """`export posts --out feed.jsonl` over a `[sources]` file replaced the posts it held with
    records `refresh` cannot read (200 records have no text field, every run after), and a
    report written into a source folder would be read as posts: refused, as the config is.
    Only the files refresh reads (its input suffixes, outside its reports folder) count."""
    if not out or out == "-" or not (cfg.sources.paths or cfg.sources.globs):
        return
    import glob
    from fnmatch import fnmatchcase

    from tracker.sources import SUFFIXES  # not at the top: `tracker -h` loads no reader

    target = os.path.abspath(out)
    if not target.lower().endswith(SUFFIXES) or within(target, str(cfg.reports.folder)):
        return
    # As written and with links followed: an output is written through a link to its target.
    targets = {target, os.path.realpath(out)}
    folders = {f(p) for p in cfg.sources.paths for f in (os.path.abspath, os.path.realpath)}
    read = (any(within(t, f) for t in targets for f in folders)
            or any(any(fnmatchcase(target, form) for form in _glob_forms(g))
                   or not targets.isdisjoint(map(os.path.abspath, glob.glob(g, recursive=True)))
                   for g in cfg.sources.globs))
    if read:
        where = f" in {cfg.path}" if cfg.path is not None else ""
        raise OptionsError(f"{out}: under [sources]{where}, which tracker refresh reads as "
                           "posts; a report or export never goes there; write somewhere else")


def _glob_forms(pattern: str) -> list[str]:
    """`pattern` and its forms with any of its `/**/` read as `/`: glob.glob's recursive
    `**` matches no folder too (refresh reads inbox/m.csv under inbox/**/*.csv), where
    fnmatch's `**/` needs one, so a new file there was not refused."""
    import itertools

    link = f"{os.sep}**{os.sep}"
    parts = pattern.split(link)
    return ["".join(p + j for p, j in zip(parts, (*joins, ""), strict=True))
            for joins in itertools.product((link, os.sep), repeat=len(parts) - 1)]


def check_log_file(path: str | None, cfg: Config) -> None:
    """`--log-file config.toml` appended the log to the config in use (every later run
    then failed: "not valid TOML"), and `--log-file tracker.db` to the database file:
    refused, as `--out` refuses them."""
    if not path:
        return
    from tracker.store.url import SQLITE_DATABASE, sqlite_part, sqlite_path

    target = Path(path)
    if cfg.path is not None and cfg.path.is_file() and target.resolve() == cfg.path.resolve():
        raise OptionsError(f"{path}: the config file in use; the log is never appended to "
                           "it; give another --log-file")
    db = sqlite_path(cfg.db_url)
    part = sqlite_part(target)
    if part is None and db is not None and target.resolve() == db.resolve():
        part = SQLITE_DATABASE, "one"  # the configured database, not made yet
    if part is not None:
        raise OptionsError(f"{path}: {part[0]}; the log is never appended to {part[1]}; give "
                           "another --log-file")


def common_options(func: F) -> F:
    """--config and --db on every command that opens the database, loaded into a Config
    passed as `cfg`; library errors become CLI errors (see `_run`)."""

    @_config_option
    @_db_option
    @functools.wraps(func)
    def wrapper(*args: Any, config_path: str | None, db_url: str | None, **kwargs: Any) -> Any:
        return _run(func, config_path, db_url, args, kwargs)

    return wrapper  # type: ignore[return-value]


def config_option(func: F) -> F:
    """--config alone, for a command that never opens the database (eval)."""

    @_config_option
    @functools.wraps(func)
    def wrapper(*args: Any, config_path: str | None, **kwargs: Any) -> Any:
        return _run(func, config_path, None, args, kwargs, uses_db=False)

    return wrapper  # type: ignore[return-value]


def _existing_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # A mistyped folder is a mistake to report (exit 1, as any file that cannot be written),
    # not a tree of folders to create.
    if value is not None and value != "-":
        folder = Path(value).parent
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise click.ClickException(f"{value}: {folder} {what}; create the folder first, "
                                       "or write somewhere else")
    return value


def out_option(help: str, required: bool = False,
               callback: Callable[[click.Context, click.Parameter, Any], Any] | None = None,
               ) -> Callable[[F], F]:
    """--out: a file to write, in a folder that exists (`callback` checks the name further)."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        if value == "":
            # `--out "$OUT"` with OUT unset in a cron line: "Error: .: Is a directory".
            raise click.BadParameter("an empty file name; name the file to write, or leave "
                                     "--out out to print")
        value = _existing_folder(ctx, param, value)
        return callback(ctx, param, value) if callback and value is not None else value

    return click.option("--out", type=click.Path(dir_okay=False), required=required,
                        callback=check, help=help)


def write_output(text: str, out: str | None) -> None:
    """Print `text`, or write it atomically to `out` (a report file is old or whole, never half)."""
    if out is None or out == "-":
        click.echo(text, nl=False)
    else:
        from tracker.reports.render import write_atomic

        write_atomic(Path(out), text)


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-05-08") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise click.BadParameter(f"{value} is outside the days reports cover "
                                 f"({FIRST_DAY} to {LAST_DAY}); pick a day between them")
    return day


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
    @click.option("--instruments", metavar="LIST",
                  help=f"Only these instruments: {','.join(KINDS)}, or all. "
                       f"Default: {','.join(DEFAULT_INSTRUMENTS)}.")
    # The old name, one letter from --kind; kept hidden for a release (0.2 drops it).
    @click.option("--kinds", metavar="LIST", hidden=True)
    @click.option("--source", metavar="PATTERN", multiple=True,
                  help="Only posts from this file, folder or glob (repeatable).")
    @click.option("--genre", metavar="LIST",
                  help=f"Only posts of these genres: {','.join(GENRES)}.")
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
                kind: str | None, instruments: str | None, kinds: str | None,
                source: tuple[str, ...], genre: str | None, min_mentions: int,
                min_confidence: float, private: bool, file_dates: bool,
                **kwargs: Any) -> Any:
        from tracker.reports.filters import MentionFilter, split_list

        if kinds is not None:
            if instruments is not None and instruments != kinds:
                raise click.UsageError("--kinds is the old name of --instruments; give one")
            click.echo("Note: --kinds is now --instruments; the old name goes in the next "
                       "release.", err=True)
            instruments = kinds
        try:
            flt = MentionFilter(tickers=split_list(tickers), groups=split_list(groups),
                                langs=split_list(lang), kinds=split_list(kind),
                                instruments=split_list(instruments), sources=source,
                                genres=split_list(genre),
                                min_mentions=min_mentions, min_confidence=min_confidence,
                                private=private, file_dates=file_dates)
        except TrackerError as exc:
            raise click.UsageError(str(exc)) from exc
        return func(*args, filters=flt, **kwargs)

    return wrapper  # type: ignore[return-value]


# The filter options' parameter names, in order, for the Filters section of a command's help:
# read off filter_options, so a filter added there is listed there (--genre once was not).
# --freq, which it adds too, sets the period: the commands list it with their own options.
FILTERS: tuple[str, ...] = tuple(
    param.name
    for param in reversed(filter_options(lambda: None).__click_params__)  # type: ignore[attr-defined]
    if param.name and param.name != "freq" and not getattr(param, "hidden", False))


def finish_run(result: RunCounts, summary: str | None) -> None:
    """End a batch command (ingest, refresh): `summary` and how the posts were dated, unless
    it is None (quiet), then exit 1 if any record failed, so cron sees it."""
    from tracker.ingest.summary import date_lines

    if summary is not None:
        click.echo(summary)
        for line in date_lines(result):
            click.echo(line)
    if result.failures:
        sys.exit(1)
