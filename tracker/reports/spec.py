"""What a report is: its kinds, columns, title and notes, and when the database aggregates.

Both ways of building a report table (in memory, tracker.reports.aggregate; in the database,
tracker.reports.sqlaggregate) and both callers (`tracker report`, refresh's report files)
take these from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from tracker.errors import OptionsError
from tracker.extract.text.plural import counted

# The option values live in the pandas-free choices module (the CLI shows them in --help).
from tracker.reports.choices import (  # noqa: F401 (re-exported)
    DEFAULT_MEASURE,
    FORMATS,
    FREQ_NAMES,
    FREQS,
    MEASURES,
    SHAPES,
    SPANS,
    TABLES,
    TAG_SHARES,
    WIDE_TOP,
)
from tracker.reports.filters import MentionFilter

if TYPE_CHECKING:
    # Only for a type: a module that reads this one need not load pandas.
    import pandas as pd

# The author's own tag beside tracker's label (see [input] tag_field): mentions in posts
# their authors tagged, tagged positive, tagged negative, and whose tag equals the label.
TAG_COLUMNS = ["tagged", "tag_positive", "tag_negative", "tag_agree"]
TICKER_COLUMNS = ["period", "ticker", "market", "name", "mentions", "posts", "tone",
                  "positive", "negative", "neutral", *TAG_COLUMNS]
GROUP_COLUMNS = ["period", "group", "mentions", "posts", "tickers", "tone",
                 "positive", "negative", "neutral"]
TONE_NOTE = ("tone: mean mention tone, -1 (negative) to 1 (positive); "
             "positive/negative/neutral: mentions per label.")
TAG_NOTE = ("tagged: mentions in posts their authors tagged ([input] tag_field); "
            "tag_positive/tag_negative: by that tag; tag_agree: where the tag equals the label.")


@dataclass(frozen=True)
class ReportSpec:
    """What to report: table (None: ticker for CSV, the briefing for Markdown), period
    length, format, shape, measure of the wide shape, date range (inclusive days), filters,
    whether the CSV starts with a byte-order mark for Excel, the briefing's span (`latest`
    period or `all` of it) and how many keys the wide shape keeps before `other`."""

    by: str | None = None
    freq: str = "D"
    fmt: str = "csv"
    since: date | None = None
    until: date | None = None
    shape: str = "long"
    measure: str = DEFAULT_MEASURE
    excel: bool = False
    filters: MentionFilter = field(default_factory=MentionFilter)
    span: str = "latest"
    top: int = WIDE_TOP

    @property
    def is_briefing(self) -> bool:
        return self.fmt == "md" and self.by is None

    def check(self) -> None:
        """Raise OptionsError for a combination that has no meaning."""
        if self.by is not None and self.by not in TABLES:
            raise OptionsError(f"unknown table {self.by!r}; use one of {', '.join(TABLES)}")
        if self.fmt not in FORMATS:
            raise OptionsError(f"unknown format {self.fmt!r}; use {', '.join(FORMATS)}")
        if self.freq not in FREQS:
            raise OptionsError(f"unknown frequency {self.freq!r}; use one of {', '.join(FREQS)}")
        if self.shape not in SHAPES:
            raise OptionsError(f"unknown shape {self.shape!r}; use {' or '.join(SHAPES)}")
        if self.measure not in MEASURES:
            raise OptionsError(f"unknown measure {self.measure!r}; use one of "
                               f"{', '.join(MEASURES)}")
        if self.shape != "wide" and self.measure != DEFAULT_MEASURE:
            # The CLI refuses --measure on a long table; report(measure="tone") gave the long
            # table, every measure in it, as if the argument were not there.
            raise OptionsError(f"measure {self.measure!r} shapes the wide table's columns; "
                               "ask for the wide shape with it")
        if self.measure in TAG_SHARES and (self.by or "ticker") != "ticker":
            raise OptionsError(f"--measure {self.measure} is per ticker; use --by ticker")
        if self.excel and self.fmt != "csv":
            raise OptionsError("--excel applies to CSV output; drop it or use --format csv")
        if self.is_briefing and self.shape != "long":
            raise OptionsError("the briefing has one shape; use --by ticker or --by group "
                               "with --shape wide")
        if self.span not in SPANS:
            raise OptionsError(f"unknown span {self.span!r}; use one of {', '.join(SPANS)}")
        if self.top < 1:
            raise OptionsError(f"--top must be 1 or more, not {self.top}")
        check_range(self.since, self.until)


def check_range(since: date | None, until: date | None) -> None:
    """Raise OptionsError for a range that ends before it starts."""
    if since and until and since > until:
        raise OptionsError(f"--since {since} is after --until {until}")


def title(spec: ReportSpec, table: pd.DataFrame) -> str:
    """The Markdown table's heading: what, how often, and the days it covers."""
    import pandas as pd

    text = f"Mentions by {spec.by}, {FREQ_NAMES[spec.freq]}"
    if spec.shape == "wide":
        text += f" ({spec.measure} per period)"
    first = spec.since or (table["period"].min().date() if not table.empty else None)
    # The last day of the last period: a week titled by its first day reads as ending there.
    last = spec.until or (pd.Period(table["period"].max(), freq=FREQS[spec.freq]).end_time.date()
                          if not table.empty else None)
    if first and last:
        text += f", {first.isoformat()} to {last.isoformat()}"
    return text


def notes(spec: ReportSpec, stats: Mapping[str, int], tags: bool = True) -> list[str]:
    """The lines under the Markdown table. `stats`: mentions, posts, from_file (posts dated
    by their file's time) and undated, as counted for the report; `tags`: whether the
    table shows the tag columns."""
    filters = []
    if spec.since:
        filters.append(f"since {spec.since.isoformat()}")
    if spec.until:
        filters.append(f"until {spec.until.isoformat()}")
    filters += spec.filters.describe()
    lines = [f"Filters: {', '.join(filters) if filters else 'none'}."]
    if stats["mentions"]:
        lines.append(
            f"{counted(stats['mentions'], 'mention')} in {counted(stats['posts'], 'post')}; "
            f"{counted(stats['from_file'], 'post')} dated by their file's modification time; "
            f"{counted(stats['undated'], 'undated post')} left out.")
    lines.append(TONE_NOTE)
    if tags and spec.by == "ticker" and spec.shape == "long":
        lines.append(TAG_NOTE)
    return lines
