"""config.toml: one schema (the packaged defaults) validates the whole file."""

from __future__ import annotations

import csv
import dataclasses
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.extract.mention_keys import keys
from tracker.cli import cli
from tracker.config import (
    CleanConfig,
    Config,
    InputConfig,
    RefreshConfig,
    ReportsConfig,
    SentimentConfig,
    SourcesConfig,
    _defaults,
    load_config,
)
from tracker.data import default_config
from tracker.errors import ConfigError
from tracker.ingest.analyze import Analyzer

ROOT = Path(__file__).resolve().parent.parent

TYPOS = [
    ('[dates]\ntimezon = "UTC"\n',
     "unknown key `timezon` in [dates]; did you mean `timezone`?"),
    ('[sentimnet]\nscorer = "vader"\n',
     "unknown section [sentimnet]; did you mean [sentiment]?"),
    ('[reports]\ntables = [{ file = "t", by = "ticker", format = ["csv"] }]\n',
     "unknown key `format` in [reports] tables[0]; did you mean `formats`?"),
    ('timezone = "UTC"\n',
     "unknown key `timezone` at the top level; did you mean `timezone` in [dates]?"),
    ('[[securities.add]]\nticker = "ACME"\nnmae = "Acme"\n',
     "unknown key `nmae` in [securities] add[0]; did you mean `name`?"),
    ('[dates]\nzone_of_time = "UTC"\n',
     "unknown key `zone_of_time` in [dates]; valid keys: timezone, search_chars"),
    ("[securities]\nunivers = false\n",
     "unknown key `univers` in [securities]; did you mean `universe`?"),
    ('[[securities.add]]\nticker = "NVDA"\nmarket = "US"\nformer_symbols = ["X"]\n',
     "unknown key `former_symbols` in [securities] add[0]; did you mean `former`?"),
]


@pytest.mark.parametrize(("text", "message"), TYPOS,
                         ids=["key", "section", "report-table", "top-level", "securities-add",
                              "no-near-key", "securities", "securities-add-key"])
def test_a_typo_exits_2_naming_file_key_and_nearest(tmp_path: Path, text: str,
                                                    message: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    assert str(err.value) == f"{cfg}: {message}"
    result = CliRunner().invoke(cli, ["status", "--config", str(cfg)])
    assert result.exit_code == 2 and result.stderr == f"Error: {cfg}: {message}\n"
    assert list(tmp_path.iterdir()) == [cfg]  # nothing created


@pytest.mark.parametrize(("text", "message"), [
    ('[dates]\nsearch_chars = "many"\n', "[dates] search_chars must be a number, not 'many'"),
    ("[groups]\nai = 3\n", "[groups] ai must be a list of strings"),
    ("[sources]\npaths = [1]\n", "[sources] paths must be a list of strings"),
    ("[securities]\nadd = 3\n", "[securities] add must be an array of tables"),
    ("dates = 1\n", "[dates] must be a table"),
    ("[extract]\nnumeric_market = 3\n", "[extract] numeric_market must be a string, not 3"),
    ('[securities]\nuniverse = "no"\n', "[securities] universe must be true or false, not 'no'"),
    ("[securities]\nfile = 3\n", "[securities] file must be a string, not 3"),
    ('[securities]\nadd = { ticker = "X" }\n', "[securities] add must be an array of tables"),
    ("securities = []\n", "[securities] must be a table"),
    # Was "must be a list of strings", as for a group's words.
    ("[input]\ntag_values = { Bullish = 1 }\n",
     "[input] tag_values.Bullish must be pos, neg or neu, not 1"),
], ids=["number", "open-table", "strings", "array-of-tables", "table", "string",
        "securities-universe", "securities-file", "securities-add-table", "securities-table",
        "tag-value"])
def test_a_value_of_the_wrong_kind_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=r"^.*config\.toml: ") as err:
        load_config(cfg)
    assert str(err.value).endswith(message)


EMPTY_MARKER = ("holds an empty string, which every line matches (every post would be cut "
                "short or dropped as empty); remove it")


