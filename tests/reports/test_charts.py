"""Charts draw whatever keys the store holds: hostile labels are drawn as written, never parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.reports.charts import (
    BAR_PERIODS,
    ChartError,
    chart_figure,
    chart_label,
    render_chart,
)

PNG = b"\x89PNG\r\n\x1a\n"
HOSTILE_TAG = ('<span class="security-tag" counter_id="ST/US/$\\sqrt{x}$" name="x">$X</span> '
               "is flying today, great quarter. $NVDA is strong too.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("NVDA", "NVDA"), ("$\\sqrt{x}$", "\\$\\sqrt{x}\\$"), ("a$b", "a\\$b"), ("_x", " _x"),
     ("a\x00b\u202ec", "abc")],
    ids=["plain", "mathtext", "one-dollar", "underscore", "control"],
)
def test_chart_label_is_literal(text: str, expected: str) -> None:
    assert chart_label(text, None) == expected


def test_a_chart_draws_hostile_keys() -> None:
    # Issue 14: `$\sqrt{x}$` as a key made matplotlib's math parser raise.
    periods = pd.to_datetime(["2026-05-04", "2026-05-11"])
    keys = ["$\\sqrt{x}$", "$\\frac{", "a$b", "$$", "\\", "_hidden", "NVDA"]
    mentions = pd.DataFrame({k: [1, 2] for k in keys}, index=periods)
    tone = pd.DataFrame({k: [0.5, -0.5] for k in keys}, index=periods)
    assert render_chart(mentions, tone, "Title with $\\sqrt{x}$").startswith(PNG)


def _run(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [args[0], "--config", str(folder / "config.toml"),
                                      *args[1:]], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def test_a_hostile_security_tag_does_not_stop_the_briefing(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    posts = [{"id": "1", "published": "2026-05-04T10:00:00Z", "text": HOSTILE_TAG},
             {"id": "2", "published": "2026-05-05T10:00:00Z", "text": "$NVDA up again, superb."}]
    (tmp_path / "posts.jsonl").write_text(
        "\n".join(json.dumps(p) for p in posts) + "\n", "utf-8")
    code, out = _run(tmp_path, "ingest", str(tmp_path / "posts.jsonl"))
    assert code == 0, out
    briefing = tmp_path / "briefing.md"
    code, out = _run(tmp_path, "report", "--format", "md", "--freq", "D", "--charts",
                     str(tmp_path / "charts"), "--out", str(briefing))
    assert code == 0, out
    text = briefing.read_text("utf-8")
    assert "NVDA" in text and "sqrt" not in text
    assert (tmp_path / "charts" / "briefing-tickers-daily.png").read_bytes().startswith(PNG)
    code, out = _run(tmp_path, "chart", "--out", str(tmp_path / "c.png"))
    assert code == 0, out


def _frames(days: int, keys: list[str], value: float = 3.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    periods = pd.date_range("2026-05-04", periods=days, freq="D")
    mentions = pd.DataFrame({k: [value] * days for k in keys}, index=periods)
    tone = pd.DataFrame({k: [0.25] * days for k in keys}, index=periods)
    return mentions, tone


def test_a_short_span_draws_bars_and_points_side_by_side() -> None:
    # Issue 27: three lone dots per series, and keys with equal values hid each other.
    mentions, tone = _frames(3, ["AMD", "NVDA", "TSM"])
    top, bottom = chart_figure(mentions, tone, "t", "D").axes
    bars = top.patches
    assert len(bars) == 9 and {b.get_height() for b in bars} == {3.0}
    centres = sorted(round(b.get_x() + b.get_width() / 2, 6) for b in bars)
    assert len(set(centres)) == 9  # equal counts, nine distinct places
    points = [line for line in bottom.get_lines() if len(line.get_xdata()) == 3]
    assert len(points) == 3 and all(line.get_linestyle() == "None" for line in points)
    assert len({tuple(line.get_xdata()) for line in points}) == 3  # equal tones apart too


def test_a_long_span_draws_lines() -> None:
    mentions, tone = _frames(BAR_PERIODS + 1, ["AMD", "NVDA"])
    top, _ = chart_figure(mentions, tone, "t", "D").axes
    assert not top.patches
    lines = [line for line in top.get_lines() if len(line.get_xdata()) == BAR_PERIODS + 1]
    assert len(lines) == 2 and all(line.get_linestyle() == "-" for line in lines)


def test_weeks_on_the_axis_are_ranges() -> None:
    periods = pd.to_datetime(["2026-03-23", "2026-03-30"])
    mentions = pd.DataFrame({"AMD": [1, 2]}, index=periods)
    _, bottom = chart_figure(mentions, mentions * 0.0, "t", "W").axes
    labels = [t.get_text() for t in bottom.get_xticklabels()]
    assert labels == ["2026-03-23 – 03-29", "2026-03-30 – 04-05"]


@pytest.mark.parametrize("where", ["database", "memory"])
def test_a_chart_keeps_only_keys_with_min_mentions(tmp_path: Path, where: str) -> None:
    # `chart --min-mentions` was accepted and ignored: every ticker was drawn.
    from tests.refreshkit import make_job, write_feed
    from tracker.ingest.refresh import refresh
    from tracker.reports.filters import MentionFilter
    from tracker.reports.report import chart_table
    from tracker.store.database import Store

    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    write_feed(tmp_path / "in" / "a.jsonl", 0, 10)
    # A --sources filter has the mentions read and aggregated in memory.
    sources = (str(tmp_path / "in"),) if where == "memory" else ()
    store = Store(cfg.db_url)
    try:
        refresh(cfg, store)
        every = chart_table(store, cfg, "ticker", "D", None, None, MentionFilter(sources=sources))
        totals = every.groupby("ticker")["mentions"].sum()
        assert totals.min() < 4 <= totals.max()
        kept = chart_table(store, cfg, "ticker", "D", None, None,
                           MentionFilter(sources=sources, min_mentions=4))
        assert set(kept["ticker"]) == set(totals[totals >= 4].index)
        with pytest.raises(ChartError) as caught:
            chart_table(store, cfg, "ticker", "D", None, None,
                        MentionFilter(sources=sources, min_mentions=1000))
        assert str(caught.value) == ("nothing to chart: no ticker has at least 1,000 "
                                     "mentions; lower --min-mentions")
    finally:
        store.close()
