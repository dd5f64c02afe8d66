"""Which words speak about a mention: its clause, or for a bare list item, the list's words.

"TSLA tanks while NVDA soars" says two things; each ticker takes the tone of its own clause.
A sentence is cut at contrast words (but, while, 但, 而, 却, ...) and at semicolons always,
and at commas only where the next part names another company: "台积电大涨，英伟达暴跌" is
two clauses, while "$AMZN isn't even pretending, so shameless" is one (the part after the
comma has no subject of its own, so it still speaks about AMZN). A part that is only names
("台积电、英伟达、AMD都涨了") shares the words that follow it.

A cleft after a mention ("$航天电子 航天带头的是神剑股份…涨停": what leads is 神剑股份)
gives the clause to the company in its focus; the mention keeps no words of its own.
Companies are the post's own mentions (so a company added in the config counts),
cashtags, and the packaged names. Rivalry ("NBIS will eat CRWV's backlog") is rivalry.py.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from tracker.extract.text.patterns import CASHTAG, CJK_CLASS, CJK_RANGES
from tracker.extract.text.utf32 import utf32
from tracker.extract.text.wordgate import may_hold
from tracker.sentiment.rivalry import RIVAL_TONE, holds_rivalry, rivalry_side

_CONTRAST_EN = ("but", "while", "whereas", "although", "though", "however", "yet", "meanwhile",
                "even though", "even as", "despite", "in contrast", "on the other hand",
                "unlike")
# 而 is a contrast except in 而且/而已/从而/因而/进而/然而 (然而 is matched whole first).
_CONTRAST_ZH = r"但是|然而|不过|可是|只是|反而|虽然|尽管|但|却|(?<![从因进然])而(?![且已])"
_CONTRAST = re.compile(
    rf"(?i:(?<![\w$])(?:{'|'.join(_CONTRAST_EN)})(?![\w]))|{_CONTRAST_ZH}|[;；]"
)
# What _CONTRAST needs besides an English word: the first character of a Chinese contrast,
# or a semicolon. A class of characters, so `re` skips to the next one in C.
_CONTRAST_OTHER = re.compile("[但然不可只反虽尽却而;；]")
Span = tuple[int, int]

_COMMA = re.compile(r"[,，、]")
_WORDISH = re.compile(f"[A-Za-z0-9{CJK_CLASS}]")


_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
_ALNUM_RUN = re.compile("[A-Za-z0-9]+")
# How many texts' spans a _Names keeps (`spans`): more than a call of the Chinese model
# reads for a chunk of posts, so its second read of each finds it.
_MEMO = 2048


class _Names:
    """Tickers and names, found where the alternation regex
    `(?<![A-Za-z0-9])(?:name|...)(?![A-Za-z0-9])`, longest names first, finds them.

    The regex tried each of ~2,300 alternatives at every position of the text. An
    Aho-Corasick automaton (pyahocorasick) replaced it, walking the text's UTF-32 bytes
    (text/utf32.py says why bytes: over characters it took 150-200 ns a character of
    Chinese text, over bytes about half). It is kept for text with a character that begins
    a name other than by an ASCII letter or digit (Chinese names: their first characters
    are everywhere in Chinese text, so nothing cheaper rules them out). Other text is
    first checked in C for a name's leading run of letters and digits (most have none:
    `_scan`), then scanned.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._names = frozenset(n for n in names if n)
        self._memo: dict[str, tuple[tuple[int, int], ...]] = {}
        self._automaton = ahocorasick.Automaton()
        for name in self._names:
            self._automaton.add_word(utf32(name, "surrogatepass"), len(name))
        self._automaton.make_automaton()
        others = "".join(re.escape(c) for c in sorted(
            {n[0] for n in self._names if n[0] not in _ASCII_ALNUM}))
        self._other_firsts = re.compile(f"[{others}]") if others else None
        # A name that begins with an ASCII letter or digit begins a run of them in the text
        # (none may stand before it), and that run is the name's own leading run: the name
        # either goes on with another character there (AT&T: "AT", then "&") or ends there,
        # where no letter or digit may follow.
        self._heads = frozenset(_ALNUM_RUN.match(n)[0] for n in self._names  # type: ignore[index]
                                if n[0] in _ASCII_ALNUM)
        # The lengths of the names that begin with each two characters (a one-character
        # name under itself), longest first.
        lengths: dict[str, set[int]] = {}
        for name in self._names:
            lengths.setdefault(name[:2], set()).add(len(name))
        self._lengths = {head: sorted(ls, reverse=True) for head, ls in lengths.items()}
        firsts = "".join(re.escape(c) for c in sorted({n[0] for n in self._names}))
        # The first character before the look-behind: the regex engine then skips ahead to
        # the next such character in C instead of testing the look-behind at every position.
        self._starts = (re.compile(f"[{firsts}](?<![A-Za-z0-9][\\s\\S])") if firsts
                        else None)

    def _hits(self, text: str) -> Iterator[tuple[int, int]]:
        # Every occurrence not glued to a letter or digit, overlapping ones included.
        if self._automaton.kind != ahocorasick.AHOCORASICK:
            return
        n = len(text)
        for last, length in self._automaton.iter(utf32(text, "surrogatepass")):
            if (last + 1) % 4:
                continue  # ends inside a character: not a match of the text's characters
            end = (last + 1) // 4
            start = end - length
            if start and text[start - 1] in _ASCII_ALNUM:
                continue
            if end < n and text[end] in _ASCII_ALNUM:
                continue
            yield start, end

    def _walk(self, text: str) -> list[tuple[int, int]]:
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

    def _end(self, text: str, start: int) -> int:
        """The end of the longest name at `start` not glued to a letter or digit after it,
        or 0 when none is."""
        n = len(text)
        for head in (text[start:start + 2], text[start]):
            for length in self._lengths.get(head, ()):
                end = start + length
                if (end <= n and text[start:end] in self._names
                        and (end == n or text[end] not in _ASCII_ALNUM)):
                    return end
            if start + 1 == n:
                break  # the two-character head was the one character
        return 0

    def _scan(self, text: str) -> list[tuple[int, int]]:
        # Text where only names beginning with an ASCII letter or digit can stand.
        spans: list[tuple[int, int]] = []
        if self._starts is None or self._heads.isdisjoint(_ALNUM_RUN.findall(text)):
            return spans
        search = self._starts.search
        found = search(text)
        while found is not None:
            start = found.start()
            end = self._end(text, start)
            if end:
                spans.append((start, end))
                found = search(text, end)
            else:
                found = search(text, start + 1)
        return spans

    def any(self, text: str) -> bool:
        """True when `text` names something: what `regex.search` would say."""
        return bool(self.spans(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans `regex.sub` replaces, in order."""
        # A "mask" model reads each text twice through here (its lexicon's `unnamed` text,
        # then its n-grams' `zh_text` or `normalise_en`), and most texts reach both calls
        # unchanged; the Chinese model reads all of a call's texts for its lexicon first
        # (hundreds for a chunk of 雪球 posts, 1,290 at most in the 雪球 2021 file): the
        # spans of the last _MEMO texts are kept, and all dropped when that many are.
        # Each is a function of its text alone, so a reader on another thread that finds
        # one (or finds it gone) gets a text's own spans.
        found = self._memo.get(text)
        if found is not None:
            return list(found)
        if self._other_firsts is not None and self._other_firsts.search(text) is not None:
            spans = self._walk(text)
        else:
            spans = self._scan(text)
        if len(self._memo) >= _MEMO:
            self._memo.clear()
        self._memo[text] = tuple(spans)
        return spans

    def sub(self, repl: str, text: str) -> str:
        """`text` with each name of `spans(text)` replaced by `repl`, as `regex.sub` does."""
        spans = self.spans(text)
        if not spans:
            return text
        parts, pos = [], 0
        for start, end in spans:
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


@lru_cache(maxsize=1)
def masked_names() -> _Names:
    """The names a tone model with the "mask" option reads as a placeholder: the packaged
    tickers and names, less single letters and the capitalised words that are also tickers
    (STOP_TICKERS: "NOW", "BUY", "MOON"), which still say something when shouted."""
    from tracker.extract.name_rules import STOP_TICKERS

    return _Names(n for n in _name_list() if len(n) > 1 and n.upper() not in STOP_TICKERS)


def company_marks(sentence: str, others: Sequence[Span] = ()) -> list[Span]:
    """Spans of `sentence` that name a company, in order, overlaps merged: `others` (the
    post's mentions in this sentence), cashtags, and names of the packaged list."""
    spans = [m.span() for m in CASHTAG.finditer(sentence)] + _names().spans(sentence)
    spans += [(a, b) for a, b in others if 0 <= a < b <= len(sentence)]
    merged: list[Span] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _contrasts(text: str) -> list[Span]:
    """The spans of `text` that _CONTRAST matches, in order.

    Why not `_CONTRAST.finditer` alone: `re` tries that pattern at every position (its
    English words are matched ignoring case, behind a look-behind), 5 us for a StockTwits
    sentence, once per mention; most sentences hold none of its words, and two scans in C
    say so first.
    """
    if _CONTRAST_OTHER.search(text) is None and not may_hold(text, _CONTRAST_EN):
        return []
    return [m.span() for m in _CONTRAST.finditer(text)]


def _pieces(text: str, start: int, end: int, found: Iterable[Span]) -> list[Span]:
    """Spans of text between the spans `found` (in order), never cutting inside [start,
    end)."""
    cuts = [(a, b) for a, b in found if b <= start or a >= end]
    spans, pos = [], 0
    for a, b in cuts:
        spans.append((pos, a))
        pos = b
    spans.append((pos, len(text)))
    return spans


# A cleft puts what follows it in focus: "航天带头的是神剑股份…涨停" (what leads the space
# stocks is 神剑股份) speaks about 神剑股份, not about a company named before the cleft.
_CLEFT = re.compile(r"的是|的就是|的还是|要数|当属|首推")
# A-share names mostly end in one of these words: a focus written so is a company even when
# the securities list does not hold it.
_COMPANY_NAME = re.compile(
    rf"\s*[{CJK_CLASS}]{{1,6}}?(?:股份|科技|电子|集团|控股|银行|证券|电气|光电|通信|能源|材料|"
    r"智能|药业|医药|汽车|航空|航天|重工|机械|化工|电力|动力|环境|传媒|软件|信息|微电)")


def marks_within(marks: Sequence[Span], a: int, b: int) -> Sequence[Span]:
    """The marks (sorted, not overlapping) inside [a, b): two bisections, so a sentence that
    lists many companies costs no scan of all of them per mention."""
    return marks[bisect_left(marks, (a, -1)):bisect_left(marks, (b, -1))] if a < b else []


def _focus_elsewhere(sentence: str, end: int, hi: int, marks: Sequence[Span]) -> bool:
    """True when a cleft after the mention (ending at `end`) puts another company in focus
    before `hi`, with no other company between the mention and the cleft. Names right
    after the mention, with nothing but spaces or punctuation between, stand with it."""
    for m in marks_within(marks, end, hi):
        if _WORDISH.search(sentence, end, m[0]):
            break
        end = m[1]
    cleft = _CLEFT.search(sentence, end, hi)
    if cleft is None or any(m[1] <= cleft.start() for m in marks_within(marks, end, hi)):
        return False
    after = cleft.end() + len(sentence[cleft.end():hi]) - len(sentence[cleft.end():hi].lstrip())
    return (any(m[0] == after for m in marks_within(marks, after, hi))
            or _COMPANY_NAME.match(sentence, cleft.end(), hi) is not None)


def names_only(sentence: str, a: int, b: int, marks: Sequence[Span]) -> bool:
    """True when sentence[a:b] holds nothing but the names at `marks` (and punctuation)."""
    pos, rest = a, []
    for m in marks_within(marks, a, b):
        if m[1] <= b:
            rest.append(sentence[pos:m[0]])
            pos = m[1]
    rest.append(sentence[pos:b])
    return not any(_WORDISH.search(r) for r in rest)


@dataclass(frozen=True)
class MentionWords:
    """Where a mention's tone comes from: `text` to score, or a tone a rule sets (`fixed`)."""

    text: str
    fixed: float | None = None


class SentenceClauses:
    """One sentence's company marks and cuts, found once; each mention's clause and words
    are read from them.

    A sentence that names several companies used to be scanned again for its contrast words
    and commas for each of them (`clause_bounds` per mention); a post keeps one of these
    per sentence instead. `marks` as `company_marks` (computed when None).
    """

    def __init__(self, sentence: str, marks: Sequence[Span] | None = None) -> None:
        self.sentence = sentence
        self.marks = company_marks(sentence) if marks is None else marks
        self._contrasts: list[Span] | None = None
        # The commas of each contrast piece, in the piece's own offsets.
        self._commas: dict[Span, list[Span]] = {}

    def _commas_in(self, lo: int, hi: int) -> list[Span]:
        found = self._commas.get((lo, hi))
        if found is None:
            found = self._commas[(lo, hi)] = [
                m.span() for m in _COMMA.finditer(self.sentence, lo, hi)]
        return found

    def bounds(self, start: int, end: int) -> tuple[Span, Span]:
        """(the clause, the words of the mention in it) for the mention at [start, end):
        what `clause_bounds` gives."""
        sentence, marks = self.sentence, self.marks
        # A mention can run past its sentence when the split falls inside it (a security
        # tag's text across a line break); its words are still those of the sentence it
        # starts in.
        end = min(end, len(sentence))
        start = min(start, end)
        i = bisect_left(marks, (end, -1))
        if not (i and marks[i - 1][1] > start):
            # The mention is a company mark even where nothing else would mark it.
            marks = sorted([*marks, (start, end)])
        # 1. Contrast words: keep the part that holds the mention. A contrast word belongs
        # to the clause it opens ("but NVDA soars"), which the cut keeps out of both sides.
        if self._contrasts is None:
            self._contrasts = _contrasts(sentence)
        lo, hi = next((a, b) for a, b in _pieces(sentence, start, end, self._contrasts)
                      if a <= start and end <= b)
        # 2. Commas: the mention's part, plus neighbours that name no other company; a part
        # of names only takes the parts after it up to the first that has words of its own.
        # (The commas are found in sentence[lo:hi], so they never reach past it.)
        parts = [(lo + a, lo + b) for a, b in _pieces(
            sentence[lo:hi], start - lo, end - lo,
            [(a - lo, b - lo) for a, b in self._commas_in(lo, hi)])]
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
        # 3. A cleft after the mention gives the clause's words to the company in its focus.
        if _focus_elsewhere(sentence, end, clause[1], marks):
            return clause, (start, end)
        return clause, clause

    def words(self, start: int, end: int) -> MentionWords:
        """What `mention_words` gives for the mention at [start, end)."""
        sentence, marks = self.sentence, self.marks
        (lo, hi), (a, b) = self.bounds(start, end)
        side = rivalry_side(sentence[lo:hi], start - lo, end - lo,
                            [(m - lo, n - lo) for m, n in marks_within(marks, lo, hi)
                             if n <= hi])
        if side:
            return MentionWords(sentence[lo:hi].strip(), side * RIVAL_TONE)
        if (a, b) != (lo, hi) and names_only(sentence, a, b, marks):
            # Left with its own name only: nothing in the sentence speaks about it.
            return MentionWords(sentence[a:b].strip(), 0.0)
        return MentionWords(sentence[a:b].strip())


def one_clause(sentence: str) -> bool:
    """True when `sentence` is one clause for every mention in it, whatever companies it
    names: no contrast word or semicolon, no comma, no cleft and no rivalry phrase. Each
    mention's words are then the whole sentence, stripped (`SentenceClauses.words`: one
    piece between no cuts, the cleft test finds none, rivalry gives 0).

    Why: the company marks the rules read (`company_marks`, a scan for the packaged names)
    and a SentenceClauses per sentence cost more than the rest of a short post's planning,
    and 77% of the StockTwits 2022 sentences that mentions plan hold none of these.
    """
    return (not _contrasts(sentence) and _COMMA.search(sentence) is None
            and _CLEFT.search(sentence) is None and not holds_rivalry(sentence))


def clause_bounds(sentence: str, start: int, end: int,
                  marks: Sequence[Span] | None = None) -> tuple[Span, Span]:
    """(the clause, the words of the mention in it): spans of `sentence` for the mention at
    [start, end). The clause holds every company that shares the mention's predicate (what
    rivalry reads); the words are what its tone is scored on. `marks` as `company_marks`."""
    return SentenceClauses(sentence, marks).bounds(start, end)


def clause_span(sentence: str, start: int, end: int,
                others: Sequence[Span] = ()) -> Span:
    """The span of `sentence` whose words speak about the mention at [start, end).

    `others` are the spans of the post's other mentions in `sentence`, which mark other
    companies as the packaged names and cashtags do."""
    return clause_bounds(sentence, start, end, company_marks(sentence, others))[1]


def mention_words(sentence: str, start: int, end: int,
                  marks: Sequence[Span] | None = None) -> MentionWords:
    """The words of `sentence` that speak about the mention at [start, end), or the tone a
    rule gives it: a side in a rivalry, or neutral when a cleft gave its words away.
    `marks` as `company_marks` (computed when None)."""
    return SentenceClauses(sentence, marks).words(start, end)


def mention_clause(sentence: str, start: int, end: int, others: Sequence[Span] = ()) -> str:
    """The words of `sentence` that speak about the mention at [start, end)."""
    if not 0 <= start <= end <= len(sentence):
        return sentence
    a, b = clause_span(sentence, start, end, others)
    return sentence[a:b].strip()


@lru_cache(maxsize=1)
def _nameless() -> re.Pattern[str]:
    """The characters _WORDISH matches that no name of `_names()` holds, as one class.

    Why: a name's span holds only the name's own characters, so such a character outlives
    the names' replacement and `is_bare` says False without walking the names' automaton.
    Of the 5,734 sentences the first 1,000 雪球 2021 posts asked about, 5,441 hold one
    (the names have 855 distinct characters)."""
    held = sorted({ord(c) for c in "".join(_names()._names)})
    parts = []
    for first, last in sorted((ord(c), ord(c)) for c in _ASCII_ALNUM) + [
            (ord(a), ord(b)) for a, b in CJK_RANGES]:
        # The range less the held characters inside it, as runs [first, last].
        for code in held[bisect_left(held, first):bisect_left(held, last + 1)]:
            if first < code:
                parts.append((first, code - 1))
            first = code + 1
        if first <= last:
            parts.append((first, last))
    return re.compile("[" + "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in parts) + "]")


def is_bare(text: str) -> bool:
    """True when `text` holds no words besides company markers: a list item or a heading."""
    rest = CASHTAG.sub(" ", text)
    if _nameless().search(rest) is not None:
        return False  # a word character no name holds: no name's span covers it
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
