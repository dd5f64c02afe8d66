"""Chinese word segmentation: jieba's words, found with jieba-rs's speed.

The Chinese tone model was trained on jieba's words, and the name matcher looks for aliases
among them. jieba cuts in two steps: the most probable route through its prefix dictionary
(pure Python, and the largest single cost of ingest when it ran per sentence), then an HMM
over each stretch of single characters that is no dictionary word. rjieba, the Python
binding of jieba-rs, finds the same route over the same dictionary about 25 times faster;
its HMM breaks ties differently on runs of a repeated character (大暴暴暴暴), so the HMM
step is jieba's own (jieba.finalseg), run on those stretches only. jieba-rs also counts more
characters as Chinese than jieba does; `Segmenter` starts and ends stretches where jieba
does. tests/test_segment.py holds the words to `jieba.lcut`'s on every Chinese text of
datasets/ and on random mixes, and to a jieba.Tokenizer's with the aliases added.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import rjieba
from jieba import finalseg

# jieba.re_han_default: the runs jieba segments with its dictionary. Anything between two
# runs is one token per character (a line break "\r\n" is one), and no word crosses a run.
HAN_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
_RUN_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")

Token = tuple[str, int, int]


def _in_run(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fd5" or ch in _RUN_ASCII


class Segmenter:
    """A jieba dictionary, plus `words` that must come out whole (company aliases)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        for word in words:
            # No frequency: jieba-rs suggests one just high enough to keep the word whole,
            # as jieba's add_word does.
            self._jieba.add_word(word, None, None)

    def _flush(self, buf: str, out: list[str]) -> None:
        # What jieba does with a stretch of single-character route steps.
        if len(buf) == 1:
            out.append(buf)
        elif not self._jieba.has_word(buf):
            out.extend(finalseg.cut(buf))
        else:
            out.extend(buf)

    def cut(self, text: str) -> list[str]:
        """jieba's words of `text`, spaces included, as `jieba.lcut(text)` gives them."""
        out: list[str] = []
        buf = ""
        has_word = self._jieba.has_word
        # The route without HMM; jieba-rs joins a route's single ASCII letters and digits
        # into one word, which is no dictionary word, and splits everything off-run apart.
        for word in self._jieba.cut(text, False):
            if len(word) == 1:
                if _in_run(word):
                    buf += word
                    continue
            elif word.isascii() and _in_run(word[0]) and not has_word(word):
                buf += word
                continue
            if buf:
                self._flush(buf, out)
                buf = ""
            out.append(word)
        if buf:
            self._flush(buf, out)
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
