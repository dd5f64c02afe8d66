"""`tracker show` and the report filters with the platform forms of issue 13."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return tmp_path


def _show(folder: Path, text: str) -> list[dict]:
    post = folder / "post.txt"
    post.write_text(text, "utf-8")
    code, out, err = run(folder, "show", str(post), "--json")
    assert code == 0 and err == ""
    return json.loads(out)["mentions"]


def test_show_xueqiu_cashtag_gives_the_canonical_key(folder: Path) -> None:
    mentions = _show(folder, "$招商银行(SH600036)$ 今天放量上涨")
    assert [(m["ticker"], m["market"], m["kind"], m["instrument"]) for m in mentions] == [
        ("600036", "SS", "cashtag", "equity")]


def test_show_reddit_bare_tickers(folder: Path) -> None:
    mentions = _show(folder, "GME to the moon, spy puts")
    assert [(m["ticker"], m["market"], m["kind"], m["instrument"]) for m in mentions] == [
        ("GME", "US", "bare_ticker", "equity"), ("SPY", "US", "bare_ticker", "etf")]


def test_show_text_names_the_instrument(folder: Path) -> None:
    post = folder / "post.txt"
    post.write_text("$BTC.X and $TSLA", "utf-8")
    code, out, _ = run(folder, "show", str(post))
    assert code == 0
    lines = [line.split() for line in out.splitlines() if line.startswith("    ")]
    assert [(words[0], words[1], words[2]) for words in lines] == [
        ("BTC.X", "cashtag", "crypto"), ("TSLA.US", "cashtag", "equity")]


@pytest.fixture
def stored(folder: Path) -> Path:
    posts = folder / "posts.jsonl"
    rows = [
        {"text": "$招商银行(SH600036)$ 放量", "published": "2026-05-04"},
        {"text": "SH600036 主力流入", "published": "2026-05-04"},
        {"text": "$BTC.X and $SPX and $TSLA", "published": "2026-05-04"},
    ]
    posts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    code, _, err = run(folder, "ingest", str(posts))
    assert code == 0, err
    return folder


@pytest.mark.parametrize("written", ["600036.SS", "SH600036", "sh600036", "600036.SH",
                                     "600036.ss", "$招商银行(SH600036)$"])
def test_tickers_filter_takes_any_form(stored: Path, written: str) -> None:
    code, out, _ = run(stored, "report", "--tickers", written)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # Both posts' mentions, one written $招商银行(SH600036)$ and one SH600036, are one key.
    assert [(r["ticker"], r["market"], r["mentions"]) for r in rows] == [("600036.SS", "SS", "2")]


@pytest.mark.parametrize("written", ["TSLA", "$tsla", "TSLA.US", "$Tesla(TSLA.US)"])
def test_tickers_filter_takes_cashtags(stored: Path, written: str) -> None:
    code, out, _ = run(stored, "report", "--tickers", written)
    assert code == 0
    assert [r["ticker"] for r in csv.DictReader(io.StringIO(out))] == ["TSLA"]


def test_reports_show_equities_by_default_and_instruments_selects(stored: Path) -> None:
    def tickers(*args: str) -> set[str]:
        code, out, _ = run(stored, "report", *args)
        assert code == 0
        return {r["ticker"] for r in csv.DictReader(io.StringIO(out))}

    assert tickers() == {"600036.SS", "TSLA"}
    assert tickers("--instruments", "crypto,index") == {"BTC.X", "SPX"}
    assert tickers("--instruments", "all") == {"600036.SS", "TSLA", "BTC.X", "SPX"}
    # A filter takes the in-memory path, which must agree with the database's default.
    assert tickers("--lang", "en,zh") == {"600036.SS", "TSLA"}


def test_unknown_instrument_kind_is_a_usage_error(stored: Path) -> None:
    code, _, err = run(stored, "report", "--instruments", "bonds")
    assert code == 2 and "unknown instrument kind 'bonds'" in err


def test_kinds_is_a_hidden_alias_of_instruments_for_a_release(stored: Path) -> None:
    code, out, err = run(stored, "report", "--kinds", "crypto,index")
    assert code == 0 and {r["ticker"] for r in csv.DictReader(io.StringIO(out))} == {"BTC.X", "SPX"}
    assert err == "Note: --kinds is now --instruments; the old name goes in the next release.\n"
    code, _, err = run(stored, "report", "--kinds", "crypto", "--instruments", "index")
    assert code == 2 and "--kinds is the old name of --instruments" in err
    code, out, _ = run(stored, "report", "-h")
    assert "--instruments" in out and "--kinds " not in out
