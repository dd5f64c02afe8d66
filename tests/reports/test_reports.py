"""Golden reports on the fixture corpus (seeds plus six weeks of posts) through the real CLI.

`make golden` (TRACKER_REGEN_GOLDEN=1) rewrites the golden files and the README sample in
docs/sample/ from the current code; review the diff before committing.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT
from tests.fixtures.corpus import HOSTILE_NEGATIVE, HOSTILE_QUOTE, HOSTILE_TITLE
from tests.reports.conftest import run

GOLDEN = DATA / "golden"
SAMPLE = ROOT / "docs" / "sample"
REGEN = bool(os.environ.get("TRACKER_REGEN_GOLDEN"))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8"), f"{name} differs; `make golden` rewrites it"


GOLDEN_REPORTS = [
    ("fixture-tickers-weekly.csv", ["--by", "ticker", "--freq", "W"]),
    ("fixture-tickers-weekly-wide.csv", ["--freq", "W", "--shape", "wide"]),
    ("fixture-groups-weekly.csv", ["--by", "group", "--freq", "W"]),
    ("fixture-groups-weekly-wide-tone.csv",
     ["--by", "group", "--freq", "W", "--shape", "wide", "--measure", "tone"]),
    ("fixture-tickers-monthly.md", ["--by", "ticker", "--freq", "M", "--format", "md",
                                    "--min-mentions", "3"]),
    ("fixture-tickers-daily-zh.csv", ["--freq", "D", "--lang", "zh", "--since", "2026-04-01",
                                      "--until", "2026-04-30"]),
    ("fixture-tickers-hourly.csv", ["--freq", "H", "--since", "2026-05-05", "--until",
                                    "2026-05-05", "--tickers", "nvda,PLTR,AMD.US"]),
    ("fixture-briefing-daily-gpu.md", ["--format", "md", "--freq", "D", "--groups", "gpu",
                                       "--kind", "cashtag", "--until", "2026-05-08"]),
    ("fixture-briefing-weekly-until.md", ["--format", "md", "--freq", "W", "--until",
                                          "2026-04-19", "--source", "*corpus.jsonl"]),
]


@pytest.mark.parametrize(("name", "args"), GOLDEN_REPORTS, ids=[g[0] for g in GOLDEN_REPORTS])
def test_golden_report(corpus: Path, name: str, args: list[str]) -> None:
    code, out, err = run(corpus, "report", *args)
    assert code == 0 and err == ""
    check_golden(name, out)


@pytest.mark.slow
def test_golden_briefing_with_charts_is_the_readme_sample(corpus: Path) -> None:
    out = corpus / "sample" / "briefing.md"
    out.parent.mkdir()
    code, _, err = run(corpus, "report", "--format", "md", "--freq", "W",
                       "--charts", str(corpus / "sample" / "charts"), "--out", str(out))
    assert code == 0 and err == ""
    text = out.read_text("utf-8")
    assert "![Top tickers: mentions and tone](charts/briefing-tickers-weekly.png)" in text
    charts = sorted((corpus / "sample" / "charts").iterdir())
    assert [p.name for p in charts] == ["briefing-groups-weekly.png",
                                        "briefing-tickers-weekly.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in charts)
    if REGEN:
        shutil.rmtree(SAMPLE, ignore_errors=True)
        shutil.copytree(corpus / "sample", SAMPLE)
    check_golden("fixture-briefing-weekly.md", text)
    assert (SAMPLE / "briefing.md").read_text("utf-8") == text, "docs/sample is stale"


def test_briefing_story(corpus: Path) -> None:
    """The corpus's story, read from the weekly briefing: what trends and what does not."""
    _, text, _ = run(corpus, "report", "--format", "md", "--freq", "W")
    trending = text.split("## Trending")[1].split("## Quotes")[0]
    assert "| AMD.US |" in trending  # five authors against a baseline of 0.5
    assert "PLTR" not in trending  # fifty posts, one author
    assert "NVDA" not in trending  # steady
    top = text.split("## Most mentioned")[1].split("## Groups")[0]
    assert top.splitlines()[4].startswith("| 1 | PLTR.US | Palantir Technologies Inc. | 50 | new | 50 | 1 |")
    groups = [line.split(" | ")[0] for line in
              text.split("## Groups")[1].split("## Trending")[0].splitlines() if line[:2] == "| "]
    assert groups[2:5] == ["| equipment", "| foundry", "| gpu"]


def test_briefing_quotes_cannot_break_the_table(corpus: Path) -> None:
    _, text, _ = run(corpus, "report", "--format", "md", "--freq", "W", "--tickers", "TSLA")
    rows = [line for line in text.splitlines() if "HYPERLINK" in line]
    (row,) = rows
    unescaped_pipes = row.replace("\\|", "").count("|")
    assert unescaped_pipes == 7  # six cells
    assert "\\`rm -rf\\`" in row and "\\*now\\*" in row and "\\[here\\]" in row
    assert "<" not in text.split("## Quotes")[1]


