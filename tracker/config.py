"""Load config.toml over the packaged defaults into frozen dataclasses, after checking it
against one schema.

The schema is the packaged `tracker/data/default_config.toml`: a key is valid where it
appears there, and its value must be of the default's kind (a string, a number, true or
false, a list of strings, a table, an array of tables). To add a key, add it with its default
and a comment to that file; that one change makes it valid in every user's config, and the
code reads it from a field of the dataclasses below, which check its values.
Only what the defaults cannot show is declared here: `_OPEN_TABLES`, whose keys are the
user's own names, and `_ENTRY_KEYS`, the keys of entries of an array of tables that has no
entries by default. An unknown key is an error naming the file, the key and the nearest
valid key.
"""

from __future__ import annotations

import difflib
import glob
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.data import default_config
from tracker.errors import ConfigError
from tracker.extract.securities import COLUMNS as SECURITY_COLUMNS
from tracker.extract.securities import GROUPS as SECURITY_GROUPS
from tracker.extract.securities import OPTIONAL_COLUMNS as SECURITY_OPTIONAL_COLUMNS
from tracker.extract.securities import (
    Security,
    SecurityEdit,
    normalise_market,
    read_securities_csv,
    read_security_edit,
)
from tracker.reports.choices import FORMATS, FREQS, LIST_SEPARATORS

DEFAULT_CONFIG_NAME = "config.toml"
DEFAULT_DB_NAME = "tracker.db"


@dataclass(frozen=True)
class InputConfig:
    """Which record fields hold a post's text, id, time, url, author, title and own tag.

    `tag_field` names the field where the author labelled the post (StockTwits' Bullish /
    Bearish); `tag_values` maps its values (compared case-insensitively) to labels.
    `news_sources` / `social_sources` declare the genre of the posts of matching sources.
    """

    text_fields: tuple[str, ...]
    id_fields: tuple[str, ...]
    time_fields: tuple[str, ...]
    url_fields: tuple[str, ...]
    author_fields: tuple[str, ...]
    title_fields: tuple[str, ...]
    max_post_chars: int = 1_000_000
    # How a numeric date that reads both ways ("03/04/2021") is read: month-first|day-first.
    date_order: str = "month-first"
    tag_field: str = ""
    tag_values: dict[str, str] = field(default_factory=dict)
    # Path patterns of the sources whose posts are news, and of those that are social.
    news_sources: tuple[str, ...] = ()
    social_sources: tuple[str, ...] = ()

    @property
    def day_first(self) -> bool:
        """Whether a numeric date that reads both ways is read day first (`date_order`)."""
        return self.date_order == "day-first"

    def declared_genre(self, source: str) -> str | None:
        """The genre the config declares for `source` (news first), or None."""
        if not (self.news_sources or self.social_sources):
            return None  # asked for every post: before the import, which costs 1 us a call
        from tracker.sources.match import source_matches

        # The patterns hold absolute forms too (config load), so the source is also tried
        # as an absolute path: refresh names sources absolutely, ingest as the user typed.
        names = (source, os.path.abspath(source))
        if any(source_matches(name, self.news_sources) for name in names):
            return "news"
        if any(source_matches(name, self.social_sources) for name in names):
            return "social"
        return None


@dataclass(frozen=True)
class CleanConfig:
    """Markers of page chrome: lines to drop, and headings after which nothing is the post."""

    drop_lines: tuple[str, ...]
    drop_line_prefixes: tuple[str, ...]
    drop_line_contains: tuple[str, ...]
    cut_after: tuple[str, ...]


