"""Build the listed-securities universe (tracker/data/universe.csv) from public listings.

    python scripts/build_securities.py [RAW] [--out tracker/data/universe.csv]

It writes history.csv beside the universe file: who held each US and A-share symbol when,
from RAW/history/, and the day each curated Hong Kong listing of a company listed first
elsewhere began, from tracker/data/hk_listings.csv (docs/securities.md, "Point in time").

RAW is the folder of unchanged public listings laid out as `<owner>/<repo>/<path>`
(default ../shared/securities/raw, next to the repository); its SOURCES.md, one level up,
records where and when each file was taken. docs/securities.md says what comes from where.

The output is a plain UTF-8 CSV, one row per listed security, sorted by market and ticker,
with the columns of `tracker.extract.securities.UNIVERSE_COLUMNS`. Plain CSV because it is the
fastest of the formats we measured to load (docs/securities.md), git shows its changes line
by line, and the same inputs give the same bytes on any machine.

The curated lists (tracker/data/securities.csv, tracker/data/instruments.csv) are not
copied in: the loader lays them over this file at run time, so editing them needs no
rebuild. The build reads them only to report curated keys that no listing knows.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from short_names import jieba_frequencies, short_forms  # noqa: E402  (scripts/, on the path above)

from tracker.extract.history import HISTORY_COLUMNS, delisted_key  # noqa: E402
from tracker.extract.markets import A_SHARE_EXCHANGES  # noqa: E402
from tracker.extract.securities import (  # noqa: E402  (the repository root must be on the path first)
    UNIVERSE_COLUMNS,
    canonical_hk,
    read_securities_csv,
)
from tracker.extract.short_names import SHORT_NAME_COLUMNS  # noqa: E402

DEFAULT_RAW = ROOT.parent / "shared" / "securities" / "raw"
DEFAULT_OUT = ROOT / "tracker" / "data" / "universe.csv"


class BuildError(Exception):
    """A listing file is missing or not in the shape this script reads."""


@dataclass
class Row:
    """One listed security as the build assembles it."""

    ticker: str
    market: str
    kind: str
    name: str
    source: str
    listed_names: list[str] = field(default_factory=list)

    def add_name(self, name: str) -> None:
        name = _clean(name)
        if name and name != self.name and name not in self.listed_names:
            self.listed_names.append(name)


def _clean(text: str) -> str:
    # NFKC turns full-width letters and spaces (万  科Ａ, ＮＥＸＴ) into plain ones.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


# --- file readers -------------------------------------------------------------------------

_XL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx(path: Path) -> list[list[str]]:
    """The first sheet of an .xlsx file as rows of strings (the standard library suffices)."""
    try:
        book = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BuildError(f"{path}: not a readable .xlsx file: {exc}") from exc
    with book:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(_XL + "t"))
                      for si in root.iter(_XL + "si")]
        sheet = sorted(n for n in book.namelist() if n.startswith("xl/worksheets/sheet"))[0]
        rows: list[list[str]] = []
        with book.open(sheet) as fh:
            for _, el in ElementTree.iterparse(fh):
                if el.tag != _XL + "row":
                    continue
                cells: dict[int, str] = {}
                for c in el.iter(_XL + "c"):
                    kind, v = c.get("t"), c.find(_XL + "v")
                    if kind == "s" and v is not None and v.text is not None:
                        value = shared[int(v.text)]
                    elif kind == "inlineStr":
                        value = "".join(t.text or "" for t in c.iter(_XL + "t"))
                    else:
                        value = v.text or "" if v is not None else ""
                    cells[_column(c.get("r", "A"))] = value
                el.clear()
                rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
        return rows


def _column(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group():  # type: ignore[union-attr]
        n = n * 26 + ord(ch) - 64
    return n - 1


def _csv(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: cannot read: {exc}") from exc
    return list(csv.DictReader(io.StringIO(text)))


def _table(rows: list[list[str]], header_row: int, path: Path,
           needed: Iterable[str]) -> list[dict[str, str]]:
    if len(rows) <= header_row:
        raise BuildError(f"{path}: no header on row {header_row + 1}")
    header = [h.strip() for h in rows[header_row]]
    missing = [n for n in needed if n not in header]
    if missing:
        raise BuildError(f"{path}: header lacks {', '.join(missing)}")
    return [dict(zip(header, r, strict=False)) for r in rows[header_row + 1:] if any(r)]


def _need(row: dict[str, str], column: str, path: Path) -> str:
    if column not in row:
        raise BuildError(f"{path}: no column {column!r}")
    return (row[column] or "").strip()


# --- United States ------------------------------------------------------------------------

# Not a share or fund: warrants, units, rights, preferreds, notes (Nasdaq Trader lists them all).
_NOT_SHARE = re.compile(
    r"\b(warrants?|units?|rights?|preferred|preference|notes?|debentures?|subordinated)\b",
    re.IGNORECASE)
# A partnership's units are its shares (Energy Transfer, MPLX, Icahn Enterprises): the word
# "units" above dropped them with the SPACs' share-and-warrant units, so 34 of them, ET and
# IEP among them, were in no list and read as delisted or not at all.
_PARTNERSHIP_UNITS = re.compile(
    r"\b(?:common|depositary|partnership) units?\b|\bunits? (?:of|representing)\b.{0,40}"
    r"\blimited (?:partner|partnership|liability)|\bunit certificates\b", re.IGNORECASE)
# What the listing appends to the company's name.
_US_SUFFIX = re.compile(
    r",?\s+(?:-\s+)?(?:(?:Class|Series) [A-Z]\s+|New\s+|Ordinary\s+)?(?:Common Stock|Common Shares|"
    r"Ordinary Shares|Capital Stock|American Depositary (?:Shares|Receipts)|ADS|"
    r"Shares of Beneficial Interest|Subordinate Voting Shares|Common Units|"
    r"(?:Operating |Limited )?Partnership Units|Depositary Units|Beneficial Unit Certificates|"
    r"Class A Depositary Receipts)\b.*$", re.IGNORECASE)


def _not_share(security: str) -> bool:
    """Whether a listing's security name is a warrant, right, preferred, note or SPAC unit."""
    if _PARTNERSHIP_UNITS.search(security) and not re.search(
            r"\b(?:preferred|preference|warrants?|rights?)\b", security, re.IGNORECASE):
        return False
    return _NOT_SHARE.search(security) is not None


