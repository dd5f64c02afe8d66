"""Who held a symbol when: a mention resolves against the security that traded under its
symbol on the post's day, not against today's holder.

`tracker/data/history.csv` (built by scripts/build_securities.py from US listing and
delisting dates and A-share 上市日期 and delisting dates) holds, per US and A-share symbol,
the day today's holder listed and every delisted holder with its dates, name and own key;
and the first day of each Hong Kong listing a company added to a listing elsewhere
(tracker/data/hk_listings.csv: Alibaba's 9988 from 2019-11-26), which only `listed_after`
reads.
A delisted holder's key is its symbol, `@` and the year it was delisted (`S@2020`, Sprint),
so it never merges with today's holder (`S`, SentinelOne). A symbol nobody held on the day
gets `SYMBOL@UNKNOWN`, with no security. docs/securities.md ("Point in time") says what the
data cannot tell.
"""

from __future__ import annotations

import csv
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from tracker.errors import ConfigError
from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.markets import A_SHARE_MARKETS, HK_MARKET
from tracker.extract.securities import Security, SecurityList, parse_key

HISTORY_COLUMNS = ("ticker", "market", "listed", "delisted", "own", "kind", "name")
# The markets history.csv covers; other markets resolve as today.
DATED_MARKETS = frozenset({US_MARKET, *A_SHARE_MARKETS})
# The markets whose listing days `listed_after` reads: Hong Kong's rows are only the curated
# later listings of companies listed first elsewhere, too few to resolve Hong Kong codes by
# (a code is reused after a delisting, and the data has none of those), but enough to tell
# when a Chinese post's name could mean that listing (name_context.chinese_posts_listing).
LISTING_DAY_MARKETS = DATED_MARKETS | {HK_MARKET}
# A-share codes are not handed to another company, and posts name a new share by its code in
# the days of its subscription, before it lists: there a day before the listing is no reason
# to doubt the code.
_CODES_NOT_REUSED = A_SHARE_MARKETS
_MARK = "@"
# A US symbol as posts write it: letters, and a class share's letter after a dot (RDS.A).
_US_LETTERS = re.compile(r"[A-Za-z]+(?:\.[A-Za-z])?")
_UNKNOWN = "UNKNOWN"


def delisted_key(symbol: str, delisted: str) -> str:
    """A delisted holder's own stored ticker: `S` delisted 2020-04-01 -> `S@2020`."""
    return f"{symbol}{_MARK}{delisted[:4]}"


def unknown_key(symbol: str) -> str:
    """The stored ticker of a symbol that no listing held on the post's day."""
    return f"{symbol}{_MARK}{_UNKNOWN}"


def written_key(key: str) -> str:
    """The key as the post wrote the symbol, without whose it was: `S@2020` -> `S`,
    `600005@2017.SS` -> `600005.SS`, `S@UNKNOWN` -> `S`."""
    head, mark, tail = key.partition(_MARK)
    if not mark:
        return key
    suffix = tail.partition(".")[2]
    return f"{head}.{suffix}" if suffix else head


def holder_mark(ticker: str) -> str:
    """What reports add to a name so a reader sees the key is not a live listing:
    ` (delisted 2020)` for `S@2020` (or the key `600005@2017.SS`), ` (no listing on the
    day)` for `S@UNKNOWN`, else ``."""
    _, mark, tail = ticker.partition(_MARK)
    if not mark:
        return ""
    tail = tail.partition(".")[0]
    return " (no listing on the day)" if tail == _UNKNOWN else f" (delisted {tail})"


@dataclass(frozen=True)
class Holding:
    """One holder's time on a symbol: today's holder has no `own` key and no end."""

    listed: str
    delisted: str
    own: str
    kind: str
    name: str


