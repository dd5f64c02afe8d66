"""Pure functions: a mentions frame in, time-indexed tables per ticker or group out."""

from __future__ import annotations

from datetime import tzinfo

import pandas as pd

from tracker.errors import OptionsError
from tracker.extract.history import holder_mark
from tracker.reports.spec import (
    FREQS,
    GROUP_COLUMNS,
    MEASURES,
    TAG_COLUMNS,
    TAG_SHARES,
    TICKER_COLUMNS,
)


def hour_starts(published: pd.Series, tz: tzinfo) -> pd.Series:
    """The start of each time's local hour, in `tz` with its UTC offset: the hour a
    fall-back repeats is two hours (01:00-04:00 and 01:00-05:00 in New York), where local
    wall-clock starts made one row of both."""
    local = published.dt.tz_convert(tz)
    wall = local.dt.tz_localize(None)
    # Into the hour by the local clock: right in zones offset by half hours too.
    return (published - (wall - wall.dt.floor("h"))).dt.tz_convert(tz)


def with_period(frame: pd.DataFrame, freq: str, tz: tzinfo, *,
                wall_clock: bool = False) -> pd.DataFrame:
    """`frame` restricted to dated mentions, with a `period` column: the local period start.

    Weeks start on Monday; periods are computed in `tz`, so a post at 23:30 local time
    counts on its local day. Days, weeks and months start at a naive local time; hours at
    an aware one (`hour_starts`), unless `wall_clock` (the briefing, whose periods are
    local wall-clock times).
    """
    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    dated = frame[frame["published"].notna()].copy()
    if freq == "H" and not wall_clock:
        dated["period"] = hour_starts(dated["published"], tz)
        return dated
    local = dated["published"].dt.tz_convert(tz).dt.tz_localize(None)
    dated["period"] = local.dt.to_period(FREQS[freq]).dt.start_time
    return dated


def _label_counts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    counts = pd.crosstab([frame[k] for k in keys], frame["label"].fillna("unscored"))
    for label in ("positive", "negative", "neutral"):
        if label not in counts.columns:
            counts[label] = 0
    return counts[["positive", "negative", "neutral"]]


def _finish(table: pd.DataFrame, key: str, columns: list[str]) -> pd.DataFrame:
    table = table.reset_index()
    for col in ("positive", "negative", "neutral", *TAG_COLUMNS):
        if col in table:
            table[col] = table[col].fillna(0).astype(int)
    table = table.sort_values(["period", "mentions", key], ascending=[True, False, True],
                              kind="mergesort")
    return table[columns].reset_index(drop=True)


def _table(dated: pd.DataFrame, keys: list[str], columns: list[str],
           **extra: tuple[str, str]) -> pd.DataFrame:
    """Mentions, distinct posts, mean tone and label counts per `keys`, plus `extra`."""
    if dated.empty:
        return pd.DataFrame(columns=columns)
    table = dated.groupby(keys, sort=False).agg(
        mentions=("ticker", "size"),
        posts=("post_id", "nunique"),
        tone=("tone", "mean"),
        **extra,
    ).join(_label_counts(dated, keys))
    return _finish(table, keys[1], columns)


def ticker_table(frame: pd.DataFrame, freq: str, tz: tzinfo, *,
                 wall_clock: bool = False) -> pd.DataFrame:
    """One row per period and ticker: mentions, distinct posts, mean tone, label counts and
    the authors' own tags (TAG_COLUMNS)."""
    if frame.empty:
        return pd.DataFrame(columns=TICKER_COLUMNS)
    dated = with_period(frame, freq, tz, wall_clock=wall_clock)
    dated["market"] = dated["market"].fillna("")
    tag = dated["author_tag"] if "author_tag" in dated else pd.Series(None, index=dated.index)
    dated["tagged"] = tag.notna().astype(int)
    dated["tag_positive"] = (tag == "positive").astype(int)
    dated["tag_negative"] = (tag == "negative").astype(int)
    dated["tag_agree"] = (tag.notna() & (tag == dated["label"])).astype(int)
    return _table(dated, ["period", "ticker", "market"], TICKER_COLUMNS,
                  name=("name", "first"), **{col: (col, "sum") for col in TAG_COLUMNS})


def group_table(frame: pd.DataFrame, freq: str, tz: tzinfo, *,
                wall_clock: bool = False) -> pd.DataFrame:
    """One row per period and group; a mention in two groups counts in both."""
    if frame.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    dated = with_period(frame, freq, tz, wall_clock=wall_clock)
    dated["group"] = dated["groups"].fillna("").str.split(";")
    dated = dated.explode("group")
    dated = dated[dated["group"].fillna("") != ""]
    return _table(dated, ["period", "group"], GROUP_COLUMNS, tickers=("ticker", "nunique"))


def mark_names(table: pd.DataFrame) -> pd.DataFrame:
    """A ticker table whose delisted and unknown holders' names say so (`S@2020`: `Sprint
    Corp (delisted 2020)`), so a reader never takes them for today's listing."""
    if table.empty or "ticker" not in table or "name" not in table:
        return table
    marks = table["ticker"].astype(str).map(holder_mark)
    if not marks.astype(bool).any():
        return table
    table = table.copy()
    table["name"] = (table["name"].fillna("").astype(str) + marks).str.strip()
    return table


