"""A column of list lines that each hold one symbol and nothing else, or a list of symbols on
one line: the symbols the other rules leave there.

A digest's `MOST ACTIVE TRENDING DISCUSSIONS` or a watch list writes one symbol a line
(`* SPY` / `* NFLX` / `* S` / `* ETN`). Where most of the column's lines hold symbols the
other rules found, the column is a list of securities, and a line of it holds a symbol
whatever the letters spell: a one-letter symbol (S, Sprint's in 2018) or one the bare rules
read as a trading term in prose (ETN, Eaton; MA, Mastercard), which no list rule reads
(docs/mentions.md, issue 28's twentieth round). Only a symbol a listed security held on the
post's day counts: a column's line may be a symbol no list holds, which no key can name.

A list written on one line (`hold MSOS, YOLO, CNBS`, `Towers: AMT/CCI/SBAC`, `Sens, CLF,ITUB
and dkng`) is read the same way: where at least two of its other items are symbols the other
rules found, and half its items, an item that is a whole symbol is one, in any case
(docs/mentions.md, issue 28's twenty-first round).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence

from tracker.extract.cashtags import CashtagHit
from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.name_rules import GROUP_TERMS
from tracker.extract.ticker_lists import LEAD_IN, LINE_SPLIT
from tracker.extract.words import is_common_word

# A line that is one US symbol in capitals: a bullet or a number before it, markdown
# emphasis or a `$` around it, and nothing after it.
_SYMBOL_LINE = re.compile(
    r"^[ \t]*(?:[-*+•][ \t]*|\d{1,3}[.)][ \t]*)?[*_`]{0,3}\$?"
    r"(?P<symbol>[A-Z]{1,5}(?:\.[A-Z])?)[*_`]{0,3}[ \t]*\r?$", re.MULTILINE)
# What may stand between two lines of one column: the line break, with one blank line.
_LINE_GAP = re.compile(r"[ \t]*\r?\n(?:[ \t]*\r?\n)?")
# The lines a column needs, and how many of its other lines must hold a symbol another rule
# found, at least half of the column's lines: `1. Azure` / `2. AWS` / `3. GCP` is a list of
# products, one of whose names is a symbol.
MIN_LINES = 4
MIN_FOUND = 3
# The other items of a one-line list that must be found: one beside a word in capitals is
# chance ("SOFI and BODY", "AMC and IT").
MIN_LIST_FOUND = 2
# No hit spans more characters than this (a name, a code): how far back _covered looks.
_LONGEST_SPAN = 200


def _columns(text: str) -> list[list[re.Match[str]]]:
    """The runs of MIN_LINES symbol lines or more, one after another."""
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for line in _SYMBOL_LINE.finditer(text):
        if run and _LINE_GAP.fullmatch(text, run[-1].end(), line.start()) is None:
            if len(run) >= MIN_LINES:
                runs.append(run)
            run = []
        run.append(line)
    if len(run) >= MIN_LINES:
        runs.append(run)
    return runs


def _covered(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether one of `spans` (sorted; `starts` their starts) holds text[start:end]: the
    span that starts last at or before `start`, or one before it that reaches further."""
    i = bisect_right(starts, start)
    # Spans may nest (a name over a symbol): look back over those that start before.
    while i:
        i -= 1
        s, e = spans[i]
        if e >= end:
            return True
        if start - s > _LONGEST_SPAN:
            return False
    return False


