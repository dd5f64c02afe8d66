"""scripts/build_securities.py on small listings written in tmp_path, one per source format."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from tracker.extract.securities import UNIVERSE_COLUMNS, read_universe_csv

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_securities.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_securities", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is made.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _csv(path: Path, rows: list[list[str]], bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(("\ufeff" if bom else "") + out.getvalue(), "utf-8")


def _xlsx(path: Path, rows: list[list[str]]) -> None:
    """A minimal .xlsx: one sheet of inline strings, as spreadsheet programs can write it."""
    def cell(col: int, r: int, value: str) -> str:
        ref = chr(65 + col) + str(r)
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    body = "".join(
        f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(row) if v) + "</row>"
        for r, row in enumerate(rows, start=1))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{body}</sheetData></worksheet>")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def _fd(raw: Path, exchange: str, rows: list[list[str]]) -> None:
    _csv(raw / "JerBouma/FinanceDatabase/database/equities" / f"{exchange}.csv",
         [["symbol", "name", "summary", "delisted"], *rows])


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    _csv(raw / "datasets/nasdaq-listings/data/nasdaq-listed-symbols.csv", [
        ["Symbol", "Company Name", "Security Name", "Market Category", "Test Issue",
         "Financial Status", "Round Lot Size", "ETF", "NextShares"],
        ["TSLA", "Tesla, Inc. ", "Tesla, Inc.  - Common Stock", "Q", "N", "N", "100", "N", "N"],
        ["QQQ", "Invesco QQQ Trust, Series 1", "Invesco QQQ Trust, Series 1", "G", "N", "N",
         "100", "Y", "N"],
        ["ABCDW", "Abcd Acquisition", "Abcd Acquisition - Warrant", "G", "N", "N", "100", "N",
         "N"],
        ["ZXZZT", "Test", "Test Issue - Common Stock", "G", "Y", "N", "100", "N", "N"],
        ["File Creation Time: 0731202621:31", "", "", "", "", "", "", "", ""],
    ])
    _csv(raw / "datasets/nyse-other-listings/data/other-listed.csv", [
        ["ACT Symbol", "Company Name", "Security Name", "Exchange", "CQS Symbol", "ETF",
         "Round Lot Size", "Test Issue", "NASDAQ Symbol"],
        ["BRK.B", "Berkshire Hathaway Inc. New Common Stock",
         "Berkshire Hathaway Inc. New Common Stock", "N", "BRK.B", "N", "40", "N", "BRK.B"],
        ["BABA", "x", "Alibaba Group Holding Limited American Depositary Shares each "
         "representing eight Ordinary share", "N", "BABA", "N", "100", "N", "BABA"],
        ["ABR$D", "Arbor 6.375% Preferred", "Arbor 6.375% Series D Preferred Stock", "N",
         "ABRpD", "N", "100", "N", "ABR-D"],
        ["SPY", "SPDR S&P 500 ETF Trust", "SPDR S&P 500 ETF Trust", "P", "SPY", "Y", "100",
         "N", "SPY"],
    ])
    _csv(raw / "yzq129/quant-factor/stock_basic.csv", [
        ["ts_code", "symbol", "name", "area", "industry", "cnspell", "market", "list_date",
         "act_name", "act_ent_type"],
        ["600036.SH", "600036", "招商银行", "深圳", "银行", "ZSYH", "主板", "20020409", "", ""],
        ["000002.SZ", "000002", "万科Ａ", "深圳", "全国地产", "WKA", "主板", "19910129", "", ""],
        ["000004.SZ", "000004", "*ST国华", "深圳", "", "", "主板", "19901201", "", ""],
        ["688795.SH", "688795", "摩尔线程-U", "北京", "", "", "科创板", "20251205", "", ""],
        ["920185.BJ", "920185", "贝特瑞", "深圳", "", "", "北交所", "20151223", "", ""],
    ])
    _xlsx(raw / "marszhongx/stock-data/szse_a_share_list.xlsx", [
        ["板块", "公司全称", "英文名称", "A股代码", "A股简称"],
        ["主板", "万科企业股份有限公司", "CHINA VANKE CO., LTD.", "000002", "万  科Ａ"]])
    _xlsx(raw / "1nchaos/adata/tests/utils/sh.xlsx", [
        ["A股代码", "B股代码", "证券简称", "扩位证券简称", "公司英文全称", "上市日期"],
        ["600036", "-", "招商银行", "招商银行", "China Merchants Bank Co.,Ltd.", "20020409"]])
    _fd(raw, "SHH", [["688795.SS", "Moore Threads Technology Co., Ltd.", "", "False"]])
    _fd(raw, "SHZ", [["000002.SZ", "China Vanke Co., Ltd.", "", "False"]])
    _xlsx(raw / "HugoYau/Technical-Analysis-Bot/ListOfSecurities.xlsx", [
        ["List of Securities"], ["Updated as at 11/07/2025"],
        ["Stock Code", "Name of Securities", "Category", "Sub-Category"],
        ["00700", "TENCENT", "Equity", "Equity Securities (Main Board)"],
        ["02800", "TRACKER FUND", "Exchange Traded Products", "Exchange Traded Funds"],
        ["12345", "HS#TENCTRC2601A", "Callable Bull/Bear Contracts", ""]])
    _fd(raw, "HKG", [["0700.HK", "Tencent Holdings Limited", "", "False"]])
    for name, code, zh, en in (("t187ap03_L.csv", "2330", "台積電", "TSMC"),
                               ("t187ap03_O.csv", "6488", "環球晶", "GWC")):
        _csv(raw / "damentsai/stock_analysis" / name,
             [["出表日期", "公司代號", "公司名稱", "公司簡稱", "英文簡稱"],
              ["1131029", code, zh + "股份有限公司", zh, en]], bom=True)
    _csv(raw / "mlouielu/twstock/twstock/codes/twse_equities.csv", [
        ["type", "code", "name", "ISIN", "start", "market", "group", "CFI"],
        ["股票", "2330", "台積電", "TW0002330008", "1994/09/05", "上市", "半導體業", "ESVUFR"],
        ["ETF", "0050", "元大台灣50", "TW0000050004", "2003/06/30", "上市", "", "CEOGEU"],
        ["上市認購(售)權證", "030001", "台積電元大5A購01", "", "", "上市", "", "RWSCCA"]])
    _csv(raw / "mlouielu/twstock/twstock/codes/tpex_equities.csv", [
        ["type", "code", "name", "ISIN", "start", "market", "group", "CFI"],
        ["股票", "6488", "環球晶", "TW0006488000", "2015/09/25", "上櫃", "半導體業", "ESVUFR"]])
    _fd(raw, "TAI", [])
    _fd(raw, "TWO", [["6488.TWO", "GlobalWafers Co., Ltd.", "", "False"]])
    path = raw / "umihico/kabu-json-all-stock-list/all_stocks.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([{"コード": "7203", "銘柄名": "トヨタ自動車"},
                                {"コード": "1306", "銘柄名": "ＮＥＸＴ ＦＵＮＤＳ ＴＯＰＩＸ連動型上場投信"},
                                {"コード": "130A", "銘柄名": "Ｖｅｒｉｔａｓ　Ｉｎ　Ｓｉｌｉｃｏ"}],
                               ensure_ascii=False), "utf-8")
    _fd(raw, "JPX", [["7203.T", "Toyota Motor Corporation", "", "False"]])
    _fd(raw, "KSC", [["005930.KS", "Samsung Electronics Co., Ltd.", "", "False"],
                     ["000001.KS", "Gone Co.", "", "True"]])
    _fd(raw, "KOE", [["247540.KQ", "Ecopro BM. Co., Ltd.", "", "False"]])
    crypto = raw / "pypi/akshare-1.19.5/akshare/data/crypto_info.zip"
    crypto.parent.mkdir(parents=True)
    with zipfile.ZipFile(crypto, "w") as z:
        z.writestr("crypto_info.csv", "symbol,name,name_trans,sml_id,related_pair_ID\n"
                   "BTC,Bitcoin,比特币,25609848,1057391\nSOL,Solana,Solana,28621291,1177183\n"
                   "SOL,Wrapped Solana,Wrapped Solana,,\nGME,GameStop tokenized stock,x,,\n")
    history = raw / "history"
    _csv(history / "us_listing_status_active.csv", [
        ["symbol", "name", "exchange", "assetType", "ipoDate", "delistingDate", "status"],
        ["TSLA", "Tesla Inc", "NASDAQ", "Stock", "2010-06-29", "null", "Active"],
        ["SPY", "SPDR S&P 500 ETF TRUST", "NYSE ARCA", "ETF", "1993-01-29", "null", "Active"],
        ["BABA", "Priceline.com Inc", "NYSE", "Stock", "1999-03-31", "null", "Active"],
        ["BRK-B", "Berkshire Hathaway Inc", "NYSE", "Stock", "1996-05-09", "null", "Active"]])
    _csv(history / "us_listing_status_delisted.csv", [
        ["symbol", "name", "exchange", "assetType", "ipoDate", "delistingDate", "status"],
        ["TSLA", "Old Tesla Co", "NYSE", "Stock", "1990-01-02", "2001-03-04", "Delisted"],
        ["ASXC", "Asensus Surgical Inc", "NYSE MKT", "Stock", "1992-11-12", "2024-08-22",
         "Delisted"],
        ["QQQ", "Invesco QQQ", "NASDAQ", "ETF", "1999-03-10", "2026-04-09", "Delisted"],
        ["SPY", "SPDR S&P 500 ETF Trust", "NYSE", "ETF", "1990-02-01", "1993-01-02", "Delisted"],
        ["GONE", "Gone Inc", "NYSE", "Stock", "2001-01-02", "2026-04-09", "Delisted"],
        ["ABCDW", "Abcd Warrant", "NYSE", "Warrant", "2001-01-02", "2002-01-02", "Delisted"]])
    _csv(history / "a_share_stock_basic.csv", [
        ["code", "code_name", "ipoDate", "outDate", "type", "status"],
        ["sh.600036", "招商银行", "2002-04-09", "", "1", "1"],
        # An earlier list's names: 国华's former ST国农; 贝特瑞 listed as 万科A, which 000002
        # goes by, so it is not taken for 贝特瑞's.
        ["sz.000004", "ST国农", "1991-01-14", "", "1", "1"],
        ["bj.920185", "万科A", "2015-12-23", "", "1", "1"],
        ["sh.600005", "武钢股份", "1999-08-03", "2017-02-14", "1", "0"],
        ["sh.000001", "上证指数", "1991-07-15", "", "2", "1"],
        ["of.159001", "易方达保证金货币A", "2013-03-29", "", "5", "1"]])
    return raw


def _table(data: bytes) -> dict[tuple[str, str], dict[str, str]]:
    rows = read_universe_csv(data.decode("utf-8"), "built")
    return {(r[0], r[1]): dict(zip(UNIVERSE_COLUMNS, r, strict=True)) for r in rows}


def test_build_reads_every_source_and_filters_what_is_not_a_security(build, raw):
    rows = _table(build.render(build.build_rows(raw)))
    assert set(rows) == {
        ("TSLA", "US"), ("QQQ", "US"), ("BRK.B", "US"), ("BABA", "US"), ("SPY", "US"),
        ("600036", "SS"), ("000002", "SZ"), ("000004", "SZ"), ("688795", "SS"),
        ("920185", "BJ"), ("0700", "HK"), ("2800", "HK"), ("2330", "TW"), ("0050", "TW"),
        ("6488", "TW"), ("7203", "T"), ("1306", "T"), ("130A", "T"), ("005930", "KS"),
        ("247540", "KQ"), ("BTC", "X"), ("SOL", "X")}
    assert rows[("TSLA", "US")]["name"] == "Tesla, Inc."
    assert rows[("BRK.B", "US")]["name"] == "Berkshire Hathaway Inc."
    assert rows[("BABA", "US")]["name"] == "Alibaba Group Holding Limited"
    assert [rows[k]["kind"] for k in (("QQQ", "US"), ("2800", "HK"), ("0050", "TW"),
                                      ("1306", "T"), ("BTC", "X"))] == [
        "etf", "etf", "etf", "etf", "crypto"]
    assert rows[("600036", "SS")]["name"] == "China Merchants Bank Co.,Ltd."
    assert rows[("600036", "SS")]["listed_names"] == "招商银行"
    assert rows[("000002", "SZ")]["listed_names"] == "万科|万科A"
    # FinanceDatabase's ordinary case wins over the exchange's CHINA VANKE CO., LTD.
    assert rows[("000002", "SZ")]["name"] == "China Vanke Co., Ltd."
    assert rows[("000004", "SZ")]["name"] == "国华"
    assert rows[("000004", "SZ")]["listed_names"] == "*ST国华|国农"
    assert rows[("920185", "BJ")]["listed_names"] == ""
    assert rows[("688795", "SS")]["name"] == "Moore Threads Technology Co., Ltd."
    assert rows[("688795", "SS")]["listed_names"] == "摩尔线程|摩尔线程-U"
    assert rows[("0700", "HK")] == {"ticker": "0700", "market": "HK", "kind": "equity",
                                    "name": "Tencent Holdings Limited",
                                    "listed_names": "TENCENT", "source": "hk-hkex"}
    assert rows[("2330", "TW")]["listed_names"] == "台積電"
    assert rows[("2330", "TW")]["name"] == "TSMC"
    assert rows[("6488", "TW")]["source"] == "tw-tpex"
    assert rows[("130A", "T")]["name"] == "Veritas In Silico"
    assert rows[("SOL", "X")]["name"] == "Solana"
    assert {r["source"] for r in rows.values()} == {
        "us-nasdaq", "us-other", "cn-stock_basic", "hk-hkex", "tw-twse", "tw-tpex", "jp-jpx",
        "kr-financedatabase", "crypto-akshare"}


# In the whole suite: the build's main runs twice, each reading jieba's dictionary for the
# short names' word frequencies (0.55 s of CPU in all). Only a change to scripts/ (the build
# and short_names.py) or to jieba can fail it; the other tests here check the rows and the
# history on small inputs in the fast suite.
@pytest.mark.slow
def test_same_inputs_give_the_same_bytes(build, raw, tmp_path):
    first, second = tmp_path / "one.csv", tmp_path / "folder"
    second.mkdir()  # --out a folder: universe.csv and the others in it, as the docs say
    renames = tmp_path / "renames.csv"
    renames.write_text("former,market,ticker,name,until\nTRXC,US,ASXC,TransEnterix Inc,\n",
                       "utf-8")
    assert build.main([str(raw), "--out", str(first), "--renames", str(renames)]) == 0
    assert build.main([str(raw), "--out", str(second), "--renames", str(renames)]) == 0
    assert first.read_bytes() == (second / "universe.csv").read_bytes()
    assert (second / "history.csv").read_bytes() == (tmp_path / "history.csv").read_bytes()
    assert first.read_bytes() == build.render(build.build_rows(raw))
    assert (tmp_path / "history.csv").read_bytes() == build.render_history(
        build.history_rows(raw, build.build_rows(raw), renames))
    shorts = (tmp_path / "zh_short_names.csv").read_text("utf-8").splitlines()
    assert shorts[0] == "ticker,market,industry,shorts,words"
    assert "000002,SZ,全国地产,万科," in shorts  # a two-character listed name is a short form
    assert not list(tmp_path.glob("*.tmp"))


def test_history_dates_each_holder_and_keys_the_delisted_apart(build, raw, tmp_path):
    renames = tmp_path / "renames.csv"
    renames.write_text("former,market,ticker,name\nTRXC,US,ASXC,TransEnterix Inc\n", "utf-8")
    rows = build.history_rows(raw, build.build_rows(raw), renames)
    assert rows == [
        ("920185", "BJ", "2015-12-23", "", "", "", ""),
        ("600005", "SS", "1999-08-03", "2017-02-14", "600005@2017", "equity", "武钢股份"),
        ("600036", "SS", "2002-04-09", "", "", "", ""),
        ("000004", "SZ", "1991-01-14", "", "", "", ""),
        ("ASXC", "US", "1992-11-12", "2024-08-22", "ASXC@2024", "equity", "Asensus Surgical Inc"),
        # BRK-B is the listings' BRK.B; BABA's listing day is another company's (Priceline),
        # so it is left out; QQQ, still listed and absent from the active list, was not
        # delisted on the placeholder day: listed since that row's first day.
        ("BRK.B", "US", "1996-05-09", "", "", "", ""),
        ("GONE", "US", "2001-01-02", "2026-04-09", "GONE@2026", "equity", "Gone Inc"),
        ("QQQ", "US", "1999-03-10", "", "", "", ""),
        # SPY left and came back under its name: one listing, from its first day.
        ("SPY", "US", "1990-02-01", "", "", "", ""),
        ("TRXC", "US", "1992-11-12", "2024-08-22", "ASXC@2024", "equity", "TransEnterix Inc"),
        ("TSLA", "US", "1990-01-02", "2001-03-04", "TSLA@2001", "equity", "Old Tesla Co"),
        ("TSLA", "US", "2010-06-29", "", "", "", ""),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("former,market,ticker,name\nXX,US,NOPE,Nope\n", "utf-8")
    with pytest.raises(build.BuildError, match=r"bad\.csv: NOPE\.US is not a delisted"):
        build.history_rows(raw, build.build_rows(raw), bad)


def test_renames_give_a_changed_symbol_to_the_company_that_changed_it(build, raw, tmp_path):
    renames = tmp_path / "renames.csv"
    renames.write_text(
        "former,market,ticker,name,until\n"
        # The listings date Gone Inc's time on GONE: that row takes Tesla's key and the name.
        "GONE,US,TSLA,Gone Inc (now Tesla),\n"
        # They hold nothing of TSLQ: from Tesla's listing day to the dump's.
        "TSLQ,US,TSLA,Tesla Motors,\n"
        # SPY, today's holder, listed before Tesla: the day it took the symbol is needed.
        "SPY,US,TSLA,Tesla Motors,2012-01-02\n", "utf-8")
    rows = build.history_rows(raw, build.build_rows(raw), renames)
    assert [r for r in rows if r[4] == "TSLA"] == [
        ("GONE", "US", "2001-01-02", "2026-04-09", "TSLA", "equity", "Gone Inc (now Tesla)"),
        ("SPY", "US", "2010-06-29", "2012-01-02", "TSLA", "equity", "Tesla Motors"),
        ("TSLQ", "US", "2010-06-29", "2026-04-09", "TSLA", "equity", "Tesla Motors"),
    ]
    assert not [r for r in rows if r[4] == "GONE@2026"]
    for bad, message in (("SPY,US,TSLA,Tesla Motors,\n", r"SPY: today's holder .* \(until\)"),
                         ("SPY,US,TSLA,Tesla Motors,2012\n", r"SPY: until '2012' is not"),
                         ("XX,US,NOPE,Nope,\n", r"NOPE\.US is not a delisted")):
        renames.write_text("former,market,ticker,name,until\n" + bad, "utf-8")
        with pytest.raises(build.BuildError, match=r"renames\.csv: " + message):
            build.history_rows(raw, build.build_rows(raw), renames)


def _add_two_oldx_holders(raw: Path) -> None:
    """Two delisted holders of OLDX in the raw delisted list: 1990-2000 and 2003-2005."""
    gone = raw / "history" / "us_listing_status_delisted.csv"
    with gone.open("a", encoding="utf-8") as out:
        out.write("OLDX,Old X Corp,NYSE,Stock,1990-01-02,2000-06-30,Delisted\n"
                  "OLDX,Between Corp,NYSE,Stock,2003-01-02,2005-01-03,Delisted\n")


def test_renames_since_gives_a_symbol_between_two_holders(build, raw, tmp_path):
    # A listing row within Tesla's years on OLDX gives way to them (Healthpeak's PEAK, which
    # the data dates 2023-01-03 to 2023-02-17); a row before `since` stays its own holder's
    # (Randgold's GOLD, before Barrick's).
    _add_two_oldx_holders(raw)
    renames = tmp_path / "renames.csv"
    renames.write_text("former,market,ticker,name,since,until\n"
                       "OLDX,US,TSLA,Tesla Motors,2001-01-02,2012-01-02\n", "utf-8")
    rows = [r for r in build.history_rows(raw, build.build_rows(raw), renames)
            if r[0] == "OLDX"]
    assert rows == [("OLDX", "US", "1990-01-02", "2000-06-30", "OLDX@2000", "equity",
                     "Old X Corp"),
                    ("OLDX", "US", "2001-01-02", "2012-01-02", "TSLA", "equity",
                     "Tesla Motors")]
    for bad, message in ((",2001-01-02,\n", r"since 2001-01-02 needs a later until"),
                         (",2012-01-02,2001-01-02\n", r"since 2012-01-02 needs a later until"),
                         (",2001,2012-01-02\n", r"since '2001' is not")):
        renames.write_text("former,market,ticker,name,since,until\nOLDX,US,TSLA,Tesla Motors"
                           + bad, "utf-8")
        with pytest.raises(build.BuildError, match=r"renames\.csv: OLDX: " + message):
            build.history_rows(raw, build.build_rows(raw), renames)


def test_renames_since_overlapping_a_listing_row_stops_the_build(build, raw, tmp_path):
    # A listing row that begins before `since` and ends after it, or begins within the days
    # and ends after `until`, stays; both rows would hold the symbol on the days they share,
    # and the earlier-listed one, not renames.csv's, would be read there. The build says so.
    _add_two_oldx_holders(raw)
    renames = tmp_path / "renames.csv"
    for days, row in ((",1999-01-04,2002-01-02", "OLDX@2000 (1990-01-02 to 2000-06-30)"),
                      (",2001-01-02,2004-01-02", "OLDX@2005 (2003-01-02 to 2005-01-03)")):
        renames.write_text("former,market,ticker,name,since,until\nOLDX,US,TSLA,Tesla Motors"
                           + days + "\n", "utf-8")
        with pytest.raises(build.BuildError, match=r"renames\.csv: OLDX: since .* overlaps "
                           r"another holder's days, " + re.escape(row)):
            build.history_rows(raw, build.build_rows(raw), renames)


def test_history_dates_a_listed_symbol_the_dump_lacks_after_the_dump(build, raw, tmp_path):
    # QQQ is listed today and absent from the dump of 2026-04-09. Its row in the delisted
    # list, under today's name, dates it (Regis's RGS, "delisted" on the dump's day); without
    # that row it came after the dump. A curated row keeps no such day; TSLA keeps the dump's.
    curated = tmp_path / "curated.csv"
    curated.write_text("ticker,market,name,listings\nQQQ,US,Invesco QQQ,\n", "utf-8")
    empty = tmp_path / "renames.csv"
    empty.write_text("former,market,ticker,name\n", "utf-8")

    def days_listed(**kw: Path) -> dict[str, str]:
        return {r[0]: r[2] for r in build.history_rows(raw, build.build_rows(raw), empty, **kw)
                if not r[4] and r[1] == "US"}

    assert days_listed()["QQQ"] == "1999-03-10"
    gone = raw / "history" / "us_listing_status_delisted.csv"
    gone.write_text("".join(line for line in gone.read_text("utf-8").splitlines(True)
                            if not line.startswith("QQQ,")), "utf-8")
    days = days_listed()
    assert days["QQQ"] == "2026-04-10"
    assert days["TSLA"] < "2026"
    assert "QQQ" not in days_listed(curated_path=curated)


def test_history_keeps_the_holders_the_active_list_has_and_the_listings_lack(build, raw,
                                                                             tmp_path):
    # Trading on the raw active list's day (2026-04-09) and in no later listing: a holder
    # until that day, keyed apart, without its name (gone_names.py would read it).
    active = raw / "history" / "us_listing_status_active.csv"
    with active.open("a", encoding="utf-8") as out:
        out.write("JNPR,Juniper Networks Inc,NYSE,Stock,1999-06-25,null,Active\n"
                  "IEP,Icahn Enterprises L P,NASDAQ,Stock,1987-07-24,null,Active\n"
                  "ITUB,Itau Unibanco Holding S.A.,NYSE,Stock,2002-02-21,null,Active\n"
                  "EM,Smart Share Global Ltd,NASDAQ,Stock,2021-04-01,null,Active\n"
                  "ABCDW,Abcd Corp - Warrants (01/01/2030),NASDAQ,Stock,2021-01-04,null,Active\n"
                  "ZVZZT,NASDAQ TEST STOCK,NASDAQ,Stock,2017-09-22,null,Active\n"
                  "OOPS,,NASDAQ,Stock,2017-09-22,null,Active\n"
                  "MOAT:BAT,Market Vectors Wide Moat Etf,BATS,Stock,2026-03-31,null,Active\n"
                  "MYD,BlackRock MuniYield Fund Inc,NYSE,ETF,1991-12-19,null,Active\n")
    curated = tmp_path / "curated.csv"
    curated.write_text("ticker,market,name,listings\nITUB,US,Itau Unibanco,\n", "utf-8")
    empty = tmp_path / "renames.csv"
    empty.write_text("former,market,ticker,name\n", "utf-8")
    rows = build.history_rows(raw, build.build_rows(raw), empty, curated_path=curated)
    added = [r for r in rows if r[0] in ("JNPR", "IEP", "ITUB", "EM", "ABCDW", "ZVZZT", "OOPS",
                                         "MOAT:BAT", "MYD")]
    # Not the curated ITUB (its own key), a two-letter symbol, a warrant, a test issue, a row
    # without a name, a symbol that is none, or a fund (MYD).
    assert added == [
        ("IEP", "US", "1987-07-24", "2026-04-09", "IEP@2026", "equity", ""),
        ("JNPR", "US", "1999-06-25", "2026-04-09", "JNPR@2026", "equity", ""),
    ]


def test_history_gives_the_curated_hong_kong_listing_days(build, raw, tmp_path):
    days = tmp_path / "hk_listings.csv"
    days.write_text("ticker,listed,company,source\n0700,2004-06-16,Tencent,HKEX: listing\n"
                    "9988,2019-11-26,Alibaba,HKEX: secondary listing\n", "utf-8")
    empty = tmp_path / "renames.csv"
    empty.write_text("former,market,ticker,name\n", "utf-8")
    rows = build.history_rows(raw, build.build_rows(raw), empty, days)
    # 9988 is no listing of this universe: no row, as for a US symbol the universe lacks.
    assert [r for r in rows if r[1] == "HK"] == [("0700", "HK", "2004-06-16", "", "", "", "")]
    assert build.hk_listing_days(days) == {"0700": "2004-06-16", "9988": "2019-11-26"}
    for bad in ("9988,2019,Alibaba,HKEX\n", "9988,2019-11-26,Alibaba,\n",
                "9988,2019-11-26,Alibaba,HKEX\n9988,2019-11-27,Alibaba,HKEX\n"):
        days.write_text("ticker,listed,company,source\n" + bad, "utf-8")
        with pytest.raises(build.BuildError, match=r"hk_listings\.csv:[23]: "):
            build.hk_listing_days(days)


def test_curated_hong_kong_listings_without_a_day_are_reported(build, tmp_path):
    curated = tmp_path / "curated.csv"
    curated.write_text("ticker,market,name,listings\nBIDU,US,Baidu,9888.HK\nNIO,US,NIO,9866.HK\n"
                       "0700,HK,Tencent,TCEHY.US\n601318,SS,Ping An,2318.HK\n", "utf-8")
    # A Hong Kong home (Tencent) or an A-share (Ping An) comes first in a Chinese post
    # whatever the day: only a later Hong Kong listing of a company listed elsewhere needs one.
    assert build.undated_hk_listings(curated, {"9888": "2021-03-23"}) == ["9866.HK"]


def test_packaged_hong_kong_listing_days_cover_the_curated_listings(build):
    data = build.ROOT / "tracker" / "data"
    assert build.undated_hk_listings(data / "securities.csv", build.hk_listing_days()) == []


def test_an_out_in_no_folder_is_an_error_before_the_build(build, raw, tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "universe.csv"
    assert build.main([str(raw), "--out", str(out)]) == 1
    assert f"no folder {out.parent} to write it in" in capsys.readouterr().err
    assert not out.parent.exists()


def test_missing_listing_is_an_error_naming_the_file(build, raw, tmp_path, capsys):
    (raw / "yzq129/quant-factor/stock_basic.csv").unlink()
    out = tmp_path / "out.csv"
    assert build.main([str(raw), "--out", str(out)]) == 1
    assert "stock_basic.csv" in capsys.readouterr().err
    assert not out.exists()


def test_changed_header_is_an_error_naming_the_file_and_column(build, raw):
    _xlsx(raw / "HugoYau/Technical-Analysis-Bot/ListOfSecurities.xlsx",
          [["x"], ["y"], ["Code", "Name of Securities", "Category"]])
    with pytest.raises(build.BuildError, match=r"ListOfSecurities\.xlsx: header lacks Stock Code"):
        build.build_rows(raw)


def test_curated_keys_missing_from_the_listings_are_reported(build, raw, tmp_path):
    curated = tmp_path / "curated.csv"
    curated.write_text("ticker,market,name,listings\nTSLA,US,Tesla,\nBIDU,US,Baidu,9888.HK\n"
                       "SPACEX,,SpaceX,\n", "utf-8")
    rows = build.build_rows(raw)
    assert build.unknown_curated_keys(rows, [curated]) == ["BIDU.US", "9888.HK"]


@pytest.mark.parametrize(("security", "name"), [
    ("Energy Transfer LP Common Units", "Energy Transfer LP"),
    ("Icahn Enterprises L.P. - Depositary Units representing Limited Partner Interests",
     "Icahn Enterprises L.P."),
    ("Brookfield Renewable Partners L.P. Limited Partnership Units",
     "Brookfield Renewable Partners L.P."),
    ("Greystone Housing Impact Investors LP Beneficial Unit Certificates representing "
     "assignments of limited partnership interests", "Greystone Housing Impact Investors LP"),
    ("Tesla, Inc. - Common Stock", "Tesla, Inc."),
])
def test_a_partnerships_units_are_its_shares(build, security: str, name: str) -> None:
    # The word "units" dropped them with the SPACs' units: Energy Transfer, MPLX and 32 more
    # partnerships were in no list (docs/mentions.md, sixteenth round: what it measured).
    assert not build._not_share(security)
    assert build._us_name(security) == name


@pytest.mark.parametrize("security", [
    "Acme Acquisition Corp - Units",
    "Acme Acquisition Corp Unit, each consisting of one share of Class A common stock and "
    "one-half of one warrant",
    "NGL ENERGY PARTNERS LP 9.00% Class B Fixed-to-Floating Rate Cumulative Redeemable "
    "Perpetual Preferred Units representing limited partnership interests",
    "Acme Corp - Warrant", "Acme Corp - Rights",
])
def test_units_warrants_rights_and_preferreds_are_not_shares(build, security: str) -> None:
    assert build._not_share(security)
