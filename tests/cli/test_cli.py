"""The command line: every command's help, ingest -> report on the seeds, show, export, errors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import DATA, GOLDEN_CONFIG, PLAIN_CONFIG, SEEDS, copy_seeds
from tests.refreshkit import ROOT
from tracker.cli import cli
from tracker.store.database import Store

DEADLINE = 120  # seconds; a safety net against a hung child, not a timing assertion

GOLDEN = DATA / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TRACKER_REGEN_GOLDEN"):
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8"), f"{name} differs; `make golden` rewrites it"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """config.toml and seeds/, nothing stored yet (see `seeded` for the seeds stored)."""
    copy_seeds(tmp_path)
    (tmp_path / "config.toml").write_text(PLAIN_CONFIG, "utf-8")
    return tmp_path


def run(workdir: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, [args[0], "--config", str(workdir / "config.toml"), *args[1:]],
                           input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--config" in result.output
    assert "[env var: TRACKER_CONFIG]" in " ".join(result.output.split())
    # eval reads no database, so it takes no --db.
    assert ("--db" in result.output) == (command != "eval")
    assert CliRunner().invoke(cli, [command, "-h"]).output == result.output


def test_help_examples_keep_their_line_breaks() -> None:
    out = CliRunner(env={"COLUMNS": "60"}).invoke(cli, ["refresh", "-h"]).output
    example = ("tracker refresh --config /srv/tracker/config.toml --log-file "
               "/srv/tracker/refresh.log")
    assert f"      {example}\n" in out  # not rewrapped to the terminal's width
    assert "[env var: TRACKER_DB_URL]" in " ".join(out.split())


def test_eval_takes_no_db(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text('{"text": "up", "label": "pos"}\n', "utf-8")
    result = CliRunner().invoke(cli, ["eval", str(labelled), "--db", "x.db"])
    assert result.exit_code == 2 and "No such option '--db'" in result.stderr


@pytest.mark.slow
def test_tracker_config_names_the_config(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir / "seeds")  # no config.toml here
    env = {"TRACKER_CONFIG": str(workdir / "config.toml")}
    result = CliRunner(env=env).invoke(cli, ["ingest", "-q", str(workdir / "seeds")],
                                       catch_exceptions=False)
    assert result.exit_code == 0
    assert (workdir / "tracker.db").exists() and not (workdir / "seeds" / "tracker.db").exists()
    env = {"TRACKER_CONFIG": str(workdir / "missing.toml")}
    result = CliRunner(env=env).invoke(cli, ["status"])
    assert result.exit_code == 2 and "missing.toml: config file not found" in result.stderr


READ_ONLY = [
    ("report",), ("report", "--format", "md"), ("status",), ("export", "mentions"),
    ("chart", "--out", "{tmp}/c.png"), ("rescore",),
    ("show", str(SEEDS / "000_0fac7ee0c8b55c56.txt")),
]


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: "-".join(a[:2]).replace("/", ""))
def test_read_only_commands_create_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    typo = tmp_path / "trackr" / "tracker.db"
    argv = [a.format(tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, [*argv, "--db", str(typo)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no database at {typo} (run `tracker ingest` first)\n"
    assert list(tmp_path.iterdir()) == []  # no folder, no empty database


@pytest.mark.slow
def test_report_and_status_as_json(seeded: Path) -> None:
    workdir = seeded
    code, out, _ = run(workdir, "report", "--format", "json")
    rows = json.loads(out)
    code_csv, csv_text, _ = run(workdir, "report")
    assert code == code_csv == 0 and len(rows) == len(csv_text.splitlines()) - 1
    nvda = next(r for r in rows if r["ticker"] == "NVDA" and r["period"] == "2026-05-01")
    assert nvda["mentions"] == 3 and isinstance(nvda["tone"], float)
    assert list(rows[0]) == csv_text.splitlines()[0].split(",")
    code, out, _ = run(workdir, "status", "--format", "json")
    status = json.loads(out)
    assert code == 0 and status["posts"] == 5 and status["runs"][0]["command"] == "ingest"
    assert status["runs"][0]["posts_added"] == 5


def test_ingest_then_report(workdir: Path) -> None:
    (workdir / "config.toml").write_text(GOLDEN_CONFIG, "utf-8")
    code, out, err = run(workdir, "ingest", str(workdir / "seeds"))
    assert code == 0 and err == ""
    assert out.startswith("5 files, 5 posts read: 5 new posts,")
    assert (workdir / "tracker.db").exists()  # beside the config

    code, csv_text, _ = run(workdir, "report", "--by", "ticker", "--freq", "D")
    assert code == 0
    check_golden("seeds-tickers-daily.csv", csv_text)
    header, *rows = csv_text.splitlines()
    assert header == ("period,ticker,market,name,mentions,posts,tone,positive,negative,neutral,"
                      "tagged,tag_positive,tag_negative,tag_agree")
    by_day = {tuple(r.split(",")[:2]): r for r in rows}
    assert by_day["2026-05-01", "NVDA"].startswith("2026-05-01,NVDA,US,NVIDIA Corporation,3,1,")

    out_md = workdir / "reports" / "groups.md"
    out_md.parent.mkdir()
    code, _, _ = run(workdir, "report", "--by", "group", "--freq", "W", "--format", "md",
                     "--out", str(out_md))
    assert code == 0
    check_golden("seeds-groups-weekly.md", out_md.read_text("utf-8"))
    assert out_md.read_text("utf-8").startswith("# Mentions by group, weekly, 2026-03-23 to")


@pytest.mark.slow
def test_reingest_adds_nothing(seeded: Path, seeded_once: Path) -> None:
    code, out, _ = run(seeded, "ingest", str(seeded_once / "seeds"))
    assert code == 0 and "0 new posts, 5 already stored" in out


def test_report_since_until(seeded_once: Path) -> None:
    workdir = seeded_once  # only read
    _, out, _ = run(workdir, "report", "--since", "2026-05-02", "--until", "2026-05-31")
    rows = out.splitlines()[1:]
    # Only 003 (dated 2026-05-08 in its text) is in range; it names companies without tickers.
    assert rows and {r.split(",")[0] for r in rows} == {"2026-05-08"}
    assert {r.split(",")[1] for r in rows} >= {"TSM", "NVDA", "TSLA", "INTC"}
    code, _, err = run(workdir, "report", "--since", "2026-06-01", "--until", "2026-05-01")
    assert code == 2 and "is after --until" in err  # a usage error, as click's own
    code, _, err = run(workdir, "report", "--since", "May 1")
    assert code == 2 and "not a date like 2026-05-08" in err


def test_show_json_shape(workdir: Path) -> None:
    code, out, _ = run(workdir, "show", str(workdir / "seeds" / "000_0fac7ee0c8b55c56.txt"),
                       "--json")
    assert code == 0
    (line,) = out.splitlines()
    post = json.loads(line)
    for key in ("source", "source_id", "published", "published_from", "lang", "tone",
                "groups", "mentions"):
        assert key in post
    assert post["published_from"] == "file" and post["lang"] == "en"
    assert post["groups"]["equipment"] == ["ASML", "AMAT", "LRCX", "KLAC", "TEL", "TER"]
    first = post["mentions"][0]
    assert {k: first[k] for k in ("ticker", "market", "name", "kind", "start", "end")} == {
        "ticker": "TSLA", "market": "US", "name": "Tesla, Inc.", "kind": "security_tag",
        "start": 6, "end": 21}
    assert post["text"][first["start"]:first["end"]] == "$Tesla(TSLA.US)"
    assert first["label"] in ("positive", "negative", "neutral")
    assert not (workdir / "tracker.db").exists()  # show stores nothing


def test_show_json_carries_the_authors_tag(workdir: Path) -> None:
    (workdir / "config.toml").write_text(
        '[dates]\ntimezone = "UTC"\n[input]\ntag_field = "sentiment"\n', "utf-8")
    (workdir / "st.jsonl").write_text(
        '{"id": "1", "text": "$CMG bye bye burrito", "sentiment": "Bearish"}\n'
        '{"id": "2", "text": "$HQ is a rocket"}\n', "utf-8")
    code, out, _ = run(workdir, "show", str(workdir / "st.jsonl"), "--json")
    assert code == 0
    assert [json.loads(line)["author_tag"] for line in out.splitlines()] == ["negative", None]


def test_show_text_lists_mentions_in_context(workdir: Path) -> None:
    code, out, _ = run(workdir, "show", str(workdir / "seeds" / "002_d6d05dc0d48508e4.txt"))
    assert code == 0
    assert "2382.TW    cashtag" in out and "mastered by [$2382] and $2317" in out
    # Dated by the file's time, to the second for a reader; --json keeps the microseconds.
    path = workdir / "seeds" / "002_d6d05dc0d48508e4.txt"
    os.utime(path, (1_700_000_000.25, 1_700_000_000.25))
    code, out, _ = run(workdir, "show", str(path))
    assert "  published: 2023-11-14T22:13:20+00:00 (from file)" in out.splitlines()
    code, out, _ = run(workdir, "show", str(path), "--json")
    assert json.loads(out)["published"] == "2023-11-14T22:13:20.250000+00:00"


def test_show_names_a_delisted_holder_with_its_mark(workdir: Path) -> None:
    (workdir / "st.jsonl").write_text(
        '{"id": "1", "text": "$S to the moon", "published": "2017-05-02T10:00:00Z"}\n', "utf-8")
    code, out, _ = run(workdir, "show", str(workdir / "st.jsonl"))
    assert code == 0
    assert "S@2020.US" in out and "Sprint Corp (delisted 2020)" in out


def test_ingest_stdin_jsonl(workdir: Path) -> None:
    records = '{"id": "r1", "text": "$TSLA tanks", "published": "2026-05-08T09:00:00Z"}\n'
    code, out, _ = run(workdir, "ingest", "-", input=records)
    assert code == 0 and "1 new post," in out and "1 new mention\n" in out
    _, exported, _ = run(workdir, "export", "mentions", "--format", "jsonl")
    (row,) = [json.loads(x) for x in exported.splitlines()]
    assert (row["source"], row["source_id"], row["ticker"], row["published"]) == (
        "-", "r1", "TSLA", "2026-05-08T09:00:00+00:00")


def test_export_csv_columns(seeded_once: Path) -> None:
    workdir = seeded_once  # only read
    _, out, _ = run(workdir, "export", "mentions")
    header = out.splitlines()[0].split(",")
    for col in ("post_id", "source", "source_id", "published", "ticker", "market", "kind",
                "groups", "tone", "label", "sentence"):
        assert col in header
    _, posts, _ = run(workdir, "export", "posts")
    assert len(posts.splitlines()) == 6


def test_bad_input_exits_1_and_names_the_file(workdir: Path) -> None:
    bad = workdir / "seeds" / "broken.jsonl"
    bad.write_text('{"text": "$NVDA up"}\n{oops\n', "utf-8")
    code, out, err = run(workdir, "ingest", str(workdir / "seeds"), str(workdir / "nope"))
    assert code == 1
    assert f"Error: {bad}:2: invalid JSON" in err
    assert f"Error: {workdir / 'nope'}: no such file or folder" in err
    assert "6 new posts" in out


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[sentiment]\npositive = 'high'\n", "utf-8")
    result = CliRunner().invoke(cli, ["report", "--config", str(cfg)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {cfg}: [sentiment] positive must be a number, not 'high'\n"
    missing = CliRunner().invoke(cli, ["report", "--config", str(tmp_path / "none.toml")])
    assert missing.exit_code == 2 and "config file not found" in missing.stderr


@pytest.mark.slow
def test_eval_prints_metrics_per_language(workdir: Path) -> None:
    labelled = workdir / "labelled.jsonl"
    labelled.write_text(
        '{"text": "TSLA tanks while NVDA soars", "label": "neg", "target": "TSLA"}\n'
        '{"text": "TSLA tanks while NVDA soars", "label": "pos", "target": "NVDA"}\n'
        '{"text": "特斯拉股价暴跌，套牢了", "label": -0.8}\n'
        '{"text": "台积电大涨，利好", "label": "pos", "lang": "zh"}\n', "utf-8")
    code, out, _ = run(workdir, "eval", str(labelled), "--json")
    assert code == 0
    result = json.loads(out)
    assert sorted(result) == ["en", "zh"]
    assert result["en"]["n"] == 2 and result["en"]["accuracy"] == 1.0
    assert result["zh"]["n"] == 2 and result["zh"]["confusion"]["neg"]["neg"] == 1
    code, out, _ = run(workdir, "eval", str(labelled), "--scorer", "all", "--json")
    every = json.loads(out)
    # Each plain library is measured only on the language it reads.
    assert sorted(every["vader"]) == ["en"] and sorted(every["snownlp"]) == ["zh"]
    code, out, _ = run(workdir, "eval", str(labelled))
    assert out.startswith("en: n=2  accuracy=1.000  macro-F1=")


def test_eval_bad_line_names_file_and_line(workdir: Path) -> None:
    labelled = workdir / "labelled.jsonl"
    labelled.write_text('{"text": "up", "label": "pos"}\n{"text": "x", "label": "maybe"}\n',
                        "utf-8")
    code, _, err = run(workdir, "eval", str(labelled))
    assert code == 1 and err.startswith(f"Error: {labelled}:2: ")


def test_rescore_after_a_threshold_change(seeded: Path) -> None:
    workdir = seeded
    _, before, _ = run(workdir, "export", "mentions", "--format", "jsonl")
    code, out, _ = run(workdir, "rescore")
    assert code == 0 and out.endswith("; 0 labels changed\n")  # same model, same labels
    _, again, _ = run(workdir, "export", "mentions", "--format", "jsonl")
    assert again == before
    # Every tone is now "neutral" under very wide thresholds, without reading the seeds.
    (workdir / "config.toml").write_text(
        '[dates]\ntimezone = "UTC"\n[sentiment]\npositive = 2.0\nnegative = -2.0\n', "utf-8")
    shutil.rmtree(workdir / "seeds")
    code, out, _ = run(workdir, "rescore")
    assert code == 0 and "labels changed" in out and not out.endswith("; 0 labels changed\n")
    _, after, _ = run(workdir, "export", "mentions", "--format", "jsonl")
    assert {json.loads(line)["label"] for line in after.splitlines()} == {"neutral"}


def test_report_filters_private_confidence_and_file_dates(seeded_once: Path) -> None:
    workdir = seeded_once  # only read

    def tickers(*extra: str) -> set[str]:
        _, out, _ = run(workdir, "report", "--freq", "M", *extra)
        return {r.split(",")[1] for r in out.splitlines()[1:]}

    everything = tickers()
    assert {"SPACEX", "XAI"} <= everything
    assert not {"SPACEX", "XAI"} & tickers("--no-private")
    # Only 001 and 003 state their dates; the three others are dated by their files.
    assert tickers("--no-file-dates") == {
        "TSLA", "SPACEX", "XAI", "TSM", "NVDA", "INTC", "ASML", "AAPL", "MSFT", "GOOGL",
        "AMZN", "META", "MS"}
    assert tickers("--min-confidence", "1") < everything
    code, _, err = run(workdir, "report", "--min-confidence", "2")
    assert code == 2 and "--min-confidence" in err


def test_a_filter_that_matches_nothing_says_why_and_exits_0(seeded_once: Path) -> None:
    workdir = seeded_once  # only read
    code, out, err = run(workdir, "report", "--tickers", "NVDX")
    assert code == 0 and out.startswith("period,ticker,")
    assert err == "Note: no mentions of NVDX; did you mean NVDA.US?\n"
    code, _, err = run(workdir, "report", "--tickers", "TSLA", "--groups", "memory")
    assert code == 0
    assert err.startswith("Note: no mentions in groups memory; the mentions kept so far are in ")
    code, _, err = run(workdir, "report", "--since", "2027-01-01", "--format", "md",
                       "--by", "ticker")
    assert code == 0
    assert err == ("Note: no mentions from 2027-01-01 to the end; the stored mentions run "
                   "from 2026-03-23 to 2026-05-08\n")
    code, _, err = run(workdir, "report", "--format", "md", "--lang", "de")
    assert code == 0 and err.startswith("Note: no mentions in languages de; ")
    code, _, err = run(workdir, "report", "--tickers", "TSLA")
    assert code == 0 and err == ""


@pytest.mark.slow  # draws the charts
def test_whole_span_briefing_of_the_seeds_names_every_ticker(seeded: Path) -> None:
    workdir = seeded
    code, text, err = run(workdir, "report", "--format", "md", "--span", "all",
                          "--charts", str(workdir / "charts"),
                          "--out", str(workdir / "briefing.md"))
    assert code == 0 and err == ""
    text = (workdir / "briefing.md").read_text("utf-8")
    assert text.startswith("# Briefing: 2026-03-23 to 2026-05-08\n")
    assert "in 4 posts (2 dated by their file's time)" in text
    for ticker in ("TSLA.US", "NVDA.US", "TSM.US", "ASML.US", "SPACEX", "XAI"):
        assert f"| {ticker} |" in text
    assert (workdir / "charts" / "briefing-tickers-daily.png").exists()


@pytest.mark.parametrize("command", ["report", "chart"])
def test_every_filter_is_listed_under_filters(command: str) -> None:
    # --genre came with the tone work after the sections and was listed under "Options:".
    lines = CliRunner().invoke(cli, [command, "-h"]).output.splitlines()
    start = lines.index("Filters:")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].endswith(":")
               and not lines[i].startswith(" "))
    listed = {line.split()[0].split("/")[0] for line in lines[start + 1:end]
              if line.startswith("  --")}
    assert listed == {"--since", "--until", "--tickers", "--groups", "--lang", "--kind",
                      "--instruments", "--source", "--genre", "--min-mentions",
                      "--min-confidence", "--private", "--file-dates"}


def test_report_help_lists_its_options_in_sections() -> None:
    out = CliRunner().invoke(cli, ["report", "-h"]).output
    titles = ["Table:", "Briefing (--format md without --by):", "Wide shape:", "Filters:",
              "Options:"]
    lines = out.splitlines()
    assert [line for line in lines if line in titles] == titles

    def section(title: str) -> str:
        start = lines.index(title)
        end = next((i for i in range(start + 1, len(lines)) if lines[i] in titles), len(lines))
        return "\n".join(lines[start:end])

    assert "--shape" in section("Wide shape:") and "--shape" not in section("Table:")
    assert "--span" in section("Briefing (--format md without --by):")
    assert "--instruments" in section("Filters:") and "--config" in section("Options:")


@pytest.mark.parametrize("command", ["show", "eval"])
def test_a_stopped_show_or_eval_says_so(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                        command: str) -> None:
    # Ctrl-C was click's "Aborted!" (exit 1), SIGTERM an end without a word.
    import tracker.ingest.pipeline as pipeline
    import tracker.sentiment.evaluate as evaluate

    def interrupted(*args: object, **kwargs: object) -> object:
        os.kill(os.getpid(), signal.SIGINT)
        return iter(())

    monkeypatch.setattr(pipeline, "analyze_paths", interrupted)
    monkeypatch.setattr(evaluate, "evaluate_file", interrupted)
    labelled = workdir / "labelled.jsonl"
    labelled.write_text('{"text": "$NVDA up", "label": "pos"}\n', "utf-8")
    path = str(labelled) if command == "eval" else str(workdir / "seeds")
    code, out, err = run(workdir, command, path)
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; it stores and writes nothing: run the same "
                   "command again to go on\n")


def test_a_stopped_db_upgrade_says_so_and_keeps_the_schema(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C was the upgrade's "database is locked by another process (waited 30 s)" or
    # click's "Aborted!", exit 1, SIGTERM an end without a word.
    from alembic import command

    import tracker.store.migrate as migrate

    database = workdir / "t.db"
    Store(f"sqlite:///{database}").close()
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0010'")
        conn.execute("ALTER TABLE ingest_runs DROP COLUMN process_start")  # as 0010 had it

    def interrupted(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(command, "upgrade", interrupted)
    code, out, err = run(workdir, "db", "upgrade", "--db", str(database))
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; the database keeps the schema it had, an upgrade "
                   "being whole or not at all: run the same command again to go on\n")
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0010",)]
    monkeypatch.undo()
    code, out, _ = run(workdir, "db", "upgrade", "--db", str(database))
    assert (code, out) == (0, f"schema 0010 -> {migrate.HEAD_REVISION}\n")


def _ctrl_c_while_the_store_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT to this process from inside the store's opening (its first read)."""
    original = Store._probe

    def interrupted(self: Store) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        original(self)

    monkeypatch.setattr(Store, "_probe", interrupted)


