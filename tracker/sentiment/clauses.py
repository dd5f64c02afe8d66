"""Which words speak about a mention: its clause, or for a bare list item, the list's words.

"TSLA tanks while NVDA soars" says two things; each ticker takes the tone of its own clause.
A sentence is cut at contrast words (but, while, 但, 而, 却, ...) and at semicolons always,
and at commas only where the next part names another company: "台积电大涨，英伟达暴跌" is
two clauses, while "$AMZN isn't even pretending, so shameless" is one (the part after the
comma has no subject of its own, so it still speaks about AMZN).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import ahocorasick

from tracker.text.patterns import CASHTAG, CJK_CLASS

_CONTRAST_EN = (
    r"but|while|whereas|although|though|however|yet|meanwhile|even though|even as|"
    r"despite|in contrast|on the other hand|unlike"
)
# 而 is a contrast except in 而且/而已/从而/因而/进而/然而 (然而 is matched whole first).
_CONTRAST_ZH = r"但是|然而|不过|可是|只是|反而|虽然|尽管|但|却|(?<![从因进然])而(?![且已])"
_CONTRAST = re.compile(
    rf"(?i:(?<![\w$])(?:{_CONTRAST_EN})(?![\w]))|{_CONTRAST_ZH}|[;；]"
)
_COMMA = re.compile(r"[,，、]")
_WORDISH = re.compile(f"[A-Za-z0-9{CJK_CLASS}]")


_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


class _Names:
    """Tickers and names, found where the alternation regex
    `(?<![A-Za-z0-9])(?:name|...)(?![A-Za-z0-9])`, longest names first, finds them.

    One Aho-Corasick pass instead of the regex, which tried each of ~1,400 alternatives
    at every position of the text.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for name in names:
            self._automaton.add_word(name, len(name))
        self._automaton.make_automaton()

    def _hits(self, text: str) -> Iterator[tuple[int, int]]:
        # Every occurrence not glued to a letter or digit, overlapping ones included.
        if self._automaton.kind != ahocorasick.AHOCORASICK:
            return
        n = len(text)
        for last, length in self._automaton.iter(text):
            start, end = last + 1 - length, last + 1
            if start and text[start - 1] in _ASCII_ALNUM:
                continue
            if end < n and text[end] in _ASCII_ALNUM:
                continue
            yield start, end

    def any(self, text: str) -> bool:
        """True when `text` names something: what `regex.search` would say."""
        return next(self._hits(text), None) is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans `regex.sub` replaces, in order."""
        # The regex scans left to right; at the first start where a name fits it takes the
        # longest one (the alternation lists the longest first), then goes on from its end.
        longest: dict[int, int] = {}
        for start, end in self._hits(text):
            if end > longest.get(start, start):
                longest[start] = end
        spans, pos = [], 0
        for start in sorted(longest):
            if start >= pos:
                pos = longest[start]
                spans.append((start, pos))
        return spans

    def sub(self, repl: str, text: str) -> str:
        """`text` with each name of `spans(text)` replaced by `repl`, as `regex.sub` does."""
        parts, pos = [], 0
        for start, end in self.spans(text):
            parts.append(text[pos:start])
            pos = end
        parts.append(text[pos:])
        return repl.join(parts)


def _name_list() -> set[str]:
    # Tickers and names from the securities list mark a new subject after a comma.
    from tracker.extract.securities import load_securities

    names: set[str] = set()
    for sec in load_securities():
        names.add(sec.ticker)
        names.update(a for a in sec.aliases_en if len(a) > 2)
        names.update(sec.aliases_zh)
    return names


@lru_cache(maxsize=1)
def _names() -> _Names:
    return _Names(_name_list())


def _names_company(text: str) -> bool:
    return bool(CASHTAG.search(text)) or _names().any(text)


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of text between matches of `pattern`, never cutting inside [start, end)."""
    cuts = [(m.start(), m.end()) for m in pattern.finditer(text)
            if m.end() <= start or m.start() >= end]
    spans, pos = [], 0
    for a, b in cuts:
        spans.append((pos, a))
        pos = b
    spans.append((pos, len(text)))
    return spans


def clause_span(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span of `sentence` whose words speak about the mention at [start, end)."""
    # 1. Contrast words: keep the part that holds the mention. A contrast word belongs to
    # the clause it opens ("but NVDA soars"), which the cut keeps out of both sides.
    lo, hi = next((a, b) for a, b in _pieces(sentence, start, end, _CONTRAST)
                  if a <= start and end <= b)
    # 2. Commas: the mention's part, plus neighbours that name no other company.
    parts = [(lo + a, lo + b) for a, b in
             _pieces(sentence[lo:hi], start - lo, end - lo, _COMMA)]
    own = next(i for i, (a, b) in enumerate(parts) if a <= start and end <= b)
    first = last = own
    while first > 0 and not _names_company(sentence[slice(*parts[first - 1])]):
        first -= 1
    while last + 1 < len(parts) and not _names_company(sentence[slice(*parts[last + 1])]):
        last += 1
    return parts[first][0], parts[last][1]


def mention_clause(sentence: str, start: int, end: int) -> str:
    """The words of `sentence` that speak about the mention at [start, end)."""
    if not 0 <= start <= end <= len(sentence):
        return sentence
    a, b = clause_span(sentence, start, end)
    return sentence[a:b].strip()


def is_bare(text: str) -> bool:
    """True when `text` holds no words besides company markers: a list item or a heading."""
    rest = CASHTAG.sub(" ", text)
    return not _WORDISH.search(_names().sub(" ", rest))


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def list_contexts(text: str, sentences: Sequence[tuple[int, int]],
                  bare: Sequence[bool] | None = None) -> list[int | None]:
    """For each sentence, the index of the sentence whose tone it takes if it is bare.

    A bare list item or heading takes the tone of the next prose (not bare) sentence after
    it within the same section, that is, before a blank line: "$ASML ... $Teradyne / No
    matter who builds the factory, these companies will get orders". When the list closes
    its section, the prose sentence just before the list (its introduction) speaks for it.
    Two passes over the sentences, so a post that is one long list costs linear time.
    """
    n = len(sentences)
    if bare is None:
        bare = [is_bare(text[a:b]) for a, b in sentences]
    # brk[i]: a blank line lies between sentence i-1 and sentence i.
    brk = [False] + [_BLANK_LINE.search(text, sentences[i - 1][1], sentences[i][0]) is not None
                     for i in range(1, n)]
    after: list[int | None] = [None] * n
    for i in range(n - 2, -1, -1):
        if not brk[i + 1]:
            after[i] = i + 1 if not bare[i + 1] else after[i + 1]
    before: list[int | None] = [None] * n
    for i in range(1, n):
        if not brk[i]:
            before[i] = i - 1 if not bare[i - 1] else before[i - 1]
    return [a if a is not None else b for a, b in zip(after, before, strict=True)]


def list_context(text: str, sentences: Sequence[tuple[int, int]],
                 mention: tuple[int, int]) -> tuple[int, int] | None:
    """The sentence span whose tone the bare item at `mention` takes (see list_contexts)."""
    here = next((i for i, (a, b) in enumerate(sentences)
                 if a <= mention[0] and mention[1] <= b), None)
    if here is None:
        return None
    ctx = list_contexts(text, sentences)[here]
    return sentences[ctx] if ctx is not None else None
