"""split_sentences: its spans, and no garbage left for the cyclic collector."""

from __future__ import annotations

import gc

import pytest

from tracker.extract.text.sentences import MAX_SENTENCE_CHARS, split_sentences

# A run-on line cut at spaces (MAX_SENTENCE_CHARS), with a mention whose own space is the
# last one before the first cut, and sentences that end in punctuation.
_MENTION = "$Apple Inc.(AAPL.US)"
_MENTION_AT = 993
_TEXT = ("word " * 198 + "ab " + _MENTION + " and" * 400
         + ". Next one!\n  Second line?  ")


def test_a_run_on_line_is_cut_at_spaces_and_never_inside_a_mention() -> None:
    mention = (_MENTION_AT, _MENTION_AT + len(_MENTION))
    assert _TEXT[slice(*mention)] == _MENTION
    spans = split_sentences(_TEXT, protect=[mention])
    assert spans[0] == (0, mention[1])  # its space was the cut: cut after the mention
    assert [e - s for s, e in spans] == [1013, 999, 600, 9, 12]
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in spans[1:])
    assert [_TEXT[s:e] for s, e in spans[-2:]] == ["Next one!", "Second line?"]


@pytest.mark.parametrize("text", ["One. Two! Three?", _TEXT], ids=["short", "run-on"])
def test_splitting_leaves_no_reference_cycle(text: str) -> None:
    # A closure that called itself was a cycle: each post's spans waited for the collector
    # (docs/performance.md, "one-post ingest's fixed cost, branch speed29").
    gc.collect()
    gc.disable()
    try:
        split_sentences(text, protect=[(3, 5)])
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0