def _us_name(name: str) -> str:
    name = _clean(name).split(" - ")[0]
    return _US_SUFFIX.sub("", name).strip(" ,") or _clean(name)


def us_rows(raw: Path) -> Iterator[Row]:
    """Nasdaq-listed and other-listed (NYSE, NYSE American, Arca, Cboe) shares and ETFs."""
    nasdaq = raw / "datasets/nasdaq-listings/data/nasdaq-listed-symbols.csv"
    for r in _csv(nasdaq):
        symbol = _need(r, "Symbol", nasdaq)
        if not symbol or _need(r, "Test Issue", nasdaq) != "N":
            continue  # the file's trailer line has no Test Issue
        etf = _need(r, "ETF", nasdaq) == "Y"
        if not etf and _not_share(_need(r, "Security Name", nasdaq)):
            continue
        yield Row(symbol, "US", "etf" if etf else "equity",
                  _clean(_need(r, "Company Name", nasdaq)) if not etf
                  else _clean(_need(r, "Security Name", nasdaq)), "us-nasdaq")
    other = raw / "datasets/nyse-other-listings/data/other-listed.csv"
    for r in _csv(other):
        symbol = _need(r, "ACT Symbol", other)
        if not symbol or "$" in symbol or _need(r, "Test Issue", other) == "Y":
            continue  # `ABR$D` is a preferred
        etf = _need(r, "ETF", other) == "Y"
        security = _need(r, "Security Name", other)
        if not etf and _not_share(security):
            continue
        yield Row(symbol, "US", "etf" if etf else "equity",
                  _clean(security) if etf else _us_name(security), "us-other")


# --- Mainland China -----------------------------------------------------------------------

# ST, *ST and the -U/-W/-UW suffixes mark a share's status, not its name.
_A_STATUS = re.compile(r"^(?:\*?ST)|-(?:U|W|UW|UWD|WD|D)$|[ＡAＢB]$")


