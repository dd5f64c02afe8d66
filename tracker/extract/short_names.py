"""Chinese short forms of A-share names (赛微, 上港, 招商, 平安), found only with context.

`tracker/data/zh_short_names.csv` (built by scripts/build_securities.py, derived from the
listing by scripts/short_names.py) gives each A-share its industry and its short forms. A
short form is ambiguous by nature: 招商 is six companies and a word ("attract investment"),
平安 a bank, an insurer and a wish. One counts only when its context picks exactly one of
the companies it may be:

1. **the company named in full** elsewhere in the post (中国平安 ... 平安);
2. else **its sector nearby**: the company's industry (银行, 港口, 半导体) within `WINDOW`
   characters, outside other companies' names (not the 银行 of 兴业银行);
3. else, when the short form is one company's and not also an ordinary word (平安: jieba's
   dictionary counts it often), **a sibling**: another company of the same industry named
   in the post (上港 beside 宁波港), by a cashtag, a name, or a short form settled by rule
   1 or 2;
4. else, for such a form too, **a list**: other companies (named, or short forms settled
   by rules 1-3) right before and after it, a list's separator between each (中国平安，万科，
   招商银行). One neighbour is not enough: on real_train's 雪球 posts that gained 28 right
   pairs and 7 wrong ones (万达 of 万达电影, 中金, 易方达), both gain 3 and none wrong.

Short forms that only have each other (为何不全买招商。而买平安) are left alone: settling
them on the one industry their candidates share was measured and dropped (docs/mentions.md).

A short form that names a fund or an index (恒生互联网ETF, 华宝基金, 恒生指数: one of
`FUND_WORDS` before the next break) is not the company. A short form inside a longer name
already found (招商 in 招商银行) is not looked at, and one must be whole words of the post's
segmentation (not 科创 in 科创板, 平安 in 平安夜).
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import ahocorasick

from tracker.errors import ConfigError
from tracker.extract.text.patterns import CJK, han_blocks_holding
from tracker.extract.text.utf32 import utf32 as _utf32

if TYPE_CHECKING:
    from tracker.extract.text.segment import Token

SHORT_NAME_COLUMNS = ("ticker", "market", "industry", "shorts", "words")
# How far (in characters) a sector word may stand from the short form.
WINDOW = 30
CONF_SHORT = 0.8
FUND_WORDS = ("ETF", "LOF", "基金", "指数")
# The rest of the phrase after a short form: up to the next space, punctuation or marker.
_PHRASE_REST = re.compile(r"[^\s$()（）【】,，.。、;；:：!！?？]{0,24}")
_HAN_RUN_MIN = 2
# What stands between two companies of a list: a comma, 、, 和, 及, 与, 跟 or a slash.
_LIST_GAP = re.compile(r"\s?[、，,和及与跟/]\s?")


@dataclass(frozen=True)
class ShortHit:
    """A short form settled on one company."""

    start: int
    end: int
    ticker: str
    market: str
    short: str
    # Which rule of the module docstring settled it: named, sector or sibling.
    rule: str = "sector"
    confidence: float = CONF_SHORT


class ShortNames:
    """Short forms -> the A-shares they may be, and each A-share's industry."""

    def __init__(self, rows: Iterable[tuple[str, ...]]) -> None:
        self._candidates: dict[str, list[tuple[str, str]]] = {}
        self._industry: dict[tuple[str, str], str] = {}
        self._words: set[str] = set()
        for ticker, market, industry, shorts, words in rows:
            self._industry[(ticker, market)] = industry
            for short in shorts.split("|") if shorts else ():
                self._candidates.setdefault(short, []).append((ticker, market))
            self._words.update(words.split("|") if words else ())
        # One pass of an automaton over the text's UTF-32 bytes finds every form, as the
        # name matcher finds Chinese aliases (names.py says why bytes).
        self._automaton = ahocorasick.Automaton()
        for short in self._candidates:
            self._automaton.add_word(_utf32(short), short)
        if self._candidates:
            self._automaton.make_automaton()

    def industry(self, ticker: str, market: str | None) -> str | None:
        return self._industry.get((ticker, market or ""))

    def find(self, text: str, taken: Sequence[tuple[int, int]],
             named: Iterable[tuple[str, str | None]],
             tokenize: Callable[[str], list[Token]],
             companies: Sequence[tuple[int, int]] = ()) -> list[ShortHit]:
        """Short forms in `text` outside the `taken` spans, each settled by its context;
        `named` are the (ticker, market) of the securities the post names otherwise and
        `companies` where it names them (spans, for rule 4), and
        `tokenize` cuts a run of Chinese into words: a short form must be whole words, so
        that 科创 is not found in 科创板, nor 平安 in 平安夜."""
        if not CJK.search(text):
            return []
        spots = [spot for spot in _whole_words(text, self._spots(text, taken), tokenize)
                 if not _names_a_fund(text, spot[1])]
        if not spots:
            return []
        known = {(t, m or "") for t, m in named}
        siblings = {i for key in known if (i := self._industry.get(key))}
        # A sector word inside another company's name (银行 in 兴业银行) says nothing of this one.
        masked = list(text)
        for s, e in taken:
            masked[s:e] = "\0" * (e - s)
        plain = "".join(masked)
        settled: dict[int, tuple[str, str]] = {}
        rules: dict[int, str] = {}
        for n, (start, end, short) in enumerate(spots):
            candidates = self._candidates[short]
            fits = [c for c in candidates if c in known]
            rule = "named"
            if len(fits) != 1:
                window = plain[max(0, start - WINDOW):end + WINDOW]
                fits = [c for c in candidates if self._industry[c] and self._industry[c] in window]
                rule = "sector"
            if len(fits) == 1:
                settled[n], rules[n] = fits[0], rule
        siblings |= {self._industry[c] for c in settled.values()}
        for n, (_start, _end, short) in enumerate(spots):
            # An ordinary word (平安, 中国) is not settled by a company of its industry
            # somewhere in the post: broad industries (软件服务, 281 companies) are too common.
            # A sibling settles only a short form of one company (万科, 格力): where several
            # share it (中科, 华宝) a sibling of one of their industries is weak evidence.
            if n not in settled and short not in self._words \
                    and len(self._candidates[short]) == 1:
                fits = [c for c in self._candidates[short] if self._industry[c] in siblings]
                if len(fits) == 1:
                    settled[n], rules[n] = fits[0], "sibling"
        # 4. A list: one company's short form that is no word, with companies named right
        # before and after it and a list's separator between (中国平安，万科，招商银行).
        neighbours = sorted([*companies, *((spots[n][0], spots[n][1]) for n in settled)])
        ends = sorted(e for _s, e in neighbours)
        for n, (start, end, short) in enumerate(spots):
            if (n not in settled and short not in self._words
                    and len(self._candidates[short]) == 1
                    and _in_list(text, start, end, neighbours, ends)):
                settled[n], rules[n] = self._candidates[short][0], "list"
        return [ShortHit(spots[n][0], spots[n][1], *settled[n], spots[n][2], rules[n])
                for n in sorted(settled)]

    def _spots(self, text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Every short form in the text outside `taken`, the longest where two overlap,
        the first where they tie."""
        if not self._candidates:
            return []
        found = sorted(((last + 1) // 4 - len(short), -len(short), short)
                       for last, short in self._automaton.iter(_utf32(text, "surrogatepass"))
                       if (last + 1) % 4 == 0)
        if not found:
            return []
        blocked = bytearray(len(text))
        for s, e in taken:
            blocked[s:e] = b"\x01" * (e - s)
        spots: list[tuple[int, int, str]] = []
        reach = 0
        for start, minus, short in found:
            end = start - minus
            if start >= reach and not any(blocked[start:end]):
                spots.append((start, end, short))
                reach = end
        return spots


def _in_list(text: str, start: int, end: int, spans: list[tuple[int, int]],
             ends: list[int]) -> bool:
    """Whether companies' spans (`spans` sorted, `ends` their ends sorted) stand right before
    and after text[start:end] with only a list's separator between."""
    i = bisect_right(ends, start)
    j = bisect_left(spans, (end, end))
    return (i > 0 and _LIST_GAP.fullmatch(text, ends[i - 1], start) is not None
            and j < len(spans) and _LIST_GAP.fullmatch(text, end, spans[j][0]) is not None)


def _names_a_fund(text: str, end: int) -> bool:
    rest = _PHRASE_REST.match(text, end)
    phrase = rest.group().upper() if rest else ""
    return any(w in phrase for w in FUND_WORDS)


def _whole_words(text: str, spots: list[tuple[int, int, str]],
                 tokenize: Callable[[str], list[Token]]) -> list[tuple[int, int, str]]:
    if not spots:
        return spots
    edges: set[int] = set()
    # The spots are sorted by start (_spots).
    for block in han_blocks_holding(text, [s for s, _, _ in spots]):
        at = block.start()
        for _word, s, e in tokenize(block.group()):
            edges.update((at + s, at + e))
    return [spot for spot in spots if spot[0] in edges and spot[1] in edges]


def read_short_names_csv(text: str, where: str) -> list[tuple[str, ...]]:
    """Parse zh_short_names.csv (SHORT_NAME_COLUMNS); `where` names the file in errors."""
    reader = csv.reader(io.StringIO(text))
    if tuple(next(reader, ())) != SHORT_NAME_COLUMNS:
        raise ConfigError(f"{where}: header must be {','.join(SHORT_NAME_COLUMNS)}")
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if len(row) != len(SHORT_NAME_COLUMNS) or not row[0]:
            raise ConfigError(f"{where}:{lineno}: expected {len(SHORT_NAME_COLUMNS)} fields "
                              "with a ticker")
        rows.append(tuple(row))
    return rows


@lru_cache(maxsize=1)
def packaged_short_names() -> ShortNames:
    """The packaged short forms, read once per process."""
    text = resources.files("tracker.data").joinpath("zh_short_names.csv").read_text("utf-8")
    return ShortNames(read_short_names_csv(text, "tracker/data/zh_short_names.csv"))
