"""Filters in SQL keep what the in-memory filters keep; the briefing and the charts read
through them and say the same as when every mention is read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from tests.refreshkit import make_job, write_feed
from tracker.config import load_config
from tracker.ingest.pipeline import ingest
from tracker.ingest.refresh import refresh
from tracker.reports.aggregate import build_table
from tracker.reports.charts import table_chart_data
from tracker.reports.filters import MentionFilter, apply_filters, split_list, ticker_key, why_empty
from tracker.reports.report import (
    TABLE_COLUMNS,
    ReportSpec,
    briefing_text,
    build_report,
    chart_table,
    explain_empty,
    read_mentions,
)
from tracker.reports.sqlfilters import sql_filter
from tracker.store.database import Store

FILTERS = [
    ("none", MentionFilter()),
    ("tickers", MentionFilter(tickers=("nvda", "AMD.US", "$tsla", "600036.SH"))),
    ("groups", MentionFilter(groups=("gpu", "semis"))),
    ("langs", MentionFilter(langs=("zh",))),
    ("kinds", MentionFilter(kinds=("cashtag", "name"))),
    ("instruments", MentionFilter(instruments=("equity",))),
    ("all-instruments", MentionFilter(instruments=("all",))),
    ("genres", MentionFilter(genres=("news",))),
    ("social", MentionFilter(genres=("social",))),
    ("confidence", MentionFilter(min_confidence=0.8)),
    ("no-private", MentionFilter(private=False)),
    ("no-file-dates", MentionFilter(file_dates=False)),
    ("together", MentionFilter(tickers=("NVDA", "AMD"), groups=("gpu",), langs=("en",),
                               private=False, file_dates=False)),
    ("full-width", MentionFilter(tickers=("ｎｖｄａ", "６０００３６．ＳＨ", "＄ＴＳＬＡ"))),
    ("matches-nothing", MentionFilter(tickers=("NOSUCH",))),  # last: charts leave it out
]
KEY = ["post_id", "ticker", "start"]


@pytest.fixture(scope="module")
def store(corpus: Path) -> Store:
    found = Store(f"sqlite:///{corpus / 'tracker.db'}", create=False)
    yield found
    found.close()


def _sql_rows(store: Store, flt: MentionFilter, columns: str) -> list[tuple]:
    """`columns` of the mentions `flt`'s SQL filter keeps, joined with their posts."""
    found = sql_filter(flt, "sqlite")
    assert found is not None
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            f"SELECT {columns} FROM mentions m JOIN posts p ON p.id = m.post_id "
            f"WHERE {found.where()}"), found.params).all()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("flt", [f[1] for f in FILTERS], ids=[f[0] for f in FILTERS])
def test_sql_filter_keeps_what_memory_keeps(corpus: Path, store: Store,
                                            flt: MentionFilter) -> None:
    cfg = load_config(corpus / "config.toml")
    expected = read_mentions(store, cfg, None, None, flt)[KEY]
    rows = _sql_rows(store, flt, "m.post_id, m.ticker, m.start_offset")
    assert sorted(rows) == sorted(map(tuple, expected.itertuples(index=False)))
    if flt == MentionFilter():
        assert len(rows) > 100


def test_full_width_tickers_are_their_ascii(corpus: Path, store: Store) -> None:
    # As a Chinese input method types them: they matched nothing, and no key was suggested.
    cfg = load_config(corpus / "config.toml")
    wide = read_mentions(store, cfg, None, None, MentionFilter(tickers=("ＮＶＤＡ", "ａｍｄ")))
    plain = read_mentions(store, cfg, None, None, MentionFilter(tickers=("NVDA", "AMD")))
    assert set(plain["ticker"]) == {"NVDA", "AMD"}
    assert wide[KEY].values.tolist() == plain[KEY].values.tolist()


@pytest.mark.parametrize(("written", "expected"),
                         [("ＮＶＤＡ，ａｍｄ", ("ＮＶＤＡ", "ａｍｄ")), ("NVDA，AMD", ("NVDA", "AMD")),
                          ("NVDA、 AMD", ("NVDA", "AMD")), ("NVDA, AMD", ("NVDA", "AMD"))],
                         ids=["full-width", "full-width-comma", "enumeration-comma", "ascii"])
def test_a_chinese_comma_separates_tickers(written: str, expected: tuple[str, ...]) -> None:
    # A Chinese input method types the comma as ， (or 、 in a list): `--tickers NVDA，AMD`
    # was one ticker that matched nothing, though full-width letters are read.
    assert split_list(written) == expected
    assert MentionFilter(tickers=written).tickers == expected


