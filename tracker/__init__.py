"""tracker: which stocks people talk about, and in what tone, across English and Chinese posts.

The public API (docs/python-api.md)::

    import tracker
    post = tracker.analyze("$NVDA beats, great quarter")
    [(m.ticker, m.label) for m in post.mentions]        # [('NVDA', 'positive')]

`Analyzer` reads many posts with one loaded model; `open_store` opens a database that
`tracker ingest` filled; `report` returns the table `tracker report` renders, as a DataFrame.

Everything here is imported on first use, so that `import tracker` (and `tracker -h`) loads
neither pandas, SQLAlchemy nor the models.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from tracker.config import Config
    from tracker.extract.models import Post
    from tracker.ingest.analyze import Analyzer
    from tracker.reports.filters import MentionFilter
    from tracker.store.database import Store

__version__ = "0.1.0"

# Each public class's home; `tracker.X` imports it when first asked for (PEP 562).
_HOMES = {
    "Analyzer": "tracker.ingest.analyze",
    "Config": "tracker.config",
    "load_config": "tracker.config",
    "RawPost": "tracker.extract.models",
    "Post": "tracker.extract.models",
    "Mention": "tracker.extract.models",
    "Store": "tracker.store.database",
    "MentionFilter": "tracker.reports.filters",
    "TrackerError": "tracker.errors",
}

__all__ = [
    "Analyzer", "Config", "Mention", "MentionFilter", "Post", "RawPost", "Store",
    "TrackerError", "__version__", "analyze", "load_config", "open_store", "report",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tracker' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # The public API and the module's own dunders, not the names this file imports.
    return sorted({n for n in globals() if n.startswith("__")} | set(__all__))


def _config(config: Config | str | Path | None) -> Config:
    """A Config as given, or read from a path; None reads ./config.toml if present over
    the packaged defaults, as the command line does."""
    from tracker.config import Config, load_config

    if isinstance(config, Config):
        return config
    if config is not None and not isinstance(config, str | Path):
        # Else a TypeError from pathlib naming no argument.
        raise TypeError("config takes a tracker.Config, a config file's path or None, not "
                        f"{type(config).__name__}")
    return load_config(config)


# One Analyzer per config file (and its modification time), so that repeated calls to
# `analyze` load the securities and models once.
_analyzers: dict[tuple[str, float], Analyzer] = {}


def _analyzer(config: Config | str | Path | None) -> Analyzer:
    from tracker.config import Config
    from tracker.ingest.analyze import Analyzer

    if isinstance(config, Config):
        return Analyzer(config)
    cfg = _config(config)
    stamp = cfg.path.stat().st_mtime if cfg.path is not None and cfg.path.is_file() else 0.0
    key = (str(cfg.path.resolve()) if cfg.path is not None else "", stamp)
    if key not in _analyzers:
        _analyzers.clear()
        _analyzers[key] = Analyzer(cfg)
    return _analyzers[key]


def analyze(text: str, *, lang: str | None = None, published: datetime | date | str | None = None,
            config: Config | str | Path | None = None) -> Post | None:
    """Parse and score one post: its mentions (`.mentions`, each with `.tone` and `.label`),
    language, date and groups. None when nothing is left of it after cleaning.

    `lang` ("en", "zh") skips language detection; `published` dates the post (a datetime, a
    date or an ISO 8601 string), which also decides what a symbol meant on that day.
    `config` is a Config, a config file's path, or None for ./config.toml over the defaults.
    For many posts, an `Analyzer` scores them together, which is faster.
    """
    from tracker.errors import OptionsError
    from tracker.extract.dates import YEAR_MAX, YEAR_MIN, parse_date_field
    from tracker.extract.models import PYTHON_SOURCE, RawPost

    if not isinstance(text, str):
        raise TypeError(f"analyze() takes the post's text as a str, not {type(text).__name__}")
    analyzer = _analyzer(config)
    if published is not None and not isinstance(published, str | date):
        raise TypeError("analyze() takes published as a datetime, a date or an ISO 8601 str, "
                        f"not {type(published).__name__}")
    if isinstance(published, date) and not YEAR_MIN <= published.year <= YEAR_MAX:
        # Else "cannot read datetime.date(1, 1, 1) as a date", of a date.
        raise OptionsError(f"published: {published.isoformat()} is outside the years this "
                           f"tracker dates posts in ({YEAR_MIN} to {YEAR_MAX})")
    stamp = published.isoformat() if isinstance(published, date) else published
    if stamp is not None and parse_date_field(stamp, analyzer.cfg.timezone,
                                             analyzer.cfg.input.day_first) is None:
        # From a file, an unreadable date is a warning and the post is dated otherwise; a
        # caller who passed one wants to know.
        raise OptionsError(f"published: cannot read {published!r} as a date; give a datetime, "
                           "a date or an ISO 8601 string such as 2026-05-04T09:30:00+08:00")
    raw = RawPost(source=PYTHON_SOURCE, text=text, published_field=stamp, lang=lang)
    return analyzer.analyze(raw)


def open_store(url: str | None = None, *, config: Config | str | Path | None = None,
               create: bool = False) -> Store:
    """The database at `url` (a SQLAlchemy URL or a SQLite file's path), or the config's
    (TRACKER_DB_URL, [database] url, else tracker.db beside the config). It must exist
    unless `create`; close it with `.close()` or use it in a `with` block."""
    from tracker.config import load_config
    from tracker.store.database import Store

    if url is not None and not isinstance(url, str | Path):
        # Else "config.toml: [database] url must be a string", blaming a file never given.
        raise TypeError("open_store() takes url as a str (a database URL or a SQLite file's "
                        f"path), not {type(url).__name__}")
    if not isinstance(create, bool):
        # create="no" is a true value: the database it asked not to make would be made.
        raise TypeError(f"open_store() takes create as True or False, not "
                        f"{type(create).__name__} {create!r}")
    url = None if url is None else str(url)
    if url is not None and config is None:
        cfg = load_config(None, db_url=url)
    else:
        cfg = _config(config)
        if url is not None:
            cfg = load_config(cfg.path, db_url=url)
    return Store(cfg.db_url, create=create)


def report(store: Store | str | None = None, *, by: str = "ticker", freq: str = "D",
           since: date | str | None = None, until: date | str | None = None,
           shape: str = "long", measure: str = "mentions",
           filters: MentionFilter | Mapping[str, Any] | None = None,
           config: Config | str | Path | None = None) -> pd.DataFrame:
    """The table `tracker report --by BY --freq FREQ` renders, as a DataFrame: one row per
    period and ticker (or group) for the long shape, one column per key for the wide one.

    `store` is an open Store, a database URL or path, or None for the config's database;
    `since` and `until` are dates or ISO strings ("2026-05-04"), inclusive; `filters` a
    MentionFilter or a dict of its fields (tickers, groups, langs, ...), as `tracker
    report`'s options.
    """
    from tracker.reports.filters import MentionFilter
    from tracker.reports.report import report_frame
    from tracker.reports.spec import ReportSpec
    from tracker.store.database import Store

    cfg = _config(config)
    if filters is None:
        filters = MentionFilter()
    elif isinstance(filters, Mapping):
        names = {f.name for f in dataclasses.fields(MentionFilter)}
        unknown = [k for k in filters if k not in names]
        if unknown:
            raise TypeError(f"report() filters has no field {unknown[0]!r}; use "
                            f"{', '.join(sorted(names))}")
        filters = MentionFilter(**filters)
    elif not isinstance(filters, MentionFilter):
        raise TypeError("report() takes filters as a tracker.MentionFilter or a dict of its "
                        f"fields, not {type(filters).__name__}")
    spec = ReportSpec(by, freq, "csv", _day(since, "since"), _day(until, "until"), shape,
                      measure, filters=filters)
    if isinstance(store, Store):
        return report_frame(store, cfg, spec)
    opened = open_store(store, config=cfg)
    try:
        return report_frame(opened, cfg, spec)
    finally:
        opened.close()


def _day(value: date | str | None, name: str) -> date | None:
    """A report bound as a date: a date (a datetime's day), an ISO string, or None; within
    the days reports cover, as `tracker report --since/--until` checks."""
    from tracker.errors import OptionsError
    from tracker.reports.choices import FIRST_DAY, LAST_DAY

    if value is None:
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise OptionsError(f"{name}: cannot read {value!r} as a day; give a date or "
                               "YYYY-MM-DD") from None
    else:
        raise TypeError(f"report() takes {name} as a date or a str, not {type(value).__name__}")
    if not FIRST_DAY <= day <= LAST_DAY:
        # Else an OverflowError from inside the range code (until="9999-12-31").
        raise OptionsError(f"{name}: {day} is outside the days reports cover ({FIRST_DAY} to "
                           f"{LAST_DAY}); pick a day between them")
    return day
