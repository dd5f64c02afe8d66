"""Issue 27's surprises: each command does what its message promises, or says why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli


def tracker(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [args[0], "--config", str(home / "config.toml"), *args[1:]],
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    "utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A config and a database holding one post."""
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    posts = write_jsonl(tmp_path / "posts.jsonl", [
        {"text": "$TSLA is up and $NVDA is down.", "published": "2026-03-01T10:00:00Z"}])
    code, _out, err = tracker(tmp_path, "ingest", "-q", str(posts))
    assert code == 0, err
    return tmp_path


def test_export_to_a_missing_folder_is_an_error_and_creates_nothing(home: Path) -> None:
    code, out, err = tracker(home, "export", "mentions", "--out",
                             str(home / "nonexistent" / "dir" / "x.csv"))
    assert (code, out) == (1, "")
    assert err == (f"Error: {home / 'nonexistent' / 'dir' / 'x.csv'}: "
                   f"{home / 'nonexistent' / 'dir'} does not exist; create the folder first, "
                   "or write somewhere else\n")
    assert not (home / "nonexistent").exists()


def test_export_jsonl_with_excel_is_a_usage_error(home: Path) -> None:
    code, out, err = tracker(home, "export", "posts", "--format", "jsonl", "--excel")
    assert (code, out) == (2, "")
    assert "Error: --excel marks a CSV file for Excel; --format jsonl takes no --excel" in err
    code, out, _ = tracker(home, "export", "posts", "--format", "csv", "--excel")
    assert code == 0 and out.startswith("\ufeff")


@pytest.mark.parametrize("name", ["x.jpg", "x.svg", "x"])
def test_chart_refuses_a_name_that_is_not_png(home: Path, name: str) -> None:
    code, _out, err = tracker(home, "chart", "--out", str(home / name))
    assert code == 2
    assert f"{home / name}: charts are drawn as PNG; give a file name ending in .png" in err
    assert not (home / name).exists()


def test_refresh_without_sources_says_so_and_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    code, out, err = tracker(tmp_path, "refresh")
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: nothing to read: {config} has no [sources] paths or globs; ")
    assert list(tmp_path.iterdir()) == [config]  # no database, lock file or reports/ folder


def test_status_counts_record_failures(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    posts = write_jsonl(tmp_path / "posts.jsonl",
                        [{"text": "$TSLA up"}, "not json", "{also not json", {"text": "$AMD"}])
    assert tracker(tmp_path, "ingest", "-q", str(posts))[0] == 1
    code, out, _ = tracker(tmp_path, "status")
    assert code == 0
    header, run = out.splitlines()[-2:]
    # Counted from the right: the start time takes two words.
    assert (header.split()[-4], run.split()[-4]) == ("fail", "2")
    code, out, _ = tracker(tmp_path, "status", "--format", "json")
    assert json.loads(out)["runs"][0]["failures"] == 2


def test_counts_take_the_singular_for_one(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    one = write_jsonl(tmp_path / "one.jsonl",
                      [{"text": "$TSLA up", "published": "2026-03-01T10:00:00Z"}])
    code, out, _ = tracker(tmp_path, "ingest", str(one))
    assert code == 0
    assert out == ("1 file, 1 post read: 1 new post, 0 already stored, 0 empty after cleaning, "
                   "0 failed; 1 new mention\n1 file of one post, dated from a field\n")
    undated = write_jsonl(tmp_path / "undated.jsonl", [{"text": "$AMD down"}])
    code, out, _ = tracker(tmp_path, "ingest", str(undated), str(tmp_path / "missing.jsonl"))
    assert code == 1
    assert out.splitlines()[0] == (
        "1 file, 1 post read: 1 new post, 0 already stored, 0 empty after cleaning, 0 failed; "
        "1 new mention; 1 file could not be read; 1 warning")


def test_rescore_counts_in_words(home: Path) -> None:
    code, out, _ = tracker(home, "rescore")
    assert (code, out) == (0, "rescored 1 post and 2 mentions; 0 labels changed\n")


def test_reports_and_warnings_take_the_singular_for_one(tmp_path: Path) -> None:
    # "1 mentions in 1 posts", "(1 days with posts)", "last 1 days", "1 of 1 records have":
    # each count a user reads names its noun in the right number, from one place.
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    one = write_jsonl(tmp_path / "one.jsonl",
                      [{"text": "SpaceX is hiring", "published": "2026-03-01T10:00:00Z"}])
    assert tracker(tmp_path, "ingest", "-q", str(one))[0] == 0
    undated = write_jsonl(tmp_path / "undated.jsonl", [{"text": "nothing here"}])
    code, _, err = tracker(tmp_path, "ingest", "-q", str(undated))
    assert code == 0 and "1 of 1 record has no usable date field" in err, err

    code, table, _ = tracker(tmp_path, "report", "--by", "ticker", "--format", "md",
                             "--min-mentions", "1")
    assert code == 0
    assert "Filters: at least 1 mention.  \n1 mention in 1 post; 0 posts dated by their " \
           "file's modification time; 0 undated posts left out." in table, table
    code, briefing, _ = tracker(tmp_path, "report", "--format", "md", "--span", "all")
    assert code == 0 and "(1 day with posts)" in briefing, briefing
    code, latest, _ = tracker(tmp_path, "report", "--format", "md", "--until", "2026-03-01")
    assert code == 0 and "| last 1 day |" in latest, latest
    code, out, err = tracker(tmp_path, "report", "--by", "ticker", "--format", "md",
                             "--no-private")
    assert "no mentions left after --no-private; the other filters keep 1 mention" \
        in out + err, out + err


@pytest.mark.parametrize("name", ["empty.jsonl", "folder"])
def test_show_of_nothing_says_so(tmp_path: Path, name: str) -> None:
    # It printed nothing at all and exited 0.
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
        (path / "notes.pdf").write_bytes(b"%PDF-1.4")
    else:
        path.touch()
    code, out, err = tracker(tmp_path, "show", str(path))
    assert (code, out) == (0, "")
    assert err == (f"Note: {path}: no posts in it (an empty file, or a folder without files "
                   "of a kind tracker reads: .csv, .htm, .html, .json, .jsonl, .md, .txt)\n")