def test_sources_have_no_sql_form() -> None:
    assert sql_filter(MentionFilter(sources=("*.jsonl",)), "sqlite") is None


BRIEFINGS = [
    ("daily", {}),
    ("hourly", {"freq": "H"}),
    ("weekly-until", {"freq": "W", "until": date(2026, 4, 19)}),
    ("monthly", {"freq": "M"}),
    ("daily-since", {"since": date(2026, 5, 1)}),
    ("all-span", {"span": "all", "freq": "W"}),
    ("until-before-data", {"until": date(2020, 1, 1)}),
]


@pytest.mark.slow
@pytest.mark.parametrize("flt", [f[1] for f in FILTERS], ids=[f[0] for f in FILTERS])
@pytest.mark.parametrize("options", [b[1] for b in BRIEFINGS], ids=[b[0] for b in BRIEFINGS])
def test_briefing_reads_only_its_history_and_says_the_same(
        corpus: Path, store: Store, flt: MentionFilter, options: dict) -> None:
    cfg = load_config(corpus / "config.toml")
    spec = ReportSpec(None, options.get("freq", "D"), "md", since=options.get("since"),
                      until=options.get("until"), span=options.get("span", "latest"),
                      filters=flt)
    everything = read_mentions(store, cfg, None, spec.until, flt)
    expected = briefing_text(everything, spec, cfg, store=store)
    assert build_report(store, cfg, spec) == expected


@pytest.mark.parametrize("flt", [f[1] for f in FILTERS[:-1]], ids=[f[0] for f in FILTERS[:-1]])
@pytest.mark.parametrize("by", ["ticker", "group"])
def test_chart_from_the_database_draws_what_memory_draws(
        corpus: Path, store: Store, flt: MentionFilter, by: str) -> None:
    cfg = load_config(corpus / "config.toml")
    frame = read_mentions(store, cfg, None, None, flt)
    if by == "group" and not frame["groups"].fillna("").any():
        pytest.skip("no groups left by this filter")
    table = chart_table(store, cfg, by, "W", None, None, flt)
    for got, want in zip(table_chart_data(table, by, "W", last=12),
                         table_chart_data(build_table(frame, by, "W", cfg.timezone), by, "W",
                                          last=12), strict=True):
        pd.testing.assert_frame_equal(got, want, check_exact=False, atol=1e-9)


@pytest.mark.slow
def test_sql_paths_on_either_database(tmp_path: Path, db_url: str) -> None:
    cfg = make_job(tmp_path, db_url)
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 300)
    store = Store(cfg.db_url)
    try:
        refresh(cfg, store)
        dialect = store.engine.dialect.name
        for _name, flt in FILTERS:
            found = sql_filter(flt, dialect)
            assert found is not None
            with store.engine.connect() as conn:
                count = conn.execute(text(
                    "SELECT COUNT(*) FROM mentions m JOIN posts p ON p.id = m.post_id "
                    f"WHERE {found.where()}"), found.params).scalar_one()
            assert count == len(read_mentions(store, cfg, None, None, flt))
            for options in ({}, {"freq": "W", "until": date(2026, 3, 10)}):
                spec = ReportSpec(None, options.get("freq", "D"), "md",
                                  until=options.get("until"), filters=flt)
                expected = briefing_text(read_mentions(store, cfg, None, spec.until, flt), spec,
                                         cfg, store=store)
                assert build_report(store, cfg, spec) == expected
            if read_mentions(store, cfg, None, None, flt).empty:
                continue
            table = chart_table(store, cfg, "ticker", "W", None, None, flt)
            want = build_table(read_mentions(store, cfg, None, None, flt), "ticker", "W",
                               cfg.timezone)
            for got, expected_data in zip(table_chart_data(table, "ticker", "W"),
                                          table_chart_data(want, "ticker", "W"), strict=True):
                pd.testing.assert_frame_equal(got, expected_data, check_exact=False, atol=1e-9)
    finally:
        store.close()