def a_share_rows(raw: Path) -> Iterator[Row]:
    """A-shares listed in Shanghai, Shenzhen and Beijing, with English names where known."""
    basic = raw / "yzq129/quant-factor/stock_basic.csv"
    # FinanceDatabase first: its names are in ordinary case, where the exchanges' lists often
    # shout (WULIANGYE YIBIN CO.,LTD.); the exchanges fill in the rest.
    english: dict[tuple[str, str], str] = {}
    for market, fd in (("SS", "SHH"), ("SZ", "SHZ")):
        for code, name in _financedatabase(raw, fd).items():
            english.setdefault((code.partition(".")[0], market), name)
    szse = raw / "marszhongx/stock-data/szse_a_share_list.xlsx"
    for r in _table(read_xlsx(szse), 0, szse, ("A股代码", "英文名称")):
        english.setdefault((r["A股代码"].strip(), "SZ"), _clean(r["英文名称"]))
    sse = raw / "1nchaos/adata/tests/utils/sh.xlsx"
    for r in _table(read_xlsx(sse), 0, sse, ("A股代码", "公司英文全称")):
        english.setdefault((r["A股代码"].strip(), "SS"), _clean(r["公司英文全称"]))
    rows = []
    for _r, code, market, short, bare in _a_share_basic(basic):
        row = Row(code, market, "equity", english.get((code, market)) or bare, "cn-stock_basic")
        row.add_name(bare)
        row.add_name(short)
        rows.append(row)
    # The short name an older list gave the share (华夏幸福, 600340's until it became
    # *ST华幸): posts written then use it. Not where another share goes by it today.
    taken = {n for row in rows for n in (row.name, *row.listed_names)}
    former = _a_share_former_names(raw)
    for row in rows:
        name = former.get((row.ticker, row.market))
        if name and name not in taken:
            row.add_name(name)
    yield from rows


def _a_share_former_names(raw: Path) -> dict[tuple[str, str], str]:
    """(code, market) -> the short name, without its status marks, that the history's
    A-share list (baostock's, of an earlier day than stock_basic) gives each share."""
    basic = raw / "history" / "a_share_stock_basic.csv"
    names = {}
    for r in _csv(basic):
        prefix, _, code = _need(r, "code", basic).partition(".")
        market = _HISTORY_A.get(prefix)
        if market is not None and _need(r, "type", basic) == "1":
            name = _clean(_need(r, "code_name", basic))
            names[(code, market)] = _A_STATUS.sub("", name).strip() or name
    return names


def a_share_industries(raw: Path) -> Iterator[tuple[str, str, str, str]]:
    """(code, market, short name without its status marks, industry) per listed A-share."""
    basic = raw / "yzq129/quant-factor/stock_basic.csv"
    for r, code, market, _short, bare in _a_share_basic(basic):
        yield code, market, bare, _clean(_need(r, "industry", basic))


def _a_share_basic(basic: Path) -> Iterator[tuple[dict[str, str], str, str, str, str]]:
    """Each row of the A-share basic list, with its code, market, short name and that name
    without its status marks (ST, *ST, ...)."""
    for r in _csv(basic):
        code, _, exchange = _need(r, "ts_code", basic).partition(".")
        market = A_SHARE_EXCHANGES.get(exchange)
        if market is None or not code:
            raise BuildError(f"{basic}: ts_code {r['ts_code']!r} is not CODE.SH/SZ/BJ")
        short = _clean(_need(r, "name", basic))
        yield r, code, market, short, _A_STATUS.sub("", short).strip() or short


# --- Hong Kong ----------------------------------------------------------------------------

_HK_KINDS = {"Equity": "equity", "Real Estate Investment Trusts": "equity",
             "Exchange Traded Products": "etf"}


def hk_rows(raw: Path) -> Iterator[Row]:
    """HKEX equities, REITs and exchange-traded products (not warrants, CBBCs or debt)."""
    path = raw / "HugoYau/Technical-Analysis-Bot/ListOfSecurities.xlsx"
    proper = {canonical_hk(code.partition(".")[0]): name
              for code, name in _financedatabase(raw, "HKG").items()}
    # The header sits on the sheet's third row, under a title and an "Updated as at" line.
    for r in _table(read_xlsx(path), 2, path, ("Stock Code", "Name of Securities", "Category")):
        kind = _HK_KINDS.get(r["Category"].strip())
        if kind is None:
            continue
        code = canonical_hk(r["Stock Code"].strip())
        short = _clean(r["Name of Securities"])
        row = Row(code, "HK", kind, proper.get(code) or short, "hk-hkex")
        row.add_name(short)
        yield row


# --- Taiwan -------------------------------------------------------------------------------

_TW_KINDS = {"股票": "equity", "ETF": "etf", "創新板": "equity", "臺灣存託憑證(TDR)": "equity",
             "受益證券-不動產投資信託": "equity"}