def test_a_signal_while_rescore_opens_the_store_says_so(
        seeded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The store opened (and upgraded) before the handlers were set: Ctrl-C then was click's
    # "Aborted!", exit 1, and SIGTERM an end without a word.
    _ctrl_c_while_the_store_opens(monkeypatch)
    code, out, err = run(seeded, "rescore")
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; the posts rescored before it keep their new "
                   "tones, the rest their old ones: run the same command again to go on\n")


def test_a_stopped_rescore_says_so_and_a_rerun_finishes(seeded: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C was click's "Aborted!" (exit 1), SIGTERM a death without a word.
    import tracker.ingest.rescore as rescore_module

    (seeded / "config.toml").write_text(
        (seeded / "config.toml").read_text("utf-8") + "[refresh]\nbatch_size = 2\n", "utf-8")
    original, calls = rescore_module._rescore_post, []

    def interrupted(*args: object) -> object:
        calls.append(1)
        if len(calls) == 3:  # the second batch: the first is committed
            os.kill(os.getpid(), signal.SIGINT)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rescore_module, "_rescore_post", interrupted)
    code, out, err = run(seeded, "rescore")
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; the posts rescored before it keep their new "
                   "tones, the rest their old ones: run the same command again to go on\n")
    monkeypatch.setattr(rescore_module, "_rescore_post", original)
    code, out, _ = run(seeded, "rescore")
    assert code == 0 and out.startswith("rescored 5 posts")