@dataclass(frozen=True)
class SentimentConfig:
    """Which scorer to use, where tone turns into a label, and the user's extra lexicons.

    `en_lexicon` / `zh_lexicon` are `term<TAB>valence` files whose terms add to or override
    the packaged finance lexicons (a relative path in config.toml is relative to its folder).
    The thresholds suit the default scorer's tone, P(positive) - P(negative) mapped so the
    thresholds chosen by cross-validation on the training data (scripts/train_sentiment.py)
    land on the packaged defaults of `positive` and `negative`.
    """

    scorer: str = "default"
    # The packaged [sentiment] thresholds, written once, in tracker/data/default_config.toml.
    positive: float = default_config()["sentiment"]["positive"]
    negative: float = default_config()["sentiment"]["negative"]
    en_lexicon: Path | None = None
    zh_lexicon: Path | None = None


@dataclass(frozen=True)
class SourcesConfig:
    """[sources]: what `tracker refresh` reads, folders and files (absolute) and glob
    patterns (absolute, as strings)."""

    paths: tuple[Path, ...] = ()
    globs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefreshConfig:
    """[refresh]: posts stored per transaction, and when a run's lock counts as stale."""

    batch_size: int
    stale_after: float  # seconds


@dataclass(frozen=True)
class ReportTable:
    """One configured report: written as `file`.<format> for each of `formats`."""

    file: str
    by: str
    freq: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class ReportsConfig:
    """[reports]: where refresh writes its reports and which; above `sql_threshold`
    mentions the database aggregates a table rather than pandas."""

    folder: Path
    tables: tuple[ReportTable, ...]
    sql_threshold: int


@dataclass(frozen=True)
class SecuritiesConfig:
    """[securities]: whether the listed universe sits under the curated list, the rows of the
    user's `file` (absolute; read and checked at load) and the `[[securities.add]]` edits.
    The default is the packaged list; `securities_from_config` builds the list from it."""

    universe: bool = True
    file: Path | None = None
    rows: tuple[Security, ...] = ()
    edits: tuple[SecurityEdit, ...] = ()


@dataclass(frozen=True)
class Config:
    """The whole configuration; `path` is the file it came from, if any."""

    path: Path | None
    db_url: str
    input: InputConfig
    clean: CleanConfig
    numeric_market: str
    numeric_needs_hint: bool
    timezone: ZoneInfo
    date_search_chars: int
    group_keywords: dict[str, tuple[str, ...]]
    sentiment: SentimentConfig
    sources: SourcesConfig
    refresh: RefreshConfig
    reports: ReportsConfig
    securities: SecuritiesConfig


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _defaults() -> dict[str, Any]:
    return default_config()


KeyPath = tuple[str, ...]  # where a value sits: ("dates", "timezone")

# Tables whose keys are the user's own names (group names, tag values), and whether each
# value is a string or a list of strings (groups); a tag value's label is checked where it is
# read (`_tag_values`), which names the labels allowed.
_OPEN_TABLES: dict[KeyPath, bool] = {("groups",): True, ("input", "tag_values"): False}
# Arrays of tables empty by default, and the keys their entries may set.
_ENTRY_KEYS: dict[KeyPath, tuple[str, ...]] = {
    ("securities", "add"): SECURITY_COLUMNS + SECURITY_OPTIONAL_COLUMNS,
}


def _label(path: KeyPath) -> str:
    return f"[{path[0]}]" + (f" {'.'.join(path[1:])}" if len(path) > 1 else "")


def _unknown(where: str, key: str, valid: list[str], place: str, defaults: dict[str, Any],
             ) -> ConfigError:
    """The error for an unknown key: the nearest valid key, else the list of valid ones."""
    if place == "the top level":
        sections = [s for s, v in defaults.items() if isinstance(v, dict) and key in v]
        if sections:  # a key written above its section's header
            return ConfigError(f"{where}: unknown key `{key}` at the top level; "
                               f"did you mean `{key}` in [{sections[0]}]?")
        close = difflib.get_close_matches(key, valid, n=1)
        hint = f"did you mean [{close[0]}]?" if close else f"sections: {', '.join(valid)}"
        return ConfigError(f"{where}: unknown section [{key}]; {hint}")
    close = difflib.get_close_matches(key, valid, n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"valid keys: {', '.join(valid)}"
    return ConfigError(f"{where}: unknown key `{key}` in {place}; {hint}")


def _is_strings(value: Any) -> bool:
    # A single string stands for a list of one wherever a list of strings is expected.
    return isinstance(value, str) or (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value))