def tw_rows(raw: Path) -> Iterator[Row]:
    """TWSE and TPEx shares, ETFs, TDRs and REITs (not warrants or preferreds).

    TPEx listings take market TW as well: Taiwan's two boards share one code space, and
    posts write `.TW` for both.
    """
    english: dict[str, tuple[str, str]] = {}
    for name in ("t187ap03_L.csv", "t187ap03_O.csv"):
        path = raw / "damentsai/stock_analysis" / name
        for r in _csv(path):
            english[_need(r, "公司代號", path)] = (_need(r, "英文簡稱", path),
                                                _need(r, "公司簡稱", path))
    proper = {code.partition(".")[0]: name
              for fd in ("TAI", "TWO") for code, name in _financedatabase(raw, fd).items()}
    for name, source in (("twse_equities.csv", "tw-twse"), ("tpex_equities.csv", "tw-tpex")):
        path = raw / "mlouielu/twstock/twstock/codes" / name
        for r in _csv(path):
            kind = _TW_KINDS.get(_need(r, "type", path))
            if kind is None:
                continue
            code = _need(r, "code", path)
            short = _clean(_need(r, "name", path))
            en_short, zh_short = english.get(code, ("", ""))
            row = Row(code, "TW", kind, proper.get(code) or _clean(en_short) or short, source)
            for n in (short, zh_short, en_short):
                row.add_name(n)
            yield row


# --- Japan and Korea ----------------------------------------------------------------------

_JP_FUND = re.compile(r"ETF|ETN|上場投信|上場インデックスファンド|連動型")


def jp_rows(raw: Path) -> Iterator[Row]:
    """Tokyo (and Nagoya, Fukuoka, Sapporo) listings, Japanese names, English where known."""
    path = raw / "umihico/kabu-json-all-stock-list/all_stocks.json"
    try:
        items = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{path}: cannot read: {exc}") from exc
    proper = {code.partition(".")[0]: name
              for code, name in _financedatabase(raw, "JPX").items()}
    for item in items:
        if not isinstance(item, dict) or "コード" not in item or "銘柄名" not in item:
            raise BuildError(f"{path}: an entry lacks コード or 銘柄名: {item!r}")
        code, local = _clean(item["コード"]).upper(), _clean(item["銘柄名"])
        kind = "etf" if _JP_FUND.search(local) else "equity"
        row = Row(code, "T", kind, proper.get(code) or local, "jp-jpx")
        row.add_name(local)
        yield row


def kr_rows(raw: Path) -> Iterator[Row]:
    """KOSPI (.KS) and KOSDAQ (.KQ) shares, English names only, from FinanceDatabase."""
    for fd, market in (("KSC", "KS"), ("KOE", "KQ")):
        for code, name in _financedatabase(raw, fd).items():
            ticker, _, suffix = code.partition(".")
            if suffix == market:
                yield Row(ticker, market, "equity", name, "kr-financedatabase")


def _financedatabase(raw: Path, exchange: str) -> dict[str, str]:
    """Yahoo symbol -> English name for the exchange's live (not delisted) rows."""
    path = raw / "JerBouma/FinanceDatabase/database/equities" / f"{exchange}.csv"
    out: dict[str, str] = {}
    for r in _csv(path):
        if _need(r, "delisted", path) == "True":
            continue
        symbol, name = _need(r, "symbol", path).upper(), _clean(_need(r, "name", path))
        if symbol and name:
            out.setdefault(symbol, name)
    return out


# --- Crypto -------------------------------------------------------------------------------

_COIN = re.compile(r"[A-Z0-9]{2,10}")


def crypto_rows(raw: Path) -> Iterator[Row]:
    """Coins with an investing.com id (the live ones in 2022), first row per symbol."""
    path = raw / "pypi/akshare-1.19.5/akshare/data/crypto_info.zip"
    try:
        with zipfile.ZipFile(path) as z:
            text = z.read("crypto_info.csv").decode("utf-8-sig")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: cannot read crypto_info.csv: {exc}") from exc
    seen: set[str] = set()
    for r in csv.DictReader(io.StringIO(text)):
        symbol = _need(r, "symbol", path).upper()
        if not _need(r, "sml_id", path) or not _COIN.fullmatch(symbol) or symbol in seen:
            continue
        seen.add(symbol)
        row = Row(symbol, "X", "crypto", _clean(_need(r, "name", path)), "crypto-akshare")
        row.add_name(_need(r, "name_trans", path))
        yield row


# --- listing history ----------------------------------------------------------------------

