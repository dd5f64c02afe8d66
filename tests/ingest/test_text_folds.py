"""The per-post text folds written with `re` and `bytes.lower` (issue 23, fourteenth pass)
give what the release's `str.translate` tables gave, on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.names import ascii_lower
from tracker.ingest.analyze import normalize_text
from tracker.sources.records import scrub

# Every character the tables hold, ASCII and non-ASCII letters that change under
# str.lower (İ grows to two characters), lone surrogates and astral characters.
_CHARS = st.one_of(
    st.characters(codec=None),
    st.sampled_from("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u00a0\x00AZaz@[`{İĲＡΣ\ud800\udfff𝐀"),
)
_TEXTS = st.text(_CHARS, max_size=60)
# The release's tables, which the folds replaced.
_OLD_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_OLD_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x1c": "\n",
                             "\x1d": "\n", "\x1e": "\n", "\x85": "\n", "\u2028": "\n",
                             "\u2029": "\n", "\u00a0": " "})


@given(_TEXTS)
def test_ascii_lower_is_the_translate_table(text: str) -> None:
    assert ascii_lower(text) == text.translate(_OLD_ASCII_LOWER)


@given(_TEXTS)
def test_normalize_text_is_the_translate_table(text: str) -> None:
    old = scrub(text.replace("\r\n", "\n").translate(_OLD_BREAKS).replace("\x00", ""))
    assert normalize_text(text) == old


def test_examples() -> None:
    assert ascii_lower("TSLA 特斯拉 İ Ａ") == "tsla 特斯拉 İ Ａ"
    assert normalize_text("a\r\nb\rc\u2028d\u00a0e\x00f") == "a\nb\nc\nd ef"
