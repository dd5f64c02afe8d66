"""SentenceClauses (a sentence's marks and cuts found once, each mention read from them)
gives what the per-mention scan of the release gave, on a corpus of real sentences."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from tracker.sentiment import clauses
from tracker.sentiment.clauses import (
    SentenceClauses,
    company_marks,
    marks_within,
    names_only,
)
from tracker.sentiment.rivalry import RIVAL_TONE, rivalry_side

DATA = Path(__file__).parent.parent / "data"
Span = tuple[int, int]


def _old_bounds(sentence: str, start: int, end: int, marks: Sequence[Span]) -> tuple[Span, Span]:
    # clause_bounds as it was before SentenceClauses (main at 08273f6): every cut found
    # again for each mention.
    end = min(end, len(sentence))
    start = min(start, end)
    i = clauses.bisect_left(marks, (end, -1))
    if not (i and marks[i - 1][1] > start):
        marks = sorted([*marks, (start, end)])
    lo, hi = next((a, b) for a, b in clauses._pieces(
        sentence, start, end, clauses._contrasts(sentence)) if a <= start and end <= b)
    part = sentence[lo:hi]
    parts = [(lo + a, lo + b) for a, b in clauses._pieces(
        part, start - lo, end - lo, [m.span() for m in clauses._COMMA.finditer(part)])]
    own = next(i for i, (a, b) in enumerate(parts) if a <= start and end <= b)

    def names_other(i: int) -> bool:
        a, b = parts[i]
        return any(m[1] <= b for m in marks_within(marks, a, b))

    first = last = own
    while first > 0 and not names_other(first - 1):
        first -= 1
    if names_only(sentence, *parts[own], marks):
        while last + 1 < len(parts) and names_only(sentence, *parts[last], marks):
            last += 1
    while last + 1 < len(parts) and not names_other(last + 1):
        last += 1
    clause = parts[first][0], parts[last][1]
    if clauses._focus_elsewhere(sentence, end, clause[1], marks):
        return clause, (start, end)
    return clause, clause


def _old_words(sentence: str, start: int, end: int,
               marks: Sequence[Span]) -> tuple[str, float | None]:
    (lo, hi), (a, b) = _old_bounds(sentence, start, end, marks)
    side = rivalry_side(sentence[lo:hi], start - lo, end - lo,
                        [(m - lo, n - lo) for m, n in marks_within(marks, lo, hi) if n <= hi])
    if side:
        return sentence[lo:hi].strip(), side * RIVAL_TONE
    if (a, b) != (lo, hi) and names_only(sentence, a, b, marks):
        return sentence[a:b].strip(), 0.0
    return sentence[a:b].strip(), None


_SENTENCES = [
    "TSLA tanks while NVDA soars, AMD flat; INTC up but MU down",
    "台积电大涨，英伟达暴跌，但是AMD还行；中芯国际、华虹半导体都涨了",
    "$航天电子 航天带头的是神剑股份，涨停",
    "NBIS will eat CRWV's backlog, although ORCL, MSFT and GOOG don't care",
    "$AMZN isn't even pretending, so shameless",
]


def _sentences() -> list[str]:
    rows = [json.loads(line) for line in (DATA / "mentions_labelled.jsonl").open(encoding="utf-8")]
    return _SENTENCES + [r["text"] for r in rows]


def _spans(sentence: str, marks: Sequence[Span]) -> list[Span]:
    # Each company mark, and spans that a contrast word or a comma cuts (a mention the
    # split falls inside), and one past the sentence's end.
    spans = list(marks)
    spans += [(max(0, m.start() - 2), m.end() + 1) for m in re.finditer(r"but|while|但|,|，", sentence)]
    spans.append((max(0, len(sentence) - 3), len(sentence) + 4))
    return [(a, min(b, len(sentence) + 4)) for a, b in spans]


@pytest.mark.parametrize("with_others", [False, True], ids=["packaged-marks", "post-marks"])
def test_one_sentence_object_answers_each_mention_as_the_scan_did(with_others: bool) -> None:
    checked = 0
    for sentence in _sentences():
        marks = company_marks(sentence)
        if with_others:  # the post's own mentions mark companies too (PostTones)
            marks = company_marks(sentence, [(0, 3), (len(sentence) // 2, len(sentence) // 2 + 2)])
        shared = SentenceClauses(sentence, marks)  # one object for all its mentions
        for start, end in _spans(sentence, marks):
            assert shared.bounds(start, end) == _old_bounds(sentence, start, end, marks)
            words = shared.words(start, end)
            assert (words.text, words.fixed) == _old_words(sentence, start, end, marks)
            checked += 1
    assert checked > 1000


def test_a_sentence_of_one_clause_gives_each_mention_the_whole_sentence() -> None:
    # clauses.one_clause (PostTones.plan's shortcut) says so only where the rules agree,
    # whatever companies mark the sentence and wherever the mention stands.
    whole = 0
    for sentence in _sentences():
        if not clauses.one_clause(sentence):
            continue
        whole += 1
        for marks in (company_marks(sentence), company_marks(sentence, [(0, 3), (5, 9)])):
            for start, end in _spans(sentence, marks):
                words = SentenceClauses(sentence, marks).words(start, end)
                assert (words.text, words.fixed) == (sentence.strip(), None), sentence
    assert whole > 100


@pytest.mark.parametrize("sentence", [
    "TSLA tanks while NVDA soars",
    "$AMZN isn't even pretending, so shameless",
    "AMD; INTC",
    "$航天电子 航天带头的是神剑股份涨停",
    "NBIS will eat CRWV's backlog",
    "台积电大涨但英伟达暴跌",
], ids=["contrast", "comma", "semicolon", "cleft", "rivalry", "contrast-zh"])
def test_a_cut_cleft_or_rivalry_is_no_one_clause(sentence: str) -> None:
    assert not clauses.one_clause(sentence)


def test_a_rivalry_stem_alone_is_still_one_clause() -> None:
    # "great" holds "eat", "output" holds "put": the pattern, not the stem, decides.
    assert clauses.one_clause("$AAPL great output today")


@pytest.mark.parametrize(("sentence", "whole"), [
    ("BUT $TSLA tanks and $NVDA soars", False),
    ("But $TSLA is great", False),
    ("$TSLA tanks YET $NVDA soars", False),
    ("$TSLA tanks\u00a0but $NVDA soars", False),
    ("$TSLA tanks🚀but $NVDA soars", False),
    ("$TSLA 大涨但是$NVDA 暴跌", False),
    ("特斯拉大涨不过英伟达暴跌", False),
    ("$TSLA tanks﹔$NVDA soars", True),
    ("$TSLA tanks，$NVDA soars", False),
    ("$TSLA CRUSHES $AMD today", False),
    ("$TSLA crushes\n$AMD today", False),
    ("$AAPL İS great but meh", False),
    ("$TSLA tanks – $NVDA soars", True),
    ("$TSLA tanks: $NVDA soars", True),
    ('$TSLA tanks "butter" $NVDA soars', True),
    ("$TSLA tanks 🚀 $NVDA soars", True),
    ("$TSLA ＢＵＴ $NVDA soars", True),
    ("$TSLA on the other  hand is great", True),
    ("$TSLA great output, eh", False),
], ids=["but-upper-first", "but-first", "yet-upper", "nbsp-but", "emoji-but", "danshi",
        "buguo-no-comma", "small-semicolon", "fullwidth-comma", "rivalry-upper",
        "rivalry-across-line", "dotted-i", "dash", "colon", "quoted-word", "emoji",
        "fullwidth-but", "two-spaces", "comma"])
def test_one_clause_agrees_with_the_rules_at_their_edges(sentence: str, whole: bool) -> None:
    # PostTones.plan takes the sentence's own tone where one_clause says so: there every
    # mention's words must be the whole sentence (the rules cut at none of these marks; a
    # small semicolon or a fullwidth BUT is no cut of theirs). Where it says no, the rules
    # run (a comma they may not cut at, as here, costs only time).
    assert clauses.one_clause(sentence) is whole
    marks = company_marks(sentence)
    assert marks
    got = {(w.text, w.fixed) for w in (SentenceClauses(sentence, marks).words(a, b)
                                       for a, b in marks)}
    if whole:
        assert got == {(sentence, None)}
    elif "," not in sentence:
        assert got != {(sentence, None)}
