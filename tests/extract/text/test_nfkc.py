"""tracker.extract.text.nfkc gives what unicodedata's NFKC gives, for any text."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.text import nfkc as nfkc_module
from tracker.extract.text.nfkc import nfkc

DATASETS = Path(__file__).resolve().parents[3] / "datasets"

# Chinese characters, and around them what normalization moves or joins: combining marks
# (reordered by class, composed with the letter before), full-width forms, ligatures,
# compatibility ideographs (they decompose to unified ones), Hangul jamo (composed
# algorithmically), CJK extension A, a lone surrogate.
PIECES = [*"台积电大涨，。！？：；（）ｱＡ１　", "e\u0301", "\u0301", "\u0323\u0301", "\u0f71\u0f72",
          "ﬁ", "㍿", "①", "\uf900", "\U0002f800", "\u1100", "\u1161", "\u11a8", "가", "㐀",
          "a", " ", "\n", "\ud800", "\u00a0", "Å", "\u212b", "ｶﾞ", "ﾞ"]


# Only a new Unicode version (a new Python) can fail it, in 0.5 s: the slow suite (CONTRIBUTING).
@pytest.mark.slow
def test_no_character_passed_through_takes_part_in_normalization() -> None:
    passed = [c for c in map(chr, range(sys.maxunicode + 1))
              if nfkc_module._IDEOGRAPHS.fullmatch(c)]
    assert len(passed) > 20_000
    composed = [c for c in map(chr, range(sys.maxunicode + 1))
                if len(unicodedata.decomposition(c).split()) == 2
                and not unicodedata.decomposition(c).startswith("<")]
    in_pairs = {chr(int(h, 16)) for c in composed for h in unicodedata.decomposition(c).split()}
    assert [c for c in passed if unicodedata.decomposition(c)] == []
    assert [c for c in passed if unicodedata.combining(c)] == []
    assert in_pairs.isdisjoint(passed)


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_mixes_normalize_as_unicodedata_does(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text())
def test_any_text_normalizes_as_unicodedata_does(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("name", ["zh_real_xueqiu.train.jsonl", "zh_guba.train.jsonl"])
def test_the_chinese_posts_normalize_as_unicodedata_does(name: str) -> None:
    texts = [json.loads(line)["text"] for line in (DATASETS / name).read_text("utf-8").splitlines()]
    assert len(texts) > 1_000
    assert [t for t in texts if nfkc(t) != unicodedata.normalize("NFKC", t)] == []