@pytest.mark.parametrize("text", [
    '[clean]\ncut_after = [""]\n',
    '[clean]\ndrop_line_contains = ""\n',
    '[clean]\ndrop_line_prefixes = ["Ad:", " "]\n',
], ids=["cut-after", "contains-as-a-string", "prefix-of-spaces"])
def test_an_empty_chrome_marker_is_refused(tmp_path: Path, text: str) -> None:
    # cut_after = [""] cut every post at its first blank line, and an empty marker of the
    # other two dropped every post as empty, each with exit 0.
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, "utf-8")
    key = text.split("\n")[1].split(" =")[0]
    result = CliRunner().invoke(cli, ["ingest", "--config", str(cfg), "-"], input="$NVDA up\n")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {cfg}: [clean] {key} {EMPTY_MARKER}\n"


@pytest.mark.parametrize(("key", "alias"), [("aliases_zh", "，"), ("aliases_en", "--")],
                         ids=["comma", "dashes"])
def test_an_alias_without_a_letter_or_digit_is_refused(tmp_path: Path, key: str,
                                                       alias: str) -> None:
    # aliases_zh = ["，"] made every Chinese post holding a comma mention ZZQ, with exit 0.
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[[securities.add]]\nticker = "ZZQ"\nname = "Zed"\n{key} = ["{alias}"]\n',
                   "utf-8")
    result = CliRunner().invoke(cli, ["ingest", "--config", str(cfg), "-"],
                                input="今天大盘震荡，成交量偏低。\n")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {cfg}: [[securities.add]] #1 (ZZQ): {key} holds {alias!r}, which has no "
        "letter or digit: every post holding it would mention this security; remove it\n")


@pytest.mark.parametrize(("entry", "problem"), [
    ('ticker = "Z Z"\nname = "Zed"\n', "ticker 'Z Z' holds ' '"),
    ('ticker = "ZZQ"\nname = "Zed"\nmarket = "NOSUCHMKT"\n', "unknown market 'NOSUCHMKT'"),
], ids=["space-in-ticker", "unknown-market"])
def test_a_key_no_post_could_write_is_refused(tmp_path: Path, entry: str, problem: str) -> None:
    # Both were taken as written (exit 0): a key that no post's code, tag or --tickers names.
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[[securities.add]]\n{entry}", "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    ticker = entry.split('"')[1]
    assert str(err.value).startswith(f"{cfg}: [[securities.add]] #1 ({ticker}): {problem}")