def build_table(frame: pd.DataFrame, by: str, freq: str, tz: tzinfo, *,
                wall_clock: bool = False) -> pd.DataFrame:
    """The report table for `by` ("ticker" or "group"); `wall_clock` as in `with_period`."""
    if by == "ticker":
        return mark_names(ticker_table(frame, freq, tz, wall_clock=wall_clock))
    if by == "group":
        return group_table(frame, freq, tz, wall_clock=wall_clock)
    raise ValueError(f"unknown table {by!r}; use ticker or group")


def symbol(ticker: str, market: object) -> str:
    """`TICKER.MARKET` (`TSLA.US`, `2382.TW`), or the ticker alone when the market is unknown.

    Used as a column name in wide tables: it is unambiguous across markets, and a numeric
    code such as 2382 or 005930 stays text in a spreadsheet header.
    """
    return f"{ticker}.{market}" if isinstance(market, str) and market else ticker


# The most rows a wide table may have: a period per row, every period in the span.
WIDE_ROWS_MAX = 100_000
# What to do about a span over WIDE_ROWS_MAX periods, in a report; `tracker chart`, which
# has no --shape, says CHART_REMEDY.
WIDE_REMEDY = "use a longer --freq, --since/--until to narrow the dates, or --shape long"
CHART_REMEDY = "use a longer --freq, or --since/--until to narrow the dates"
_PERIOD_SECONDS = {"H": 3600, "D": 86400, "W": 7 * 86400, "M": 28 * 86400}


def period_starts(first: pd.Timestamp, last: pd.Timestamp, freq: str,
                  remedy: str = WIDE_REMEDY) -> list[pd.Timestamp]:
    """Every period start from the period holding `first` to the one holding `last`.

    Refused (OptionsError, ending in `remedy`) when that is more than WIDE_ROWS_MAX
    periods: two posts dated 1900 and 2200 made an hourly table of 2.6 million rows.
    """
    unit = _PERIOD_SECONDS.get(freq)
    if unit is not None:
        rows = int((last - first).total_seconds() // unit) + 1
        if rows > WIDE_ROWS_MAX:
            raise OptionsError(
                f"a table with a row for every period from {first:%Y-%m-%d} to {last:%Y-%m-%d} "
                f"would have about {rows:,} rows (freq {freq}); {remedy}")
    if first.tzinfo is not None:  # hours with their offsets: both of a repeated hour
        return list(pd.date_range(first, last, freq=FREQS[freq]))
    periods = pd.period_range(first, last, freq=FREQS[freq])
    return list(periods.start_time)


OTHER = "other"


def wide_table(table: pd.DataFrame, by: str, measure: str = "mentions",
               freq: str = "D", top: int | None = None,
               remedy: str = WIDE_REMEDY) -> pd.DataFrame:
    """The long `table` (from `build_table`) as one row per period and one column per key.

    Keys are ticker symbols (`symbol`) or group names, ordered by total mentions (most
    first), then name. Every period from the first to the last with data is a row;
    `mentions` and `posts` are 0 where a key has no mentions, `tone` is left empty. With
    `top`, only the `top` most mentioned keys get a column and the rest are summed in a last
    `other` column: their mentions, their posts (a post naming two of them counts twice), or
    their mean tone weighted by mentions. A span of too many periods is refused, saying
    `remedy` (see period_starts).
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    if measure in TAG_SHARES and by != "ticker":
        raise ValueError(f"{measure} is per ticker; use --by ticker")
    if table.empty:
        return pd.DataFrame(columns=["period"])
    table = table.copy()
    if by == "ticker":
        table["key"] = [symbol(t, m) for t, m in zip(table["ticker"], table["market"],
                                                      strict=True)]
    else:
        table["key"] = table["group"]
    totals = table.groupby("key")["mentions"].sum()
    order = sorted(totals.index, key=lambda k: (-int(totals[k]), k))
    if top is not None and len(order) > top:
        rest = table[table["key"].isin(order[top:])].assign(
            weighted=lambda t: t["tone"] * t["mentions"],
            scored=lambda t: t["mentions"].where(t["tone"].notna(), 0))
        counts = ["mentions", "posts", *(c for c in TAG_COLUMNS if c in table)]
        summed = rest.groupby("period")[[*counts, "weighted", "scored"]].sum()
        other = summed.assign(
            key=OTHER, tone=summed["weighted"] / summed["scored"].where(summed["scored"] > 0))
        order = [*order[:top], OTHER]
        table = pd.concat([table[table["key"].isin(order)],
                           other.reset_index()[["period", "key", *counts, "tone"]]],
                          ignore_index=True)
    if measure in TAG_SHARES:
        # Shares of sums, so `other` is the share over all its tickers' tagged mentions.
        tagged = table["tagged"].where(table["tagged"] > 0)
        table[measure] = table[TAG_SHARES[measure]] / tagged
    wide = table.pivot(index="period", columns="key", values=measure)
    periods = period_starts(table["period"].min(), table["period"].max(), freq, remedy)
    wide = wide.reindex(index=periods, columns=order)
    if measure in ("mentions", "posts"):
        wide = wide.fillna(0).astype(int)
    else:
        wide = wide.astype(float)
    wide.index.name = "period"
    wide.columns.name = None
    return wide.reset_index()
