"""Chinese word segmentation: jieba's words, found with jieba-rs's speed.

The Chinese tone model was trained on jieba's words, and the name matcher looks for aliases
among them. jieba cuts in two steps: the most probable route through its prefix dictionary
(pure Python, and the largest single cost of ingest when it ran per sentence), then an HMM
over each stretch of single characters that is no dictionary word. rjieba, the Python
binding of jieba-rs, finds the same route over the same dictionary about 20 times faster.
Its HMM breaks ties differently on runs of a repeated character (大暴暴暴暴), so the HMM
step follows jieba.finalseg instead: its probabilities, its sums and its tie-breaks, in a
loop 2.6 times faster than finalseg's generators (`_hmm_words`). jieba-rs also counts more
characters as Chinese than jieba does; `Segmenter` starts and ends stretches where jieba
does. tests/extract/text/test_segment.py holds the words to `jieba.lcut`'s on every Chinese text of
datasets/ and on random mixes, and to a jieba.Tokenizer's with the aliases added.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import rjieba

from tracker.extract.text.once import once
from tracker.extract.text.patterns import HAN_BLOCK as HAN_BLOCK
from tracker.extract.text.patterns import JIEBA_HAN_CLASS, JIEBA_HAN_FIRST, JIEBA_HAN_LAST

_RUN_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")

Token = tuple[str, int, int]

# jieba.finalseg's patterns: Chinese stretches go to the HMM, the rest is cut by _SKIP.
_HAN_ONLY = re.compile(f"([{JIEBA_HAN_CLASS}]+)")
_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_SURROGATE = re.compile("([\ud800-\udfff])")


def _finalseg_table(name: str) -> Any:
    """`P` of jieba.finalseg's module `name`, read from jieba's own file without importing
    the jieba package: its __init__ imports pkg_resources (jieba._compat), which cost 0.14 s
    of CPU and 20 MiB per process for three tables that load in 0.01 s."""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.submodule_search_locations, "jieba is a dependency"
    path = Path(spec.submodule_search_locations[0]) / "finalseg" / f"{name}.py"
    file_spec = importlib.util.spec_from_file_location(f"jieba.finalseg.{name}", path)
    assert file_spec is not None and file_spec.loader is not None
    module = importlib.util.module_from_spec(file_spec)
    file_spec.loader.exec_module(module)
    return module.P


start_P: dict[str, float] = _finalseg_table("prob_start")
trans_P: dict[str, dict[str, float]] = _finalseg_table("prob_trans")
emit_P: dict[str, dict[str, float]] = _finalseg_table("prob_emit")
# jieba.finalseg.MIN_FLOAT, the log probability of a character a state never emits.
_MIN = -3.14e100
_EB, _EM, _EE, _ES = (emit_P[s] for s in "BMES")
_TBE, _TBM = trans_P["B"]["E"], trans_P["B"]["M"]
_TEB, _TES = trans_P["E"]["B"], trans_P["E"]["S"]
_TME, _TMM = trans_P["M"]["E"], trans_P["M"]["M"]
_TSB, _TSS = trans_P["S"]["B"], trans_P["S"]["S"]


def _states(obs: str) -> str:
    """jieba.finalseg.viterbi's B/M/E/S tags for `obs`: the same sums in the same order,
    and ties broken as its max() over (probability, state) tuples breaks them."""
    c = obs[0]
    vb = start_P["B"] + _EB.get(c, _MIN)
    vm = start_P["M"] + _EM.get(c, _MIN)
    ve = start_P["E"] + _EE.get(c, _MIN)
    vs = start_P["S"] + _ES.get(c, _MIN)
    back: list[tuple[str, str, str, str]] = []
    for c in obs[1:]:
        em = _EB.get(c, _MIN)
        from_e, from_s = ve + _TEB + em, vs + _TSB + em
        nb, pb = (from_s, "S") if from_s >= from_e else (from_e, "E")
        em = _EM.get(c, _MIN)
        from_m, from_b = vm + _TMM + em, vb + _TBM + em
        nm, pm = (from_m, "M") if from_m >= from_b else (from_b, "B")
        em = _EE.get(c, _MIN)
        from_b, from_m = vb + _TBE + em, vm + _TME + em
        ne, pe = (from_m, "M") if from_m >= from_b else (from_b, "B")
        em = _ES.get(c, _MIN)
        from_s, from_e = vs + _TSS + em, ve + _TES + em
        ns, ps = (from_s, "S") if from_s >= from_e else (from_e, "E")
        back.append((pb, pm, pe, ps))
        vb, vm, ve, vs = nb, nm, ne, ns
    state = "S" if vs >= ve else "E"
    tags = [state]
    for prev in reversed(back):
        state = prev["BMES".index(state)]
        tags.append(state)
    return "".join(reversed(tags))


def _hmm_words(text: str) -> list[str]:
    """jieba.finalseg.cut(text), without its generators."""
    out: list[str] = []
    for part in _HAN_ONLY.split(text):
        if not part:
            continue
        if not _HAN_ONLY.fullmatch(part):
            out.extend(x for x in _SKIP.split(part) if x)
            continue
        begin = nexti = 0
        for i, tag in enumerate(_states(part)):
            if tag == "B":
                begin = i
            elif tag == "E":
                out.append(part[begin:i + 1])
                nexti = i + 1
            elif tag == "S":
                out.append(part[i])
                nexti = i + 1
        if nexti < len(part):
            out.append(part[nexti:])
    # jieba.finalseg.cut splits the words jieba was told to split (add_word with frequency
    # 0); tracker never tells it, but a program that loaded jieba may have.
    finalseg = sys.modules.get("jieba.finalseg")
    force = finalseg.Force_Split_Words if finalseg is not None else ()
    if force:
        out = [c for w in out for c in (w if w in force else (w,))]
    return out


# Stretches the dictionary does not know recur: over 800 雪球 posts (draw positions 1,000 to
# 1,799), three of every four calls were for a stretch seen before (28,702 calls, 7,237
# distinct). The words are a function of the stretch alone, so each is cut once.
_HMM_CACHE_SIZE = 1 << 14


@lru_cache(maxsize=_HMM_CACHE_SIZE)
def _hmm_joined(text: str) -> str:
    # The words joined by NUL, which no stretch holds (_hmm_words_once): one string per
    # stretch in the cache rather than a tuple of word strings. Full, as it is after 4,300
    # 雪球 posts, the cache held 6.2 MiB that way and 4.1 this way (tracemalloc).
    return "\0".join(_hmm_words(text))


def _hmm_words_once(text: str) -> list[str]:
    if not text or "\0" in text:
        return _hmm_words(text)  # nothing to cut, or no separator to spare: not kept
    # A new list at each call, so no caller can change what the next one gets.
    return _hmm_joined(text).split("\0")


class Segmenter:
    """A jieba dictionary, plus `words` that must come out whole (company aliases).

    Without words, the dictionary is rjieba's default one (`rjieba.cut`), which, like
    jieba's own default behind `jieba.lcut`, takes the words a program adds to it.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        words = tuple(words)
        # rjieba builds its default dictionary when imported (25 MiB and 0.09 s of CPU);
        # a second one with the same words would double that for nothing.
        self._route = rjieba.cut
        self._has_word = rjieba.has_word
        if words:
            own = rjieba.Jieba()
            for word in words:
                # No frequency: jieba-rs suggests one just high enough to keep the word
                # whole, as jieba's add_word does.
                own.add_word(word, None, None)
            self._route, self._has_word = own.cut, own.has_word

    def _flush(self, buf: str, out: list[str]) -> None:
        # What jieba does with a stretch of single-character route steps.
        if len(buf) == 1:
            out.append(buf)
        elif not self._has_word(buf):
            out += _hmm_words_once(buf)
        else:
            out.extend(buf)

    def cut(self, text: str) -> list[str]:
        """jieba's words of `text`, spaces included, as `jieba.lcut(text)` gives them."""
        return self._cut(text, True)

    def words(self, text: str) -> list[str]:
        """jieba's words of `text` without its whitespace tokens: `cut` less each word
        `w` with `not w.strip()`."""
        return self._cut(text, False)

    def _cut(self, text: str, spaces: bool) -> list[str]:
        # `spaces` False drops the whitespace tokens as they come, not in a second pass over
        # the words (`segment` did, a tenth of a 雪球 text's segmentation). Only a route
        # step outside the runs can be one: a stretch holds Han and run characters alone,
        # and so does each word the HMM makes of it.
        out: list[str] = []
        buf = ""
        has_word = self._has_word
        # The route without HMM; jieba-rs joins a route's single ASCII letters and digits
        # into one word, which is no dictionary word, and splits everything off-run apart.
        try:
            route = self._route(text, False)
        except UnicodeEncodeError:
            return self._around_surrogates(text, spaces)
        for word in route:
            if len(word) == 1:
                if JIEBA_HAN_FIRST <= word <= JIEBA_HAN_LAST or word in _RUN_ASCII:
                    buf += word
                    continue
            elif word.isascii() and word[0] in _RUN_ASCII and not has_word(word):
                buf += word
                continue
            if buf:
                self._flush(buf, out)
                buf = ""
            if spaces or not word.isspace():
                out.append(word)
        if buf:
            self._flush(buf, out)
        return out

    def _around_surrogates(self, text: str, spaces: bool) -> list[str]:
        # A lone surrogate (JSON allows them) cannot cross into Rust. jieba makes it a token
        # of its own, and no run crosses it, so the text on each side is cut on its own.
        out: list[str] = []
        for part in _SURROGATE.split(text):
            if _SURROGATE.fullmatch(part):
                out.append(part)
            elif part:
                out += self._cut(part, spaces)
        return out

    def tokenize(self, text: str) -> list[Token]:
        """jieba's words of `text` with their [start, end) character offsets."""
        out: list[Token] = []
        at = 0
        for word in self.cut(text):
            out.append((word, at, at + len(word)))
            at += len(word)
        return out


@once
def default_segmenter() -> Segmenter:
    """The segmenter with jieba's dictionary alone, built once per process."""
    return Segmenter()


def segment(text: str) -> list[str]:
    """jieba's words of `text`, without whitespace tokens; the one segmentation per text."""
    return default_segmenter().words(text)
