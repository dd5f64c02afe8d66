"""Hourly report tables keep two real hours two: the hour a fall-back repeats (01:00 twice
in New York on 2026-11-01) was one row holding both, as periods were local wall-clock
times; and the hour a spring-forward skips is no row of a wide table."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from tracker.config import load_config
from tracker.ingest.pipeline import ingest
from tracker.reports.aggregate import build_table, hour_starts, wide_table
from tracker.reports.render import period_label, render_csv
from tracker.reports.sqlaggregate import aggregate_stored
from tracker.store.database import Store

NEW_YORK = ZoneInfo("America/New_York")


def _store(tmp_path: Path, db_url: str, stamps: list[str]) -> Store:
    (tmp_path / "config.toml").write_text(
        f'[database]\nurl = "{db_url}"\n[dates]\ntimezone = "America/New_York"\n', "utf-8")
    cfg = load_config(tmp_path / "config.toml")
    feed = tmp_path / "posts.jsonl"
    feed.write_text("".join(json.dumps({"id": str(i), "text": f"$NVDA is great {i}",
                                        "published": stamp}) + "\n"
                            for i, stamp in enumerate(stamps)), "utf-8")
    store = Store(cfg.db_url)
    ingest([feed], cfg, store)
    return store


def test_the_repeated_hour_is_two_rows_in_memory_and_in_the_database(
        tmp_path: Path, db_url: str) -> None:
    # 01:30 EDT, 01:30 EST (an hour later), 02:10 EST.
    store = _store(tmp_path, db_url, ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z",
                                      "2026-11-01T07:10:00Z"])
    try:
        frame = store.mentions_frame()
        in_memory = build_table(frame, "ticker", "H", NEW_YORK)
        in_db = aggregate_stored(store, "ticker", "H", NEW_YORK)
    finally:
        store.close()
    pd.testing.assert_frame_equal(in_db, in_memory, check_dtype=False, check_exact=False,
                                  atol=1e-9)
    assert list(in_memory["mentions"]) == [1, 1, 1]
    assert [line.split(",")[0] for line in render_csv(in_memory, "H").splitlines()] == [
        "period", "2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00", "2026-11-01T02:00"]
    wide = wide_table(in_memory, "ticker", "mentions", "H")
    assert [period_label(p, "H") for p in wide["period"]] == [
        "2026-11-01 01:00-04:00", "2026-11-01 01:00-05:00", "2026-11-01 02:00"]


def test_the_skipped_hour_is_no_row_of_a_wide_table(tmp_path: Path) -> None:
    # 01:30 EST, then 03:30 EDT an hour later: 02:00 never happened on 2026-03-08.
    store = _store(tmp_path, f"sqlite:///{tmp_path / 't.db'}",
                   ["2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"])
    try:
        table = build_table(store.mentions_frame(), "ticker", "H", NEW_YORK)
    finally:
        store.close()
    wide = wide_table(table, "ticker", "mentions", "H")
    assert [period_label(p, "H") for p in wide["period"]] == ["2026-03-08 01:00",
                                                              "2026-03-08 03:00"]


@pytest.mark.parametrize("zone, stamp, start", [
    ("Asia/Kolkata", "2026-03-01T04:40:00Z", "2026-03-01T10:00:00+05:30"),
    ("Asia/Kathmandu", "2026-03-01T04:10:00Z", "2026-03-01T09:00:00+05:45"),
    ("America/New_York", "2026-11-01T06:59:59Z", "2026-11-01T01:00:00-05:00"),
], ids=["half-hour", "quarter-hour", "repeated"])
def test_an_hour_starts_on_the_local_clock(zone: str, stamp: str, start: str) -> None:
    published = pd.Series(pd.to_datetime([stamp], utc=True))
    got = hour_starts(published, ZoneInfo(zone))[0]
    assert got == pd.Timestamp(start) and str(got.tz) == zone


@pytest.mark.parametrize("sql_threshold", [100_000, 1], ids=["memory", "database"])
@pytest.mark.parametrize("zone, freq, stamps, title", [
    # Both posts in the hour New York's clock repeats: the hourly briefing's period.
    ("America/New_York", "H", ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"],
     "# Briefing: 2026-11-01 01:00"),
    # Santiago's clocks skip its midnight on 2026-09-06: the daily briefing's day starts at
    # a time that never was.
    ("America/Santiago", "D", ["2026-09-05T12:30:00Z", "2026-09-06T12:30:00Z"],
     "# Briefing: 2026-09-06"),
], ids=["repeated-hour", "skipped-midnight"])
def test_a_briefing_whose_period_starts_at_a_repeated_or_skipped_time_is_written(
        tmp_path: Path, sql_threshold: int, zone: str, freq: str, stamps: list[str],
        title: str) -> None:
    # pandas' tz_localize refused both ("Cannot infer dst time", "nonexistent time"): the
    # briefing ended in a traceback, on one day a year for a daily cron job in Chile.
    from tracker.reports.report import ReportSpec, build_report

    store = _store(tmp_path, f"sqlite:///{tmp_path / 't.db'}", stamps)
    config = tmp_path / "config.toml"
    config.write_text(config.read_text("utf-8").replace("America/New_York", zone)
                      + f"[reports]\nsql_threshold = {sql_threshold}\n", "utf-8")
    try:
        text = build_report(store, load_config(config), ReportSpec(None, freq, "md"))
    finally:
        store.close()
    assert text.splitlines()[0] == title
    if freq == "H":  # one period of history: it said "(1 hours)"
        assert "History for trends and sparklines: 2026-11-01 to 2026-11-01 (1 hour)." in text
    assert "This " + {"H": "hour", "D": "day"}[freq] + ": " in text
