"""Nothing dropped, merged or misdated without a word (issue 15), on small files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import Config, load_config
from tracker.errors import EmptyPostWarning, SourceError, SourceWarning
from tracker.extract.models import Post
from tracker.ingest.pipeline import EMPTY_MESSAGE, analyze_paths, ingest
from tracker.ingest.problems import ProblemDigest
from tracker.store.database import Store
from tracker.store.schema import posts


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _config(tmp_path: Path, extra: str = "") -> Config:
    path = tmp_path / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n' + extra, "utf-8")
    return load_config(path, db_url=f"sqlite:///{tmp_path / 't.db'}")


def _stored(cfg: Config) -> list[dict]:
    store = Store(cfg.db_url)
    try:
        return list(store.iter_rows(posts))
    finally:
        store.close()


def _run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--config", str(tmp_path / "config.toml"),
                                      "--db", f"sqlite:///{tmp_path / 't.db'}"],
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- post identity -------------------------------------------------------------------------

def test_two_authors_with_one_text_are_two_posts(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    _jsonl(tmp_path / "a.jsonl", [{"text": "$TSLA 🚀", "author": "ann"},
                                  {"text": "$TSLA 🚀", "author": "bob"}])
    result = ingest([tmp_path / "a.jsonl"], cfg, Store(cfg.db_url))
    assert result.posts_added == 2 and result.mentions_added == 2
    assert sorted(p["author"] for p in _stored(cfg)) == ["ann", "bob"]


def test_one_record_in_two_files_is_one_post(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    record = {"id": "9001", "text": "$NVDA strong quarter", "author": "ann"}
    _jsonl(tmp_path / "a.jsonl", [record])
    _jsonl(tmp_path / "b.jsonl", [record, {**record, "id": "9002"}])
    result = ingest([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], cfg, Store(cfg.db_url))
    # 9002 is another record with the same words: another post.
    assert (result.posts_read, result.posts_added, result.posts_already) == (3, 2, 1)
    assert sorted(p["source_id"] for p in _stored(cfg)) == ["9001", "9002"]


def test_a_repost_by_another_author_counts_its_mentions_once(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    text = "$AAPL services revenue keeps growing faster than hardware every quarter"
    _jsonl(tmp_path / "a.jsonl", [{"text": text, "author": "ann"}, {"text": text, "author": "bob"}])
    ingest([tmp_path / "a.jsonl"], cfg, Store(cfg.db_url))
    store = Store(cfg.db_url)
    frame = store.mentions_frame()
    store.close()
    assert frame["author"].nunique() == 2  # both authors kept
    assert sorted(frame["is_repeat"].tolist()) == [False, True]  # counted once in the totals


# --- the author's own tag ------------------------------------------------------------------

def test_author_tag_is_read_when_the_field_is_named(tmp_path: Path) -> None:
    cfg = _config(tmp_path, '[input]\ntag_field = "sentiment"\n')
    _jsonl(tmp_path / "st.jsonl", [
        {"id": "1", "text": "$CMG bye bye burrito", "sentiment": "Bearish"},
        {"id": "2", "text": "$HQ rocket", "sentiment": "bullish"},
        {"id": "3", "text": "$HQ hm", "sentiment": None},
    ])
    ingest([tmp_path / "st.jsonl"], cfg, Store(cfg.db_url))
    tags = {p["source_id"]: p["author_tag"] for p in _stored(cfg)}
    assert tags == {"1": "negative", "2": "positive", "3": None}


def test_author_tag_values_are_configurable(tmp_path: Path) -> None:
    cfg = _config(tmp_path, '[input]\ntag_field = "tag"\ntag_values = { up = "pos", '
                  'down = "neg", flat = "neu" }\n')
    assert {"up": "positive", "down": "negative", "flat": "neutral"}.items() <= \
        cfg.input.tag_values.items()


# --- dates said out loud -------------------------------------------------------------------

REDDIT_CSV = ("title,body,timestamp\n"
              "GME,$GME to the moon,2021-01-28 09:30:00\n"
              "AMC,$AMC holding,2021-01-29 10:00:00\n"
              "BB,$BB news,2021-01-29 11:00:00\n")


def test_an_unknown_date_column_is_said_once_with_the_config_key(tmp_path: Path) -> None:
    (tmp_path / "wsb.csv").write_text(REDDIT_CSV, "utf-8")
    _config(tmp_path)
    code, out, err = _run(tmp_path, "ingest", str(tmp_path / "wsb.csv"))
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: {tmp_path / 'wsb.csv'}: 3 of 3 records have no usable date field (looked "
        "for published, created_at, time); they are dated from their text or the file's time; "
        'set [input] time_fields, e.g. time_fields = ["timestamp"]']
    assert "wsb.csv: 3 posts, dated 3 from the file's time" in out


def test_an_export_with_no_date_at_all_is_told_how_to_give_it_its_day(tmp_path: Path) -> None:
    # A 雪球 export with no date field was read as of the day it was saved (蔚来 as 9866.HK,
    # listed 2022, in a 2021 file), told only to set a time field it does not have.
    (tmp_path / "xq.jsonl").write_text('{"text": "蔚来今天大涨"}\n{"text": "蔚来的交付不错"}\n',
                                       "utf-8")
    _config(tmp_path)
    code, out, err = _run(tmp_path, "ingest", str(tmp_path / "xq.jsonl"))
    assert code == 0
    assert err.splitlines() == [
        f"Warning: {tmp_path / 'xq.jsonl'}: 2 of 2 records have no usable date field (looked "
        "for published, created_at, time); they are dated from their text or the file's time; "
        "set [input] time_fields to the fields that hold the date; if none does, give the file "
        "the day its posts were written by before ingesting it (touch -d 2021-07-31 FILE): "
        "their names are read as of the file's day"]
    assert "xq.jsonl: 2 posts, dated 2 from the file's time" in out


def test_the_dates_are_used_once_the_key_is_set(tmp_path: Path) -> None:
    (tmp_path / "wsb.csv").write_text(REDDIT_CSV, "utf-8")
    _config(tmp_path, '[input]\ntime_fields = ["timestamp"]\n')
    code, out, err = _run(tmp_path, "ingest", str(tmp_path / "wsb.csv"))
    assert code == 0 and err == ""
    assert "wsb.csv: 3 posts, dated 3 from a field" in out


def test_an_unreadable_date_value_is_a_counted_warning(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    _jsonl(tmp_path / "a.jsonl", [
        {"text": "$TSLA up", "published": "2026-05-08T09:00:00Z"},
        {"text": "$TSLA down", "published": "last Tuesday-ish"},
        {"text": "$TSLA flat", "published": "2026-05-09T09:00:00Z"},
    ])
    seen: list[SourceWarning] = []
    result = ingest([tmp_path / "a.jsonl"], cfg, Store(cfg.db_url), on_warning=seen.append)
    assert [(w.line, w.message) for w in seen] == [
        (2, "published 'last Tuesday-ish' is not a date this tracker reads; dated from the "
            "text or the file's time instead")]
    assert result.warnings == 1 and result.failures == []
    assert result.dated[str(tmp_path / "a.jsonl")] == {"field": 2, "file": 1}


def test_a_page_dated_only_in_meta_gets_that_date(tmp_path: Path, cfg: Config) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="2026-05-03T08:15:00+08:00">'
        "<title>t</title></head><body><p>$NVDA strong demand</p></body></html>", "utf-8")
    (post,) = [p for p in analyze_paths([page], cfg) if isinstance(p, Post)]
    assert post.published_from == "field"
    assert post.published.isoformat() == "2026-05-03T08:15:00+08:00"


def test_a_page_dated_by_its_time_element(tmp_path: Path, cfg: Config) -> None:
    page = tmp_path / "p.html"
    page.write_text('<html><body><time datetime="2026-05-04T10:00:00Z">May 4</time>'
                    "<p>$AMD gains</p></body></html>", "utf-8")
    (post,) = [p for p in analyze_paths([page], cfg) if isinstance(p, Post)]
    assert (post.published_from, post.published.isoformat()) == ("field", "2026-05-04T10:00:00+00:00")


# --- nothing disappears without a count ----------------------------------------------------

def test_a_disclaimer_only_post_is_counted_empty_and_a_longer_post_keeps_its_body(
        tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    _jsonl(tmp_path / "x.jsonl", [
        {"id": "1", "text": "个人观点不构成投资建议"},
        {"id": "2", "text": "$NVDA looks strong into earnings. Not investment advice. Buying more."},
        {"id": "3", "text": "宁德时代订单饱满，看好。个人观点，不构成投资建议。"},
    ])
    result = ingest([tmp_path / "x.jsonl"], cfg, Store(cfg.db_url))
    assert (result.posts_read, result.posts_added, result.empty_posts) == (3, 2, 1)
    texts = {p["source_id"]: p["text"] for p in _stored(cfg)}
    assert texts == {"2": "$NVDA looks strong into earnings. Buying more.",
                     "3": "宁德时代订单饱满，看好。"}


def test_show_says_why_a_post_was_dropped_or_has_no_mentions(tmp_path: Path) -> None:
    _config(tmp_path)
    _jsonl(tmp_path / "x.jsonl", [{"text": "not investment advice"}, {"text": "nice weather"}])
    # No --db: show reads a database only where there is one.
    result = CliRunner().invoke(cli, ["show", str(tmp_path / "x.jsonl"), "--config",
                                      str(tmp_path / "config.toml")], catch_exceptions=False)
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert code == 0
    assert f"Warning: {tmp_path / 'x.jsonl'}:1: empty after cleaning" in err
    assert "no cashtag such as $TSLA, and no listed company name" in out


def test_the_summary_line_adds_up(tmp_path: Path) -> None:
    _config(tmp_path)
    _jsonl(tmp_path / "x.jsonl", [{"text": "$TSLA up"}, {"text": "$TSLA up"},
                                  {"text": "not investment advice"}, {"message": "no text field"}])
    code, out, _ = _run(tmp_path, "ingest", str(tmp_path / "x.jsonl"))
    assert code == 1
    assert out.splitlines()[0] == ("1 file, 4 posts read: 1 new post, 1 already stored, "
                                   "1 empty after cleaning, 1 failed; 1 new mention; 2 warnings")


# --- errors a person can act on ------------------------------------------------------------

def test_a_flood_of_one_problem_is_one_line(tmp_path: Path) -> None:
    _config(tmp_path)
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([{"id": i, "message": f"$TSLA post {i}"} for i in range(2896)]),
                    "utf-8")
    code, _, err = _run(tmp_path, "ingest", str(path))
    assert code == 1
    assert err.splitlines() == [
        f"Error: {path}: 2,896 records have no text field (looked for text, content, body); "
        'set [input] text_fields, e.g. text_fields = ["message"] (first at lines 1, 2, 3; '
        "-v lists all)"]
    code, _, err = _run(tmp_path, "ingest", "-v", str(path))
    assert len(err.splitlines()) == 2897  # each record, then the count


def test_empty_cells_get_their_own_message(tmp_path: Path) -> None:
    _config(tmp_path)
    path = tmp_path / "reddit.csv"
    path.write_text("title,body\nA,$GME\nB,\n", "utf-8")
    code, _, err = _run(tmp_path, "ingest", str(path))
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert code == 1 and errors == [f"Error: {path}:3: empty text (field body)"]


@pytest.mark.parametrize("field", ["title", "author"])
def test_a_runaway_title_or_author_costs_its_record_as_a_runaway_text_does(
        tmp_path: Path, field: str) -> None:
    # max_post_chars counted the text alone: a record with a short text and a 3 MB title
    # took 77 s and stored 200,000 mentions; a 10 MB author was stored whole.
    _config(tmp_path, "[input]\nmax_post_chars = 100\n")
    path = _jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "$AAPL", field: "$NVDA up. " * 20},
                                         {"id": "2", "text": "$MSFT ok"}])
    code, _, err = _run(tmp_path, "ingest", str(path))
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert code == 1 and errors == [
        f"Error: {path}:1: post is 206 characters (text 5, {field} 200, id 1), more than "
        "[input] max_post_chars = 100; split it or raise the limit"]
    assert [p["text"] for p in _stored(load_config(tmp_path / "config.toml",
                                                   db_url=f"sqlite:///{tmp_path / 't.db'}"))] \
        == ["$MSFT ok"]


@pytest.mark.parametrize("count,lines", [(3, 3), (4, 1)], ids=["three-listed", "four-summed"])
def test_digest_lists_up_to_three_then_sums(count: int, lines: int) -> None:
    digest = ProblemDigest()
    out: list[str] = []
    for i in range(count):
        out += digest.add(SourceError("f.jsonl", "invalid JSON: Expecting value", i + 1))
    out += digest.close()
    assert len(out) == lines


def test_digest_keeps_files_and_kinds_apart() -> None:
    digest = ProblemDigest()
    out = []
    for path in ("a.csv", "b.csv"):
        for i in range(5):
            out += digest.add(SourceError(path, "empty text (field body)", i + 2))
        out += digest.add(EmptyPostWarning(path, "empty after cleaning", 9))
    out += digest.close()
    assert out == [
        "Error: a.csv: 5 records have empty text (field body) (first at lines 2, 3, 4; "
        "-v lists all)",
        "Warning: a.csv:9: empty after cleaning",
        "Error: b.csv: 5 records have empty text (field body) (first at lines 2, 3, 4; "
        "-v lists all)",
        "Warning: b.csv:9: empty after cleaning",
    ]


def test_a_summary_of_differing_values_says_whose_value_it_quotes() -> None:
    # "5 records: bad date 'inf'" read as if every record held 'inf' (harden22).
    digest = ProblemDigest()
    out = []
    for i, value in enumerate(["inf", "2026-13-45", "inf", "soon", "x"]):
        out += digest.add(SourceError("a.jsonl", f"unreadable date '{value}'", i + 2))
    out += digest.close()
    assert out == ["Error: a.jsonl: 5 records: unreadable date 'inf' (values differ, this is "
                   "line 2's; first at lines 2, 3, 4; -v lists all)"]


def test_posts_empty_after_cleaning_are_said_so_in_one_line() -> None:
    # Was "5 records have empty after cleaning (...)".
    digest = ProblemDigest()
    out = []
    for i in range(5):
        out += digest.add(EmptyPostWarning("a.jsonl", EMPTY_MESSAGE, i + 2))
    out += digest.close()
    assert out == [f"Warning: a.jsonl: 5 records are {EMPTY_MESSAGE} (first at lines 2, 3, 4; "
                   "-v lists all)"]
