"""Aggregation: periods in the configured zone, counts, tone and label columns."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from tracker.reports.aggregate import group_table, mark_names, ticker_table
from tracker.reports.spec import GROUP_COLUMNS, TICKER_COLUMNS

UTC = ZoneInfo("UTC")


def frame(rows: list[tuple]) -> pd.DataFrame:
    cols = ["post_id", "published", "ticker", "market", "name", "tone", "label", "groups"]
    df = pd.DataFrame(rows, columns=cols)
    df["published"] = pd.to_datetime(df["published"], utc=True)
    return df


ROWS = [
    ("p1", "2026-05-04T10:00Z", "TSLA", "US", "Tesla", -0.5, "negative", "ev"),
    ("p1", "2026-05-04T10:00Z", "TSLA", "US", "Tesla", 0.0, "neutral", "ev"),
    ("p2", "2026-05-04T23:30Z", "NVDA", "US", "NVIDIA", 0.6, "positive", "gpu;semis"),
    ("p3", "2026-05-11T01:00Z", "TSLA", "US", "Tesla", 0.2, "positive", "ev"),
    ("p4", None, "TSLA", "US", "Tesla", 0.9, "positive", "ev"),
]


def test_ticker_table_daily() -> None:
    table = ticker_table(frame(ROWS), "D", UTC)
    assert list(table.columns) == TICKER_COLUMNS
    got = [(r.period.date().isoformat(), r.ticker, r.mentions, r.posts, round(r.tone, 3),
            r.positive, r.negative, r.neutral) for r in table.itertuples()]
    assert got == [
        ("2026-05-04", "TSLA", 2, 1, -0.25, 0, 1, 1),
        ("2026-05-04", "NVDA", 1, 1, 0.6, 1, 0, 0),
        ("2026-05-11", "TSLA", 1, 1, 0.2, 1, 0, 0),
    ]


def test_periods_follow_the_time_zone() -> None:
    table = ticker_table(frame(ROWS), "D", ZoneInfo("Asia/Shanghai"))
    nvda = table[table.ticker == "NVDA"].iloc[0]
    assert nvda.period.date().isoformat() == "2026-05-05"


def test_weeks_start_on_monday_and_months() -> None:
    weekly = ticker_table(frame(ROWS), "W", UTC)
    assert sorted({p.date().isoformat() for p in weekly.period}) == ["2026-05-04", "2026-05-11"]
    monthly = ticker_table(frame(ROWS), "M", UTC)
    assert list(monthly.mentions) == [3, 1]


def test_group_table_counts_a_mention_in_each_group() -> None:
    table = group_table(frame(ROWS), "W", UTC)
    assert list(table.columns) == GROUP_COLUMNS
    got = [(r.period.date().isoformat(), r.group, r.mentions, r.tickers)
           for r in table.itertuples()]
    assert got == [("2026-05-04", "ev", 2, 1), ("2026-05-04", "gpu", 1, 1),
                   ("2026-05-04", "semis", 1, 1), ("2026-05-11", "ev", 1, 1)]


def test_empty_frame_gives_empty_tables() -> None:
    empty = frame([])
    assert ticker_table(empty, "D", UTC).empty and group_table(empty, "D", UTC).empty


def test_unknown_frequency() -> None:
    with pytest.raises(ValueError, match="unknown frequency"):
        ticker_table(frame(ROWS), "Q", UTC)


def test_delisted_and_unknown_holders_are_marked_in_the_ticker_table():
    table = pd.DataFrame({"ticker": ["S@2020", "S", "RIVN@UNKNOWN"], "market": ["US"] * 3,
                          "name": ["Sprint Corp", "SentinelOne, Inc.", None]})
    assert list(mark_names(table)["name"]) == [
        "Sprint Corp (delisted 2020)", "SentinelOne, Inc.", "(no listing on the day)"]
    assert list(table["name"])[:2] == ["Sprint Corp", "SentinelOne, Inc."]  # not changed
