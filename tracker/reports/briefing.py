"""The Markdown briefing for one period: top tickers, groups, trending tickers, quotes.

`prepare_briefing` turns a (filtered) mentions frame into a `Briefing` - the period, its
history, the counts per period its tables read (`BriefingCounts`) and their rows - and
`render_briefing` writes it as Markdown. Both are pure: frame in, text out; the report layer
reads the store and writes the files. `briefing_sql` builds the same `Briefing` from
the database's aggregates, without reading the mentions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import PurePath

import pandas as pd

from tracker.extract.text.plural import counted
from tracker.reports.aggregate import build_table, symbol
from tracker.reports.briefing_tables import (
    also_mentioned,
    group_rows,
    group_tables,
    quote_rows,
    ticker_rows,
    top_symbols,
    trend_rows,
)
from tracker.reports.render import escape_md, period_label
from tracker.reports.spec import FREQS, SPANS
from tracker.reports.trends import (
    BASELINE_PERIODS,
    LIFT,
    MIN_VOICES,
    Trend,
    has_baseline,
    period_table,
    trending,
)

TOP_TICKERS = 10
QUOTE_TICKERS = 5
SPARK_POINTS = 12
PERIOD_WORDS = {"H": "hour", "D": "day", "W": "week", "M": "month"}


@dataclass(frozen=True)
class BriefingSpec:
    """Which period to brief on and how much to show.

    With `span="latest"` the briefing's period is the `freq` period holding `until`
    (default: the latest mention); its history starts at `since` (default: far enough back
    for the trend baseline and a sparkline of `SPARK_POINTS` periods), and never before the
    first dated mention, so no baseline or sparkline counts periods the data does not cover.
    With `span="all"` the period is the whole history, from `since` (default: the first
    dated mention) to `until`; `freq` then only sets the charts' periods.
    """

    freq: str = "D"
    span: str = "latest"
    since: date | None = None
    until: date | None = None
    min_mentions: int = 0
    top: int = TOP_TICKERS
    quotes: int = QUOTE_TICKERS
    group_order: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefingCounts:
    """What a briefing's tables read: counts per period, none of them growing with the
    number of mentions, so the database can compute them as well as pandas can."""

    # Per period and symbol of the history (trends.period_table).
    symbols: pd.DataFrame
    # Per group of the current and previous periods, and per group and symbol of the
    # current one (briefing_tables.group_tables).
    groups: pd.DataFrame
    group_tops: pd.DataFrame
    # The current period's distinct posts, and those dated by their file's time.
    posts: int
    from_file: int
    # The first and last dated mention of the history (local) and its days with mentions.
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    days: int = 0


@dataclass(frozen=True)
class Briefing:
    """A briefing's data: the periods it covers, its counts and its tables' rows."""

    spec: BriefingSpec
    tz_name: str
    periods: list[pd.Timestamp]
    undated_posts: int
    counts: BriefingCounts | None = None
    rows: list[dict[str, str]] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    quotes: list[dict[str, str]] = field(default_factory=list)
    # The `freq` periods a chart of this briefing shows: the last SPARK_POINTS that hold
    # data, within the history.
    chart_periods: list[pd.Timestamp] = field(default_factory=list)
    # Posts of the briefed period that named no ticker (`post_range`), when counted: the
    # counts cannot see them, so the report layer counts them in the store.
    silent_posts: int | None = None
    # The long report table (`build_table` columns) of the history's mentions by "ticker"
    # or "group", for the briefing's charts: read only when a chart is drawn.
    chart_table: Callable[[str], pd.DataFrame] | None = field(default=None, compare=False,
                                                              repr=False)

    @property
    def top_symbols(self) -> list[str]:
        return [r["symbol"] for r in self.rows]

    @property
    def whole(self) -> bool:
        return self.spec.span == "all"

    @property
    def current(self) -> pd.Timestamp:
        return self.periods[-1]

    @property
    def previous(self) -> pd.Timestamp | None:
        return self.periods[-2] if len(self.periods) > 1 else None

    def post_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The local times [start, end) of the posts this briefing covers (None: open):
        the briefed period, or for the whole span the `since` and `until` days."""
        if self.whole or not self.periods:
            since, until = self.spec.since, self.spec.until
            return (pd.Timestamp(since) if since else None,
                    pd.Timestamp(until) + pd.Timedelta(days=1) if until else None)
        following = pd.Period(self.current, freq=FREQS[self.spec.freq]) + 1
        return self.current, following.start_time


