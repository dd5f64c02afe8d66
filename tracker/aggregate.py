"""Pure functions: a mentions frame in, time-indexed tables per ticker or group out."""

from __future__ import annotations

from datetime import tzinfo

import pandas as pd

FREQS = {"H": "h", "D": "D", "W": "W-SUN", "M": "M"}
FREQ_NAMES = {"H": "hourly", "D": "daily", "W": "weekly", "M": "monthly"}
TICKER_COLUMNS = ["period", "ticker", "market", "name", "mentions", "posts", "tone",
                  "positive", "negative", "neutral"]
GROUP_COLUMNS = ["period", "group", "mentions", "posts", "tickers", "tone",
                 "positive", "negative", "neutral"]


def with_period(frame: pd.DataFrame, freq: str, tz: tzinfo) -> pd.DataFrame:
    """`frame` restricted to dated mentions, with a `period` column: the local period start.

    Weeks start on Monday; periods are computed in `tz`, so a post at 23:30 local time
    counts on its local day.
    """
    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    dated = frame[frame["published"].notna()].copy()
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
    for col in ("positive", "negative", "neutral"):
        table[col] = table[col].fillna(0).astype(int)
    table = table.sort_values(["period", "mentions", key], ascending=[True, False, True],
                              kind="mergesort")
    return table[columns].reset_index(drop=True)


def ticker_table(frame: pd.DataFrame, freq: str, tz: tzinfo) -> pd.DataFrame:
    """One row per period and ticker: mentions, distinct posts, mean tone, label counts."""
    if frame.empty:
        return pd.DataFrame(columns=TICKER_COLUMNS)
    dated = with_period(frame, freq, tz)
    if dated.empty:
        return pd.DataFrame(columns=TICKER_COLUMNS)
    dated["market"] = dated["market"].fillna("")
    keys = ["period", "ticker", "market"]
    grouped = dated.groupby(keys, sort=False)
    table = grouped.agg(
        name=("name", "first"),
        mentions=("ticker", "size"),
        posts=("post_id", "nunique"),
        tone=("tone", "mean"),
    ).join(_label_counts(dated, keys))
    return _finish(table, "ticker", TICKER_COLUMNS)


def group_table(frame: pd.DataFrame, freq: str, tz: tzinfo) -> pd.DataFrame:
    """One row per period and group; a mention in two groups counts in both."""
    if frame.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    dated = with_period(frame, freq, tz)
    dated["group"] = dated["groups"].fillna("").str.split(";")
    dated = dated.explode("group")
    dated = dated[dated["group"].fillna("") != ""]
    if dated.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    keys = ["period", "group"]
    table = dated.groupby(keys, sort=False).agg(
        mentions=("ticker", "size"),
        posts=("post_id", "nunique"),
        tickers=("ticker", "nunique"),
        tone=("tone", "mean"),
    ).join(_label_counts(dated, keys))
    return _finish(table, "group", GROUP_COLUMNS)


def build_table(frame: pd.DataFrame, by: str, freq: str, tz: tzinfo) -> pd.DataFrame:
    """The report table for `by` ("ticker" or "group")."""
    if by == "ticker":
        return ticker_table(frame, freq, tz)
    if by == "group":
        return group_table(frame, freq, tz)
    raise ValueError(f"unknown table {by!r}; use ticker or group")
