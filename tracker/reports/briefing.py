"""The Markdown briefing for one period: top tickers, groups, trending tickers, quotes.

`prepare_briefing` turns a (filtered) mentions frame into a `Briefing` - the period, its
history window and the tables - and `render_briefing` writes it as Markdown. Both are pure:
frame in, text out; the report layer reads the store and writes the files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import PurePath

import pandas as pd

from tracker.reports.aggregate import symbol
from tracker.reports.briefing_tables import (
    also_mentioned,
    group_rows,
    quote_rows,
    ticker_rows,
    trend_rows,
)
from tracker.reports.render import escape_md, period_label
from tracker.reports.spec import FREQS, SPANS
from tracker.reports.trends import BASELINE_PERIODS, LIFT, MIN_VOICES, has_baseline, trending

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
class Briefing:
    """A briefing's data: the window of mentions and the periods it covers."""

    spec: BriefingSpec
    tz_name: str
    window: pd.DataFrame
    periods: list[pd.Timestamp]
    undated_posts: int
    top_symbols: list[str] = field(default_factory=list)
    # The `freq` periods a chart of this briefing shows: the last SPARK_POINTS that hold
    # data, within the history.
    chart_periods: list[pd.Timestamp] = field(default_factory=list)
    # Posts of the briefed period that named no ticker (`post_range`), when counted: the
    # mentions frame cannot see them, so the report layer counts them in the store.
    silent_posts: int | None = None

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


def plural(count: int, word: str) -> str:
    """`1 post`, `2 posts`, `0 posts`: the count and the word in the form it takes."""
    return f"{count} {word if count == 1 else word + 's'}"


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


def prepare_briefing(frame: pd.DataFrame, spec: BriefingSpec, tz: tzinfo,
                     extent: tuple[pd.Timestamp | None, pd.Timestamp | None] | None = None,
                     undated: int | None = None) -> Briefing:
    """The briefing's window: dated mentions from the history start to the end of `until`.

    `frame` may hold only the history's mentions when the caller knows the `extent` of all
    of them - the first and last dated mention (local) before the end of `until` - and the
    count of `undated` posts (the report layer asks the database); else both come from
    `frame`, which must then hold every mention the briefing may count.
    """
    if spec.freq not in FREQS:
        raise ValueError(f"unknown frequency {spec.freq!r}; use one of {', '.join(FREQS)}")
    if spec.span not in SPANS:
        raise ValueError(f"unknown span {spec.span!r}; use one of {', '.join(SPANS)}")
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
    if end is None or first is None:
        return Briefing(spec, str(tz), dated.assign(period=pd.NaT, symbol=""), [], undated)
    offset = FREQS[spec.freq]
    current = pd.Period(end - pd.Timedelta(microseconds=1), freq=offset)
    start = history_start(spec, end, first)
    window = dated[(dated["local"] >= start) & (dated["local"] < end)].copy()
    window["period"] = window["local"].dt.to_period(offset).dt.start_time
    window["market"] = window["market"].astype(object).where(window["market"].notna(), None)
    window["name"] = window["name"].astype(object).where(window["name"].notna(), None)
    window["symbol"] = [symbol(t, m) for t, m in zip(window["ticker"], window["market"],
                                                      strict=True)]
    periods = list(pd.period_range(pd.Period(start, freq=offset), current,
                                   freq=offset).start_time)
    with_data = sorted(set(window["period"]))
    chart_periods = [p for p in periods if p >= with_data[-SPARK_POINTS:][0]] if with_data else []
    if spec.span == "all":
        # One period, the whole span: every table below counts all of it.
        periods = [pd.Timestamp(start)]
        window["period"] = periods[0]
    briefing = Briefing(spec, str(tz), window, periods, undated, chart_periods=chart_periods)
    rows = ticker_rows(briefing.window, briefing.periods, spec.min_mentions, spec.top,
                       SPARK_POINTS)
    return Briefing(spec, str(tz), window, periods, undated,
                    [str(r["symbol"]) for r in rows], chart_periods)


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
    window = briefing.window
    first = window["local"].min() if not window.empty else briefing.current
    last = window["local"].max() if not window.empty else briefing.current
    if briefing.whole:
        this = "in this span"
        days = len({d.date() for d in window["local"]})
        lines = [f"# Briefing: {first:%Y-%m-%d} to {last:%Y-%m-%d}", "",
                 f"Every dated post from {first:%Y-%m-%d} to {last:%Y-%m-%d} ({days} days "
                 f"with posts). Times in {briefing.tz_name}.  "]
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
                 f"{_period_end(current, freq):%Y-%m-%d} ({len(briefing.periods)} "
                 f"{word}s).  "]
    now = window[window["period"] == briefing.current]
    filters = "; ".join(escape_md(f) for f in spec.filters) if spec.filters else "none"
    from_file = int(now.loc[now["published_from"] == "file", "post_id"].nunique()) \
        if "published_from" in now.columns else 0
    lines.append(f"Filters: {filters}.  ")
    by_file = f" ({from_file} dated by their file's time)" if from_file else ""
    silent = (f"; {plural(briefing.silent_posts, 'post')} named no ticker"
              if briefing.silent_posts is not None else "")
    lines.append(f"{this.capitalize()}: {plural(len(now), 'mention')} of "
                 f"{plural(now['symbol'].nunique(), 'ticker')} in "
                 f"{plural(now['post_id'].nunique(), 'post')}{by_file}{silent}; "
                 f"{plural(briefing.undated_posts, 'undated post')} left out.")
    return lines, this


def render_briefing(briefing: Briefing, charts: Mapping[str, str] | None = None) -> str:
    """The briefing as Markdown; `charts` maps a caption to a chart's relative path."""
    spec = briefing.spec
    word = PERIOD_WORDS[spec.freq]
    if not briefing.periods:
        return "# Briefing\n\nNo dated mentions to report.\n"
    current, previous = briefing.current, briefing.previous
    now = briefing.window[briefing.window["period"] == current]
    lines, this = _header(briefing)
    lines += ["", "## Most mentioned", ""]
    rows = ticker_rows(briefing.window, briefing.periods, spec.min_mentions, spec.top,
                       SPARK_POINTS)
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
             "tone vs prev", f"last {min(SPARK_POINTS, len(briefing.periods))} {word}s"],
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
    also, more = also_mentioned(briefing.window, current, [r["symbol"] for r in rows],
                                spec.min_mentions)
    if also:
        lines += ["", f"Also mentioned {this}: " + ", ".join(escape_md(a) for a in also)
                  + (f", and {plural(more, 'more ticker')}." if more else ".")]
    lines += ["", "## Groups", ""]
    groups = group_rows(briefing.window, current, previous, spec.group_order,
                        spec.min_mentions)
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
    quotes = quote_rows(now, briefing.top_symbols[:spec.quotes])
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
    found = [t for t in trending(briefing.window, briefing.current, spec.freq)
             if t.mentions >= spec.min_mentions]
    if not found:
        return ["No ticker is trending.", "", rule]
    names = briefing.window.groupby("symbol")["name"].first()
    rows = trend_rows(found, names)
    return [*_table(["ticker", "name", "authors", "baseline", "lift", "mentions", "posts"],
                    "llrrrrr", [[escape_md(r["symbol"]), escape_md(r["name"]), r["authors"],
                                 r["baseline"], r["lift"], r["mentions"], r["posts"]]
                                for r in rows]), "", rule]