def localize(local: pd.Timestamp, tz: tzinfo) -> pd.Timestamp:
    """A local wall-clock bound (a period's start or end) placed in `tz`: the earlier of a
    repeated hour, and for a time the clock skips (Santiago's midnight on the day its
    clocks go forward) the first one after, so [start, end) holds the same posts either
    way. pandas refuses both by default, and a briefing on such a day was a traceback."""
    return pd.Timestamp(local).tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


def _local(frame: pd.DataFrame, tz: tzinfo) -> pd.Series:
    return frame["published"].dt.tz_convert(tz).dt.tz_localize(None)


def history_end(spec: BriefingSpec, last: pd.Timestamp | None) -> pd.Timestamp | None:
    """The end (local, exclusive) of a briefing's history: the end of `until`, else just
    after `last`, the last dated mention (local); None when neither is known."""
    if spec.until is not None:
        return pd.Timestamp(datetime.combine(spec.until + timedelta(days=1), time()))
    if last is not None:
        return last + pd.Timedelta(microseconds=1)
    return None


def history_start(spec: BriefingSpec, end: pd.Timestamp, first: pd.Timestamp) -> pd.Timestamp:
    """The start (local) of a briefing's history ending at `end`, whose first dated mention
    before `end` is at `first` (local)."""
    offset = FREQS[spec.freq]
    current = pd.Period(end - pd.Timedelta(microseconds=1), freq=offset)
    # The data's own first period: history before it would be zeros the data never saw.
    data_start = pd.Period(first, freq=offset).start_time
    if spec.since is not None:
        return max(pd.Timestamp(spec.since), data_start)
    if spec.span == "all":
        return data_start
    back = max(SPARK_POINTS - 1, BASELINE_PERIODS[spec.freq])
    return max((current - back).start_time, data_start)


@dataclass(frozen=True)
class BriefingPlan:
    """Where a briefing's history lies: the local times [start, end) and the `freq`
    periods from the one holding `start` to the current one."""

    start: pd.Timestamp
    end: pd.Timestamp
    periods: list[pd.Timestamp]


def plan_briefing(spec: BriefingSpec, first: pd.Timestamp | None,
                  last: pd.Timestamp | None) -> BriefingPlan | None:
    """The history of a briefing whose data's first and last dated mentions (local, before
    the end of `until`) are `first` and `last`; None when there is nothing dated."""
    end = history_end(spec, last)
    if end is None or first is None:
        return None
    offset = FREQS[spec.freq]
    current = pd.Period(end - pd.Timedelta(microseconds=1), freq=offset)
    start = history_start(spec, end, first)
    if start >= end:
        # --since after the last dated mention: no period to brief, as for no data at all.
        return None
    periods = list(pd.period_range(pd.Period(start, freq=offset), current,
                                   freq=offset).start_time)
    return BriefingPlan(start, end, periods)


def briefed_periods(spec: BriefingSpec, plan: BriefingPlan) -> list[pd.Timestamp]:
    """The periods the briefing's tables count: the plan's, or for the whole span one
    period, its start, that every table counts all of the history in."""
    return [pd.Timestamp(plan.start)] if spec.span == "all" else plan.periods


def _check(spec: BriefingSpec) -> None:
    if spec.freq not in FREQS:
        raise ValueError(f"unknown frequency {spec.freq!r}; use one of {', '.join(FREQS)}")
    if spec.span not in SPANS:
        raise ValueError(f"unknown span {spec.span!r}; use one of {', '.join(SPANS)}")


