"""Reposted passages: a sentence pasted into several posts counts once."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.test_cli import run, workdir  # noqa: F401  (fixture)
from tests.conftest import SEEDS
from tracker.config import Config
from tracker.extract.passages import MIN_CHARS, mark_repeats, passage_key
from tracker.extract.text.nfkc import nfkc
from tracker.extract.text.patterns import CASHTAG
from tracker.ingest.pipeline import ingest
from tracker.reports.report import ReportSpec, build_report
from tracker.store.database import Store

SHARED = "Bros, $Tesla(TSLA.US) is still falling so much today!"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [(SHARED, "bros,  $TESLA(TSLA.US) is still falling so much today", True),
     (SHARED, "Bros, $Tesla(TSLA.US) is still rising so much today!", False),
     ("Watch the show tonight!", "Watch the show tonight!", None),
     ("$Taiwan Semiconductor(TSM.US)", "$Taiwan Semiconductor(TSM.US)", None)],
    ids=["case-space-punctuation", "one-word-edited", "too-short", "bare-cashtag-line"],
)
def test_passage_key(a: str, b: str, same: bool | None) -> None:
    if same is None:
        assert passage_key(a) is None and passage_key(b) is None
    else:
        assert (passage_key(a) == passage_key(b)) is same


def _key_by_the_rule(sentence: str) -> str | None:
    # The module docstring's rule, in its plain form: NFKC, no cashtags, case-folded, no
    # whitespace or punctuation (`[\W_]`), hashed.
    norm = re.sub(r"[\W_]+", "", CASHTAG.sub(" ", nfkc(sentence)).casefold())
    return (hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16] if len(norm) >= MIN_CHARS
            else None)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(
    ["$TSLA", "$BTC.X", " ", "_", "-", "Bros,", "so MUCH", "today!!", "42", "x" * 9, "ß",
     "Ａ", "é", "ﬁ", "\t", "\n", "’", "🚀", "特斯拉", "（", "\x7f", "~"]),
    max_size=12).map("".join))
def test_passage_key_is_the_rule(sentence: str) -> None:
    assert passage_key(sentence) == _key_by_the_rule(sentence)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=60))
def test_passage_key_of_any_ascii_text_is_the_rule(sentence: str) -> None:
    assert passage_key(sentence) == _key_by_the_rule(sentence)


def test_the_seeds_shared_comment_counts_once(tmp_path: Path, cfg: Config) -> None:
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    ingest([SEEDS], cfg, store)
    frame = store.mentions_frame()
    shared = frame[frame["sentence"] == SHARED]
    # 000 and 002 both open with the comment: stored twice, the later copy marked.
    assert sorted(shared["source"].map(lambda s: Path(s).name)) == [
        "000_0fac7ee0c8b55c56.txt", "002_d6d05dc0d48508e4.txt"]
    assert sorted(shared["is_repeat"].astype(bool)) == [False, True]
    assert int(frame["is_repeat"].astype(bool).sum()) == 1
    table = build_report(store, cfg, ReportSpec(by="ticker", freq="M"))
    tsla = [r for r in csv.DictReader(io.StringIO(table)) if r["ticker"] == "TSLA"]
    counted_once = len(frame[(frame.ticker == "TSLA") & ~frame.is_repeat.astype(bool)])
    assert sum(int(r["mentions"]) for r in tsla) == counted_once == len(
        frame[frame.ticker == "TSLA"]) - 1


def test_mark_repeats_in_order() -> None:
    from tracker.extract.models import Mention, Post

    def post(pid: str) -> Post:
        m = Mention("TSLA", "US", None, "cashtag", 6, 21, SHARED, passage=passage_key(SHARED))
        return Post(id=pid, source=pid, text=SHARED, mentions=(m, m))

    marked = mark_repeats([post("a"), post("b")])
    assert [[m.repeat for m in p.mentions] for p in marked] == [[False, False], [True, True]]


@pytest.mark.slow
def test_show_marks_the_repeat(workdir: Path) -> None:  # noqa: F811
    seeds = workdir / "seeds"
    run(workdir, "ingest", str(seeds / "000_0fac7ee0c8b55c56.txt"))
    _, out, _ = run(workdir, "show", str(seeds / "002_d6d05dc0d48508e4.txt"), "--json")
    mentions = json.loads(out)["mentions"]
    assert [(m["ticker"], m["repeat"]) for m in mentions if m["sentence"] == SHARED] == [
        ("TSLA", True)]
    assert sum(m["repeat"] for m in mentions) == 1
    _, text, _ = run(workdir, "show", str(seeds / "002_d6d05dc0d48508e4.txt"))
    assert text.count("(repeat of a passage seen before)") == 1