# The child stops itself with SIGTERM after the first row of its export, so the stop falls
# in the middle of the write every time.
_STOPS_MID_EXPORT = """
import os, signal, sys
import tracker.reports.export as export

def stopping(columns, records, fmt, handle, excel=False):
    def rows():
        for n, row in enumerate(records):
            if n == 1:
                handle.flush()
                os.kill(os.getpid(), signal.SIGTERM)
            yield row
    return write(columns, rows(), fmt, handle, excel=excel)

write, export.write_export = export.write_export, stopping
from tracker.cli import cli
cli(sys.argv[1:])
"""


def test_a_stopped_export_leaves_the_old_file_and_no_temporary(seeded: Path) -> None:
    # SIGTERM killed it before the temporary file beside --out could be removed: each
    # stop (`timeout 60 tracker export ...` under cron) left one.
    out = seeded / "out"
    out.mkdir()
    (out / "m.csv").write_text("old\n", "utf-8")
    child = subprocess.run(
        [sys.executable, "-c", _STOPS_MID_EXPORT, "export", "mentions", "--out",
         str(out / "m.csv"), "--config", str(seeded / "config.toml")],
        capture_output=True, text=True, timeout=DEADLINE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == 128 + signal.SIGTERM, child.stderr
    assert child.stderr == ("Error: stopped by SIGTERM; each file it writes is the old one or "
                            "the whole new one, and no temporary file is left: run the same "
                            "command again to go on\n")
    assert [p.name for p in out.iterdir()] == ["m.csv"]
    assert (out / "m.csv").read_text("utf-8") == "old\n"


def test_a_signal_while_ingest_opens_the_store_says_so(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The store opened before the handlers were set: Ctrl-C while it opened (an upgrade, a
    # lock wait) was click's "Aborted!", exit 1, and SIGTERM an end without a word.
    _ctrl_c_while_the_store_opens(monkeypatch)
    code, out, err = run(workdir, "ingest", "-q", str(workdir / "seeds"))
    assert (code, out) == (130, "")
    assert err == ("Error: stopped by SIGINT; the posts this ingest stored before it are kept: "
                   "run the same command again to go on\n")
    monkeypatch.undo()
    code, _, err = run(workdir, "ingest", "-q", str(workdir / "seeds"))
    assert (code, err) == (0, "")