def prepare_briefing(frame: pd.DataFrame, spec: BriefingSpec, tz: tzinfo,
                     extent: tuple[pd.Timestamp | None, pd.Timestamp | None] | None = None,
                     undated: int | None = None) -> Briefing:
    """The briefing of a mentions frame: dated mentions from the history start to the end
    of `until`, counted in memory (the database counts them itself in `briefing_sql`).

    `frame` may hold only the history's mentions when the caller knows the `extent` of all
    of them - the first and last dated mention (local) before the end of `until` - and the
    count of `undated` posts; else both come from `frame`, which must then hold every
    mention the briefing may count.
    """
    _check(spec)
    if undated is None:
        undated = int(frame.loc[frame["published"].isna(), "post_id"].nunique())
    dated = frame[frame["published"].notna()].copy()
    dated["local"] = _local(dated, tz)
    first, last = extent if extent is not None else (
        None, dated["local"].max() if not dated.empty else None)
    end = history_end(spec, last)
    if end is not None and extent is None:
        before_end = dated[dated["local"] < end]
        first = before_end["local"].min() if not before_end.empty else None
    plan = plan_briefing(spec, first, last)
    if plan is None:
        return Briefing(spec, str(tz), [], undated)
    window = dated[(dated["local"] >= plan.start) & (dated["local"] < plan.end)].copy()
    window["period"] = window["local"].dt.to_period(FREQS[spec.freq]).dt.start_time
    window["market"] = window["market"].astype(object).where(window["market"].notna(), None)
    window["name"] = window["name"].astype(object).where(window["name"].notna(), None)
    window["symbol"] = [symbol(t, m) for t, m in zip(window["ticker"], window["market"],
                                                      strict=True)]
    with_data = sorted(set(window["period"]))
    periods = briefed_periods(spec, plan)
    if spec.span == "all":
        window["period"] = periods[0]
    current = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    now = window[window["period"] == current]
    groups, tops = group_tables(window, current, previous)
    from_file = int(now.loc[now["published_from"] == "file", "post_id"].nunique()) \
        if "published_from" in now.columns else 0
    counts = BriefingCounts(
        period_table(window), groups, tops, posts=int(now["post_id"].nunique()),
        from_file=from_file,
        first=window["local"].min() if not window.empty else None,
        last=window["local"].max() if not window.empty else None,
        days=len({d.date() for d in window["local"]}))
    names = window.groupby("symbol")["name"].first()
    briefing = finish_briefing(
        spec, tz, plan, undated, counts, with_data,
        lambda wanted: {s: str(names[s]) for s in wanted if s in names and pd.notna(names[s])},
        lambda wanted: quote_rows(now, wanted))
    return replace(briefing, chart_table=lambda by: build_table(window, by, spec.freq, tz,
                                                                 wall_clock=True))


def finish_briefing(spec: BriefingSpec, tz: tzinfo, plan: BriefingPlan, undated: int,
                    counts: BriefingCounts, with_data: Sequence[pd.Timestamp],
                    names_of: Callable[[list[str]], dict[str, str]],
                    quotes_of: Callable[[list[str]], list[dict[str, str]]]) -> Briefing:
    """The briefing's rows from its `counts`: `with_data` are the `freq` periods of the
    history holding mentions; `names_of` gives the first name of each symbol asked for and
    `quotes_of` the quotes of the top symbols (`quote_rows`), so only those are read."""
    periods = briefed_periods(spec, plan)
    with_data = sorted(with_data)
    chart_periods = [p for p in plan.periods if p >= with_data[-SPARK_POINTS:][0]] \
        if with_data else []
    current = periods[-1]
    order = top_symbols(counts.symbols, periods, spec.min_mentions, spec.top)
    trends: list[Trend] = []
    if spec.span != "all" and has_baseline(periods[0], current, spec.freq):
        trends = [t for t in trending(counts.symbols, current, spec.freq)
                  if t.mentions >= spec.min_mentions]
    names = names_of(list(dict.fromkeys([*order, *(t.symbol for t in trends)])))
    rows = ticker_rows(counts.symbols, periods, spec.min_mentions, spec.top, SPARK_POINTS,
                       names)
    return Briefing(spec, str(tz), periods, undated, counts, rows, trends, names,
                    quotes_of(order[:spec.quotes]), chart_periods)


def _period_end(start: pd.Timestamp, freq: str) -> pd.Timestamp:
    return pd.Period(start, freq=FREQS[freq]).end_time.floor("min")