# The day of the Alpha Vantage dump (its latest listing day); it also writes this date for
# the delistings it could not date (docs/securities.md).
_DUMP_DAY = "2026-04-09"
_PLACEHOLDER_DELISTING = _DUMP_DAY
# The first day a symbol the dump lacks can have been listed under: the listings of today
# (2026-07 and 2026-08) hold about 1,500 US symbols the dump has no row of, new funds and
# shares of 2026 above all, and companies that took a new symbol since (Everpure's P).
_AFTER_DUMP = "2026-04-10"
# A US symbol of three letters or more (a class share's dot: BRK.B; one of one or two
# letters is a word as often, and only a curated one is read bare), and a name that is no
# share's: a warrant, unit or right (_not_share), or a test issue (ZVZZT "NASDAQ TEST STOCK").
_US_LETTERS = re.compile(r"[A-Z]{3,5}(?:\.[A-Z])?")
_TEST_ISSUE = re.compile(r"\btest\b", re.IGNORECASE)
_US_KINDS = {"Stock": "equity", "ETF": "etf"}
_HISTORY_A = {"sh": "SS", "sz": "SZ", "bj": "BJ"}


def _us_symbol(symbol: str) -> str:
    # Alpha Vantage writes a class share BRK-B; the listings (and our keys) write BRK.B.
    head, dash, tail = symbol.rpartition("-")
    return f"{head}.{tail}" if dash and head and len(tail) == 1 else symbol


def history_rows(raw: Path, universe: Iterable[Row], renames: Path | None = None,
                 hk_listings: Path | None = None,
                 curated_path: Path | None = None) -> list[tuple[str, ...]]:
    """Who held each US and A-share symbol when (HISTORY_COLUMNS), sorted, and the day each
    Hong Kong listing of hk_listings.csv began.

    Today's holder of a symbol the universe lists gets a row with its listing date and no
    `own` key; every delisted holder gets a row with both dates, its name and its own key
    (`delisted_key`), so that it never shares a key with today's holder. renames.csv
    (tracker/data, written by hand) adds the symbols a delisted company traded under
    before a rename, which the listings do not record. hk_listings.csv (tracker/data, by
    hand from HKEX's listing documents) gives the first day of the Hong Kong listings that
    came after a company's listing elsewhere (Alibaba's 9988 of 2019-11-26): a row of today's
    holder each, for the listings the universe has (docs/securities.md). A share the raw
    active list holds and neither the universe nor the curated list (`curated_path`) does is
    a holder until the dump's day, keyed apart as a delisted one, without its name.
    """
    folder = raw / "history"
    listed = {(r.ticker, r.market): r.name for r in universe}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    current: dict[tuple[str, str], str] = {}
    curated = _curated_us_symbols(curated_path or ROOT / "tracker" / "data" / "securities.csv")
    active = folder / "us_listing_status_active.csv"
    delisted = []
    ipo_days: dict[tuple[str, str], str] = {}
    dumped: set[str] = set()
    for r in _csv(active):
        symbol = _us_symbol(_need(r, "symbol", active))
        dumped.add(symbol)
        day = _need(r, "ipoDate", active)
        name = _clean(_need(r, "name", active))
        if _DATE.fullmatch(day):
            ipo_days[(symbol, "US")] = day
        kind = _US_KINDS.get(_need(r, "assetType", active))
        if ((symbol, "US") not in listed and symbol not in curated and kind == "equity"
                and _DATE.fullmatch(day) and _US_LETTERS.fullmatch(symbol) and name
                and not _not_share(name) and not _TEST_ISSUE.search(name)):
            # Trading on the dump's day but in none of the universe's later lists (JNPR,
            # Juniper Networks; MASI): a holder of the symbol from its listing day to the
            # dump's, keyed apart as a delisted one is, for the symbol a dated post writes
            # bare or as a cashtag (issue 28, sixteenth round). A curated row (ITUB, APRN,
            # ET) keeps its own key. Without its name: the delisted companies' names
            # (gone_names.py) read these ones' wrongly more often than rightly on both
            # halves of the development posts (Bollinger Band, Bit Mining). Shares only: a
            # fund gone from the lists is one closed since, and its symbol a theme's
            # initials as often ("the DCF method" read as an ETF; no fund among the pairs
            # gained).
            delisted.append((symbol, "US", day, _DUMP_DAY, kind, ""))
            continue
        # A listing day counts only for the company the universe lists today: where the two
        # names differ (PCLN: Priceline there, a Pictet ETF today) the day may be another
        # holder's, and whether it is a rename or a reuse the data cannot tell.
        today = listed.get((symbol, "US"))
        if today and _DATE.fullmatch(day) and _first_word(today) == _first_word(
                _need(r, "name", active)):
            current[(symbol, "US")] = day
    gone = folder / "us_listing_status_delisted.csv"
    for r in _csv(gone):
        symbol = _us_symbol(_need(r, "symbol", gone))
        start, end = _need(r, "ipoDate", gone), _need(r, "delistingDate", gone)
        kind = _US_KINDS.get(_need(r, "assetType", gone))
        if kind is None or not (_DATE.fullmatch(start) and _DATE.fullmatch(end)):
            continue
        today = listed.get((symbol, "US"))
        if today and _first_word(today) == _first_word(_need(r, "name", gone)):
            # Today's holder under the same name: one company that left and came back (a
            # move between exchanges, a new holding company: SOS, Hut 8, Seadrill), whose
            # listing began with this row. Coherent Inc, whose name and symbol II-VI took
            # in 2022, is the case this reading gets wrong (docs/securities.md). One the
            # active list lacks (Regis, RGS, "delisted" on the dump's day) is dated by it.
            if (symbol, "US") in current or symbol not in dumped:
                current[(symbol, "US")] = min(current.get((symbol, "US"), start), start)
            continue
        if end == _PLACEHOLDER_DELISTING:
            if (symbol, "US") in listed and (symbol, "US") not in current:
                continue  # still listed today under the same symbol, as far as we can tell
            # An undated delisting ends no later than the next holder's listing.
            end = min(end, max(start, current.get((symbol, "US"), end)))
        delisted.append((symbol, "US", start, end, kind, _clean(_need(r, "name", gone))))
    for symbol, market in listed:
        if (market == "US" and symbol not in dumped and symbol not in curated
                and (symbol, market) not in current):
            # Listed today and absent from the dump of 2026-04-09: the symbol came to its
            # holder after that day ($TOT, a fund of 2026, was TotalEnergies' until 2021),
            # so an older post's symbol is not today's holder's (issue 28).
            current[(symbol, market)] = _AFTER_DUMP
    basic = folder / "a_share_stock_basic.csv"
    for r in _csv(basic):
        prefix, _, code = _need(r, "code", basic).partition(".")
        market = _HISTORY_A.get(prefix)
        start, end = _need(r, "ipoDate", basic), _need(r, "outDate", basic)
        if market is None or _need(r, "type", basic) != "1" or not _DATE.fullmatch(start):
            continue  # funds (of.), indices and bonds
        if not end:
            if (code, market) in listed:
                current[(code, market)] = start
        elif _DATE.fullmatch(end):
            delisted.append((code, market, start, end, "equity",
                             _clean(_need(r, "code_name", basic))))
    for (symbol, market), day in current.items():
        out[(symbol, market, day, "")] = (symbol, market, day, "", "", "", "")
    owners: dict[tuple[str, str], tuple[str, ...]] = {}
    for symbol, market, start, end, kind, name in delisted:
        own = delisted_key(symbol, end)
        row = (symbol, market, start, end, own, kind, name)
        out[(symbol, market, start, own)] = row
        owners[(symbol, market)] = max(owners.get((symbol, market), row), row,
                                       key=lambda r: r[3])
    _add_renames(out, renames or RENAMES, folder, listed,
                 current, owners, ipo_days)
    for ticker, day in hk_listing_days(hk_listings).items():
        if (ticker, "HK") in listed:
            out[(ticker, "HK", day, "")] = (ticker, "HK", day, "", "", "", "")
    return sorted(out.values(), key=lambda r: (r[1], r[0], r[2]))


