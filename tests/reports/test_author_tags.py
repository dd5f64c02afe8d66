"""The author's own tag beside tracker's label: counts per ticker and period, the tag ratio
and the agreement, the same in memory and in the database."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pandas as pd
import pytest

from tracker.config import Config, load_config
from tracker.errors import TrackerError
from tracker.ingest.pipeline import ingest
from tracker.reports.aggregate import ticker_table, wide_table
from tracker.reports.render import drop_zero_columns
from tracker.reports.report import ReportSpec, build_report
from tracker.reports.spec import TAG_COLUMNS
from tracker.store.database import Store


def _frame(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    """Mentions of one ticker on one day: (post, author tag, tracker label)."""
    return pd.DataFrame({
        "post_id": [r[0] for r in rows], "ticker": "TSLA", "market": "US", "name": "Tesla",
        "published": pd.Timestamp("2026-05-08 10:00", tz="UTC"), "tone": 0.0,
        "author_tag": [r[1] for r in rows], "label": [r[2] for r in rows],
    })


def test_tag_counts_and_agreement() -> None:
    frame = _frame([("a", "positive", "positive"), ("b", "positive", "neutral"),
                    ("c", "negative", "negative"), ("d", None, "positive")])
    row = ticker_table(frame, "D", UTC).iloc[0]
    assert (row["mentions"], row["tagged"], row["tag_positive"], row["tag_negative"],
            row["tag_agree"]) == (4, 3, 2, 1, 2)


@pytest.mark.parametrize(("measure", "expected"), [("tag_ratio", 2 / 3),
                                                   ("tag_agreement", 2 / 3)])
def test_wide_tag_measures_are_shares_of_the_tagged(measure: str, expected: float) -> None:
    frame = _frame([("a", "positive", "positive"), ("b", "positive", "neutral"),
                    ("c", "negative", "negative"), ("d", None, "positive")])
    wide = wide_table(ticker_table(frame, "D", UTC), "ticker", measure)
    assert wide["TSLA.US"].iloc[0] == pytest.approx(expected)


def test_untagged_tickers_leave_the_share_empty() -> None:
    wide = wide_table(ticker_table(_frame([("a", None, "positive")]), "D", UTC), "ticker",
                      "tag_ratio")
    assert pd.isna(wide["TSLA.US"].iloc[0])


def _tagged_store(tmp_path: Path) -> tuple[Config, Store]:
    (tmp_path / "config.toml").write_text('[input]\ntag_field = "sentiment"\n', "utf-8")
    cfg = load_config(tmp_path / "config.toml", db_url=f"sqlite:///{tmp_path / 't.db'}")
    records = [{"id": str(i), "text": text, "sentiment": tag,
                "published": "2026-05-08T10:00:00Z"}
               for i, (text, tag) in enumerate([("$TSLA great quarter, strong beat", "Bullish"),
                                                ("$TSLA terrible miss, sell now", "Bearish"),
                                                ("$TSLA hmm", "Bullish"), ("$TSLA meh", None)])]
    path = tmp_path / "st.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    store = Store(cfg.db_url)
    ingest([path], cfg, store)
    return cfg, store


def test_memory_and_database_agree_on_tags(tmp_path: Path) -> None:
    cfg, store = _tagged_store(tmp_path)
    spec = ReportSpec(by="ticker", fmt="csv")
    try:
        in_memory = build_report(store, cfg, spec)
        # Above the threshold the database aggregates (tracker/reports/report.py).
        in_db_cfg = replace(cfg, reports=replace(cfg.reports, sql_threshold=1))
        in_db = build_report(store, in_db_cfg, spec)
    finally:
        store.close()
    assert in_memory == in_db
    (values,) = list(csv.DictReader(io.StringIO(in_memory)))
    assert (values["tagged"], values["tag_positive"], values["tag_negative"]) == ("3", "2", "1")


def test_tag_measures_are_per_ticker() -> None:
    with pytest.raises(TrackerError, match="per ticker"):
        ReportSpec(by="group", measure="tag_ratio", shape="wide").check()


def test_other_column_shares_over_all_its_tickers() -> None:
    frame = pd.concat([
        _frame([("a", "positive", "positive"), ("b", "positive", "neutral"),
                ("c", "negative", "negative")]),
        _frame([("d", "positive", "positive")]).assign(ticker="AMD", name="AMD"),
        _frame([("e", "negative", "positive")]).assign(ticker="NVDA", name="NVDA"),
    ], ignore_index=True)
    wide = wide_table(ticker_table(frame, "D", UTC), "ticker", "tag_ratio", top=1)
    assert list(wide.columns) == ["period", "TSLA.US", "other"]
    assert wide["other"].iloc[0] == pytest.approx(1 / 2)  # AMD tagged positive, NVDA negative


def test_markdown_shows_tag_columns_only_when_a_post_carried_a_tag(tmp_path: Path) -> None:
    # Issue 27: the tag columns were all zeros on posts that carry no tags.
    cfg, store = _tagged_store(tmp_path)
    try:
        tagged = build_report(store, cfg, ReportSpec(by="ticker", fmt="md"))
        csv_text = build_report(store, cfg, ReportSpec(by="ticker", fmt="csv"))
    finally:
        store.close()
    assert "| tagged | tag\\_positive | tag\\_negative | tag\\_agree |" in tagged
    assert "tagged: mentions in posts their authors tagged" in tagged
    # The CSV keeps a fixed set of columns for the scripts reading it.
    assert csv_text.splitlines()[0].endswith(",tagged,tag_positive,tag_negative,tag_agree")


def test_markdown_leaves_out_empty_tag_columns() -> None:
    table = ticker_table(_frame([("p1", None, "positive"), ("p2", None, "neutral")]), "D", UTC)
    shown = drop_zero_columns(table, TAG_COLUMNS)
    assert not set(TAG_COLUMNS) & set(shown.columns)
    assert list(shown.columns) == [c for c in table.columns if c not in TAG_COLUMNS]
    kept = drop_zero_columns(ticker_table(_frame([("p1", "positive", "positive")]), "D", UTC),
                             TAG_COLUMNS)
    assert set(TAG_COLUMNS) <= set(kept.columns)