def _span(start: pd.Timestamp, freq: str) -> str:
    last = _period_end(start, freq)
    if freq == "H":
        return f"{start.strftime('%Y-%m-%d %H:%M')} to {last.strftime('%H:%M')}"
    if freq == "D":
        return start.strftime("%Y-%m-%d")
    return f"{start.strftime('%Y-%m-%d')} to {last.strftime('%Y-%m-%d')}"


def _table(header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _header(briefing: Briefing) -> tuple[list[str], str]:
    """The title and summary lines, and the phrase naming the briefed period ("this day")."""
    spec, freq, word = briefing.spec, briefing.spec.freq, PERIOD_WORDS[briefing.spec.freq]
    counts = briefing.counts
    assert counts is not None  # a briefing with periods has its counts
    if briefing.whole:
        this = "in this span"
        first = counts.first if counts.first is not None else briefing.current
        last = counts.last if counts.last is not None else briefing.current
        lines = [f"# Briefing: {first:%Y-%m-%d} to {last:%Y-%m-%d}", "",
                 f"Every dated post from {first:%Y-%m-%d} to {last:%Y-%m-%d} "
                 f"({counted(counts.days, 'day')} with posts). Times in {briefing.tz_name}.  "]
    else:
        this = f"this {word}"
        current, previous = briefing.current, briefing.previous
        compared = (f", compared with the {word} before ({_span(previous, freq)})"
                    if previous is not None else "; no earlier period in the history")
        week = "week " if freq == "W" else ""
        lines = [f"# Briefing: {week}{period_label(current, freq)}", "",
                 f"{word.capitalize()} {_span(current, freq)}{compared}. Times in "
                 f"{briefing.tz_name}.  ",
                 f"History for trends and sparklines: {briefing.periods[0]:%Y-%m-%d} to "
                 f"{_period_end(current, freq):%Y-%m-%d} "
                 f"({counted(len(briefing.periods), word)}).  "]
    now = counts.symbols[counts.symbols["period"] == briefing.current]
    filters = "; ".join(escape_md(f) for f in spec.filters) if spec.filters else "none"
    lines.append(f"Filters: {filters}.  ")
    by_file = f" ({counts.from_file} dated by their file's time)" if counts.from_file else ""
    silent = (f"; {counted(briefing.silent_posts, 'post')} named no ticker"
              if briefing.silent_posts is not None else "")
    lines.append(f"{this.capitalize()}: {counted(int(now['mentions'].sum()), 'mention')} of "
                 f"{counted(len(now), 'ticker')} in "
                 f"{counted(counts.posts, 'post')}{by_file}{silent}; "
                 f"{counted(briefing.undated_posts, 'undated post')} left out.")
    return lines, this


def render_briefing(briefing: Briefing, charts: Mapping[str, str] | None = None) -> str:
    """The briefing as Markdown; `charts` maps a caption to a chart's relative path."""
    spec = briefing.spec
    word = PERIOD_WORDS[spec.freq]
    if not briefing.periods:
        return "# Briefing\n\nNo dated mentions to report.\n"
    current, previous = briefing.current, briefing.previous
    counts = briefing.counts
    assert counts is not None  # a briefing with periods has its counts
    lines, this = _header(briefing)
    lines += ["", "## Most mentioned", ""]
    rows = briefing.rows
    if rows and briefing.whole:
        lines += _table(
            ["#", "ticker", "name", "mentions", "posts", "authors", "tone"], "lllrrrr",
            [[str(i), escape_md(r["symbol"]), escape_md(r["name"]), r["mentions"],
              r["posts"], r["authors"], r["tone"]] for i, r in enumerate(rows, 1)])
        lines += ["", "authors: distinct authors (a post without one counts once); tone: "
                  "mean mention tone, -1 to 1."]
    elif rows:
        lines += _table(
            ["#", "ticker", "name", "mentions", "vs prev", "posts", "authors", "tone",
             "tone vs prev", f"last {counted(min(SPARK_POINTS, len(briefing.periods)), word)}"],
            "lllrrrrrrl",
            [[str(i), escape_md(r["symbol"]), escape_md(r["name"]), r["mentions"], r["change"],
              r["posts"], r["authors"], r["tone"], r["tone_change"], r["spark"]]
             for i, r in enumerate(rows, 1)])
        lines += ["", "mentions and posts this " + word + "; vs prev: change against the "
                  "previous " + word + " (new: none then); authors: distinct authors (a post "
                  "without one counts once); tone: mean mention tone, -1 to 1; sparkline: "
                  "mentions per " + word + ", scaled to each ticker's peak."]
    else:
        lines.append(f"No ticker has enough mentions {this}.")
    also, more = also_mentioned(counts.symbols, current, briefing.top_symbols,
                                spec.min_mentions)
    if also:
        lines += ["", f"Also mentioned {this}: " + ", ".join(escape_md(a) for a in also)
                  + (f", and {counted(more, 'more ticker')}." if more else ".")]
    lines += ["", "## Groups", ""]
    groups = group_rows(counts.groups, counts.group_tops, current, previous,
                        spec.group_order, spec.min_mentions)
    if groups:
        header, align = ["group", "mentions", "vs prev", "tickers", "tone", "top tickers"], \
            "lrrrrl"
        cells = [[escape_md(g["group"]), g["mentions"], g["change"], g["tickers"], g["tone"],
                  escape_md(g["top"])] for g in groups]
        if briefing.whole:
            header, align = header[:2] + header[3:], align[:2] + align[3:]
            cells = [c[:2] + c[3:] for c in cells]
        lines += _table(header, align, cells)
        lines += ["", "Groups named in [groups] of the configuration come first, in its order; "
                  "the others follow, most mentioned first. top tickers: the three most "
                  "mentioned in the group."]
    else:
        lines.append(f"No group has mentions {this}"
                     + ("." if briefing.whole else f" or the {word} before."))
    lines += ["", "## Trending", ""]
    lines += _trending_section(briefing)
    lines += ["", "## Quotes", ""]
    quotes = briefing.quotes
    if quotes:
        lines += _table(["ticker", "tone", "quote", "source", "author", "published"], "lrllll",
                        [[escape_md(q["symbol"]), q["tone"], escape_md(q["quote"]),
                          escape_md(q["source"]), escape_md(q["author"]), q["published"]]
                         for q in quotes])
        lines += ["", "The most positive (▲) and most negative (▼) scored mention of each "
                  f"top ticker {this}; a sentence repeated within a post counts once."]
    else:
        lines.append(f"No scored quotes {this}.")
    if charts:
        lines += ["", "## Charts", ""]
        for caption, path in charts.items():
            lines += [f"![{escape_md(caption)}]({PurePath(path).as_posix()})", ""]
        lines.pop()
    return "\n".join(lines) + "\n"


def _trending_section(briefing: Briefing) -> list[str]:
    spec, word = briefing.spec, PERIOD_WORDS[briefing.spec.freq]
    base = BASELINE_PERIODS[spec.freq]
    if briefing.whole:
        return [f"Trending compares one {word} with the {base} {word}s before it; this "
                "briefing covers the whole span at once, so it calls no trend (brief the "
                f"latest {word} with `--span latest`)."]
    rule = (f"Rule: at least {MIN_VOICES} distinct authors this {word} and at least "
            f"{LIFT:g} times their mean over the {base} {word}s before (a mean under 1 counts "
            "as 1); a post without an author counts as one author.")
    if not has_baseline(briefing.periods[0], briefing.current, spec.freq):
        needed = (pd.Period(briefing.current, freq=FREQS[spec.freq]) - base).start_time
        have = len(briefing.periods) - 1
        return [f"Not enough history to call a trend: the rule needs the {base} {word}s "
                f"before this one (history from {needed:%Y-%m-%d}); the data holds "
                f"{have} {word}{'' if have == 1 else 's'} before it, from "
                f"{briefing.periods[0]:%Y-%m-%d}.", "", rule]
    if not briefing.trends:
        return ["No ticker is trending.", "", rule]
    rows = trend_rows(briefing.trends, briefing.names)
    return [*_table(["ticker", "name", "authors", "baseline", "lift", "mentions", "posts"],
                    "llrrrrr", [[escape_md(r["symbol"]), escape_md(r["name"]), r["authors"],
                                 r["baseline"], r["lift"], r["mentions"], r["posts"]]
                                for r in rows]), "", rule]