def _add_renames(out: dict[tuple[str, ...], tuple[str, ...]], renames: Path, folder: Path,
                 listed: dict[tuple[str, str], str], current: dict[tuple[str, str], str],
                 owners: dict[tuple[str, str], tuple[str, ...]],
                 ipo_days: dict[tuple[str, str], str]) -> None:
    """Give each symbol renames.csv names the company that traded under it before a change
    of symbol: `OZRK` is Bank OZK's (`OZK`), `TRXC` Asensus Surgical's (`ASXC@2024`).

    The listings record a rename as a delisting of the old symbol (OZRK, 2018-07-13), or not
    at all (WTW, Weight Watchers until WW; Alpha Vantage keeps a renamed company's first
    listing day on its new symbol). Where the listing data has a delisted holder of the old
    symbol, its latest (before `until`, if given) takes the company's key; else a row is
    added from the company's first listing day to `until`, the day another company took the
    symbol (Willis Towers Watson took WTW on 2022-01-04), else to the day today's holder of
    the symbol listed, else to the dump's day. With `since` (and `until`), the company held
    the symbol from that day to `until` and at no other time (Barrick's GOLD of 2019-2025,
    after Randgold's): the listing data's rows of the symbol within those days give way.
    """
    for r in _csv(renames):
        former, market, ticker, name = (_need(r, c, renames)
                                        for c in ("former", "market", "ticker", "name"))
        until = (r.get("until") or "").strip()
        since = (r.get("since") or "").strip()
        for label, day in (("until", until), ("since", since)):
            if day and not _DATE.fullmatch(day):
                raise BuildError(f"{renames}: {former}: {label} {day!r} is not a YYYY-MM-DD "
                                 "day")
        if since and not since < until:
            raise BuildError(f"{renames}: {former}: since {since} needs a later until")
        if (ticker, market) in listed:
            own, kind = ticker, "equity"
            start = current.get((ticker, market)) or ipo_days.get((ticker, market), "")
            end = ""
        elif (ticker, market) in owners:
            _, _, start, end, own, kind, _ = owners[(ticker, market)]
        else:
            raise BuildError(f"{renames}: {ticker}.{market} is not a delisted security in "
                             f"{folder} nor listed today")
        held = [k for k, row in out.items() if row[0] == former and row[1] == market and row[4]
                and (not until or row[3] <= until) and row[2] >= since]
        if since:
            for k in held:
                del out[k]
            # A row left that shares days with these would be read on them instead, for
            # the earlier-listed row comes first (history.resolve_on): the days are wrong.
            for row in out.values():
                if (row[0] == former and row[1] == market and row[4] and row[2] < until
                        and since < row[3]):
                    raise BuildError(f"{renames}: {former}: since {since} to {until} overlaps "
                                     f"another holder's days, {row[4]} ({row[2]} to "
                                     f"{row[3]}): give days outside them")
            out[(former, market, since, own)] = (former, market, since, until, own, kind, name)
            continue
        if held:
            # The listing data dates the company's time on the symbol: its latest holder.
            key = max(held, key=lambda k: out[k][3])
            old = out.pop(key)
            out[(former, market, old[2], own)] = (former, market, old[2], old[3], own, old[5],
                                                  name)
            continue
        if not start:
            raise BuildError(f"{renames}: {former}: no listing day for {ticker}.{market} in "
                             f"{folder}")
        nxt = current.get((former, market), "")
        if not until and (former, market) in listed and not nxt > start:
            raise BuildError(f"{renames}: {former}: today's holder of the symbol has no listing "
                             f"day after {ticker}'s ({start}): give the day it took it (until)")
        end = until or end or (nxt if nxt > start else _DUMP_DAY)
        out[(former, market, start, own)] = (former, market, start, end, own, kind, name)


