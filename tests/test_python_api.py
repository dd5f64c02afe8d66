"""The public Python API: what `import tracker` exports, and the examples of its docs."""

from __future__ import annotations

import doctest
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import tracker

ROOT = Path(__file__).resolve().parents[1]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("page", ["docs/python-api.md", "README.md"])
def test_documented_examples_run(page: str, monkeypatch: pytest.MonkeyPatch,
                                 tmp_path: Path) -> None:
    # The examples read ./config.toml when there is one: run them where there is none.
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(str(ROOT / page), module_relative=False, optionflags=FLAGS,
                              verbose=False, report=True)
    assert result.attempted > 0, f"{page} has no Python example"
    assert result.failed == 0


def test_every_exported_name_resolves() -> None:
    for name in tracker.__all__:
        assert getattr(tracker, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        tracker.nonesuch  # noqa: B018


def test_importing_tracker_loads_nothing_heavy() -> None:
    code = ("import sys, tracker; "
            "print(sorted(m for m in ('pandas', 'sqlalchemy', 'jieba', 'rjieba', 'numpy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_analyze_takes_the_language_and_the_date() -> None:
    post = tracker.analyze("$AAPL no innovation", lang="en", published="2021-06-15")
    assert post is not None
    assert post.lang == "en"
    assert post.published is not None and post.published.date().isoformat() == "2021-06-15"
    assert [m.ticker for m in post.mentions] == ["AAPL"]


@pytest.mark.parametrize("lang", ["EN", "en-US", "en_GB", " en "])
def test_a_language_code_is_read_without_case_or_region(lang: str) -> None:
    # "EN" was kept as a language of its own, which no scorer reads: the mention had no tone.
    post = tracker.analyze("$NVDA great quarter", lang=lang)
    assert post is not None and post.lang == "en"
    assert [m.label for m in post.mentions] == ["positive"]
    assert tracker.RawPost(source="s", text="x", lang="zh-Hans-CN").lang == "zh"
    assert tracker.RawPost(source="s", text="x").lang is None


@pytest.mark.parametrize("call,error", [
    ({"text": None}, TypeError),
    ({"text": b"$NVDA"}, TypeError),
    ({"text": "$NVDA", "lang": "english"}, tracker.TrackerError),
    ({"text": "$NVDA", "lang": ""}, tracker.TrackerError),
    ({"text": "$NVDA", "published": "yesterday"}, tracker.TrackerError),
    ({"text": "$NVDA", "published": 1700000000}, TypeError),
], ids=["none", "bytes", "lang-word", "lang-empty", "date-word", "date-int"])
def test_analyze_refuses_what_it_cannot_read(call: dict[str, object],
                                             error: type[Exception]) -> None:
    # Each was silent (an unscored mention, an undated post) or an AttributeError inside.
    with pytest.raises(error):
        tracker.analyze(**call)  # type: ignore[arg-type]


@pytest.mark.parametrize("published", [date(1, 1, 1), datetime(9999, 12, 31, 23, 59)],
                         ids=["year-1", "year-9999"])
def test_a_date_outside_the_years_read_says_so(published: date) -> None:
    # It was "cannot read datetime.date(1, 1, 1) as a date", of a date.
    with pytest.raises(tracker.TrackerError) as caught:
        tracker.analyze("$NVDA", published=published)
    assert str(caught.value) == (f"published: {published.isoformat()} is outside the years "
                                 "this tracker dates posts in (1900 to 2200)")


def test_dir_lists_the_public_api_not_the_imports() -> None:
    names = [n for n in dir(tracker) if not n.startswith("__")]
    assert names == sorted(n for n in tracker.__all__ if not n.startswith("__"))


@pytest.mark.parametrize("kwargs,message", [
    ({"by": "sector"}, "unknown table 'sector'; use one of ticker, group"),
    ({"freq": "Q"}, "unknown frequency 'Q'; use one of H, D, W, M"),
    # Was "unknown shape 'tall' or measure 'mentions'", blaming a measure that is fine.
    ({"shape": "tall"}, "unknown shape 'tall'; use long or wide"),
    ({"shape": "wide", "measure": "x"},
     "unknown measure 'x'; use one of mentions, posts, tone, tag_ratio, tag_agreement"),
    # The long table, every measure in it, as if the argument were not there; the command
    # line's --measure without --shape wide is a usage error.
    ({"measure": "tone"}, "measure 'tone' shapes the wide table's columns; ask for the wide "
                          "shape with it"),
], ids=["by", "freq", "shape", "measure", "measure-of-a-long-table"])
def test_report_refuses_a_choice_the_command_line_refuses(seeded_once: Path,
                                                          kwargs: dict[str, str],
                                                          message: str) -> None:
    # The command line's click.Choice kept these out; a library caller got a ValueError.
    with pytest.raises(tracker.errors.OptionsError) as caught:
        tracker.report(str(seeded_once / "tracker.db"), **kwargs)
    assert str(caught.value) == message


def test_report_takes_iso_days_and_a_dict_of_filters(seeded_once: Path) -> None:
    db = str(seeded_once / "tracker.db")
    every = tracker.report(db)
    assert len(every) > 1
    day = every["period"].min()
    first = day.date().isoformat() if hasattr(day, "date") else str(day)[:10]
    # ISO strings were a TypeError from inside the range code; a dict an AttributeError.
    assert tracker.report(db, since=first, until=first).equals(
        tracker.report(db, since=date.fromisoformat(first), until=date.fromisoformat(first)))
    ticker = str(every["ticker"].iloc[0])
    as_dict = tracker.report(db, filters={"tickers": ticker})
    assert set(as_dict["ticker"]) == {ticker}
    assert as_dict.equals(tracker.report(db, filters=tracker.MentionFilter(tickers=(ticker,))))
    with pytest.raises(tracker.errors.OptionsError, match="since: cannot read '05/04/2026'"):
        tracker.report(db, since="05/04/2026")
    with pytest.raises(TypeError, match="tikers"):
        tracker.report(db, filters={"tikers": ticker})


@pytest.mark.parametrize("kwargs,message", [
    ({"until": "9999-12-31"}, "until: 9999-12-31 is outside the days reports cover "
                              "(1678-01-01 to 2261-12-31); pick a day between them"),
    ({"since": date(1, 1, 1)}, "since: 0001-01-01 is outside the days reports cover "
                               "(1678-01-01 to 2261-12-31); pick a day between them"),
], ids=["until-9999", "since-year-1"])
def test_a_report_bound_outside_the_days_covered_is_refused(seeded_once: Path,
                                                            kwargs: dict[str, object],
                                                            message: str) -> None:
    # until="9999-12-31" was an OverflowError from inside the range code; the command
    # line refused it.
    with pytest.raises(tracker.errors.OptionsError) as caught:
        tracker.report(str(seeded_once / "tracker.db"), **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_filter_given_one_string_is_that_list() -> None:
    # tickers="NVDA" was the tuple ("N", "V", "D", "A"): a filter on four letters.
    assert tracker.MentionFilter(tickers="NVDA").tickers == ("NVDA",)
    assert tracker.MentionFilter(tickers="NVDA, AMD").tickers == ("NVDA", "AMD")
    assert tracker.MentionFilter(kinds=["cashtag"]).kinds == ("cashtag",)
    with pytest.raises(tracker.TrackerError, match="unknown mention kind 'c'"):
        tracker.MentionFilter(kinds=list("cashtag"))


def test_an_analyzer_takes_texts_as_posts() -> None:
    analyzer = tracker.Analyzer()
    texts = analyzer.analyze_many(["$TSLA to the moon", "Sold all my $AAPL, this is done"])
    raws = analyzer.analyze_many([tracker.RawPost(source="<python>", text=t)
                                  for t in ("$TSLA to the moon", "Sold all my $AAPL, this is done")])
    assert texts == raws
    with pytest.raises(TypeError, match="RawPost or a str, not dict"):
        analyzer.analyze({"text": "$TSLA"})  # type: ignore[arg-type]


@pytest.mark.parametrize("call,message", [
    (lambda db: tracker.load_config(5), "load_config() takes the config file's path as a str "
                                        "or Path, not int"),
    (lambda db: tracker.load_config(None, db_url=5), "load_config() takes db_url as a str, "
                                                     "not int"),
    (lambda db: tracker.analyze("$NVDA", config=5), "config takes a tracker.Config, a config "
                                                    "file's path or None, not int"),
    (lambda db: tracker.report(db, config=["config.toml"]), "config takes a tracker.Config, a "
                                                            "config file's path or None, not list"),
    (lambda db: tracker.open_store(5), "open_store() takes url as a str (a database URL or a "
                                       "SQLite file's path), not int"),
    (lambda db: tracker.open_store(str(db), create="no"), "open_store() takes create as True "
                                                          "or False, not str 'no'"),
    (lambda db: tracker.report(5), "open_store() takes url as a str (a database URL or a "
                                   "SQLite file's path), not int"),
    (lambda db: tracker.report(db, filters=5), "report() takes filters as a "
                                               "tracker.MentionFilter or a dict of its fields, "
                                               "not int"),
    (lambda db: tracker.report(db, filters={"tickers": 5}), "MentionFilter tickers takes a str "
                                                            "or a list of str, not int"),
    (lambda db: tracker.report(db, filters={"tickers": ["NVDA", 5]}),
     "MentionFilter tickers takes a list of str, not one holding int 5"),
    (lambda db: tracker.report(db, filters={"min_confidence": "0.5"}),
     "MentionFilter min_confidence takes a number from 0 to 1, not str '0.5'"),
    (lambda db: tracker.report(db, filters={"min_mentions": 2.5}),
     "MentionFilter min_mentions takes an int, not float 2.5"),
    (lambda db: tracker.MentionFilter(private="no"), "MentionFilter private takes True or "
                                                     "False, not str 'no'"),
    (lambda db: tracker.Analyzer("config.toml"), "Analyzer takes a tracker.Config "
                                                 "(tracker.load_config(path)) or None, not str"),
], ids=["load_config-path", "load_config-db_url", "analyze-config", "report-config",
        "open_store-url", "open_store-create", "report-store", "report-filters", "filter-list",
        "filter-item", "filter-confidence", "filter-min-mentions", "filter-private",
        "analyzer-path"])
def test_a_wrong_type_is_a_type_error_naming_the_argument(seeded_once: Path, call: Any,
                                                          message: str) -> None:
    # Each was a TypeError from pathlib naming no argument, an AttributeError from deep in
    # the filters or the Analyzer, or "config.toml: [database] url must be a string" for
    # a url that was never in a config file.
    with pytest.raises(TypeError) as caught:
        call(str(seeded_once / "tracker.db"))
    assert str(caught.value) == message


@pytest.mark.parametrize("field,value,message", [
    ("text", 5, "RawPost text must be a str, not int"),
    ("text", b"$TSLA", "RawPost text must be a str, not bytes"),
    ("source", None, "RawPost source must be a str, not NoneType"),
    ("source_id", 17, "RawPost source_id must be a str or None, not int"),
    ("title", b"t", "RawPost title must be a str or None, not bytes"),
    ("url", ["u"], "RawPost url must be a str or None, not list"),
    ("author", 3, "RawPost author must be a str or None, not int"),
    ("author_tag", True, "RawPost author_tag must be a str or None, not bool"),
    ("published_field", datetime(2026, 5, 4),
     "RawPost published_field must be a str (ISO 8601, or epoch seconds) or None, not datetime"),
    ("line", "3", "RawPost line must be an int or None, not str"),
    ("line", True, "RawPost line must be an int or None, not bool"),
    ("file_mtime", "1700000000", "RawPost file_mtime must be a number (seconds since 1970) or "
                                 "None, not str"),
    ("is_html", "yes", "RawPost is_html must be a bool, not str"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else None)
def test_a_raw_post_field_of_the_wrong_type_is_named(field: str, value: object,
                                                     message: str) -> None:
    # Each was an AttributeError or TypeError from deep inside the Analyzer ('int' object
    # has no attribute 'strip'), or was let through and stored (a None source, a str line).
    fields: dict[str, Any] = {"source": "feed", "text": "$TSLA up", field: value}
    with pytest.raises(TypeError) as caught:
        tracker.RawPost(**fields)
    assert str(caught.value) == message


def test_a_raw_post_takes_what_readers_give() -> None:
    raw = tracker.RawPost(source="f.jsonl", text="$TSLA", source_id="1", line=3, title=None,
                          url="https://x", author="a", author_tag="pos",
                          published_field="1700000000", file_mtime=1.7e9, is_html=False)
    assert raw.line == 3 and tracker.RawPost(source="f", text="x", file_mtime=17).file_mtime == 17


def test_analyze_many_refuses_one_text() -> None:
    # A str is a sequence: each of its characters was analysed as a post of its own.
    with pytest.raises(TypeError, match="analyze_many takes a list of posts .* not one str"):
        tracker.Analyzer().analyze_many("$TSLA to the moon")


def test_open_store_takes_a_path_object(seeded_once: Path) -> None:
    store = tracker.open_store(seeded_once / "tracker.db")  # type: ignore[arg-type]
    try:
        assert store.counts()["posts"] > 0
    finally:
        store.close()


def test_a_batch_holding_a_post_left_empty_is_stored_without_it(tmp_path: Path) -> None:
    # analyze_many gives None for a post left empty by cleaning; add_posts of that list was
    # an AttributeError from inside the store, and the whole batch was lost.
    analyzer = tracker.Analyzer()
    posts = analyzer.analyze_many(["$NVDA beats, great quarter", "   ", "<p></p>"])
    assert posts[1:] == [None, None]
    with tracker.open_store(str(tmp_path / "t.db"), create=True) as store:
        assert store.add_posts(posts) == (1, 1)
        assert store.add_posts(p for p in analyzer.analyze_many(["$AMD up", ""])) == (1, 1)


@pytest.mark.parametrize("batch,message", [
    (None, "not NoneType"), ("$NVDA", "not str"), ([5], "not one holding int"),
    ([tracker.RawPost(source="s", text="$NVDA")],
     "not one holding RawPost; analyze it first (Analyzer.analyze_many)"),
], ids=["none", "str", "int", "raw-post"])
def test_add_posts_names_what_is_no_post(tmp_path: Path, batch: Any, message: str) -> None:
    with tracker.open_store(str(tmp_path / "t.db"), create=True) as store:
        with pytest.raises(TypeError) as caught:
            store.add_posts(batch)
    assert str(caught.value) == ("Store.add_posts takes a list of tracker.Post (what "
                                 f"Analyzer.analyze gives), {message}")


TEXTS = ["$NVDA beats, great quarter", "Sold all my $AAPL, this is done",
         "我买了$贵州茅台(SH600519)$，业绩超预期，继续加仓", "腾讯控股 今天大跌，割肉了",
         "$TSLA to the moon", "Markets were calm today"] * 5


def _keys(posts: list[Any]) -> list[Any]:
    return [None if p is None else (p.lang, p.tone, [(m.ticker, m.start, m.tone)
                                                    for m in p.mentions]) for p in posts]


def test_one_analyzer_and_one_store_serve_two_threads(tmp_path: Path) -> None:
    # docs/python-api.md says an Analyzer and a Store may be shared by threads: each thread
    # gets what one thread alone gets, and every post is stored once.
    import threading

    analyzer = tracker.Analyzer()  # cold: both threads meet its first Chinese text together
    start = threading.Barrier(2)
    got: dict[int, list[Any]] = {}
    errors: list[BaseException] = []
    store = tracker.open_store(tmp_path / "t.db", create=True)

    def work(part: int) -> None:
        try:
            start.wait()
            posts = analyzer.analyze_many(TEXTS[part::2])
            got[part] = _keys(posts)
            store.add_posts([p for p in posts if p is not None])
        except BaseException as exc:  # reported below: a thread's exception is else lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(part,)) for part in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    alone = tracker.Analyzer()
    assert [got[0], got[1]] == [_keys(alone.analyze_many(TEXTS[part::2])) for part in (0, 1)]
    with store:
        assert store.counts()["posts"] == len({t for t in TEXTS})  # each text once