def test_wide_and_long_agree(corpus: Path) -> None:
    _, long_text, _ = run(corpus, "report", "--freq", "W")
    _, wide_text, _ = run(corpus, "report", "--freq", "W", "--shape", "wide")
    long_rows = list(csv.DictReader(io.StringIO(long_text)))
    wide_rows = list(csv.DictReader(io.StringIO(wide_text)))
    total_long = sum(int(r["mentions"]) for r in long_rows)
    total_wide = sum(int(v) for r in wide_rows for k, v in r.items() if k != "period")
    assert total_long == total_wide
    assert list(wide_rows[0])[:3] == ["period", "PLTR.US", "NVDA.US"]


def test_export_csv_neutralises_formula_text_but_not_numbers(corpus: Path) -> None:
    _, text, _ = run(corpus, "export", "mentions")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["source_id"] == "hostile-1"]
    # The record's title is read like its body, so its $TSLA is a mention too.
    assert [r["sentence"] for r in rows] == [
        "'" + HOSTILE_TITLE, "'" + HOSTILE_QUOTE, "'" + HOSTILE_NEGATIVE]
    assert float(rows[2]["tone"]) < 0 and rows[2]["tone"].startswith("-")
    _, posts, _ = run(corpus, "export", "posts", "--excel")
    assert posts.startswith("\ufeffpost_id,")
    records = list(csv.DictReader(io.StringIO(posts.lstrip("\ufeff"))))
    (hostile,) = [r for r in records if r["source_id"] == "hostile-1"]
    assert hostile["title"] == "'" + HOSTILE_TITLE
    # A negative tone is a number, not a formula: it keeps its minus sign, unquoted.
    negative = [r["tone"] for r in records if r["tone"] and float(r["tone"]) < 0]
    assert negative and all(t.startswith("-") for t in negative)


def test_report_option_errors(corpus: Path) -> None:
    code, _, err = run(corpus, "report", "--kind", "hashtag")
    assert code == 2 and "unknown mention kind 'hashtag'" in err
    code, _, err = run(corpus, "report", "--format", "md", "--excel")
    assert code == 2 and "--excel applies to CSV output" in err
    code, _, err = run(corpus, "report", "--format", "md", "--shape", "wide")
    assert code == 2 and "the briefing has one shape" in err
    code, _, err = run(corpus, "report", "--charts", str(corpus / "c"))
    assert code == 2 and "--charts belongs to the briefing" in err
    # Options the chosen output has no use for are refused, not run as if absent.
    for extra in (["--top", "3"], ["--measure", "tone"], ["--format", "md", "--top", "3"]):
        code, _, err = run(corpus, "report", *extra)
        assert code == 2 and "shapes the wide table's columns" in err, extra
    code, _, err = run(corpus, "report", "--span", "all")
    assert code == 2 and "--span belongs to the briefing" in err
    code, _, err = run(corpus, "report", "--by", "ticker", "--format", "md", "--span", "latest")
    assert code == 2 and "--span belongs to the briefing" in err
    # Where they apply, they run.
    code, text, _ = run(corpus, "report", "--shape", "wide", "--top", "1", "--measure", "posts")
    assert code == 0 and text.splitlines()[0].split(",")[:2] == ["period", "PLTR.US"]
    code, text, _ = run(corpus, "report", "--format", "md", "--span", "all")
    assert code == 0 and text.startswith("# Briefing")


@pytest.mark.slow
def test_chart_command(corpus: Path) -> None:
    out = corpus / "chips.png"
    code, _, err = run(corpus, "chart", "--tickers", "NVDA,AMD,000858.SZ", "--freq", "W",
                       "--out", str(out))
    assert code == 0 and err == ""
    assert out.read_bytes().startswith(b"\x89PNG")
    code, _, err = run(corpus, "chart", "--tickers", "NOPE", "--out", str(out))
    assert code == 1 and "nothing to chart" in err


def test_readme_sample_is_from_the_rendered_briefing() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("<!-- sample:begin -->")[1].split("<!-- sample:end -->")[0]
    sample = (SAMPLE / "briefing.md").read_text("utf-8").splitlines()
    lines = [line for line in block.splitlines() if line]
    assert lines and all(line in sample for line in lines), "README sample is stale"
    assert "](docs/sample/charts/briefing-tickers-weekly.png)" in readme


def test_briefing_filters_from_the_command_line_are_escaped(corpus: Path) -> None:
    code, out, _ = run(corpus, "report", "--format", "md", "--freq", "W", "--tickers",
                       "NVDA,<script>alert(1)</script>", "--groups",
                       "gpu,[x](javascript:alert(1))")
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("Filters:"))
    assert "<" not in line and "](" not in line.replace("\\]", "")
    assert "&lt;script&gt;" in line and "\\[x\\]" in line


def test_the_whole_span_briefing_counts_posts_that_named_no_ticker(corpus: Path) -> None:
    # Issue 27: ingest said 5 posts, the briefing 4, and nothing said one named no ticker.
    _, posts, _ = run(corpus, "export", "posts")
    silent = [r for r in csv.DictReader(io.StringIO(posts))
              if r["mentions"] == "0" and r["published"]]
    assert silent  # the seeds hold a post that names no security
    _, text, _ = run(corpus, "report", "--format", "md", "--span", "all")
    summary = next(ln for ln in text.splitlines() if ln.startswith("In this span:"))
    named = f"{len(silent)} post{'' if len(silent) == 1 else 's'} named no ticker"
    assert f"; {named};" in summary