def _curated_us_symbols(curated: Path) -> set[str]:
    """The US symbols the curated list holds (its rows', their US listings' and their
    former symbols): those keep the curated row's key, so history gives them no holder."""
    symbols: set[str] = set()
    for sec in read_securities_csv(curated.read_text("utf-8"), str(curated)):
        if sec.market == "US":
            symbols.add(sec.ticker)
            symbols.update(sec.former)
        symbols.update(lst.rpartition(".")[0] for lst in sec.listings if lst.endswith(".US"))
    return symbols


HK_LISTINGS = ROOT / "tracker" / "data" / "hk_listings.csv"
RENAMES = ROOT / "tracker" / "data" / "renames.csv"


def hk_listing_days(path: Path | None = None) -> dict[str, str]:
    """hk_listings.csv as {Hong Kong ticker: its first trading day} (`9988` -> `2019-11-26`)."""
    path = path or HK_LISTINGS
    days: dict[str, str] = {}
    for lineno, r in enumerate(_csv(path), start=2):
        ticker, day = _need(r, "ticker", path), _need(r, "listed", path)
        if not (ticker.isdigit() and _DATE.fullmatch(day)) or not _need(r, "source", path):
            raise BuildError(f"{path}:{lineno}: expected a Hong Kong code, a day (YYYY-MM-DD) "
                             "and a source")
        if ticker in days:
            raise BuildError(f"{path}:{lineno}: {ticker} is listed twice")
        days[ticker] = day
    return days


def undated_hk_listings(curated: Path, days: dict[str, str]) -> list[str]:
    """The curated Hong Kong listings of companies listed first outside Hong Kong and the
    A-share markets (BABA's 9988.HK) that hk_listings.csv gives no day: a Chinese post's name
    takes such a listing only from its day (tracker/extract/name_context.py)."""
    missing = []
    for sec in read_securities_csv(curated.read_text("utf-8"), str(curated)):
        if sec.market in ("HK", *A_SHARE_EXCHANGES.values()):
            continue
        missing += [lst for lst in sec.listings
                    if lst.endswith(".HK") and lst.rpartition(".")[0] not in days]
    return missing


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _first_word(name: str) -> str:
    words = re.findall(r"[^\W_]+", name.casefold())
    return words[0] if words else ""