def _check_table(user: dict[str, Any], default: dict[str, Any], path: KeyPath, where: str,
                 defaults: dict[str, Any]) -> None:
    if path in _OPEN_TABLES:
        for key, value in user.items():
            if _OPEN_TABLES[path] and not _is_strings(value):
                raise ConfigError(f"{where}: {_label((*path, key))} must be a list of strings")
        return
    for key, value in user.items():
        if key not in default:
            place = _label(path) if path else "the top level"
            raise _unknown(where, key, list(default), place, defaults)
        _check_value(value, default[key], (*path, key), where, defaults)


def _check_value(value: Any, default: Any, path: KeyPath, where: str,
                 defaults: dict[str, Any]) -> None:
    label = _label(path)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: {label} must be a table")
        _check_table(value, default, path, where, defaults)
    elif path in _ENTRY_KEYS or (isinstance(default, list) and default
                                 and all(isinstance(d, dict) for d in default)):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(f"{where}: {label} must be an array of tables")
        keys = list(_ENTRY_KEYS.get(path) or dict.fromkeys(k for d in default for k in d))
        for index, entry in enumerate(value):
            for key in entry:
                if key not in keys:
                    raise _unknown(where, key, keys, f"{label}[{index}]", defaults)
    elif isinstance(default, list):
        if not _is_strings(value):
            raise ConfigError(f"{where}: {label} must be a list of strings")
    elif isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {label} must be true or false, not {value!r}")
    elif isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: {label} must be a number, not {value!r}")
    elif isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{where}: {label} must be a string, not {value!r}")


def check_config(user: dict[str, Any], where: str) -> None:
    """Raise ConfigError for the first key of `user` (a parsed config file named `where`)
    that the packaged defaults do not have, or whose value is not of the default's kind."""
    defaults = _defaults()
    _check_table(user, defaults, (), where, defaults)


def _resolve(base: Path, value: str) -> Path:
    """A path the config names: relative to `base` unless absolute, and `~` the user's home
    folder (else `url = "~/tracker.db"` made a folder named `~` beside the config)."""
    return base / Path(value).expanduser()


def _strings(data: dict[str, Any], section: str, key: str, where: str) -> tuple[str, ...]:
    value = data.get(section, {}).get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [{section}] {key} must be a list of strings")
    return tuple(value)


