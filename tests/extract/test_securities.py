"""The packaged securities list and the user's overrides from config."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from tracker.config import SecuritiesConfig, load_config
from tracker.errors import ConfigError
from tracker.extract.securities import (
    COLUMNS,
    GROUPS,
    OPTIONAL_COLUMNS,
    SecurityList,
    load_securities,
    securities_from_config,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "securities.md"
CJK = re.compile(r"[\u3400-\u9fff]")


def _rows() -> list[dict[str, str]]:
    text = resources.files("tracker.data").joinpath("securities.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_header_is_the_documented_columns():
    text = resources.files("tracker.data").joinpath("securities.csv").read_text("utf-8")
    # The optional `kind` column comes last; a row without a kind may stop before it.
    assert tuple(text.splitlines()[0].split(",")) == COLUMNS + OPTIONAL_COLUMNS


def test_at_least_300_listed_companies():
    listed = [s for s in load_securities() if not s.is_private]
    assert len(listed) >= 300


def test_keys_unique_and_rows_sorted():
    rows = _rows()
    keys = [(r["ticker"], r["market"]) for r in rows]
    assert len(set(keys)) == len(keys)
    # Listed rows by market then ticker; private companies (no market) last.
    assert keys == sorted(keys, key=lambda k: (k[1] == "", k[1], k[0]))


def test_groups_come_from_the_vocabulary_and_are_documented():
    used = {g for s in load_securities() for g in s.groups}
    assert used <= set(GROUPS)
    assert {"equipment", "foundry", "gpu"} <= used
    docs = DOCS.read_text("utf-8")
    for group in GROUPS:
        assert f"`{group}`" in docs, f"group {group} is not described in docs/securities.md"


def test_every_security_has_a_name_and_groups():
    for sec in load_securities():
        assert sec.name, sec.ticker
        assert sec.groups, sec.ticker
        assert sec.aliases_en or sec.aliases_zh, sec.ticker


def test_ambiguous_flags_name_one_of_the_entrys_aliases():
    for sec in load_securities():
        assert set(sec.ambiguous) <= set(sec.aliases_en) | set(sec.aliases_zh), sec.ticker


def test_no_alias_names_two_companies():
    owner: dict[str, str] = {}
    for sec in load_securities():
        for alias in {a.lower() for a in (*sec.aliases_en, *sec.aliases_zh)}:
            assert owner.setdefault(alias, sec.ticker) == sec.ticker, alias


def test_english_aliases_are_latin_and_chinese_aliases_are_chinese():
    for sec in load_securities():
        assert not any(CJK.search(a) for a in sec.aliases_en), sec.ticker
        assert all(CJK.search(a) for a in sec.aliases_zh), sec.ticker


def test_listings_have_a_market_suffix():
    for sec in load_securities():
        for listing in sec.listings:
            assert re.fullmatch(r"[0-9A-Z\-]+\.[A-Z]{1,3}", listing), (sec.ticker, listing)


@pytest.mark.parametrize(
    ("written", "today"),
    [("FB", "META"), ("PCLN", "BKNG"), ("BBRY", "BB"), ("IIVI", "COHR"), ("SQ", "XYZ"),
     ("ONNN", "ON"), ("CREE", "WOLF"), ("BOFI", "AX"), ("AOBC", "SWBI"), ("AAXN", "AXON"),
     ("CBG", "CBRE"), ("HRS", "LHX"), ("FCAU", "STLA"), ("RTN", "RTX"), ("MJX", "MJ"),
     ("ELY", "CALY"), ("MODG", "CALY"), ("ACBFF", "ACB"), ("TWMJF", "CGC")],
    ids=["fb-meta", "pcln-bkng", "bbry-bb", "iivi-cohr", "sq-xyz", "onnn-on", "cree-wolf",
         "bofi-ax", "aobc-swbi", "aaxn-axon", "cbg-cbre", "hrs-lhx", "fcau-stla", "rtn-rtx",
         "mjx-mj", "ely-caly", "modg-caly", "acbff-acb", "twmjf-cgc"],
)
def test_former_symbols_resolve_to_todays_ticker(written, today):
    ticker, market, sec = load_securities().resolve(written, "US")
    assert (ticker, market) == (today, "US")
    assert sec is not None and sec.ticker == today


def test_a_former_symbol_on_another_market_resolves_there():
    # Daimler AG traded in Frankfurt as DAI until it became Mercedes-Benz Group (MBG) on
    # 2022-02-01: one company, so a 2021 post's 奔驰 and a label's DAI.DE are one key.
    ticker, market, sec = load_securities().resolve("DAI", "DE")
    assert (ticker, market) == ("MBG", "DE")
    assert sec is not None and sec.ticker == "MBG"


@pytest.mark.parametrize(
    ("ticker", "market"),
    [("TSLA", "US"), ("NVDA", "US"), ("AAPL", "US"), ("MSFT", "US"), ("AMZN", "US"),
     ("GOOGL", "US"), ("META", "US"), ("TSM", "US"), ("INTC", "US"), ("ASML", "US"),
     ("AMAT", "US"), ("LRCX", "US"), ("KLAC", "US"), ("TEL", "US"), ("TER", "US"),
     ("005930", "KS"), ("2382", "TW"), ("2317", "TW")],
    ids=lambda v: str(v),
)
def test_rows_the_pipeline_relies_on_are_kept(ticker, market):
    assert load_securities().lookup(ticker, market) is not None


def test_stocktwits_symbol_for_the_ftx_token_is_the_coin():
    # StockTwits wrote the FTX Token (FTT) as $FTX.X: its curated row holds FTX as a former
    # symbol, so the cashtag and a gold key of either form are one coin.
    assert load_securities().resolve("FTX", "X")[:2] == ("FTT", "X")


def test_other_listings_resolve_to_the_company():
    secs = load_securities()
    assert secs.lookup("2330", "TW").ticker == "TSM"
    assert secs.lookup("9988", "HK").ticker == "BABA"
    assert secs.lookup("ASML") is not None  # two listings with one symbol: still one company


@pytest.mark.parametrize(
    ("symbol", "us_name", "abroad"),
    [("SU", "Suncor Energy Inc.", "SU.PA"), ("ENR", "Energizer Holdings, Inc.", "ENR.DE"),
     ("ASM", "Avino Silver & Gold Mines Ltd.", "ASM.AS")],
    ids=["suncor-not-schneider", "energizer-not-siemens-energy", "avino-not-asm-international"])
def test_a_symbol_without_a_market_is_the_us_listing_over_a_curated_one_abroad(
        symbol: str, us_name: str, abroad: str) -> None:
    # A curated company listed abroad under a symbol a US share also has (Schneider
    # Electric's Paris SU): a post's bare `$SU` is Suncor; the suffix names the other.
    secs = load_securities()
    assert secs.lookup(symbol).key == symbol and secs.lookup(symbol).name == us_name
    assert secs.by_key(abroad).key == abroad


def test_private_companies_have_no_market():
    secs = load_securities()
    for ticker in ("SPACEX", "XAI", "OPENAI", "ANTHROPIC", "BYTEDANCE"):
        sec = secs.lookup(ticker)
        assert sec is not None and sec.is_private


# --- overrides from config -------------------------------------------------------------

def _configured(tmp_path: Path, toml: str) -> SecurityList:
    """The list a config file with `toml` in it gives, as a command builds it."""
    (tmp_path / "config.toml").write_text(toml, "utf-8")
    return securities_from_config(load_config(tmp_path / "config.toml").securities)


def test_no_securities_section_gives_the_packaged_list():
    assert len(securities_from_config(SecuritiesConfig())) == len(load_securities())


def test_file_adds_and_overrides(tmp_path):
    (tmp_path / "mine.csv").write_text(
        "ticker,market,name,aliases_en,aliases_zh,groups,ambiguous,former,listings\n"
        "ACME,US,Acme Corp,Acme,艾克米,industrial,,,\n"
        "NVDA,US,NVIDIA Corporation,NVIDIA,英伟达,gpu|mine,,,\n",
        "utf-8",
    )
    secs = _configured(tmp_path, '[securities]\nfile = "mine.csv"\n'
                                 '[groups]\nmine = ["my keyword"]\n')
    assert secs.lookup("ACME", "US").aliases_zh == ("艾克米",)
    assert secs.lookup("NVDA", "US").groups == ("gpu", "mine")
    assert len(secs) == len(load_securities()) + 1


def test_inline_entry_changes_only_the_keys_it_sets(tmp_path):
    secs = _configured(tmp_path, """