def render_history(rows: Iterable[tuple[str, ...]]) -> bytes:
    """history.csv's bytes: same rows in, same bytes out."""
    return render_table(HISTORY_COLUMNS, rows)


def render_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    """A CSV file's bytes: same rows in, same bytes out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


READERS: tuple[Callable[[Path], Iterable[Row]], ...] = (
    us_rows, a_share_rows, hk_rows, tw_rows, jp_rows, kr_rows, crypto_rows)


# --- assembly -----------------------------------------------------------------------------

def build_rows(raw: Path, readers: Iterable[Callable[[Path], Iterable[Row]]] = READERS
               ) -> list[Row]:
    """Every reader's rows, first one per (ticker, market) kept, sorted by market and ticker."""
    if not raw.is_dir():
        raise BuildError(f"{raw}: no such folder of raw listings")
    rows: dict[tuple[str, str], Row] = {}
    for reader in readers:
        for row in reader(raw):
            rows.setdefault((row.ticker, row.market), row)
    return sorted(rows.values(), key=lambda r: (r.market, r.ticker))


def render(rows: Iterable[Row]) -> bytes:
    """The universe file's bytes: same rows in, same bytes out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(UNIVERSE_COLUMNS)
    for r in rows:
        writer.writerow([r.ticker, r.market, r.kind, r.name, "|".join(r.listed_names), r.source])
    return out.getvalue().encode("utf-8")


def unknown_curated_keys(rows: Iterable[Row], curated: Iterable[Path]) -> list[str]:
    """Curated primary and listing keys, in markets the universe covers, that it lacks."""
    have = {(r.ticker, r.market) for r in rows}
    markets = {m for _, m in have}
    missing = []
    for path in curated:
        for sec in read_securities_csv(path.read_text("utf-8"), str(path)):
            keys = [(sec.ticker, sec.market)] + [
                (t, m) for t, _, m in (lst.rpartition(".") for lst in sec.listings)]
            missing += [f"{t}.{m}" for t, m in keys if m in markets and (t, m) not in have]
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("raw", nargs="?", type=Path, default=DEFAULT_RAW,
                        help=f"folder of raw listings (default {DEFAULT_RAW})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"universe file to write, or a folder to write it in (default "
                        f"{DEFAULT_OUT}); history.csv and zh_short_names.csv go beside it")
    parser.add_argument("--renames", type=Path, default=RENAMES,
                        help=f"the symbols renamed companies gave up (default {RENAMES})")
    args = parser.parse_args(argv)
    out = args.out / DEFAULT_OUT.name if args.out.is_dir() else args.out
    if not out.parent.is_dir():
        # Before the build's minute of work, not a traceback after it.
        print(f"Error: --out {args.out}: no folder {out.parent} to write it in", file=sys.stderr)
        return 1
    try:
        rows = build_rows(args.raw)
        history = history_rows(args.raw, rows, args.renames)
        shorts = short_forms(a_share_industries(args.raw), jieba_frequencies())
    except BuildError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    data = render(rows)
    history_out = out.with_name("history.csv")
    shorts_out = out.with_name("zh_short_names.csv")
    for path, content in ((out, data), (history_out, render_history(history)),
                          (shorts_out, render_table(SHORT_NAME_COLUMNS, shorts))):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        counts[(r.market, r.kind)] = counts.get((r.market, r.kind), 0) + 1
    print(f"wrote {out}: {len(rows)} rows, {len(data)} bytes")
    dead = sum(1 for h in history if h[4])
    print(f"wrote {history_out}: {len(history) - dead} listing dates of today's holders, "
          f"{dead} delisted holders")
    for (market, kind), n in sorted(counts.items()):
        print(f"  {market:3} {kind:7} {n}")
    data_dir = ROOT / "tracker" / "data"
    for key in unknown_curated_keys(rows, [data_dir / "securities.csv"]):
        print(f"  curated key not in the listings: {key}")
    for key in undated_hk_listings(data_dir / "securities.csv", hk_listing_days()):
        print(f"  curated Hong Kong listing without a day in {HK_LISTINGS.name}: {key}")
    have = {(r.ticker, r.market) for r in rows}
    for ticker in hk_listing_days():
        if (ticker, "HK") not in have:
            print(f"  {HK_LISTINGS.name}: {ticker}.HK not in the listings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