EMPTYING = [
    ("typo", MentionFilter(tickers=("NVDX",)), "no mentions of NVDX; did you mean"),
    ("unknown", MentionFilter(tickers=("ZZZZQ",)), "no mentions of ZZZZQ; stored tickers"),
    ("group", MentionFilter(groups=("no-such-group",)), "no mentions in groups"),
    ("lang", MentionFilter(tickers=("NVDA",), langs=("de",)), "no mentions in languages"),
    ("kind", MentionFilter(tickers=("AMD",), kinds=("name",)), "no mentions in kinds"),
    # Was blamed on the sources step: "no mentions in sources ; the mentions kept so far
    # have ...", naming no source.
    ("instrument", MentionFilter(tickers=("NVDA",), instruments=("future",)),
     "no mentions in instruments future; the mentions kept so far have equity"),
    ("genre", MentionFilter(langs=("zh",), kinds=("cashtag",), genres=("news",)),
     "no mentions in genres"),
    ("rest", MentionFilter(tickers=("SPACEX",), private=False),
     "no mentions left after --no-private"),
    ("min-mentions", MentionFilter(min_mentions=10_000), "no ticker or group has"),
]


@pytest.mark.parametrize(("flt", "reason"), [f[1:] for f in EMPTYING],
                         ids=[f[0] for f in EMPTYING])
@pytest.mark.parametrize("until", [None, date(2026, 4, 19)], ids=["all", "until"])
def test_explain_empty_asks_the_database_what_the_frame_says(
        corpus: Path, store: Store, flt: MentionFilter, reason: str,
        until: date | None) -> None:
    cfg = load_config(corpus / "config.toml")
    frame = read_mentions(store, cfg, None, until, MentionFilter(), TABLE_COLUMNS)
    want = why_empty(frame, flt) or (f"no ticker or group has at least {flt.min_mentions:,} "
                                     "mentions; lower --min-mentions")
    got = explain_empty(store, cfg, None, until, flt)
    assert got == want
    assert got.startswith(reason)


def test_explain_empty_names_the_stored_range(corpus: Path, store: Store) -> None:
    cfg = load_config(corpus / "config.toml")
    got = explain_empty(store, cfg, date(2030, 1, 1), None, MentionFilter())
    dated = read_mentions(store, cfg, None, None, MentionFilter())["published"].dropna()
    assert got == (f"no mentions from 2030-01-01 to the end; the stored mentions run from "
                   f"{dated.min().tz_convert(cfg.timezone):%Y-%m-%d} to "
                   f"{dated.max().tz_convert(cfg.timezone):%Y-%m-%d}")


@pytest.mark.parametrize("written", ["00700", "００７００", " 00700 "], ids=["ascii", "full-width",
                                                                         "spaces"])
def test_a_five_digit_code_is_a_hong_kong_one(written: str) -> None:
    # As HKEX and 雪球 write it: it matched nothing, though the note suggested 0700.HK. The
    # code as written is selected too: five digits are a Taiwan ETF's code as well.
    frame = pd.DataFrame({"ticker": ["0700", "00700", "700"], "market": ["HK", "TW", "US"]})
    flt = MentionFilter(tickers=(written,))
    assert ticker_key(written) == ("0700", "HK")
    assert apply_filters(frame, flt).index.tolist() == [0, 1]
    found = sql_filter(flt, "sqlite")
    assert found is not None
    assert "0700.HK" in found.params.values() and "00700" in found.params.values()


def test_a_five_digit_code_selects_a_taiwan_etf(tmp_path: Path) -> None:
    # 00878 is a Taiwan ETF (國泰永續高股息, 00878.TW), one of the universe's 115 with five
    # digits: read as Hong Kong's 0878.HK alone, `--tickers 00878` selected none of its
    # mentions, in memory and in SQL, and the note asked "did you mean 00878.TW?".
    feed = tmp_path / "posts.jsonl"
    feed.write_text(
        '{"id": "1", "text": "國泰永續高股息 $00878.TW 今天漲了", "created_at": "2024-05-02T10:00:00Z"}\n'
        '{"id": "2", "text": "腾讯控股 $00700.HK 今天大涨", "created_at": "2024-05-02T11:00:00Z"}\n',
        encoding="utf-8")
    cfg = load_config(None)
    store = Store(f"sqlite:///{tmp_path / 'tracker.db'}")
    try:
        ingest([feed], cfg, store)
        for code, key in (("00878", ("00878", "TW")), ("00700", ("0700", "HK"))):
            flt = MentionFilter(tickers=(code,))
            kept = read_mentions(store, cfg, None, None, flt)
            assert list(zip(kept["ticker"], kept["market"], strict=True)) == [key]
            assert _sql_rows(store, flt, "m.ticker, m.market") == [key]
    finally:
        store.close()