[[securities.add]]
ticker = "pltr"
market = "us"
groups = ["software", "ai_lab"]

[[securities.add]]
ticker = "SSI"
market = ""
name = "Safe Superintelligence Inc."
aliases_en = ["Safe Superintelligence"]
groups = ["ai_lab"]
""")
    pltr = secs.lookup("PLTR", "US")
    assert pltr.groups == ("software", "ai_lab")
    assert pltr.name == "Palantir Technologies Inc."
    assert secs.lookup("SSI").is_private


_DROP_FB = '[[securities.add]]\nticker = "META"\nmarket = "US"\nformer = []\n'


def test_a_configured_list_leaves_the_next_one_as_packaged(tmp_path):
    # Every list starts from one packaged list per process: changes go to a copy.
    changed = _configured(tmp_path, _DROP_FB + '[[securities.add]]\nticker = "SSI"\n'
                          'market = ""\nname = "Safe Superintelligence Inc."\n')
    fresh = securities_from_config(SecuritiesConfig())
    assert changed.lookup("SSI") is not None and fresh.lookup("SSI") is None
    assert fresh.lookup("META", "US").former == ("FB",)
    assert fresh.resolve("FB", "US")[:2] == ("META", "US")
    assert len(fresh) == len(changed) - 1 == len(load_securities())


def test_inline_override_can_drop_a_former_symbol(tmp_path):
    secs = _configured(tmp_path, _DROP_FB)
    # FB is listed again (a ProShares ETF since 2025): without the former symbol it is that.
    assert secs.resolve("FB", "US")[:2] == ("FB", "US")
    assert secs.lookup("FB", "US").ticker == "FB"
    assert secs.lookup("META", "US").former == ()
    curated_only = _configured(tmp_path, "[securities]\nuniverse = false\n" + _DROP_FB)
    assert curated_only.lookup("FB", "US") is None


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[securities]\nfile = "missing.csv"\n',
         "[securities] file: cannot read {dir}/missing.csv: No such file"),
        ('[[securities.add]]\nticker = "NEW"\nmarket = "US"\n',
         "[[securities.add]] #1 (NEW): a new entry needs a name"),
        ('[[securities.add]]\nticker = "NVDA"\nmarket = "US"\n'
         '[[securities.add]]\nticker = "NVDA"\nmarket = "US"\ngroups = ["nope"]\n',
         "[[securities.add]] #2 (NVDA): unknown group(s) nope; use one of equipment"),
        ('[[securities.add]]\nticker = "NVDA"\nmarket = "US"\naliases_en = [1]\n',
         "[[securities.add]] #1 (NVDA): aliases_en must be a list of strings"),
        ('[[securities.add]]\nmarket = "US"\n',
         "[[securities.add]] #1: ticker must be a non-empty string"),
        ('[[securities.add]]\nticker = "NVDA"\nmarket = 3\n',
         "[[securities.add]] #1 (NVDA): market must be a string"),
        ('[[securities.add]]\nticker = "NVDA"\nname = ["x"]\n',
         "[[securities.add]] #1 (NVDA): name must be a string"),
    ],
    ids=["missing-file", "new-without-name", "unknown-group", "list-of-non-strings",
         "no-ticker", "market-not-a-string", "name-not-a-string"],
)
def test_bad_values_raise_config_error_naming_the_file_and_key(tmp_path, toml, message):
    # The section's shape (its keys, a string file, an array of tables) is the config
    # schema's to check (tests/test_config.py); these are the values. Each error begins with
    # the config file, as the loader's errors do.
    with pytest.raises(ConfigError) as err:
        _configured(tmp_path, toml)
    expected = f"{tmp_path / 'config.toml'}: " + message.format(dir=tmp_path.resolve())
    assert str(err.value).startswith(expected)


def test_bad_row_in_user_file_names_file_and_line(tmp_path):
    (tmp_path / "mine.csv").write_text(
        "ticker,market,name,groups\nACME,US,Acme,industrial\nBAD,US,Bad,nonsense\n", "utf-8"
    )
    with pytest.raises(ConfigError, match=r"mine\.csv:3: unknown group"):
        _configured(tmp_path, '[securities]\nfile = "mine.csv"\n')