@pytest.mark.parametrize(("row", "problem"), [
    ("ZZQ,US,Zed,，,", "aliases_en holds '，', which has no letter or digit"),
    ("ZZQ,US,Zed,,--", "aliases_zh holds '--', which has no letter or digit"),
    ("Z Z,US,Zed,,", "ticker 'Z Z' holds ' '"),
    ("ZZQ,NOSUCHMKT,Zed,,", "unknown market 'NOSUCHMKT'"),
], ids=["alias-en", "alias-zh", "space-in-ticker", "unknown-market"])
def test_a_securities_file_row_gets_the_checks_an_entry_gets(tmp_path: Path, row: str,
                                                             problem: str) -> None:
    # One set of checks for both: the file's rows were taken as written, exit 0.
    (tmp_path / "mine.csv").write_text(f"ticker,market,name,aliases_en,aliases_zh\n{row}\n",
                                       "utf-8")
    cfg = tmp_path / "config.toml"
    cfg.write_text('[securities]\nfile = "mine.csv"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    ticker = row.split(",")[0]
    assert str(err.value).startswith(f"{tmp_path / 'mine.csv'}:2 ({ticker}): {problem}")


def test_every_packaged_market_may_be_given(tmp_path: Path) -> None:
    # harden15's market check refused FX, the market of instruments.csv's currency pairs:
    # an entry giving USDCNH an alias (it had worked) stopped every command with exit 2.
    packaged = ROOT / "tracker" / "data"
    markets = sorted({row["market"] for name in ("universe.csv", "instruments.csv")
                      for row in csv.DictReader(open(packaged / name, encoding="utf-8"))})
    assert "FX" in markets
    entries = "".join(f'[[securities.add]]\nticker = "ZZQ{i}"\nname = "Zed"\nmarket = "{m}"\n'
                      for i, m in enumerate(markets))
    cfg = tmp_path / "config.toml"
    cfg.write_text(entries + '[[securities.add]]\nticker = "USDCNH"\nmarket = "FX"\n'
                   'aliases_zh = ["离岸汇率"]\n', "utf-8")
    analyzer = Analyzer(load_config(cfg))
    assert keys(analyzer, "今天离岸汇率大跌") == ["USDCNH.FX"]


@pytest.mark.parametrize("name", ['""', '" "', '"a;b"', '"a,b"', '"芯片，设备"', '"芯片、设备"'],
                         ids=["empty", "space", "semicolon", "comma", "full-width-comma",
                              "enumeration-comma"])
def test_a_group_name_no_filter_could_pick_is_refused(tmp_path: Path, name: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[groups]\n{name} = ["chips"]\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    assert str(err.value) == (f"{cfg}: [groups] group name {name[1:-1]!r} must hold a letter "
                              "or digit and no comma or semicolon")


def test_a_group_name_with_spaces_is_kept(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[groups]\n"ai chips" = ["chips"]\n', "utf-8")
    assert "ai chips" in load_config(cfg).group_keywords


def test_an_empty_drop_line_is_kept_as_it_drops_blank_lines_only(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[clean]\ndrop_lines = [""]\n', "utf-8")
    assert load_config(cfg).clean.drop_lines == ("",)


REFRESH_ERRORS = [
    ('[reports]\ntables = [{ file = "t", by = "day" }]\n',
     "[reports] tables[0] by must be ticker or group"),
    ('[reports]\ntables = [{ file = "a/t" }]\n',
     "[reports] tables[0] file must be a plain file name"),
    ("[refresh]\nbatch_size = 0\n", "[refresh] batch_size must be a positive whole number"),
    ("[refresh]\nbatch_size = 2.5\n", "[refresh] batch_size must be a positive whole number"),
    ("[reports]\nsql_threshold = -1\n",
     "[reports] sql_threshold must be a positive whole number"),
    ("[sources]\npaths = [3]\n", "[sources] paths must be a list of strings"),
    # One of two tables writing one file was never written, silently.
    ('[reports]\ntables = [{ file = "daily", formats = ["csv", "md"] },\n'
     '  { file = "Daily", by = "group", formats = ["md"] }]\n',
     "[reports] tables[1] writes Daily.md, as tables[0] does; give each table its own file"),
]


@pytest.mark.parametrize(("text", "message"), REFRESH_ERRORS,
                         ids=["table-by", "table-file", "batch-zero", "batch-fraction",
                              "sql-threshold", "paths", "table-same-file"])
def test_every_error_of_refresh_config_exits_2(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["refresh", "--config", str(cfg)])
    assert result.exit_code == 2 and result.stderr == f"Error: {cfg}: {message}\n"
    assert list(tmp_path.iterdir()) == [cfg]  # stopped before creating the database


@pytest.mark.parametrize(("sources", "folder", "held"), [
    ('paths = ["in"]', "", "folder {tmp} holds the [sources] path {tmp}/in"),
    ('paths = ["in"]', ".", "folder {tmp} holds the [sources] path {tmp}/in"),
    ('paths = ["in"]', "in", "folder is the [sources] path {tmp}/in"),
    ('globs = ["in/**/*.csv"]', ".", "folder {tmp} holds the [sources] path {tmp}/in"),
], ids=["empty", "dot", "same", "glob"])
def test_a_reports_folder_holding_a_source_exits_2(tmp_path: Path, sources: str, folder: str,
                                                     held: str) -> None:
    # Refresh never reads its reports folder: the source's posts were counted missing run
    # after run, and `refresh --prune` deleted every one of them without a word.
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[sources]\n{sources}\n[reports]\nfolder = "{folder}"\n', "utf-8")
    result = CliRunner().invoke(cli, ["refresh", "--prune", "--config", str(cfg)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {cfg}: [reports] " + held.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == [cfg]


def test_a_reports_folder_inside_a_source_is_left_out_of_it(tmp_path: Path) -> None:
    from tracker.ingest.jobs import load_job

    cfg = tmp_path / "config.toml"
    cfg.write_text('[sources]\npaths = ["."]\n', "utf-8")  # reports/ lies in it: fine
    assert load_job(load_config(cfg)).reports_folder == tmp_path / "reports"


def test_a_single_source_path_may_be_a_string(tmp_path: Path) -> None:
    from tracker.ingest.jobs import load_job

    cfg = tmp_path / "config.toml"
    cfg.write_text('[sources]\npaths = "in"\nglobs = "feeds/*.jsonl"\n', "utf-8")
    job = load_job(load_config(cfg))
    assert job.paths == (tmp_path.resolve() / "in",)
    assert job.globs == (str(tmp_path.resolve() / "feeds" / "*.jsonl"),)


def test_shipped_configs_and_user_groups_pass(tmp_path: Path) -> None:
    load_config(ROOT / "config.toml")
    cfg = tmp_path / "config.toml"
    cfg.write_text('[groups]\nrobots = ["humanoid"]\n[securities]\nfile = ""\nuniverse = false\n'
                   '[[securities.add]]\nticker = "NVDA"\nmarket = "US"\ngroups = ["robots"]\n'
                   'kind = "equity"\n', "utf-8")
    assert load_config(cfg).group_keywords["robots"] == ("humanoid",)


@pytest.mark.parametrize("section", [("input", InputConfig), ("clean", CleanConfig),
                                     ("sentiment", SentimentConfig), ("sources", SourcesConfig),
                                     ("refresh", RefreshConfig), ("reports", ReportsConfig)],
                         ids=lambda s: s[0])
def test_every_dataclass_field_has_a_packaged_default(section: tuple[str, type]) -> None:
    # The defaults are the schema: a field without a default key could not be configured.
    name, cls = section
    assert {f.name for f in dataclasses.fields(cls)} == set(_defaults()[name])


# Sections spread over fields of Config; every other section is a field of its own name.
FLAT_SECTIONS = {"database": ("db_url",), "extract": ("numeric_market", "numeric_needs_hint"),
                 "dates": ("timezone", "date_search_chars"), "groups": ("group_keywords",)}


def test_every_section_is_typed_and_nothing_is_read_raw() -> None:
    # Code reads typed, checked values only: no section is left as the parsed dictionary.
    typed = {name for section in _defaults() for name in FLAT_SECTIONS.get(section, (section,))}
    assert {f.name for f in dataclasses.fields(Config)} == typed | {"path"}


def test_a_change_to_the_packaged_defaults_reaches_no_later_reader(tmp_path: Path) -> None:
    # default_config() is parsed once per process and handed out as copies: a caller that
    # changes its copy, a nested table included, changes no later caller's.
    packaged = tomllib.loads((ROOT / "tracker" / "data" / "default_config.toml").read_text("utf-8"))
    mine = default_config()
    mine["dates"]["timezone"] = "Asia/Tokyo"
    mine["groups"]["mine"] = ["AAPL"]
    mine["sentiment"].clear()
    assert default_config() == packaged
    path = tmp_path / "config.toml"
    path.write_text("", "utf-8")
    cfg = load_config(path)
    assert str(cfg.timezone) == packaged["dates"]["timezone"]
    assert "mine" not in cfg.group_keywords
    assert cfg.sentiment.positive == packaged["sentiment"]["positive"]


def test_typed_refresh_sections_resolve_paths_from_the_config_folder(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[refresh]\nbatch_size = 7\nstale_after = 2\n[reports]\nfolder = "out"\n'
                   'sql_threshold = 9\ntables = [{ file = "t", by = "group", freq = "W" }]\n',
                   "utf-8")
    loaded = load_config(cfg)
    assert loaded.refresh == RefreshConfig(batch_size=7, stale_after=7200.0)
    assert loaded.reports.folder == tmp_path.resolve() / "out"
    assert loaded.reports.sql_threshold == 9
    assert [(t.file, t.by, t.freq, t.formats) for t in loaded.reports.tables] == [
        ("t", "group", "W", ("csv",))]


def test_a_bad_securities_entry_exits_2_naming_the_config_file(tmp_path: Path) -> None:
    # Keys are the schema's to check (above); an entry's values are checked as the config
    # loads, and the message starts with the file a user has to open.
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[securities.add]]\nticker = "ZZZQ"\nmarket = "US"\nname = "Zed"\n'
                   'groups = ["nosuchgroup"]\n', "utf-8")
    (tmp_path / "post.txt").write_text("$ZZZQ looks strong", "utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "post.txt"), "--config", str(cfg),
                                      "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {cfg}: [[securities.add]] #1 (ZZZQ): unknown group")


def test_an_unknown_numeric_market_is_refused_naming_the_key_and_the_markets(
        tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[extract]\nnumeric_market = "ZZ"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    message = str(err.value)
    assert message.startswith(f"{cfg}: [extract] numeric_market 'ZZ' is not a market tracker "
                              "knows for numeric codes; use one of ")
    assert all(market in message.split("use one of ")[1].split(", ")
               for market in ("HK", "TW", "SS", "SZ", "T", "KS"))


@pytest.mark.parametrize(("written", "stored"), [("HK", "HK"), ("sh", "SS"), ("TWO", "TW")])
def test_a_numeric_market_is_stored_as_its_suffix(tmp_path: Path, written: str,
                                                  stored: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[extract]\nnumeric_market = "{written}"\n', "utf-8")
    assert load_config(cfg).numeric_market == stored


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Windows Notepad's "UTF-8" (with BOM), CRLF line ends: "not valid TOML: Invalid
    # statement (at line 1, column 1)".
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[dates]\r\ntimezone = "Asia/Shanghai"\r\n')
    assert str(load_config(path).timezone) == "Asia/Shanghai"


def test_a_config_that_cannot_be_read_is_a_config_error(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # As another user (root reads any file, so the refusal is simulated): a PermissionError
    # reached a library caller; the command line printed its own wording of it.
    path = tmp_path / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: cannot read the config file: Permission denied"


def test_a_folder_given_as_the_config_is_named_a_folder(tmp_path: Path) -> None:
    # It was "config file not found", of a path that is plainly there.
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == (f"{tmp_path}: a folder, not a config file; name the file "
                                 f"(e.g. {tmp_path / 'config.toml'})")


def test_a_tilde_in_a_config_path_is_the_home_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # `url = "~/tracker.db"` made a folder named "~" beside the config, and the sources
    # "~/exports" were "no such file or folder" under the config's folder.
    home = tmp_path / "home"
    (home / "lex").mkdir(parents=True)
    (home / "lex" / "en.tsv").write_text("moonshot\t2\n", "utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text('[database]\nurl = "~/t.db"\n[sources]\npaths = ["~/exports"]\n'
                    'globs = ["~/inbox/**/*.json"]\n[reports]\nfolder = "~/reports"\n'
                    '[sentiment]\nen_lexicon = "~/lex/en.tsv"\n', "utf-8")
    cfg = load_config(path)
    assert cfg.db_url == f"sqlite:///{home / 't.db'}"
    assert cfg.sources.paths == (home / "exports",)
    assert cfg.sources.globs == (str(home / "inbox" / "**" / "*.json"),)
    assert cfg.reports.folder == home / "reports"
    assert cfg.sentiment.en_lexicon == home / "lex" / "en.tsv"


def test_a_device_or_pipe_given_as_the_config_is_named_so(tmp_path: Path) -> None:
    # `--config /dev/null` said "config file not found" of a file that is there.
    with pytest.raises(ConfigError) as err:
        load_config("/dev/null")
    assert str(err.value) == ("/dev/null: not a regular file; give a config file (the paths "
                              "in it are taken from its folder)")
