"""The listed universe under the curated list: keys, kinds, lookups and the overlay."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

import tracker
from tracker.config import load_config
from tracker.errors import ConfigError
from tracker.extract.securities import (
    KINDS,
    UNIVERSE_COLUMNS,
    Security,
    SecurityList,
    Universe,
    canonical_key,
    load_securities,
    load_universe,
    packaged_universe,
    parse_key,
    read_universe_csv,
    securities_from_config,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "securities.md"
SOURCES = {"curated", "us-nasdaq", "us-other", "cn-stock_basic", "hk-hkex", "tw-twse",
           "tw-tpex", "jp-jpx", "kr-financedatabase", "crypto-akshare"}


def _rows(name: str) -> list[list[str]]:
    text = resources.files("tracker.data").joinpath(name).read_text("utf-8")
    return list(csv.reader(text.splitlines()))


@pytest.fixture(scope="module")
def secs() -> SecurityList:
    return load_securities()


# --- the packaged files ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["universe.csv", "instruments.csv"])
def test_packaged_files_are_valid_sorted_and_unique(name):
    rows = _rows(name)
    assert tuple(rows[0]) == UNIVERSE_COLUMNS
    keys = [(r[0], r[1]) for r in rows[1:]]
    assert len(set(keys)) == len(keys)
    assert all(r[2] in KINDS and r[5] in SOURCES for r in rows[1:])
    if name == "universe.csv":
        assert keys == sorted(keys, key=lambda k: (k[1], k[0]))


def test_every_market_and_kind_is_covered():
    universe = packaged_universe()
    counts: dict[tuple[str, str], int] = {}
    for sec in universe:
        counts[(sec.market, sec.kind)] = counts.get((sec.market, sec.kind), 0) + 1
    # Floors well under today's counts (docs/securities.md): a reader that silently drops a
    # market, or a filter that drops ordinary shares, fails here.
    floors = {("US", "equity"): 5000, ("US", "etf"): 4000, ("SS", "equity"): 2000,
              ("SZ", "equity"): 2500, ("BJ", "equity"): 200, ("HK", "equity"): 2500,
              ("HK", "etf"): 200, ("TW", "equity"): 1800, ("TW", "etf"): 200,
              ("T", "equity"): 3500, ("T", "etf"): 300, ("KS", "equity"): 500,
              ("KQ", "equity"): 800, ("X", "crypto"): 1000, ("US", "index"): 8,
              ("US", "future"): 10}
    for key, floor in floors.items():
        assert counts.get(key, 0) >= floor, (key, counts.get(key, 0))


def test_docs_table_gives_the_packaged_counts():
    universe = packaged_universe()
    counts: dict[str, dict[str, int]] = {}
    for sec in universe:
        counts.setdefault(sec.market, {}).setdefault(sec.kind, 0)
        counts[sec.market][sec.kind] += 1
    docs = DOCS.read_text("utf-8")
    for market, by_kind in counts.items():
        cells = " | ".join(str(by_kind.get(k, "")) for k in KINDS if k != "private")
        row = f"| `{market}` | {cells} | {sum(by_kind.values())} |"
        assert row in docs, f"docs/securities.md lacks or has a stale row: {row}"
    assert f"**{len(universe)}** listed securities" in docs


# --- keys ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("written", "key"),
    [("600036.SS", "600036.SS"), ("600036.SH", "600036.SS"), ("SH600036", "600036.SS"),
     ("sh600036", "600036.SS"), ("000001.SZ", "000001.SZ"), ("SZ002594", "002594.SZ"),
     ("BJ920185", "920185.BJ"), ("0700.HK", "0700.HK"), ("00700.HK", "0700.HK"),
     ("700.hk", "0700.HK"), ("09988.HK", "9988.HK"), ("2330.TW", "2330.TW"),
     ("6488.TWO", "6488.TW"), ("7203.T", "7203.T"), ("7203.JP", "7203.T"),
     ("005930.KS", "005930.KS"), ("TSLA", "TSLA"), ("tsla", "TSLA"), ("TSLA.US", "TSLA"),
     ("$TSLA", "TSLA"), ("BRK.B", "BRK.B"), ("BRK-B", "BRK.B"), ("BRK/B", "BRK.B"),
     ("BTC.X", "BTC.X"), ("BTC-USD", "BTC.X"), ("ETH-USDT", "ETH.X"), ("ES_F", "ES_F"),
     ("SPACEX", "SPACEX")],
    ids=lambda v: str(v),
)
def test_every_written_form_gives_one_canonical_key(written, key):
    assert canonical_key(*parse_key(written)) == key


@pytest.mark.parametrize(
    ("written", "key", "kind"),
    [("SH600036", "600036.SS", "equity"), ("00700.HK", "0700.HK", "equity"),
     ("2330.TW", "TSM", "equity"), ("7203.T", "7203.T", "equity"),
     ("000001.SZ", "000001.SZ", "equity"), ("000001.SS", "000001.SS", "index"),
     ("BRK.B", "BRK.B", "equity"), ("GME", "GME", "equity"), ("SPY", "SPY", "etf"),
     ("QQQ", "QQQ", "etf"), ("2800.HK", "2800.HK", "etf"), ("SPX", "SPX", "index"),
     ("DJI", "DJI", "index"), ("VIX", "VIX", "index"), ("ES_F", "ES_F", "future"),
     ("CL_F", "CL_F", "future"), ("BTC.X", "BTC.X", "crypto"), ("BTC-USD", "BTC.X", "crypto"),
     ("SPACEX", "SPACEX", "private"), ("FB", "META", "equity")],
    ids=lambda v: str(v),
)
def test_keys_resolve_to_the_security_and_its_kind(secs, written, key, kind):
    sec = secs.by_key(written)
    assert sec is not None, written
    assert (sec.key, sec.kind) == (key, kind)


def test_resolve_gives_stored_forms(secs):
    assert secs.resolve("00700", "HK")[:2] == ("0700", "HK")
    assert secs.resolve("600036", "SH")[:2] == ("600036", "SS")
    assert secs.resolve("SH600036", None)[:2] == ("600036", "SS")
    assert secs.resolve("GME", None)[:2] == ("GME", "US")
    assert secs.resolve("2330", None)[:2] == ("2330", "TW")  # TSMC's other listing
    unknown = secs.resolve("ZZZZZZ", None)
    assert unknown == ("ZZZZZZ", None, None)


def test_the_dow_is_an_index_not_the_drone_maker(secs):
    assert secs.lookup("DJI").kind == "index"
    assert secs.by_name("大疆")[0].is_private


# --- unqualified lookups ---------------------------------------------------------------

def _universe(*rows: tuple[str, str, str, str]) -> Universe:
    return Universe((t, m, k, n, "", "curated") for t, m, k, n in rows)


def test_unqualified_lookup_prefers_curated_then_unique_then_us():
    universe = _universe(("ABC", "US", "equity", "ABC Corp"), ("ABC", "X", "crypto", "Abc Coin"),
                         ("1101", "TW", "equity", "TCC"), ("1101", "HK", "equity", "Other"),
                         ("ZED", "US", "etf", "Zed ETF"), ("ZED", "L", "equity", "Zed plc"),
                         ("ONE", "SS", "equity", "Only"), ("QRS", "L", "equity", "Qrs plc"))
    curated = [Security("ZED", "L", "Zed plc", aliases_en=("Zed",), source="curated"),
               Security("QRS", "L", "Qrs plc", aliases_en=("Qrs",), source="curated")]
    secs = SecurityList(curated, universe)
    assert secs.lookup("ABC").market == "US"  # crypto needs market X
    assert secs.lookup("ABC", "X").kind == "crypto"
    assert secs.lookup("1101") is None  # two markets, neither US
    assert secs.lookup("QRS").aliases_en == ("Qrs",)  # the curated layer first
    # ... but a symbol a US listing also has is the US one without a market (issue 28's
    # sixteenth round: `$SU` is Suncor, not Schneider Electric's SU.PA).
    assert secs.lookup("ZED").market == "US"
    assert secs.lookup("ZED", "L").aliases_en == ("Zed",)
    assert secs.lookup("ONE").market == "SS"


def test_a_row_s_security_is_the_one_the_constructor_makes():
    # Universe rows are made without Security's __init__ (securities._universe_security,
    # issue 23): every field, equality, hash and replace() as the constructor's.
    import dataclasses

    universe = Universe([("600519", "SS", "equity", "Kweichow Moutai", "贵州茅台|Moutai", "cn"),
                         ("ABC", "US", "", "ABC Corp", "", "us-nasdaq")])
    made = [universe.get("600519", "SS"), universe.get("ABC", "US")]
    want = [Security("600519", "SS", "贵州茅台", kind="equity", source="cn",
                     listed_names=("Kweichow Moutai", "贵州茅台", "Moutai")),
            Security("ABC", "US", "ABC Corp", source="us-nasdaq")]
    for got, expected in zip(made, want, strict=True):
        assert [getattr(got, f.name) for f in dataclasses.fields(Security)] == \
            [getattr(expected, f.name) for f in dataclasses.fields(Security)]
        assert got == expected and hash(got) == hash(expected) and repr(got) == repr(expected)
        assert dataclasses.replace(got, groups=("ev",)) == \
            dataclasses.replace(expected, groups=("ev",))
    assert made[1].kind == "equity"


def test_rows_by_ticker_keep_file_order_and_a_later_row_replaces_its_key():
    universe = _universe(("ABC", "US", "equity", "ABC Corp"), ("ONE", "SS", "equity", "Only"),
                         ("ABC", "X", "crypto", "Abc Coin"), ("ABC", "HK", "equity", "Abc HK"),
                         ("ABC", "X", "crypto", "Abc Coin v2"))
    assert [(s.market, s.name) for s in universe.with_ticker("ABC")] == \
        [("US", "ABC Corp"), ("X", "Abc Coin v2"), ("HK", "Abc HK")]
    assert [s.name for s in universe.with_ticker("ONE")] == ["Only"]
    assert universe.with_ticker("NONE") == []
    # One Security per row, made once: a second lookup, by any route, returns it again.
    assert universe.get("ABC", "HK") is universe.with_ticker("ABC")[2]
    assert [s.name for s in universe] == ["ABC Corp", "Only", "Abc Coin v2", "Abc HK"]
    assert len(universe) == 4


def test_curated_rows_hide_the_listing_rows_they_claim():
    universe = _universe(("2330", "TW", "equity", "TSMC"), ("TSM", "US", "equity", "TSM ADR"),
                         ("2317", "TW", "equity", "Hon Hai"))
    tsm = Security("TSM", "US", "Taiwan Semiconductor", aliases_zh=("台积电",),
                   listings=("2330.TW",), source="curated")
    secs = SecurityList([tsm], universe)
    assert [s.key for s in secs.all()] == ["TSM", "2317.TW"]
    assert secs.lookup("2330", "TW").ticker == "TSM"
    assert secs.by_name("TSMC") == [secs.lookup("TSM")]  # the hidden rows lend their names
    assert secs.lookup("TSM").listed_names == ("TSM ADR", "TSMC")
    assert len(secs) == 1  # iteration is the curated layer


# --- names -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "key"),
    [("紫金矿业", "601899.SS"), ("航天电子", "600879.SS"), ("中国卫星", "600118.SS"),
     ("湖南黄金", "002155.SZ"), ("五洲新春", "603667.SS"), ("赛微电子", "300456.SZ"),
     ("长飞光纤", "601869.SS"), ("长飞", "601869.SS"), ("招商银行", "600036.SS"),
     ("腾讯", "0700.HK"), ("Tencent", "0700.HK"), ("台積電", "TSM"), ("トヨタ自動車", "7203.T"),
     ("比特币", "BTC.X"), ("Nvidia", "NVDA"), ("GameStop", "GME"),
     ("Peloton Interactive, Inc.", "PTON"), ("汇丰", "0005.HK"), ("游戏驿站", "GME"),
     ("万科A", "000002.SZ"), ("万科", "000002.SZ")],
    ids=lambda v: str(v),
)
def test_names_resolve(secs, name, key):
    assert key in [s.key for s in secs.by_name(name)]


def test_listed_names_are_not_aliases(secs):
    # The name matcher reads aliases only (docs/securities.md, "Listed names").
    zijin = secs.by_key("601899.SS")
    for sec in (secs.by_key("PTON"), secs.by_key("2330.HK"), secs.by_key("BTC.X")):
        assert not sec.aliases_en and not sec.aliases_zh, sec.key
    assert "紫金矿业" in zijin.aliases_zh or "紫金矿业" in zijin.listed_names


# --- loading ---------------------------------------------------------------------------

def test_loading_is_shared_and_curated_only_is_possible():
    assert load_securities().universe is load_securities().universe
    assert load_securities(universe=False).lookup("PTON") is None
    assert load_securities(universe=False).lookup("TSLA") is not None


def test_load_universe_from_files_overlays_instruments(tmp_path):
    header = ",".join(UNIVERSE_COLUMNS)
    (tmp_path / "u.csv").write_text(f"{header}\nVIX,US,equity,Some Stock,,us-other\n"
                                    "AAA,US,etf,Aaa ETF,,us-other\n", "utf-8")
    (tmp_path / "i.csv").write_text(f"{header}\nVIX,US,index,CBOE Volatility Index,,curated\n",
                                    "utf-8")
    universe = load_universe(tmp_path / "u.csv", tmp_path / "i.csv")
    assert len(universe) == 2
    assert universe.get("VIX", "US").kind == "index"


@pytest.mark.parametrize(
    ("body", "message"),
    [("ticker,market\n", "header must be"),
     (",".join(UNIVERSE_COLUMNS) + "\nAAA,US,stock,Aaa,,x\n", r"u\.csv:2: .*kind 'stock'"),
     (",".join(UNIVERSE_COLUMNS) + "\nAAA,US,equity\n", r"u\.csv:2: 3 fields"),
     (",".join(UNIVERSE_COLUMNS) + "\n,US,equity,Aaa,,x\n", r"u\.csv:2: empty ticker")],
    ids=["header", "kind", "short-row", "empty-ticker"],
)
def test_bad_universe_file_names_file_and_line(body, message):
    with pytest.raises(ConfigError, match=message):
        read_universe_csv(body, "u.csv")


# --- config ----------------------------------------------------------------------------

def _configured(tmp_path: Path, toml: str) -> SecurityList:
    (tmp_path / "config.toml").write_text(toml, "utf-8")
    return securities_from_config(load_config(tmp_path / "config.toml").securities)


def test_config_can_describe_a_listed_security_and_set_kinds(tmp_path):
    secs = _configured(tmp_path, """
