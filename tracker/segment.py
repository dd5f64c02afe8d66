"""Chinese word segmentation: jieba's words, cut by jieba-rs.

The Chinese tone model was trained on jieba's words, and the name matcher looks for aliases
among them. rjieba (the Python binding of jieba-rs) runs jieba's algorithm (prefix
dictionary, route by word frequency, HMM for unknown words) over the same dictionary about
25 times faster than jieba's pure-Python cut, which was the largest single cost of ingest.

It differs from jieba in one respect: jieba cuts a run of letters, digits and joiners that is
not a dictionary word into its alphanumeric pieces ("ten-year" -> ten, -, year; "META.US" ->
META, ., US), while jieba-rs keeps the run whole. `Segmenter` re-cuts such tokens the way
jieba's finalseg does, so the words are jieba's: tests/test_segment.py holds the two to the
same output on every Chinese text of datasets/ and on mixed text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import rjieba

# jieba.re_han_default: the runs jieba segments with its dictionary. Anything between two
# runs is split into characters without it, so no word crosses a run's edge. jieba-rs counts
# more characters as Chinese (CJK extension A, compatibility ideographs), so the runs are cut
# here, as jieba cuts them, and only runs reach jieba-rs.
HAN_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
# jieba.re_skip_default: between runs, a line break or a space is one token.
_SPACE = re.compile(r"(\r\n|\s)")
# jieba.finalseg.re_skip: how jieba cuts a non-Chinese piece that is not a dictionary word.
_ALNUM = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")

Token = tuple[str, int, int]


def _between(gap: str) -> list[str]:
    out: list[str] = []
    for piece in _SPACE.split(gap):
        if _SPACE.fullmatch(piece):
            out.append(piece)
        else:
            out.extend(piece)
    return out


class Segmenter:
    """A jieba dictionary, plus `words` that must come out whole (company aliases)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        for word in words:
            # No frequency: jieba-rs suggests one just high enough to keep the word whole,
            # as jieba's add_word does.
            self._jieba.add_word(word, None, None)

    def _recut(self, word: str) -> bool:
        # Inside a run, a word with no Chinese character is all ASCII.
        return len(word) > 1 and word.isascii() and not self._jieba.has_word(word)

    def _run(self, run: str) -> list[str]:
        out: list[str] = []
        for word in self._jieba.cut(run):
            if self._recut(word):
                out.extend(piece for piece in _ALNUM.split(word) if piece)
            else:
                out.append(word)
        return out

    def cut(self, text: str) -> list[str]:
        """jieba's words of `text`, spaces included, as `jieba.lcut(text)` gives them."""
        out: list[str] = []
        pos = 0
        for m in HAN_BLOCK.finditer(text):
            if m.start() > pos:
                out += _between(text[pos:m.start()])
            out += self._run(m.group())
            pos = m.end()
        if pos < len(text):
            out += _between(text[pos:])
        return out

    def tokenize(self, text: str) -> list[Token]:
        """jieba's words of `text` with their [start, end) character offsets."""
        out: list[Token] = []
        at = 0
        for word in self.cut(text):
            out.append((word, at, at + len(word)))
            at += len(word)
        return out


_default: Segmenter | None = None
_lock = threading.Lock()


def default_segmenter() -> Segmenter:
    """The segmenter with jieba's dictionary alone, built once per process."""
    global _default
    with _lock:
        if _default is None:
            _default = Segmenter()
        return _default


def segment(text: str) -> list[str]:
    """jieba's words of `text`, without whitespace tokens; the one segmentation per text."""
    return [w for w in default_segmenter().cut(text) if w.strip()]