class SymbolHistory:
    """history.csv's rows by (symbol, market), in the order of their listing days.

    The file is sorted by market and symbol (scripts/build_securities.py), so a lookup is a
    binary search over its lines and only the lines found are parsed: loading costs one read
    and one split, where parsing all 24,000 rows cost more than the whole universe.
    """

    def __init__(self, text: str, where: str) -> None:
        lines = _Lines(text)
        if not lines or tuple(lines[0].split(",")) != HISTORY_COLUMNS:
            raise ConfigError(f"{where}: header must be {','.join(HISTORY_COLUMNS)}")
        self._lines = lines
        self._where = where
        self._found: dict[tuple[str, str], list[Holding]] = {}

    def periods(self, ticker: str, market: str) -> list[Holding]:
        """Every holder of `ticker` on `market`, today's (no `own` key) among them."""
        key = (market, ticker)
        found = self._found.get(key)
        if found is None:
            lines = self._lines
            at = bisect_left(lines, key, lo=1, key=_line_key)
            found = []
            while at < len(lines) and _line_key(lines[at]) == key:
                found.append(self._holding(lines[at], at + 1))
                at += 1
            self._found[key] = found
        return found

    def _holding(self, line: str, lineno: int) -> Holding:
        row = next(csv.reader([line]))
        if len(row) != len(HISTORY_COLUMNS) or not row[0] or not row[2]:
            raise ConfigError(f"{self._where}:{lineno}: expected {len(HISTORY_COLUMNS)} fields "
                              "with a ticker and a listing day")
        return Holding(*row[2:])


class _Lines:
    """`text.splitlines()`, each line sliced from `text` when asked for.

    The packaged text is held for the process anyway (packaged_history_text, which the name
    matcher reads too); a list of its 23,427 lines held 2.3 MiB more, where two arrays of
    offsets hold 0.2. A lookup reads about 16 lines."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts, self._ends = array("Q"), array("Q")
        at = 0
        for line, bare in zip(text.splitlines(True), text.splitlines(), strict=True):
            self._starts.append(at)
            self._ends.append(at + len(bare))
            at += len(line)

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i: int) -> str:
        return self._text[self._starts[i]:self._ends[i]]


def _line_key(line: str) -> tuple[str, str]:
    ticker, _, rest = line.partition(",")
    return rest.partition(",")[0], ticker


def security_of(holding: Holding, market: str) -> Security:
    """A delisted holder as a security: its own key, its name, its kind, its delisting day."""
    return Security(holding.own, market, holding.name, kind=holding.kind,
                    source="history", delisted=holding.delisted)


@lru_cache(maxsize=1)
def packaged_history_text() -> str:
    """history.csv's text, read once per process."""
    return resources.files("tracker.data").joinpath("history.csv").read_text("utf-8")


@lru_cache(maxsize=1)
def packaged_history() -> SymbolHistory:
    """The packaged history, read once per process on the first dated lookup."""
    return SymbolHistory(packaged_history_text(), "tracker/data/history.csv")


def listed_after(ticker: str, market: str | None, day: date, grace_days: int = 0) -> bool:
    """Whether today's holder of the symbol listed after `day`: a company a post names before
    its listing was private then (Robinhood in 2018, HOOD listed 2021-07-29). With
    `grace_days`, only a listing more than that many days after `day` counts (a post about a
    coming IPO). False where history.csv has no listing day for it."""
    if market not in LISTING_DAY_MARKETS:
        return False
    now = next((p for p in packaged_history().periods(ticker, market) if not p.own), None)
    return now is not None and (day + timedelta(days=grace_days)).isoformat() < now.listed


def nobody_held(ticker: str, market: str, day: date) -> bool:
    """Whether history.csv says nobody held the symbol on `day`: before today's holder's
    listing day and outside every delisted holder's dates (`resolve_on` keys such a symbol
    `SYMBOL@UNKNOWN`). False where it has no listing day for today's holder."""
    periods = packaged_history().periods(ticker, market) if market in DATED_MARKETS else []
    now = next((p for p in periods if not p.own), None)
    if now is None:
        return False
    iso = day.isoformat()
    return iso < now.listed and not any(p.own and p.listed <= iso < p.delisted for p in periods)