[[securities.add]]
ticker = "PTON"
market = "US"
aliases_en = ["Peloton"]
groups = ["consumer"]

[[securities.add]]
ticker = "MYIDX"
market = "US"
name = "My Index"
kind = "index"
""")
    pton = secs.lookup("PTON", "US")
    assert pton.aliases_en == ("Peloton",) and pton.name == "Peloton Interactive, Inc."
    assert pton.source == "config" and pton in list(secs)
    assert secs.lookup("MYIDX").kind == "index"
    assert [s.key for s in secs.all()].count("PTON") == 1


def test_a_bad_kind_names_the_file_the_entry_and_the_kinds(tmp_path):
    with pytest.raises(ConfigError) as err:
        _configured(tmp_path, '[[securities.add]]\nticker = "X1"\nmarket = "US"\n'
                              'name = "x"\nkind = "stock"\n')
    assert str(err.value) == (f"{tmp_path / 'config.toml'}: [[securities.add]] #1 (X1): kind "
                              f"must be one of {', '.join(KINDS)}")


def test_config_without_universe_is_the_curated_list(tmp_path):
    secs = _configured(tmp_path, "[securities]\nuniverse = false\n")
    assert secs.universe is None and secs.lookup("PTON") is None


def test_the_universe_read_from_the_cache_is_the_one_its_files_give(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The parsed rows are kept in the user's cache (tracker.data.user_cache): stored by the
    # first load, read back by the second, both times what the packaged CSVs parse to now.
    from tracker.data.user_cache import ENV_VAR
    from tracker.extract.securities import Universe, packaged_universe, packaged_universe_rows

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    want = Universe(packaged_universe_rows())._rows
    first = packaged_universe.__wrapped__()
    [entry] = tmp_path.glob("*.cache")
    second = packaged_universe.__wrapped__()
    assert first._rows == second._rows == want
    assert list(tmp_path.glob("*.cache")) == [entry]
    assert second.get("AAPL", "US") == first.get("AAPL", "US") is not None
    # Market, kind and source: one string object per value, built and read back (issue 23).
    for rows in (first._rows, second._rows):
        for column in (1, 2, 5):
            values = [row[column] for row in rows]
            assert len({id(v) for v in values}) == len(set(values)) < 20


@pytest.mark.parametrize("written", ["SHOP.TO", "shop.to", "$SHOP.TO", "TSX:SHOP"])
def test_a_key_on_an_exchange_the_universe_lacks_selects_the_codes_mentions(written):
    # exchange_codes.py keys `TSX:SHOP` as (SHOP, TO); a `--tickers` value must read back
    # as that pair, or the report filters select nothing for it.
    from tracker.reports.filters import ticker_key

    post = tracker.analyze("Added TSX:SHOP on the dip")
    assert [(m.ticker, m.market) for m in post.mentions] == [("SHOP", "TO")]
    assert ticker_key(written) == ("SHOP", "TO")
