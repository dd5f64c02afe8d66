"""A security tag giving `counter_id` twice with different values: the first is read, as a
browser reads it, and every reader warns naming the file and record (a dict of the tag's
attributes kept the last in silence: `$Tesla(TSLA.US)` was stored as NVDA)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.refreshkit import make_job
from tracker.config import Config
from tracker.errors import SourceWarning
from tracker.extract.html import doubled_counter_ids, read_html
from tracker.extract.models import RawPost
from tracker.ingest.pipeline import ingest
from tracker.ingest.refresh import refresh
from tracker.sources import read_text
from tracker.store.database import Store, mentions

DOUBLED = ('<p>Buying <span class="security-tag" counter_id="ST/US/TSLA" '
           'counter_id="ST/US/NVDA">$Tesla(TSLA.US)</span> today</p>')
SAID = ('a security tag gives counter_id twice ("ST/US/TSLA", then "ST/US/NVDA"); the first '
        'is read, as a browser reads it')


def test_the_first_counter_id_is_read() -> None:
    tags = read_html(DOUBLED, collapse_whitespace=True).tags
    assert [t.counter_id for t in tags] == ["ST/US/TSLA"]


def _csv(*texts: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["text"], *([t] for t in texts)])
    return out.getvalue()


@pytest.mark.parametrize(("name", "text", "where", "posts"), [
    ("a.jsonl", json.dumps({"text": "$AAPL"}) + "\n" + json.dumps({"text": DOUBLED}) + "\n",
     "a.jsonl:2", 2),
    ("a.json", json.dumps([{"text": "$AAPL"}, {"text": DOUBLED}]), "a.json:2", 2),
    ("a.csv", _csv("$AAPL", DOUBLED), "a.csv:3", 2),
    ("a.html", f"<html><body>{DOUBLED}</body></html>", "a.html", 1),
    ("a.txt", DOUBLED, "a.txt", 1),
], ids=["jsonl", "json", "csv", "html", "txt"])
def test_every_reader_names_the_record(cfg: Config, name: str, text: str, where: str,
                                       posts: int) -> None:
    items = list(read_text(text, name, Path(name).suffix, cfg.input))
    warnings = [str(i) for i in items if isinstance(i, SourceWarning)
                and "counter_id" in str(i)]
    assert warnings == [f"{where}: {SAID}"]
    assert sum(isinstance(i, RawPost) for i in items) == posts  # the record is kept


@pytest.mark.parametrize(("text", "found"), [
    ('<span counter_id="ST/US/TSLA" COUNTER_ID=" ST/US/TSLA ">x</span>', []),
    ('<span counter_id="ST/US/TSLA">x</span> counter_id="ST/US/NVDA"', []),
    ('<a counter_id=a counter_id=b counter_id=c>x</a><b counter_id=d counter_id=e>y</b>',
     [["a", "b", "c"], ["d", "e"]]),
    ('<a counter_id=x counter_id=y', []),  # never closed: no tag for the parser either
    ("counter_id " * 1000, []),
    ("<counter_id counter_id" * 1000, []),
], ids=["same-value", "text-after-tag", "three-and-two", "unclosed", "no-tag", "no-end"])
def test_doubled_counter_ids(text: str, found: list[list[str]]) -> None:
    assert doubled_counter_ids(text) == found


def test_more_tags_of_one_post_are_counted(cfg: Config) -> None:
    text = DOUBLED + DOUBLED.replace("TSLA", "AMD") + DOUBLED.replace("TSLA", "MU")
    warnings = [str(i) for i in read_text(text, "p.html", ".html", cfg.input)
                if isinstance(i, SourceWarning)]
    assert warnings == [f"p.html: {SAID}; 2 more tags of this post too"]


def test_ingest_stores_the_first_and_counts_the_warning(tmp_path: Path, cfg: Config) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": DOUBLED}) + "\n", "utf-8")
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    told: list[str] = []
    try:
        result = ingest([tmp_path / "a.jsonl"], cfg, store, on_warning=lambda w: told.append(
            str(w)))
        stored = [r["ticker"] for r in store.iter_rows(mentions)]
    finally:
        store.close()
    assert stored == ["TSLA"] and result.warnings == len(told)  # counted as a warning
    assert [w for w in told if "counter_id" in w] == [f"{tmp_path / 'a.jsonl'}:1: {SAID}"]


def test_refresh_warns_of_a_jsonl_line_after_its_date_warning(tmp_path: Path) -> None:
    # A JSON Lines line read by refresh carries its warnings with it (LineRead.warnings):
    # this one has two, an unreadable date and the doubled tag.
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(
        json.dumps({"text": DOUBLED, "published": "someday"}) + "\n", "utf-8")
    store = Store(cfg.db_url)
    told: list[str] = []
    try:
        result = refresh(cfg, store, on_warning=lambda w: told.append(str(w)))
    finally:
        store.close()
    assert result.posts_added == 1
    where = f"{tmp_path / 'in' / 'a.jsonl'}:1: "
    assert [w.removeprefix(where) for w in told if w.startswith(where)] == [
        "published 'someday' is not a date this tracker reads; dated from the text or the "
        "file's time instead", SAID]