def _markers(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """A [clean] list of text that marks chrome; an empty entry is refused, since every
    line starts with it, contains it, or (blank) matches it: `cut_after = [""]` cut every
    post at its first blank line, and `drop_line_contains = ""` dropped every post as
    empty, each without an error."""
    values = _strings(data, "clean", key, where)
    if any(not v.strip() for v in values):
        raise ConfigError(f"{where}: [clean] {key} holds an empty string, which every line "
                          "matches (every post would be cut short or dropped as empty); "
                          "remove it")
    return values


def _string(data: dict[str, Any], section: str, key: str, where: str) -> str:
    value = data.get(section, {}).get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: [{section}] {key} must be a string")
    return value


def _number(data: dict[str, Any], section: str, key: str, where: str,
            low: float = -math.inf, high: float = math.inf) -> float:
    """A finite number between `low` and `high`; NaN and infinities are refused."""
    value = data.get(section, {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: [{section}] {key} must be a number, not {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ConfigError(f"{where}: [{section}] {key} must be a number from {low:g} to "
                          f"{high:g}, not {value!r}")
    return float(value)


def _flag(data: dict[str, Any], section: str, key: str, where: str) -> bool:
    value = data.get(section, {}).get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: [{section}] {key} must be true or false, not {value!r}")
    return value


def _positive_int(data: dict[str, Any], section: str, key: str, where: str,
                  high: int = 1_000_000_000) -> int:
    value = data.get(section, {}).get(key)
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or not 1 <= value <= high or value != int(value)):
        raise ConfigError(f"{where}: [{section}] {key} must be a whole number from 1 to "
                          f"{high:,}, not {value!r}")
    return int(value)


def _some_strings(data: dict[str, Any], section: str, key: str, where: str
                  ) -> tuple[str, ...]:
    """`_strings` that may not be empty (an empty list would match nothing, silently)."""
    value = _strings(data, section, key, where)
    if not value or not all(v.strip() for v in value):
        raise ConfigError(f"{where}: [{section}] {key} must name at least one field, and "
                          "no empty name")
    return value


_TAG_LABELS = {"pos": "positive", "positive": "positive", "neg": "negative",
               "negative": "negative", "neu": "neutral", "neutral": "neutral"}


def _tag_values(data: dict[str, Any], where: str) -> dict[str, str]:
    value = data.get("input", {}).get("tag_values", {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [input] tag_values must be a table, e.g. "
                          '{ Bullish = "pos", Bearish = "neg" }')
    out = {}
    for key, label in value.items():
        if not isinstance(label, str) or label.casefold() not in _TAG_LABELS:
            raise ConfigError(f"{where}: [input] tag_values.{key} must be pos, neg or neu, "
                              f"not {label!r}")
        out[key.casefold()] = _TAG_LABELS[label.casefold()]
    return out


def _numeric_market(data: dict[str, Any], where: str) -> str:
    # A market no listing carries would make every bare numeric cashtag ($2382) find nothing.
    value = _string(data, "extract", "numeric_market", where)
    from tracker.extract.markets import NUMERIC_MARKETS

    market = normalise_market(value)
    if market not in NUMERIC_MARKETS:
        raise ConfigError(f"{where}: [extract] numeric_market {value!r} is not a market "
                          f"tracker knows for numeric codes; use one of "
                          f"{', '.join(NUMERIC_MARKETS)}")
    return market


def _date_order(data: dict[str, Any], where: str) -> str:
    from tracker.extract.dates import DATE_ORDERS

    value = _string(data, "input", "date_order", where)
    if value not in DATE_ORDERS:
        raise ConfigError(f"{where}: [input] date_order {value!r} is not an order tracker "
                          f"knows; use one of {', '.join(DATE_ORDERS)}")
    return value


def _report_table(item: dict[str, Any], where: str, index: int) -> ReportTable:
    # Only the values: the schema has checked the entry's keys and the kinds of its values.
    label = f"[reports] tables[{index}]"
    file = item.get("file")
    by = item.get("by", "ticker")
    freq = item.get("freq", "D")
    formats = item.get("formats", ["csv"])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(file, str) or not file or "/" in file or file.startswith("."):
        raise ConfigError(f"{where}: {label} file must be a plain file name")
    if by not in ("ticker", "group"):
        raise ConfigError(f"{where}: {label} by must be ticker or group")
    if freq not in FREQS:
        raise ConfigError(f"{where}: {label} freq must be one of {', '.join(FREQS)}")
    if not formats or any(f not in FORMATS for f in formats):
        raise ConfigError(f"{where}: {label} formats must be some of {', '.join(FORMATS)}")
    return ReportTable(file, by, freq, tuple(formats))


def _report_tables(items: list[dict[str, Any]], where: str) -> tuple[ReportTable, ...]:
    """[reports] tables, each file of which belongs to one table: two tables writing one
    file left one of them never written (refresh rewrites only a file older than the data,
    and the second found it new), without a word."""
    tables = tuple(_report_table(t, where, i) for i, t in enumerate(items))
    owner: dict[str, int] = {}
    for index, table in enumerate(tables):
        for fmt in table.formats:
            # Casefolded: on macOS and Windows "Daily.csv" and "daily.csv" are one file.
            name = f"{table.file}.{fmt}".casefold()
            if name in owner:
                raise ConfigError(f"{where}: [reports] tables[{index}] writes {table.file}.{fmt}, "
                                  f"as tables[{owner[name]}] does; give each table its own file")
            owner[name] = index
    return tables


def _whole(data: dict[str, Any], section: str, key: str, where: str) -> int:
    value = data.get(section, {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: [{section}] {key} must be a positive whole number")
    return value


def _source_patterns(data: dict[str, Any], key: str, base: Path, where: str
                     ) -> tuple[str, ...]:
    """[input] `key`'s path patterns as written, then each taken from `base` as every other
    path in the file: as written they match a source named relative to the working folder
    (`tracker ingest feeds/a.jsonl` run beside the config), taken from `base` they match the
    absolute paths refresh reads, whatever the working folder."""
    written = _strings(data, "input", key, where)
    return tuple(dict.fromkeys(written + tuple(str(_resolve(base, p)) for p in written)))


def _check_reports_folder(sources: SourcesConfig, folder: Path, where: str) -> None:
    """Refresh never reads what lies in its reports folder (its own reports are no posts):
    a [sources] path in it, or the folder itself (`folder = ""` or `"."` beside `paths =
    ["in"]`), was read as nothing at all, its posts counted missing, and `refresh --prune`
    deleted every one of them without a word."""
    reports = os.path.abspath(folder)
    roots = [*sources.paths, *(glob_root(g) for g in sources.globs)]
    for root in roots:
        path = os.path.abspath(root)
        if within(path, reports):
            where_it_is = "is" if path == reports else f"{reports} holds"
            raise ConfigError(
                f"{where}: [reports] folder {where_it_is} the [sources] path {root}; refresh "
                "never reads its reports folder, so those posts would count as missing (and "
                "refresh --prune would delete them): give the reports a folder of their own, "
                'e.g. folder = "reports"')


def within(path: str, folder: str) -> bool:
    """Whether absolute path `path` is `folder` or lies under it (compared as written,
    symlinks not resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def glob_root(pattern: str) -> Path:
    """The folder a glob pattern starts from: its parts before the first wildcard."""
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    return Path(*parts[:fixed]) if fixed else Path(".")


def _refresh_sections(data: dict[str, Any], base: Path, where: str
                      ) -> tuple[SourcesConfig, RefreshConfig, ReportsConfig]:
    """[sources], [refresh] and [reports]; relative paths are taken from `base`."""
    stale = data.get("refresh", {}).get("stale_after")
    if (isinstance(stale, bool) or not isinstance(stale, int | float)
            or not 0 < stale < 24 * 365 * 100):
        raise ConfigError(f"{where}: [refresh] stale_after must be a positive number of hours, "
                          f"not {stale!r}")
    folder = _string(data, "reports", "folder", where)
    tables = data.get("reports", {}).get("tables", [])
    sources = SourcesConfig(
        paths=tuple(_resolve(base, p) for p in _strings(data, "sources", "paths", where)),
        globs=tuple(str(_resolve(base, g)) for g in _strings(data, "sources", "globs", where)),
    )
    _check_reports_folder(sources, _resolve(base, folder), where)
    return (
        sources,
        RefreshConfig(batch_size=_whole(data, "refresh", "batch_size", where),
                      stale_after=float(stale) * 3600),
        ReportsConfig(
            folder=_resolve(base, folder),
            tables=_report_tables(tables, where),
            sql_threshold=_whole(data, "reports", "sql_threshold", where),
        ),
    )


def _securities(data: dict[str, Any], base: Path, where: str) -> SecuritiesConfig:
    """[securities], its file read now so that a missing file or a bad row is a config error
    at start-up; a row or entry may name the packaged groups and those of [groups]."""
    section = data.get("securities", {})
    vocabulary = SECURITY_GROUPS + tuple(g for g in data.get("groups", {})
                                         if g not in SECURITY_GROUPS)
    name = _string(data, "securities", "file", where)
    file = _resolve(base, name) if name else None
    rows: tuple[Security, ...] = ()
    if file is not None:
        try:
            text = file.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise ConfigError(f"{where}: [securities] file: cannot read {file}: {reason}"
                              ) from exc
        rows = tuple(read_securities_csv(text, str(file), vocabulary))
    edits = tuple(read_security_edit(entry, vocabulary, f"{where}: [[securities.add]] #{i}")
                  for i, entry in enumerate(section.get("add", []), start=1))
    return SecuritiesConfig(universe=_flag(data, "securities", "universe", where), file=file,
                            rows=rows, edits=edits)


def load_config(path: str | Path | None = None, *, db_url: str | None = None) -> Config:
    """Read `path` (default ./config.toml, which may be absent) over the packaged defaults."""
    # A Python caller's mistakes, named here rather than by pathlib or as a config key.
    if path is not None and not isinstance(path, str | Path):
        raise TypeError(f"load_config() takes the config file's path as a str or Path, not "
                        f"{type(path).__name__}")
    if db_url is not None and not isinstance(db_url, str):
        raise TypeError(f"load_config() takes db_url as a str, not {type(db_url).__name__}")
    explicit = path is not None
    cfg_path = Path(path) if path is not None else Path(DEFAULT_CONFIG_NAME)
    user: dict[str, Any] = {}
    if cfg_path.is_file():
        try:
            # utf-8-sig: Windows Notepad long saved "UTF-8" with a byte-order mark, which
            # TOML refuses as "Invalid statement (at line 1, column 1)".
            user = tomllib.loads(cfg_path.read_text("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg_path}: not valid TOML: {exc}") from exc
        except OSError as exc:  # a file its user may not read: a PermissionError, not this
            raise ConfigError(f"{cfg_path}: cannot read the config file: "
                              f"{exc.strerror or exc}") from exc
        check_config(user, str(cfg_path))
    elif explicit and cfg_path.is_dir():
        raise ConfigError(f"{cfg_path}: a folder, not a config file; name the file "
                          f"(e.g. {cfg_path / DEFAULT_CONFIG_NAME})")
    elif explicit and cfg_path.exists():
        # /dev/null or a pipe (`--config <(...)`): not read, since the paths in a config,
        # and the database beside it by default, are taken from its folder (/dev).
        raise ConfigError(f"{cfg_path}: not a regular file; give a config file (the paths "
                          "in it are taken from its folder)")
    elif explicit:
        raise ConfigError(f"{cfg_path}: config file not found")
    data = _merge(_defaults(), user)
    where = str(cfg_path)

    # Here, not with the module: `tracker -h` loads no stage of the pipeline (the store).
    from tracker.store.url import earlier_file, sqlite_url

    # --db wins over TRACKER_DB_URL, which wins over the config file.
    url = db_url or os.environ.get("TRACKER_DB_URL") or data.get("database", {}).get("url") or ""
    if not isinstance(url, str):
        raise ConfigError(f"{where}: [database] url must be a string")
    db_file = None
    if not url:
        # The database lives beside the config so that one folder holds one tracker's state.
        db_file = cfg_path.resolve().parent / DEFAULT_DB_NAME
    elif "://" not in url:
        # A plain path is a SQLite file: from --db or TRACKER_DB_URL relative to the working
        # folder, from the config file relative to the config's folder.
        base = Path.cwd() if (db_url or os.environ.get("TRACKER_DB_URL")) else \
            cfg_path.resolve().parent
        db_file = _resolve(base, url)
    if db_file is not None:
        old = earlier_file(db_file)
        if old is not None:
            raise ConfigError(f"{db_file}: no database yet, but {old} is where earlier "
                              "versions of tracker stored this path's posts (they read `%` "
                              f"and `?` in it as a URL does); rename {old} to {db_file} to "
                              "go on with it")
        url = sqlite_url(db_file)

    tz_name = data.get("dates", {}).get("timezone", "UTC")
    try:
        tz = ZoneInfo(str(tz_name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{where}: [dates] timezone {tz_name!r} is not a known time zone"
                          ) from exc

    groups = data.get("groups", {})
    if not isinstance(groups, dict):
        raise ConfigError(f"{where}: [groups] must be a table of group = [keywords]")
    odd_group = next((name for name in groups
                      if not name.strip() or set(name) & set(LIST_SEPARATORS + ";")), None)
    if odd_group is not None:
        # `""` was taken as written: `--groups ""` is no filter, so it could never be picked
        # out; a comma splits `--groups` (`，` and `、` too, as a Chinese input method types
        # them), and a mention's groups are stored joined by `;`.
        raise ConfigError(f"{where}: [groups] group name {odd_group!r} must hold a letter or "
                          "digit and no comma or semicolon")
    group_keywords = {name: _strings(data, "groups", name, where) for name in groups}

    sent = data.get("sentiment", {})
    # Imported here: the sentiment package imports this module for SentimentConfig.
    from tracker.sentiment.lexicon import read_user_lexicon

    lexicons: dict[str, Path | None] = {}
    for key in ("en_lexicon", "zh_lexicon"):
        value = sent.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(f"{where}: [sentiment] {key} must be a path string")
        lexicon = _resolve(cfg_path.resolve().parent, value) if value else None
        if lexicon is not None:
            # Read now, so that a missing file or a bad line is a config error at start-up,
            # not a failure of every post the run reads.
            read_user_lexicon(lexicon)
        lexicons[key] = lexicon
    sentiment = SentimentConfig(
        scorer=str(sent.get("scorer", "default")),
        positive=_number(data, "sentiment", "positive", where, -10, 10),
        negative=_number(data, "sentiment", "negative", where, -10, 10),
        en_lexicon=lexicons["en_lexicon"],
        zh_lexicon=lexicons["zh_lexicon"],
    )
    # Imported here: the sentiment package imports this module for SentimentConfig.
    from tracker.sentiment.registry import scorer_names

    names = scorer_names()
    if sentiment.scorer not in names:
        raise ConfigError(
            f"{where}: [sentiment] scorer must be {', '.join(names[:-1])} or {names[-1]}, "
            f"not {sentiment.scorer!r}"
        )
    if sentiment.negative > sentiment.positive:
        raise ConfigError(f"{where}: [sentiment] negative must not exceed positive")

    # Paths in a config file are relative to its folder.
    base = cfg_path.resolve().parent if cfg_path.is_file() else Path.cwd().resolve()
    sources, refresh, reports = _refresh_sections(data, base, where)
    return Config(
        path=cfg_path if cfg_path.is_file() else None,
        db_url=url,
        input=InputConfig(
            text_fields=_some_strings(data, "input", "text_fields", where),
            id_fields=_strings(data, "input", "id_fields", where),
            time_fields=_strings(data, "input", "time_fields", where),
            url_fields=_strings(data, "input", "url_fields", where),
            author_fields=_strings(data, "input", "author_fields", where),
            title_fields=_strings(data, "input", "title_fields", where),
            max_post_chars=_positive_int(data, "input", "max_post_chars", where),
            date_order=_date_order(data, where),
            tag_field=_string(data, "input", "tag_field", where),
            tag_values=_tag_values(data, where),
            news_sources=_source_patterns(data, "news_sources", base, where),
            social_sources=_source_patterns(data, "social_sources", base, where),
        ),
        clean=CleanConfig(
            drop_lines=_strings(data, "clean", "drop_lines", where),
            drop_line_prefixes=_markers(data, "drop_line_prefixes", where),
            drop_line_contains=_markers(data, "drop_line_contains", where),
            cut_after=_markers(data, "cut_after", where),
        ),
        numeric_market=_numeric_market(data, where),
        numeric_needs_hint=_flag(data, "extract", "numeric_needs_hint", where),
        timezone=tz,
        date_search_chars=_positive_int(data, "dates", "search_chars", where, 100_000),
        group_keywords=group_keywords,
        sentiment=sentiment,
        sources=sources,
        refresh=refresh,
        reports=reports,
        securities=_securities(data, base, where),
    )
