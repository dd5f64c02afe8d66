"""A wide table has a row for every period of its span: one over centuries of hours is
refused with a hint instead of being written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli


@pytest.fixture
def far_apart(tmp_path: Path) -> Path:
    feed = tmp_path / "a.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "1", "text": "$TSLA up", "published": "1900-01-02T00:00:00Z"},
        {"id": "2", "text": "$TSLA down", "published": "2199-12-30T00:00:00Z"},
    ]), "utf-8")
    db = tmp_path / "t.db"
    out = CliRunner().invoke(cli, ["ingest", str(feed), "--db", str(db)])
    assert out.exit_code == 0, out.output
    return db


def test_hourly_wide_table_over_centuries_is_refused(far_apart: Path) -> None:
    out = CliRunner().invoke(cli, ["report", "--db", str(far_apart), "--freq", "H",
                                   "--shape", "wide"])
    assert out.exit_code == 2, out.output
    assert "would have about 2,629," in out.output
    assert "--since/--until" in out.output


def test_the_same_span_by_month_or_long_is_fine(far_apart: Path) -> None:
    for args in (["--freq", "M", "--shape", "wide"], ["--freq", "H", "--shape", "long"]):
        out = CliRunner().invoke(cli, ["report", "--db", str(far_apart), *args])
        assert out.exit_code == 0, out.output


def test_a_chart_over_centuries_is_refused_without_a_shape_to_suggest(far_apart: Path,
                                                                        tmp_path: Path) -> None:
    # It said "or --shape long", an option `tracker chart` does not have.
    out = CliRunner().invoke(cli, ["chart", "--db", str(far_apart), "--freq", "D",
                                   "--out", str(tmp_path / "c.png")])
    assert out.exit_code == 2, out.output
    assert out.output.splitlines()[-1] == (
        "Error: a table with a row for every period from 1900-01-02 to 2199-12-30 would have "
        "about 109,571 rows (freq D); use a longer --freq, or --since/--until to narrow the "
        "dates")
    assert not (tmp_path / "c.png").exists()
