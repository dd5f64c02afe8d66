"""Point in time: a symbol resolves to the security that held it on the post's day."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import pytest

from tracker.errors import ConfigError
from tracker.extract.history import (
    DayResolver,
    SymbolHistory,
    _Lines,
    holder_mark,
    listed_after,
    nobody_held,
    packaged_history,
    resolve_on,
)
from tracker.extract.models import RawPost
from tracker.extract.securities import Security, load_securities
from tracker.ingest.analyze import Analyzer

SECS = load_securities()


@pytest.mark.parametrize(("symbol", "day", "key", "name"), [
    ("S", date(2017, 5, 2), "S@2020", "Sprint Corp"),
    ("BIOA", date(2017, 5, 2), "BIOA@2018", "BioAmber Inc"),
    ("RGC", date(2017, 5, 2), "RGC@2018", "Regal Entertainment Group"),
    ("BEAT", date(2017, 5, 2), "BEAT@2021", "BioTelemetry Inc"),
    ("TRXC", date(2017, 5, 2), "ASXC@2024", "TransEnterix Inc"),
], ids=["S-sprint", "BIOA-bioamber", "RGC-regal", "BEAT-biotelemetry", "TRXC-renamed"])
def test_a_2017_symbol_is_its_2017_holder_with_its_own_key(symbol, day, key, name):
    ticker, market, sec = resolve_on(SECS, symbol, None, day)
    assert (ticker, market, sec.name, sec.key) == (key, "US", name, key)
    assert sec.delisted and sec.delisted > day.isoformat()
    today = SECS.resolve(symbol, None)[2]
    assert today is None or today.key != key


@pytest.mark.parametrize(("symbol", "key"), [
    ("S", "S"), ("BIOA", "BIOA"), ("RGC", "RGC"), ("BEAT", "BEAT"), ("FB", "FB"),
    ("META", "META"), ("COHR", "COHR"),
], ids=str)
def test_a_post_of_today_takes_todays_holder(symbol, key):
    assert resolve_on(SECS, symbol, None, date(2026, 9, 1))[2].key == key


def test_a_company_that_left_and_came_back_under_its_name_is_todays_holder():
    # SOS Ltd and Hut 8 were delisted and listed again under the same name and symbol.
    assert resolve_on(SECS, "SOS", None, date(2022, 7, 24))[:2] == ("SOS", "US")
    assert resolve_on(SECS, "HUT", None, date(2022, 7, 20))[:2] == ("HUT", "US")


def test_a_coin_symbol_nobody_listed_on_the_day_is_the_coin():
    assert resolve_on(SECS, "BTC", None, date(2022, 7, 2))[:2] == ("BTC", "X")
    assert resolve_on(SECS, "BTC", None, date(2026, 7, 2))[2].kind == "etf"


def test_a_renamed_symbol_is_the_company_until_another_security_takes_it():
    # FB was Facebook's symbol (the curated former symbol of META) until a ProShares ETF
    # listed under it on 2025-06-26.
    assert resolve_on(SECS, "FB", None, date(2019, 3, 1))[2].key == "META"
    assert resolve_on(SECS, "FB", None, date(2025, 7, 1))[2].kind == "etf"


@pytest.mark.parametrize(("symbol", "day", "key", "name"), [
    # The listings date it: OZRK delisted 2018-07-13, when Bank of the Ozarks became Bank OZK.
    ("OZRK", date(2018, 3, 1), "OZK", "Bank of the Ozarks"),
    ("RDS.A", date(2019, 1, 2), "SHEL", "Royal Dutch Shell plc (A shares)"),
    # They do not: Weight Watchers' WTW until Willis Towers Watson took it in 2022; BB&T's BBT
    # until Beacon Financial took it in 2025; Yandex's YNDX, which nobody took.
    ("WTW", date(2018, 3, 1), "WW", "Weight Watchers International, Inc."),
    ("WTW", date(2023, 3, 1), "WTW", "Willis Towers Watson Public Limited Company"),
    ("BBT", date(2018, 3, 1), "TFC", "BB&T Corporation"),
    ("BBT", date(2026, 1, 2), "BBT", "Beacon Financial Corporation"),
    ("YNDX", date(2019, 6, 3), "NBIS", "Yandex N.V."),
    ("IR", date(2018, 3, 1), "TT", "Ingersoll-Rand plc"),
    ("IR", date(2021, 3, 1), "IR", "Ingersoll Rand Inc."),
    # Arconic Inc. became Howmet Aerospace (HWM) on 2020-04-01, the day its spin-off Arconic
    # Corporation listed under ARNC.
    ("ARNC", date(2018, 7, 26), "HWM", "Arconic Inc."),
    ("ARNC", date(2021, 3, 1), "ARNC@2023", "Arconic Corporation"),
    # A company delisted since keeps its own key under its former symbol too.
    ("SCHN", date(2019, 6, 3), "RDUS@2025", "Schnitzer Steel Industries, Inc."),
    # Barrick: ABX until 2019, then GOLD (Randgold's before) until B in 2025; Total's TOT,
    # a fund's symbol today; Healthpeak's PEAK between HCP and DOC.
    ("ABX", date(2018, 3, 1), "B", "Barrick Gold Corporation"),
    ("GOLD", date(2020, 3, 2), "B", "Barrick Gold Corporation"),
    ("GOLD", date(2018, 3, 1), "GOLD@2018", "Randgold Resources Ltd"),
    ("TOT", date(2018, 3, 1), "TTE", "Total S.A."),
    ("PEAK", date(2021, 3, 1), "DOC", "Healthpeak Properties, Inc."),
    ("HCP", date(2018, 3, 1), "DOC", "HCP, Inc."),
    # DowDuPont, DuPont de Nemours since 2019: DWDP, and the listing data's DD row of it.
    ("DWDP", date(2018, 3, 1), "DD", "DowDuPont Inc."),
    ("DD", date(2018, 3, 1), "DD", "DowDuPont Inc."),
], ids=["OZRK", "RDS.A", "WTW-2018", "WTW-2023", "BBT-2018", "BBT-2026", "YNDX", "IR-2018",
        "IR-2021", "ARNC-2018", "ARNC-2021", "SCHN", "ABX", "GOLD-2020", "GOLD-2018", "TOT", "PEAK",
        "HCP", "DWDP", "DD"])
def test_a_changed_symbol_is_the_company_that_changed_it(symbol, day, key, name):
    # renames.csv: a company that changed its symbol is one key, today's (docs/labelling.md
    # keys it so), named as it was then; the next holder of the old symbol takes it on its
    # own day.
    ticker, market, sec = resolve_on(SECS, symbol, None, day)
    assert (ticker, market, sec.name) == (key, "US", name)


def test_a_symbol_nobody_held_on_the_day_is_unknown_never_todays_holder():
    assert resolve_on(SECS, "TSLA", "US", date(2008, 1, 2)) == ("TSLA@UNKNOWN", "US", None)
    # A symbol today's listings hold and the listing dump of 2026-04-09 does not came to its
    # holder after that day: Abacus took ABX from Barrick's old symbol, a 2026 fund took TOT.
    assert resolve_on(SECS, "ABX", "US", date(2022, 1, 3)) == ("ABX@UNKNOWN", "US", None)
    assert resolve_on(SECS, "ABX", "US", date(2026, 6, 1))[2].name.startswith("Abacus")
    assert resolve_on(SECS, "TSLA", "US", date(2010, 6, 29))[2].key == "TSLA"


@pytest.mark.parametrize(("symbol", "day", "expected"), [
    ("TSLA", date(2008, 1, 2), True),      # before its listing day (2010-06-29)
    ("TSLA", date(2010, 6, 29), False),    # on it
    ("S", date(2017, 5, 2), False),        # Sprint held it then
    ("WEED", date(2018, 1, 2), True),      # the US WEED listed in 2022
    ("ZZZZQ", date(2018, 1, 2), False),    # a symbol history.csv does not know
], ids=["before-listing", "listing-day", "delisted-holder", "word-symbol", "unknown"])
def test_nobody_held_agrees_with_resolve_on(symbol: str, day: date, expected: bool) -> None:
    assert nobody_held(symbol, "US", day) is expected
    if expected:
        assert resolve_on(SECS, symbol, "US", day)[0] == f"{symbol}@UNKNOWN"


def test_a_delisted_a_share_keeps_its_name_and_a_code_before_its_listing_is_the_code():
    assert resolve_on(SECS, "600005", "SS", date(2015, 1, 5))[:2] == ("600005@2017", "SS")
    assert resolve_on(SECS, "600005", "SS", date(2015, 1, 5))[2].name == "武钢股份"
    # Subscription talk names a new share by its code before it lists.
    assert resolve_on(SECS, "600036", "SS", date(2002, 3, 1))[2].key == "600036.SS"


def test_without_a_day_or_outside_the_dated_markets_resolution_is_todays():
    assert resolve_on(SECS, "S", None, None) == SECS.resolve("S", None)
    assert resolve_on(SECS, "0700", "HK", date(2001, 1, 1)) == SECS.resolve("0700", "HK")
    # A Hong Kong code with a listing day (NIO's, 2022-03-10) still resolves as today: the
    # day only tells which listing a Chinese name means (listed_after).
    assert resolve_on(SECS, "9866", "HK", date(2021, 6, 1)) == SECS.resolve("9866", "HK")


@pytest.mark.parametrize(("ticker", "market", "day", "after"), [
    ("9866", "HK", date(2021, 6, 1), True), ("9866", "HK", date(2022, 3, 10), False),
    ("9988", "HK", date(2019, 1, 1), True), ("9988", "HK", date(2021, 1, 1), False),
    ("0700", "HK", date(2001, 1, 1), False), ("HOOD", "US", date(2018, 1, 1), True),
], ids=["nio-hk-2021", "nio-hk-first-day", "alibaba-hk-2019", "alibaba-hk-2021",
        "no-hk-day-known", "us"])
def test_listed_after_reads_the_hong_kong_listing_days(ticker, market, day, after):
    assert listed_after(ticker, market, day) is after


def test_packaged_history_holds_every_curated_hong_kong_listing_day():
    # hk_listings.csv is the one definition; history.csv is built from it
    # (scripts/build_securities.py): a row added without a rebuild fails here.
    text = resources.files("tracker.data").joinpath("hk_listings.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 19
    for row in rows:
        days = [p.listed for p in packaged_history().periods(row["ticker"], "HK") if not p.own]
        assert days == [row["listed"]], row["ticker"]


def test_unknown_symbols_stay_as_written():
    assert resolve_on(SECS, "ZZZZQ", None, date(2017, 1, 1)) == ("ZZZZQ", None, None)


def test_reports_mark_delisted_and_unknown_keys():
    assert holder_mark("S@2020") == " (delisted 2020)"
    assert holder_mark("S@UNKNOWN") == " (no listing on the day)"
    assert holder_mark("S") == ""
    assert holder_mark("600005@2017.SS") == " (delisted 2017)"
    assert holder_mark("BRK.B") == ""


def test_history_file_errors_name_the_line():
    with pytest.raises(ConfigError, match="h.csv: header"):
        SymbolHistory("a,b\n", "h.csv")
    history = SymbolHistory("ticker,market,listed,delisted,own,kind,name\n"
                            "A,US,2001-01-02,,,,\nS,US\n", "h.csv")
    assert [p.listed for p in history.periods("A", "US")] == ["2001-01-02"]
    with pytest.raises(ConfigError, match="h.csv:3:"):
        history.periods("S", "US")


def test_history_lookups_find_every_holder_of_a_symbol_and_no_other():
    text = ("ticker,market,listed,delisted,own,kind,name\n"
            "600005,SS,1999-08-03,2017-02-14,600005@2017,equity,武钢股份\n"
            "A,US,2001-01-02,,,,\nS,US,1984-11-08,2020-04-01,S@2020,equity,\"Sprint, Corp\"\n"
            "S,US,2021-06-30,,,,\nSA,US,2005-01-03,,,,\n")
    history = SymbolHistory(text, "h.csv")
    assert [(p.own, p.name) for p in history.periods("S", "US")] == [
        ("S@2020", "Sprint, Corp"), ("", "")]
    assert history.periods("S", "SS") == [] and history.periods("B", "US") == []
    assert history.periods("600005", "SS")[0].name == "武钢股份"


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\r\nb\rc\n\nd", "x\u2028y\x85z\x1c\f\v", "\n\n"],
                         ids=["empty", "one", "one-ended", "crlf-cr-blank", "unicode-breaks", "blanks"])
def test_history_lines_are_splitlines(text: str) -> None:
    # SymbolHistory reads its lines as slices of the text it holds (_Lines).
    lines = _Lines(text)
    assert len(lines) == len(text.splitlines())
    assert [lines[i] for i in range(len(lines))] == text.splitlines()


def test_history_lookups_read_a_crlf_file_as_its_lines() -> None:
    text = ("ticker,market,listed,delisted,own,kind,name\r\n"
            "S,US,1984-11-08,2020-04-01,S@2020,equity,Sprint\r\nS,US,2021-06-30,,,,\r\n")
    assert [p.own for p in SymbolHistory(text, "h.csv").periods("S", "US")] == ["S@2020", ""]


def test_packaged_history_covers_the_issue_symbols():
    history = packaged_history()
    assert isinstance(history, SymbolHistory)
    assert [p.own for p in history.periods("S", "US")] == ["S@2020", ""]


def test_a_2017_post_reports_sprint_not_sentinelone(analyzer: Analyzer):
    post = analyzer.analyze(RawPost("st.jsonl", "$S and $TRXC ripping today",
                                    published_field="2017-05-02T14:00:00Z"))
    assert [(m.ticker, m.market, m.name) for m in post.mentions] == [
        ("S@2020", "US", "Sprint Corp"), ("ASXC@2024", "US", "TransEnterix Inc")]
    post = analyzer.analyze(RawPost("st.jsonl", "$S ripping today",
                                    published_field="2026-05-02T14:00:00Z"))
    assert [(m.ticker, m.name) for m in post.mentions] == [("S", "SentinelOne, Inc.")]


def test_a_day_resolver_answers_as_resolve_on_until_the_list_changes() -> None:
    secs = load_securities()  # a copy: add() below changes only it
    resolver = DayResolver(secs)
    day = date(2017, 5, 2)
    for symbol, market, on in (("S", None, day), ("S", None, None), ("AAPL", "US", day),
                               ("600519", "SS", day), ("ZZQQ", None, day)):
        assert resolver(symbol, market, on) == resolve_on(secs, symbol, market, on)
    assert resolver("ZZQQ", "US", None)[2] is None
    secs.add(Security("ZZQQ", "US", "Zed Quux Corp"))
    found = resolver("ZZQQ", "US", None)
    assert found == resolve_on(secs, "ZZQQ", "US", None)
    assert found[2] is not None and found[2].name == "Zed Quux Corp"
