"""Charts draw whatever keys the store holds: hostile labels are drawn as written, never parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.reports.charts import chart_label, render_chart

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
