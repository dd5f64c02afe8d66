"""Config values are range-checked: NaN, infinities, negatives, absurd sizes, empty lists and
unknown markets are refused with exit 2 and a message naming the key; `ingest` checks the
whole config, [refresh] and [reports] included."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import load_config
from tracker.errors import ConfigError

BAD = {
    "search-negative": ("[dates]\nsearch_chars = -100\n", "[dates] search_chars"),
    "search-huge": ("[dates]\nsearch_chars = 1e300\n", "[dates] search_chars"),
    "positive-nan": ("[sentiment]\npositive = nan\n", "[sentiment] positive"),
    "negative-inf": ("[sentiment]\nnegative = -inf\n", "[sentiment] negative"),
    "positive-out-of-range": ("[sentiment]\npositive = 1e300\n", "[sentiment] positive"),
    "text-fields-empty": ("[input]\ntext_fields = []\n", "[input] text_fields"),
    "text-fields-blank": ('[input]\ntext_fields = [""]\n', "[input] text_fields"),
    "max-post-chars-zero": ("[input]\nmax_post_chars = 0\n", "[input] max_post_chars"),
    "max-post-chars-fraction": ("[input]\nmax_post_chars = 10.5\n", "[input] max_post_chars"),
    "market-unknown": ('[extract]\nnumeric_market = "XX"\n', "[extract] numeric_market"),
}


@pytest.mark.parametrize("body, key", list(BAD.values()), ids=list(BAD))
def test_bad_value_is_refused_naming_its_key(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)
    (tmp_path / "a.txt").write_text("$TSLA up", "utf-8")
    out = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--config", str(path)])
    assert out.exit_code == 2 and key in out.output, out.output


@pytest.mark.parametrize("body, key", [
    ("[refresh]\nbatch_size = 0\n", "[refresh] batch_size"),
    ("[refresh]\nstale_after = nan\n", "[refresh] stale_after"),
    ('[reports]\ntables = [{ file = "x", by = "nothing" }]\n', "by must be ticker or group"),
], ids=["batch-size-zero", "stale-after-nan", "report-by"])
def test_ingest_checks_refresh_and_reports_too(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "t.db"}"\n' + body, "utf-8")
    (tmp_path / "a.txt").write_text("$TSLA up", "utf-8")
    out = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--config", str(path)])
    assert out.exit_code == 2 and key in out.output, out.output
    assert not (tmp_path / "t.db").exists()


def test_good_values_still_load(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[dates]\nsearch_chars = 1000\n[sentiment]\npositive = 0.3\nnegative = -0.3\n'
                    '[extract]\nnumeric_market = "HK"\n[input]\ntext_fields = ["body"]\n', "utf-8")
    cfg = load_config(path)
    assert (cfg.date_search_chars, cfg.numeric_market, cfg.input.text_fields) == (
        1000, "HK", ("body",))