# An item of a one-line list that is one symbol: brackets, markdown emphasis or a `$` around
# it ("(psa", "**AMT**"); a first item's last word and a last item's first word, which hold
# the list's lead-in and its tail ("hold MSOS", "CNBS for now"), count only as found.
_LIST_ITEM = re.compile(r"[(\[*_`]{0,3}\$?(?P<symbol>[A-Za-z]{1,5})[)\]*_`]{0,3}")
_FIRST_ITEM = re.compile(r".*[\s(\[]\$?(?P<symbol>[A-Za-z]{1,5})", re.DOTALL)
_LAST_ITEM = re.compile(r"\$?(?P<symbol>[A-Za-z]{1,5})[\s)\]]")
# A lower- or title-case item is a symbol only from two letters, and a common English word
# only where the list's found symbols are written in lower case too ("me, you and AMD, TSLA"
# lists people; "nvda, amd, jd" and "aapl, msft, amzn, fb" list shares).
_MIN_LOWER = 2
# An HTML character reference left in a post's text (`$AMD &amp; $NVDA`, `$TTCF &gt; $BYND`):
# its `&` and `;` are no delimiters and its name no item; blanked, offsets kept.
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _line_lists(text: str, line_starts: Iterable[int]) -> Iterable[list[tuple[int, int, bool]]]:
    """Each list of three items or more on the lines of `text` that start at `line_starts`,
    between a lead-in's colon or a sentence's end and the next: its items' symbol spans,
    each marked True when the item is the whole piece between two delimiters (a first or
    last piece's edge word is False). A line of a table (two bars or more) is the tables'
    and columns' rules'."""
    for start in line_starts:
        end = text.find("\n", start)
        line = text[start:len(text) if end < 0 else end]
        if "&" in line:
            line = _ENTITY.sub(_blank, line)
        if line.count("|") >= 2:
            continue
        delimiters = [m.span() for m in LINE_SPLIT.finditer(line)]
        if len(delimiters) < 2:
            continue
        edges = [0, *(m.end() for m in LEAD_IN.finditer(line)), len(line)]
        for a, b in zip(edges, edges[1:], strict=False):
            bounds = [a, *(p for span in delimiters if a <= span[0] and span[1] <= b
                           for p in span), b]
            if len(bounds) < 6:
                continue
            items = []
            last = len(bounds) // 2 - 1
            for i in range(0, len(bounds), 2):
                piece = line[bounds[i]:bounds[i + 1]].rstrip(".!?: ")
                whole = _LIST_ITEM.fullmatch(piece.strip())
                if whole is not None:
                    off = bounds[i] + len(piece) - len(piece.lstrip())
                    items.append((start + off + whole.start("symbol"),
                                  start + off + whole.end("symbol"), True))
                    continue
                edge = (_FIRST_ITEM.fullmatch(piece) if i == 0
                        else _LAST_ITEM.match(piece.lstrip() + " ") if i // 2 == last else None)
                if edge is not None:
                    off = bounds[i] + (0 if i == 0 else len(piece) - len(piece.lstrip()))
                    items.append((start + off + edge.start("symbol"),
                                  start + off + edge.end("symbol"), False))
                else:
                    items.append((-1, -1, False))
            yield items


class _Spans:
    """Spans of the text, sorted, asked whether one holds a piece of it."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def hold(self, start: int, end: int) -> bool:
        return _covered(self.spans, self.starts, start, end)


def _crowded_lines(text: str, ours: _Spans) -> list[int]:
    """The starts of the lines where two found spans stand with a delimiter between them:
    only there can a one-line list hold MIN_LIST_FOUND found items (most posts have none, and
    their lines are not read)."""
    crowded: list[int] = []
    line, scanned = 0, 0
    spans = ours.spans
    for (_, before), (start, _) in zip(spans, spans[1:], strict=False):
        if "\n" in text[before:start]:
            continue
        at = text.rfind("\n", scanned, start) + 1 or line
        if (not crowded or crowded[-1] != at) and LINE_SPLIT.search(text, before, start):
            crowded.append(at)
        line, scanned = at, start
    return crowded


def _lists(text: str, ours: _Spans) -> Iterator[tuple[list[tuple[int, int, bool]], int]]:
    """Each column of symbol lines and each one-line list: its items' symbol spans, each
    marked True where the item may be a symbol of its own, and how many of its other items
    must be found."""
    if "\n" in text:
        for run in _columns(text):
            yield [(line.start("symbol"), line.end("symbol"), True) for line in run], MIN_FOUND
    if len(ours.spans) >= MIN_LIST_FOUND:
        for items in _line_lists(text, _crowded_lines(text, ours)):
            yield items, MIN_LIST_FOUND


def find_listed_symbols(text: str, found: Sequence[tuple[int, int]], known: Iterable[str] = (),
                        held: Callable[[str], bool] = lambda symbol: True,
                        confidence: float = 1.0,
                        elsewhere: Sequence[tuple[int, int]] = ()) -> list[CashtagHit]:
    """The symbols of `text`'s symbol columns and one-line lists that no rule found, as US
    bare tickers. In a column of MIN_LINES lines or more of which at least MIN_FOUND other
    lines, and half the column, hold a hit of `found` (the spans other rules found), each
    line's symbol; in a one-line list of three items or more of which at least
    MIN_LIST_FOUND other items, and half the list, are such hits, each item that is a whole
    symbol, in any case (two letters or more in lower case, a common word only where the
    list's found items are in lower case too). Only a symbol `held` says a listed security
    held on the post's day, no group's name (GROUP_TERMS), each symbol once and none of
    `known` (the symbols other rules found in the post), each with `confidence`. The spans
    of `elsewhere` are hits of another market (a coin, a foreign listing): an item they hold
    is found, but no evidence that the list is of US shares (`1. BTC` / `2. ETH` / `3. XRP`
    / `4. SOL` lists coins, and its SOL is Solana, not Emeren's SOL)."""
    ours, away = _Spans(found), _Spans(elsewhere)
    seen = {k.partition("@")[0].upper() for k in known}
    hits = []
    for items, minimum in _lists(text, ours):
        taken = [s >= 0 and ours.hold(s, e) for s, e, _ in items]
        total = sum(taken)
        # The writer's case for symbols: a list whose found items are written in lower case
        # ("nvda, amd, jd") writes its others so, words among them or not.
        lower = any(t and text[s:e] != text[s:e].upper()
                    for (s, e, _), t in zip(items, taken, strict=True))
        for (s, e, whole), was_found in zip(items, taken, strict=True):
            others = total - was_found
            if (not whole or was_found or others < minimum or 2 * others < len(items)
                    or away.hold(s, e)):
                continue
            written = text[s:e]
            symbol = written.upper()
            if (written != symbol and (len(written) < _MIN_LOWER
                                       or is_common_word(symbol) and not lower)
                    or symbol in seen or symbol in GROUP_TERMS or not held(symbol)):
                continue
            seen.add(symbol)
            hits.append(CashtagHit(s, e, symbol, US_MARKET, None, "bare_ticker", confidence))
    return hits
