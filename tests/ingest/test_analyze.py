"""The post's key and language as `Analyzer` finds them (tracker/ingest/analyze.py)."""

from __future__ import annotations

import importlib.util
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.ingest.analyze import _post_lang, post_id

_MIGRATION = (Path(__file__).resolve().parents[2] / "tracker" / "store" / "migrations"
              / "versions" / "0006_post_identity.py")
# Every character str.isspace calls whitespace, and a few that look like it and are not.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\ufeff\u180e"


@cache
def _frozen_post_id():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("_post_identity_0006", _MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._new_id


# No deadline: the first example loads the migration (and alembic) once.
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SPACES + "ab$Ａ\u00a0ﬁ"), max_size=12)
       | st.text(max_size=40), st.none() | st.sampled_from(["1", " 7 "]),
       st.none() | st.sampled_from(["Ann", " BOB "]))
def test_post_id_keeps_the_ids_the_0006_migration_gave(body: str, source_id: str | None,
                                                       author: str | None) -> None:
    """A stored post keeps its id across versions: the live key is the one the migration
    froze when post ids were last re-keyed, for every kind of whitespace (post_id collapses
    it with split and join, the migration with a `\\s+` pattern)."""
    assert post_id(body, source_id, author) == _frozen_post_id()(body, source_id, author)


def _counted(sentences: list[tuple[int, int]], langs: list[str]) -> str:
    # The rule as Counter states it: most characters, the first sentence's language on a tie.
    chars: Counter[str] = Counter()
    for (s, e), lang in zip(sentences, langs, strict=True):
        chars[lang] += e - s
    return chars.most_common(1)[0][0] if chars else "und"


@pytest.mark.parametrize(("sentences", "langs", "expected"), [
    ([], [], "und"),
    ([(0, 0)], ["en"], "en"),
    ([(0, 5), (6, 40)], ["en", "en"], "en"),
    ([(0, 5), (6, 40)], ["en", "zh"], "zh"),
    ([(0, 30), (31, 40)], ["en", "zh"], "en"),
    ([(0, 10), (10, 20)], ["zh", "en"], "zh"),
    ([(0, 4), (4, 8), (8, 20)], ["en", "zh", "en"], "en"),
    ([(0, 0), (0, 0)], ["und", "en"], "und"),
], ids=["none", "one-empty", "one-language", "more-zh", "more-en", "tie-first", "split-en",
        "empty-tie"])
def test_post_lang_is_the_language_of_most_characters(
        sentences: list[tuple[int, int]], langs: list[str], expected: str) -> None:
    assert _post_lang(sentences, langs) == expected == _counted(sentences, langs)


@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["en", "zh", "und", "fr"])),
                max_size=8))
def test_post_lang_counts_as_counter_does(pieces: list[tuple[int, str]]) -> None:
    sentences, pos = [], 0
    for length, _ in pieces:
        sentences.append((pos, pos + length))
        pos += length + 1
    langs = [lang for _, lang in pieces]
    assert _post_lang(sentences, langs) == _counted(sentences, langs)


def test_post_lang_refuses_sentences_without_their_languages() -> None:
    with pytest.raises(ValueError, match="2 sentences, 1 languages"):
        _post_lang([(0, 3), (4, 9)], ["en"])
