"""Trending tickers: this period's distinct voices against their trailing baseline.

The rule, also in docs/reports.md (the Markdown briefing):

- a ticker's *voices* in a period are the distinct authors of the posts that mention it; a
  post whose source gives no author counts as a voice of its own. One account posting fifty
  times is one voice.
- its *baseline* is the mean of its voices per period over the `BASELINE_PERIODS[freq]`
  periods before the current one (at least a week: 168 hours, 7 days, 4 weeks, 3 months),
  periods without mentions counting as 0.
- it is *trending* when it has at least `MIN_VOICES` voices now and at least `LIFT` times
  its baseline (a baseline under 1 counts as 1). Trending tickers are ranked by lift, then
  voices, then symbol.
- nothing is called trending unless the reported history covers the whole baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tracker.reports.spec import FREQS

BASELINE_PERIODS = {"H": 168, "D": 7, "W": 4, "M": 3}
MIN_VOICES = 3
LIFT = 2.0


@dataclass(frozen=True)
class Trend:
    """One trending ticker: voices now, its baseline, the lift, and this period's counts."""

    symbol: str
    voices: int
    baseline: float
    lift: float
    mentions: int
    posts: int


def voices(frame: pd.DataFrame) -> pd.Series:
    """Each mention's voice: its post's author, or the post itself when there is no author."""
    post_voice = "post:" + frame["post_id"].astype(str)
    if "author" not in frame.columns:
        return post_voice
    author = frame["author"].fillna("").astype(str).str.strip()
    return ("author:" + author).where(author != "", post_voice)


def period_table(dated: pd.DataFrame) -> pd.DataFrame:
    """Per period and symbol of `dated` (mentions with `period` and `symbol` columns): its
    mentions, distinct posts, distinct voices and mean tone (SYMBOL_PERIOD_COLUMNS).

    The briefing reads only this table, never the mentions, so the database can hand it over
    instead (tracker.reports.briefing_sql)."""
    if dated.empty:
        return pd.DataFrame(columns=SYMBOL_PERIOD_COLUMNS)
    table = dated.assign(voice=voices(dated)).groupby(["period", "symbol"]).agg(
        mentions=("post_id", "size"), posts=("post_id", "nunique"),
        voices=("voice", "nunique"), tone=("tone", "mean"))
    return table.reset_index()[SYMBOL_PERIOD_COLUMNS]


SYMBOL_PERIOD_COLUMNS = ["period", "symbol", "mentions", "posts", "voices", "tone"]


def series(table: pd.DataFrame, periods: list[pd.Timestamp], value: str) -> pd.DataFrame:
    """One row per symbol, one column per period: `mentions`, `posts` or `voices` counts
    from a `period_table`."""
    if value not in ("mentions", "posts", "voices"):
        raise ValueError(f"unknown series value {value!r}")
    if table.empty:
        return pd.DataFrame(columns=periods, dtype=int)
    counts = table.pivot(index="symbol", columns="period", values=value)
    return counts.reindex(columns=periods).fillna(0).astype(int)


def has_baseline(history_start: pd.Timestamp, current: pd.Timestamp, freq: str) -> bool:
    """Whether the history starting at `history_start` covers the baseline before `current`."""
    needed = pd.Period(current, freq=FREQS[freq]) - BASELINE_PERIODS[freq]
    return history_start <= needed.start_time


def trending(table: pd.DataFrame, current: pd.Timestamp, freq: str) -> list[Trend]:
    """The trending tickers of period `current` in a `period_table`.

    The caller checks `has_baseline` first; periods before the history simply count as 0.
    """
    now = pd.Period(current, freq=FREQS[freq])
    base_periods = [(now - i).start_time for i in range(BASELINE_PERIODS[freq], 0, -1)]
    cols = [*base_periods, current]
    voice_table = series(table, cols, "voices")
    mentions = series(table, [current], "mentions")
    posts = series(table, [current], "posts")
    found = []
    for sym, row in voice_table.iterrows():
        now_voices = int(row[current])
        baseline = float(row[base_periods].mean())
        lift = now_voices / max(baseline, 1.0)
        if now_voices >= MIN_VOICES and lift >= LIFT:
            found.append(Trend(str(sym), now_voices, baseline, lift,
                               int(mentions.loc[sym, current]), int(posts.loc[sym, current])))
    found.sort(key=lambda t: (-t.lift, -t.voices, t.symbol))
    return found
