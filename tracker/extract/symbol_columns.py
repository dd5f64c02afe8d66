"""A column of list lines that each hold one symbol and nothing else: the symbols the other
rules leave there.

A digest's `MOST ACTIVE TRENDING DISCUSSIONS` or a watch list writes one symbol a line
(`* SPY` / `* NFLX` / `* S` / `* ETN`). Where most of the column's lines hold symbols the
other rules found, the column is a list of securities, and a line of it holds a symbol
whatever the letters spell: a one-letter symbol (S, Sprint's in 2018) or one the bare rules
read as a trading term in prose (ETN, Eaton; MA, Mastercard), which no list rule reads
(docs/mentions.md, issue 28's twentieth round). Only a symbol a listed security held on the
post's day counts: a column's line may be a symbol no list holds, which no key can name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from tracker.extract.cashtags import CashtagHit
from tracker.extract.exchange_codes import US_MARKET

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


def find_column_symbols(text: str, found: Sequence[tuple[int, int]], known: Iterable[str] = (),
                        held: Callable[[str], bool] = lambda symbol: True,
                        confidence: float = 1.0,
                        elsewhere: Sequence[tuple[int, int]] = ()) -> list[CashtagHit]:
    """The symbols of `text`'s symbol columns that no rule found, as US bare tickers: in a
    column of MIN_LINES lines or more of which at least MIN_FOUND other lines, and half the
    column, hold a hit of `found` (the spans other rules found), each line's symbol that
    `held` says a listed security held on the post's day, each symbol once and none of
    `known` (the symbols other rules found in the post), each with `confidence`. The spans of
    `elsewhere` are hits of another market (a coin, a foreign listing): a line they hold is
    found, but no evidence that the column lists US shares (`1. BTC` / `2. ETH` / `3. XRP` /
    `4. SOL` lists coins, and its SOL is Solana, not Emeren's SOL)."""
    if "\n" not in text:
        return []
    columns = _columns(text)
    if not columns:
        return []
    seen = {k.partition("@")[0].upper() for k in known}
    spans = sorted(found)
    starts = [s for s, _ in spans]
    away = sorted(elsewhere)
    away_starts = [s for s, _ in away]
    hits = []
    for run in columns:
        taken = [_covered(spans, starts, line.start("symbol"), line.end("symbol"))
                 for line in run]
        total = sum(taken)
        for line, was_found in zip(run, taken, strict=True):
            others = total - was_found
            if (was_found or others < MIN_FOUND or 2 * others < len(run)
                    or _covered(away, away_starts, line.start("symbol"), line.end("symbol"))):
                continue
            symbol = line["symbol"]
            if symbol in seen or not held(symbol):
                continue
            seen.add(symbol)
            hits.append(CashtagHit(line.start("symbol"), line.end("symbol"), symbol, US_MARKET,
                                   None, "bare_ticker", confidence))
    return hits