class DayResolver:
    """`resolve_on` over one securities list, each (ticker, market, day) resolved once.

    Why: a run's mentions are a few hundred symbols on a few days (the 6,000 StockTwits
    posts: 14,782 hits, 1,758 keys), and each resolution looks the symbol up two or three
    times and its history once. The answers are the list's and the packaged history's, so
    they are kept until the list changes (`SecurityList.changes`), at most MAX_KEYS of them.
    """

    MAX_KEYS = 4096

    def __init__(self, secs: SecurityList) -> None:
        self.secs = secs
        self._changes = secs.changes
        self._found: dict[tuple[str, str | None, date | None],
                          tuple[str, str | None, Security | None]] = {}

    def __call__(self, ticker: str, market: str | None, day: date | None
                 ) -> tuple[str, str | None, Security | None]:
        key = (ticker, market, day)
        if self._changes != self.secs.changes:
            self._found.clear()
            self._changes = self.secs.changes
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= self.MAX_KEYS:
                self._found.clear()
            found = self._found[key] = resolve_on(self.secs, ticker, market, day)
        return found


def resolve_on(secs: SecurityList, ticker: str, market: str | None, day: date | None,
               history: SymbolHistory | None = None) -> tuple[str, str | None, Security | None]:
    """`secs.resolve(ticker, market)` as of `day`: the holder of the symbol on that day.

    * A delisted holder whose dates cover the day: its own key (`S@2020`) and name.
    * A former symbol of a curated company (FB for META): the company, until another
      security listed under that symbol (the FB ETF from 2025-06-26) on or before the day.
    * Today's holder, from its listing day on; a curated company with a former symbol,
      before it too, when no one else held the symbol (AX in early 2018 is BofI, BOFI).
    * After the last holder was delisted and nobody lists the symbol today: that holder
      (its shares trade on over the counter, and posts follow them).
    * Otherwise nobody held it: the coin when the symbol is a coin's (`$BTC` in 2022), else
      `SYMBOL@UNKNOWN`, no security; never today's holder.

    Without a day, or on a market history.csv does not cover, or for a symbol it does not
    know, this is `secs.resolve`.
    """
    found = secs.resolve(ticker, market)
    symbol, where, sec = found
    written = (parse_key(ticker)[0] if not market else ticker.strip().upper())
    if where is None and sec is None and _US_LETTERS.fullmatch(written):
        # A letter symbol no listing knows today ($TRXC, $RDS.A) may be a US one gone.
        where = US_MARKET
    if day is None or where not in DATED_MARKETS:
        return found
    periods = (history or packaged_history()).periods(written, where)
    if not periods:
        return found
    iso = day.isoformat()
    now = next((p for p in periods if not p.own), None)
    if sec is not None and written in sec.former:
        row = secs.universe.get(written, where) if secs.universe is not None else None
        if now is not None and now.listed <= iso and row is not None:
            return written, where, row
        return found
    gone = [p for p in periods if p.own]
    for p in gone:
        if p.listed <= iso < p.delisted:
            return p.own, where, security_of(p, where)
    if now is not None and (now.listed <= iso or not gone and where in _CODES_NOT_REUSED):
        return found
    if now is None and gone:
        last = max(gone, key=lambda p: p.delisted)
        if iso >= last.delisted:
            return found if sec is not None else (last.own, where, security_of(last, where))
    if sec is None and found[1] is None and not gone:
        return found
    if sec is not None and sec.former and not gone:
        # A curated company that changed its symbol traded under its former one before
        # this one's listing day (BofI Holding, BOFI, before Axos's AX of 2018): the company.
        return found
    # A coin's symbol nobody listed on the day ($BTC in 2022, before the Grayscale trust
    # took BTC in 2024) is the coin.
    coin = secs.lookup(written, "X")
    if coin is not None and coin.kind == "crypto":
        return coin.ticker, "X", coin
    return unknown_key(written), where, None
