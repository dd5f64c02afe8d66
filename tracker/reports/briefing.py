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

from tracker.reports.aggregate import FREQS, symbol
from tracker.reports.briefing_tables import group_rows, quote_rows, ticker_rows, trend_rows
from tracker.reports.render import escape_md
from tracker.reports.trends import BASELINE_PERIODS, LIFT, MIN_VOICES, has_baseline, trending

TOP_TICKERS = 10
QUOTE_TICKERS = 5
SPARK_POINTS = 12
PERIOD_WORDS = {"H": "hour", "D": "day", "W": "week", "M": "month"}


@dataclass(frozen=True)
class BriefingSpec:
    """Which period to brief on and how much to show.

    The briefing's period is the `freq` period holding `until` (default: the latest
    mention); its history starts at `since` (default: far enough back for the trend
    baseline and a sparkline of `SPARK_POINTS` periods).
    """

    freq: str = "D"
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

    @property
    def current(self) -> pd.Timestamp:
        return self.periods[-1]

    @property
    def previous(self) -> pd.Timestamp | None:
        return self.periods[-2] if len(self.periods) > 1 else None


def _local(frame: pd.DataFrame, tz: tzinfo) -> pd.Series:
    return frame["published"].dt.tz_convert(tz).dt.tz_localize(None)


def prepare_briefing(frame: pd.DataFrame, spec: BriefingSpec, tz: tzinfo) -> Briefing:
    """The briefing's window: dated mentions from the history start to the end of `until`."""
    if spec.freq not in FREQS:
        raise ValueError(f"unknown frequency {spec.freq!r}; use one of {', '.join(FREQS)}")
    undated = int(frame.loc[frame["published"].isna(), "post_id"].nunique())
    dated = frame[frame["published"].notna()].copy()
    dated["local"] = _local(dated, tz)
    if spec.until is not None:
        end = pd.Timestamp(datetime.combine(spec.until + timedelta(days=1), time()))
    elif not dated.empty:
        end = dated["local"].max() + pd.Timedelta(microseconds=1)
    else:
        return Briefing(spec, str(tz), dated.assign(period=pd.NaT, symbol=""), [], undated)
    current = pd.Period(end - pd.Timedelta(microseconds=1), freq=FREQS[spec.freq])
    if spec.since is not None:
        start = pd.Timestamp(spec.since)
    else:
        back = max(SPARK_POINTS - 1, BASELINE_PERIODS[spec.freq])
        start = (current - back).start_time
    window = dated[(dated["local"] >= start) & (dated["local"] < end)].copy()
    window["period"] = window["local"].dt.to_period(FREQS[spec.freq]).dt.start_time
    window["market"] = window["market"].astype(object).where(window["market"].notna(), None)
    window["name"] = window["name"].astype(object).where(window["name"].notna(), None)
    window["symbol"] = [symbol(t, m) for t, m in zip(window["ticker"], window["market"],
                                                      strict=True)]
    first = pd.Period(start, freq=FREQS[spec.freq])
    periods = list(pd.period_range(first, current, freq=FREQS[spec.freq]).start_time)
    briefing = Briefing(spec, str(tz), window, periods, undated)
    rows = ticker_rows(briefing.window, briefing.periods, spec.min_mentions, spec.top,
                       SPARK_POINTS)
    return Briefing(spec, str(tz), window, periods, undated,
                    [str(r["symbol"]) for r in rows])


def period_label(start: pd.Timestamp, freq: str) -> str:
    """`2026-05-04` (day), `week of 2026-05-04`, `2026-05` (month), `2026-05-04 09:00`."""
    if freq == "H":
        return start.strftime("%Y-%m-%d %H:%M")
    if freq == "W":
        return f"week of {start.strftime('%Y-%m-%d')}"
    if freq == "M":
        return start.strftime("%Y-%m")
    return start.strftime("%Y-%m-%d")


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


def render_briefing(briefing: Briefing, charts: Mapping[str, str] | None = None) -> str:
    """The briefing as Markdown; `charts` maps a caption to a chart's relative path."""
    spec = briefing.spec
    freq, word = spec.freq, PERIOD_WORDS[spec.freq]
    if not briefing.periods:
        return "# Briefing\n\nNo dated mentions to report.\n"
    current, previous = briefing.current, briefing.previous
    now = briefing.window[briefing.window["period"] == current]
    lines = [f"# Briefing: {period_label(current, freq)}", ""]
    compared = (f", compared with the {word} before ({_span(previous, freq)})"
                if previous is not None else "; no earlier period in the history")
    lines.append(f"{word.capitalize()} {_span(current, freq)}{compared}. Times in "
                 f"{briefing.tz_name}.  ")
    first, last = briefing.periods[0], _period_end(current, freq)
    lines.append(f"History for trends and sparklines: {first.strftime('%Y-%m-%d')} to "
                 f"{last.strftime('%Y-%m-%d')} ({len(briefing.periods)} {word}s).  ")
    lines.append(f"Filters: {'; '.join(spec.filters) if spec.filters else 'none'}.  ")
    lines.append(f"This {word}: {len(now)} mentions of {now['symbol'].nunique()} tickers in "
                 f"{now['post_id'].nunique()} posts; {briefing.undated_posts} undated posts "
                 "left out.")
    lines += ["", "## Most mentioned", ""]
    rows = ticker_rows(briefing.window, briefing.periods, spec.min_mentions, spec.top,
                       SPARK_POINTS)
    if rows:
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
        lines.append(f"No ticker has enough mentions this {word}.")
    lines += ["", "## Groups", ""]
    groups = group_rows(briefing.window, current, previous, spec.group_order,
                        spec.min_mentions)
    if groups:
        lines += _table(["group", "mentions", "vs prev", "tickers", "tone", "top tickers"],
                        "lrrrrl", [[escape_md(g["group"]), g["mentions"], g["change"],
                                    g["tickers"], g["tone"], escape_md(g["top"])]
                                   for g in groups])
    else:
        lines.append(f"No group has mentions this {word} or the one before.")
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
                  "top ticker this " + word + "; a sentence repeated within a post counts "
                  "once."]
    else:
        lines.append(f"No scored quotes this {word}.")
    if charts:
        lines += ["", "## Charts", ""]
        for caption, path in charts.items():
            lines += [f"![{escape_md(caption)}]({PurePath(path).as_posix()})", ""]
        lines.pop()
    return "\n".join(lines) + "\n"


def _trending_section(briefing: Briefing) -> list[str]:
    spec, word = briefing.spec, PERIOD_WORDS[briefing.spec.freq]
    base = BASELINE_PERIODS[spec.freq]
    rule = (f"Rule: at least {MIN_VOICES} distinct authors this {word} and at least "
            f"{LIFT:g} times their mean over the {base} {word}s before (a mean under 1 counts "
            "as 1); a post without an author counts as one author.")
    if not has_baseline(briefing.periods[0], briefing.current, spec.freq):
        needed = (pd.Period(briefing.current, freq=FREQS[spec.freq]) - base).start_time
        return [f"Not enough history to call a trend: the rule needs the {base} {word}s "
                f"before this one (history from {needed.strftime('%Y-%m-%d')}).", "", rule]
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
