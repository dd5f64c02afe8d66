"""Find $cashtags and security-tag spans, and tell tickers from money."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.extract.html import TagSpan
from tracker.extract.securities import MARKET_SUFFIXES
from tracker.text.patterns import CASHTAG_FORM_PATTERNS

# Market codes as posts and security tags write them, mapped to the suffixes we store: the
# securities module's one table (it adds BJ, X for coins, MI and HE to what was here).
MARKETS = MARKET_SUFFIXES

_NAMED = CASHTAG_FORM_PATTERNS["named"]
_PLAIN = CASHTAG_FORM_PATTERNS["plain"]
_NUMERIC = CASHTAG_FORM_PATTERNS["numeric"]
# What follows or precedes a number that makes it money: units, ranges.
_MONEY_AFTER = re.compile(
    r"\s*(?:[-–~]\s*\$?\d|to\s+\$?\d|(?:billion|million|trillion|thousand|bn|mn|mln|b|m|k|"
    r"亿|万|百万|千万|美元|元)(?![A-Za-z]))",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"\d\s*[-–~]\s*$|\bto\s+$", re.IGNORECASE)
# What a ticker may be, however it was written: 1 to 15 of A-Z, 0-9, "." and "-", starting
# with a letter or digit (TSLA, BRK.B, 600519, 0700, BF-B). A market code is 1 to 6 letters.
# Security tags carry whatever the page says; a value outside these is not a ticker, so
# markup, `$` or control characters never reach the store, the reports or the charts.
TICKER = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,14}")
MARKET = re.compile(r"[A-Z]{1,6}")


@dataclass(frozen=True)
class CashtagHit:
    """A ticker written with a marker: a security-tag span or a $cashtag."""

    start: int
    end: int
    ticker: str
    market: str | None
    name: str | None
    kind: str
    confidence: float = 1.0


def split_code(code: str, default_market: str | None = None) -> tuple[str, str | None]:
    """TSLA.US -> (TSLA, US); BRK.B -> (BRK.B, default); 600519.SH -> (600519, SS)."""
    code = code.upper()
    head, dot, tail = code.rpartition(".")
    if dot and head and tail in MARKETS:
        return head, MARKETS[tail]
    return code, default_market


def is_ticker(ticker: str) -> bool:
    """True when `ticker` (upper case) is in the ticker character set and length (`TICKER`)."""
    return TICKER.fullmatch(ticker) is not None


def parse_counter_id(counter_id: str) -> tuple[str, str | None] | None:
    """ST/US/TSLA -> (TSLA, US); None without a symbol, or when the symbol or market is
    not a valid ticker or market code (`TICKER`, `MARKET`)."""
    parts = [p for p in counter_id.strip().split("/") if p]
    if not parts:
        return None
    ticker = parts[-1].upper()
    market = MARKETS.get(parts[-2].upper(), parts[-2].upper()) if len(parts) >= 2 else None
    if not is_ticker(ticker) or (market is not None and MARKET.fullmatch(market) is None):
        return None
    return ticker, market


class _Taken:
    """Non-overlapping spans already claimed, kept sorted so each check is a bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def merge(self, spans: list[tuple[int, int]]) -> None:
        """Add one pass's spans at once: two sorted runs merge in linear time."""
        pairs = sorted([*zip(self.starts, self.ends, strict=True), *spans])
        self.starts = [s for s, _ in pairs]
        self.ends = [e for _, e in pairs]


def _is_money(text: str, start: int, end: int) -> bool:
    # Round thousands ($5000) are prices; no listing we track has such a code.
    if text[start + 1:end].endswith("000"):
        return True
    return bool(_MONEY_AFTER.match(text, end) or _MONEY_BEFORE.search(text[max(0, start - 8):start]))


def find_cashtags(
    text: str, tags: Sequence[TagSpan] = (), *, numeric_market: str = "TW"
) -> list[CashtagHit]:
    """Security tags and cashtags in `text`, sorted by position.

    A security-tag span and the cashtag written inside it are one mention: the span wins,
    because its counter_id names the listing without guessing.
    """
    hits: list[CashtagHit] = []
    taken = _Taken()
    for tag in tags:
        parsed = parse_counter_id(tag.counter_id)
        if parsed is None or taken.overlaps(tag.start, tag.end):
            continue
        hits.append(CashtagHit(tag.start, tag.end, parsed[0], parsed[1], tag.name, "security_tag"))
        taken.add(tag.start, tag.end)

    claimed: list[tuple[int, int]] = []
    for match in _NAMED.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        code = match["code"]
        ticker, market = split_code(code)
        # "$20 billion (about 5%)" is not a ticker: the code must look like a symbol.
        if not (code.upper() == code and any(c.isalpha() for c in ticker)
                or ticker.isdigit() and 4 <= len(ticker) <= 6) or not is_ticker(ticker):
            continue
        if ticker.isdigit() and market is None:
            market = numeric_market
        hits.append(CashtagHit(match.start(), match.end(), ticker, market,
                               match["name"].strip(), "cashtag"))
        claimed.append((match.start(), match.end()))
    taken.merge(claimed)

    # Matches of one pattern never overlap one another, so each pass checks only the
    # spans earlier passes claimed.
    claimed = []
    for match in _PLAIN.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        ticker, market = split_code(match["code"])
        hits.append(CashtagHit(match.start(), match.end(), ticker, market, None, "cashtag"))
        claimed.append((match.start(), match.end()))
    taken.merge(claimed)

    for match in _NUMERIC.finditer(text):
        if taken.overlaps(match.start(), match.end()) or _is_money(
            text, match.start(), match.end()
        ):
            continue
        ticker, market = split_code(match["code"], numeric_market)
        hits.append(CashtagHit(match.start(), match.end(), ticker, market, None, "cashtag"))

    hits.sort(key=lambda h: (h.start, h.end))
    return hits
