"""Reports aggregated in the database equal the pandas aggregation, in any time zone."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from tests.refreshkit import make_job, write_feed
from tracker.config import load_config
from tracker.ingest.refresh import refresh
from tracker.reports.aggregate import build_table
from tracker.reports.report import ReportSpec, build_report
from tracker.reports.sqlaggregate import aggregate_stored
from tracker.store.database import Store


@pytest.mark.slow
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_database_tables_equal_pandas_tables(tmp_path: Path, db_url: str, zone: str) -> None:
    cfg = make_job(tmp_path, db_url)
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 200)
    store = Store(cfg.db_url)
    try:
        refresh(cfg, store)
        tz = ZoneInfo(zone)
        frame = store.mentions_frame()
        frame = frame[~frame["is_repeat"].astype(bool)]  # reports count a reposted passage once
        for by in ("ticker", "group"):
            for freq in ("H", "D", "W", "M"):
                expected = build_table(frame, by, freq, tz)
                got = aggregate_stored(store, by, freq, tz)
                pd.testing.assert_frame_equal(got, expected, check_dtype=False,
                                              check_exact=False, atol=1e-9)
    finally:
        store.close()


@pytest.mark.slow
def test_report_text_is_the_same_either_way(tmp_path: Path, db_url: str) -> None:
    make_job(tmp_path, db_url)
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 60)
    config = tmp_path / "config.toml"
    cfg = load_config(config)
    store = Store(cfg.db_url)
    try:
        refresh(cfg, store)
        in_memory = [build_report(store, cfg, ReportSpec(by, "W", fmt))
                     for by in ("ticker", "group") for fmt in ("csv", "md")]
        config.write_text(config.read_text("utf-8") + "[reports]\nsql_threshold = 1\n", "utf-8")
        cfg = load_config(config)
        in_db = [build_report(store, cfg, ReportSpec(by, "W", fmt))
                 for by in ("ticker", "group") for fmt in ("csv", "md")]
    finally:
        store.close()
    assert in_db == in_memory
