"""Find $cashtags, written codes and security-tag spans, and tell tickers from money.

Each platform writes a ticker its own way; every form comes out as (ticker, market) with the
market in stored form, and `SecurityList.resolve` turns that into the one canonical key:

* StockTwits and Twitter: `$TSLA`, `$tsla`, `$$TSLA`, `$BRK.B`, `$BTC.X`, `$ES_F`.
* 雪球 and Longbridge: `$招商银行(SH600036)$`, `$腾讯控股(00700)$`, `$Tesla(TSLA.US)`.
* 股吧 and plain text: `SH600036`, `sh600036`, `600036.SH`, `600036.SS`, `00700.HK`, `2330.TW`.
* HTML security-tag spans, whose counter_id names the listing.
* Yahoo Finance's symbols, with or without a $: `BTC-USD` and `$ada-usd` (the coin, BTC.X),
  `BRK-B` (BRK.B), `MGC=F` (a future, MGC_F), `^GSPC` (an index, SPX), `EURUSD=X`.
* Currency pairs (`$EURUSD`, `EURUSD=X`) are keyed on the market FX, instrument kind fx; a
  listed coin quoted in dollars in one word (`$ETHUSD`, `$btcusd`) is the coin.
* Platform tags written like cashtags (StockTwits' `$STUDY`) are no ticker.

A `$` before a number is money far more often than a ticker: `$2400 gain day`. A numeric
cashtag counts only when the words around it do not read as money, it is a listed code on the
market the post talks about (港股 -> HK) or else on the configured one, and, when
`numeric_needs_hint` is set, the post names that market.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tracker.extract.exchange_codes import US_MARKET, find_exchange_codes
from tracker.extract.html import TagSpan
from tracker.extract.markets import (
    A_SHARE_EXCHANGES,
    CASHTAG_INDICES,
    CURRENCIES,
    DEFAULT_NUMERIC_MARKET,
    FX_MARKET,
    HK_MARKET,
    YAHOO_INDICES,
    a_share_market,
    exchange_fund_market,
    is_currency_pair,
    market_hint,
)
from tracker.extract.securities import MARKET_SUFFIXES
from tracker.extract.text.patterns import CASHTAG_FORM_PATTERNS, CJK, WRITTEN_CODE, YAHOO_CODE

# Market codes as posts and security tags write them, mapped to the suffixes we store: the
# securities module's one table.
MARKETS = MARKET_SUFFIXES

# Whether a (ticker, market) is a listed security; market None means "on any market".
Listed = Callable[[str, "str | None"], bool]

_NAMED = CASHTAG_FORM_PATTERNS["named"]
_PLAIN = CASHTAG_FORM_PATTERNS["plain"]
_NUMERIC = CASHTAG_FORM_PATTERNS["numeric"]
# A cashtag glued on after another ($LAYN$NTIC$TISA, $SBUX$BIIB: a list typed without
# spaces): each is a cashtag of its own, though _PLAIN's edge takes only the first.
_GLUED = re.compile(r"\$(?P<code>[A-Z]{1,6})(?![A-Za-z0-9_]|\.[A-Za-z])")
# Where one may be: a $ with a letter before it, written $-first so that re scans for the $
# in C (as patterns._dollar_first does; 1.2 against 9.3 ms over 6,000 StockTwits posts).
_GLUE = re.compile(r"\$(?<=[A-Za-z]\$)[A-Z]")
_CODE = WRITTEN_CODE
# Tags a platform writes like cashtags that name no security: StockTwits' $STUDY stream.
PLATFORM_TAGS = frozenset({"STUDY"})
# 雪球's own tag closes with a $ after its bracket (`$中国人寿(LFC)$`): the platform links it
# to a listing's page, so a US symbol in it (one to five letters, a class after a dot) is a
# listing even where the universe, today's, no longer holds it: delisted since (LFC,
# TWTR, DIDI, ZY), an over-the-counter ADR (PROSY). It writes a US code with a US prefix
# too (`$英伟达(USNVDA)$`). The shared 雪球 file writes 41 such tags; every one on real_train
# was labelled its code, but for names that are a listed or private company of their own
# (`$澜起科技(MONT)$`, 688008.SS; `$华为(HUAW)$`): unlisted_tag marks these for the analyser.
_XUEQIU_US_CODE = re.compile(r"[A-Z]{1,5}(?:\.[A-Z])?")
_US_PREFIX = "US"
# A year in brackets after prose ("pulled a stunt (2019)"): a date, not a listing code.
_YEAR = re.compile(r"(?:19|20)\d\d")
# A coin quoted in dollars, written as one word: $ETHUSD, $BTCUSDT.
_COIN_QUOTE = re.compile(r"([A-Z0-9]{2,6}?)USD[TC]?")
# A cashtag with a letter in it: a post that writes one ($ETH.X, $TSLA) writes prices as $1240.
_LATIN_CASHTAG = re.compile(r"(?<![A-Za-z0-9$])\$[A-Za-z]")
# StockTwits' coin form ($BTC.X): a post that writes one lists coins.
_COIN_CASHTAG = re.compile(r"(?<![A-Za-z0-9$])\$[A-Za-z0-9]{2,12}\.[Xx](?![A-Za-z0-9])")

# What makes a number money: units, ranges, amounts and arithmetic around it.
_MONEY_AFTER = re.compile(
    r"\s*(?:[-–~+*/=×]\s*\$?\d|to\s+\$?\d|(?:billion|million|trillion|thousand|bn|mn|mln|"
    r"b|m|k|usd|hkd|twd|cad|aud|eur|rmb|cny|dollars?|bucks|gains?|loss(?:es)?|profits?|"
    r"day|week|month|year|yr|a\s+(?:day|week|month|year|share)|per|each|worth|"
    r"account|port(?:folio)?|premium|credit|debit|cash|total|net|deposit|salary|rent|bonus|"
    r"in\s+(?:calls|puts|options|profits?|gains?|losses|premium|cash)|亿|万|千|百万|千万|"
    r"美元|美金|港币|港元|港幣|元|块|塊|刀)(?![A-Za-z]))",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(
    r"(?:\d\s*[-–~+*/=×]|[+*/=×]|\b(?:to|at|@|price|pt|target|paid|pay|pays|cost|costs|spent|"
    r"spend|worth|made|make|lost|lose|gained|earned|won|about|around|over|under|above|below|"
    r"near|from|only|just|is|was|for|than|budget|salary|balance|profit|loss|gain|"
    r"up|down|green|red)|到|价|價|亏|賺|赚|花|值|约|約)\s*$",
    re.IGNORECASE,
)
# What a ticker may be, however it was written: 1 to 15 of A-Z, 0-9, ".", "-" and "_",
# starting with a letter or digit (TSLA, BRK.B, 600519, 0700, BF-B, ES_F: futures keep their
# underscore). A market code is 1 to 6 letters. Security tags carry whatever the page says;
# a value outside these is not a ticker, so markup, `$` or control characters never reach
# the store, the reports or the charts.
TICKER = re.compile(r"[A-Z0-9][A-Z0-9.\-_]{0,14}")
MARKET = re.compile(r"[A-Z]{1,6}")


@dataclass(frozen=True)
class CashtagHit:
    """A ticker written with a marker: a security-tag span, a $cashtag or a written code."""

    start: int
    end: int
    ticker: str
    market: str | None
    name: str | None
    kind: str
    confidence: float = 1.0
    # The instrument kind the written form says (MGC=F a future, ^GSPC an index, $EURUSD
    # fx), for a symbol the securities list does not know; None when the form says nothing.
    instrument: str | None = None


def split_code(code: str, default_market: str | None = None) -> tuple[str, str | None]:
    """TSLA.US -> (TSLA, US); BRK.B -> (BRK.B, default); 600519.SH -> (600519, SS);
    SH600036 -> (600036, SS); BTC.X -> (BTC, X); ES_F -> (ES_F, default)."""
    code = code.upper()
    if len(code) == 8 and code[:2] in A_SHARE_EXCHANGES and code[2:].isdigit():
        return code[2:], A_SHARE_EXCHANGES[code[:2]]
    head, dot, tail = code.rpartition(".")
    if dot and head and tail in MARKETS:
        return head, MARKETS[tail]
    return code, default_market


def well_formed(ticker: str, market: str | None) -> bool:
    """Whether the code's own form names its listing: six digits on the exchange their prefix
    says (688825 on SS). Such a code is a security even when the universe, a snapshot, does
    not know it yet (a new listing); the mention keeps the name the post gives it. An exchange
    fund's code on its exchange (SH588000, SZ159813) is one too: the universe lists no funds."""
    return market is not None and market in (a_share_market(ticker),
                                             exchange_fund_market(ticker))


def _code_instrument(ticker: str, market: str | None) -> str | None:
    """The instrument a code's own form says: an exchange fund's code (SH588000) an etf."""
    return "etf" if market is not None and exchange_fund_market(ticker) == market else None


def _listed_or_well_formed(listed: Listed | None, ticker: str, market: str | None) -> bool:
    return listed is None or listed(ticker, market) or well_formed(ticker, market)


def first_day_name(name: str) -> str:
    """雪球 writes a share's first trading day as an N before its name (`$N长鑫(SH688825)$`):
    the name is the rest (`长鑫`)."""
    return name[1:] if len(name) > 1 and name[0] == "N" and CJK.match(name, 1) else name


def is_ticker(ticker: str) -> bool:
    """True when `ticker` (upper case) is in the ticker character set and length (`TICKER`)."""
    return TICKER.fullmatch(ticker) is not None


def parse_counter_id(counter_id: str) -> tuple[str, str | None] | None:
    """ST/US/TSLA -> (TSLA, US); None without a symbol, or when the symbol or market is
    not a valid ticker or market code (`TICKER`, `MARKET`)."""
    parts = counter_id.strip().split("/")
    if len(parts) > 3 and not parts[-1].strip():
        parts.pop()  # "ST/US/TSLA/": a slash after the three places
    # An empty place is no part to shift into it: "ST/US/" (no symbol) was the ticker US on
    # market ST, and "ST//TSLA" (no market) TSLA on market ST.
    ticker = parts[-1].strip().upper()
    if not ticker:
        return None
    place = parts[-2].strip().upper() if len(parts) >= 2 else ""
    market = MARKETS.get(place, place) if place else None
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
    return bool(_MONEY_AFTER.match(text, end)
                or _MONEY_BEFORE.search(text[max(0, start - 12):start]))


class _Context:
    """The market a post talks about, found once per text and only when a code needs it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._hint: str | None = None
        self._done = False
        self._others: bool | None = None
        self._coins: bool | None = None

    @property
    def hint(self) -> str | None:
        if not self._done:
            self._hint, self._done = market_hint(self.text), True
        return self._hint

    def lists_coins(self) -> bool:
        """Whether the text writes a coin's cashtag in StockTwits' form ($ETH.X)."""
        if self._coins is None:
            self._coins = _COIN_CASHTAG.search(self.text) is not None
        return self._coins

    def other_cashtags(self) -> bool:
        """Whether the text writes two Latin cashtags or more ($SPY ... $coin); found once."""
        if self._others is None:
            first = _LATIN_CASHTAG.search(self.text)
            self._others = first is not None and _LATIN_CASHTAG.search(
                self.text, first.end()) is not None
        return self._others


def _mistyped_coin(ticker: str, listed: Listed | None, ctx: _Context) -> bool:
    """Whether `ticker`, a cashtag's code with a suffix that is no market (ETC.C, DOGE.S,
    LUNA.ETH), is StockTwits' coin form with its X mistyped: the code before the dot is a
    listed coin, the whole is no listed symbol (BRK.B), and the post lists coins as $BTC.X
    does. On real_train's half the rule was chosen from, 4 of 4 such tags were labelled the
    coin ($ETC.C, $DOGE.S, $BTC.C, $LUNA.ETH) and a fifth ($ETH.C) stood beside its own
    $ETH.X; the other half writes none."""
    head, dot, _ = ticker.partition(".")
    return (bool(dot) and listed is not None and ctx.lists_coins()
            and listed(head, "X") and not listed(ticker, None))


def _numeric_market(code: str, ctx: _Context, default: str, named: bool,
                    listed: Listed | None) -> str | None:
    """The market of a numeric code written without one, or None when none fits.

    Six digits are an A-share by prefix (or a Korean code); five are 雪球's Hong Kong form
    (Taiwan ETFs too, when the post talks about Taiwan); four or fewer are read on the market
    the post names, else on the configured one.
    """
    hint = ctx.hint
    if len(code) == 6:
        options = [m for m in (a_share_market(code), "KS", "KQ") if m]
    elif len(code) == 5:
        options = ["TW", HK_MARKET] if hint == "TW" else [HK_MARKET]
    else:
        options = [hint or default]
        if named and hint is None and default != HK_MARKET:
            options.append(HK_MARKET)
    if listed is None:
        return options[0]
    for market in options:
        if listed(code, market):
            return market
    return None


# A name part that opens with a symbol of its own, then more words: "$NVDA and Advanced Micro
# Devices (AMD)", "$BTC.X Apple (AAPL)".
_LEADING_SYMBOL = re.compile(r"(?P<symbol>[A-Z]{1,6}(?:\.[A-Z]{1,3})?)[ \t]+(?P<next>\S)")


def _leads_with_another_cashtag(name: str, ticker: str, listed: Listed | None) -> bool:
    """Whether `$Name(CODE)`'s name is a plain cashtag of another security followed by prose
    that ends in a bracketed code ("$NVDA and Advanced Micro Devices (AMD)"): two mentions,
    the cashtag and what the brackets name, where the named form read one (AMD) and lost
    NVDA. A coin's `.X` form counts as listed; a name whose first word is its own code
    ("$TSLA Tesla (TSLA)") is one tag either way, and so is a name all in capitals, as
    雪球 and Longbridge write a US company's (`$ADV MICRO DEVICE(AMD)$`). The caller asks
    only of prose's form, a space before the bracket and a code without a market: the
    platforms' tags glue the bracket to the name and close with `$` or name the market
    (`$TE Connectivity(TEL.US)`, where TE is another listing's symbol)."""
    lead = _LEADING_SYMBOL.match(name)
    if lead is None or name.upper() == name:
        return False
    symbol = lead["symbol"]
    if symbol == ticker.upper():
        return False
    if symbol.endswith(".X"):
        return True
    # A listed symbol then a capitalised word is as often the company's own name, opening
    # with letters another listing holds ("$GE Vernova (GEV)", "$SEA Limited (SE)", "$UP
    # Fintech (TIGR)"): only prose after it ("and", "vs", "&") makes it a cashtag of its own.
    if lead["next"].isupper():
        return False
    return listed is not None and listed(symbol, US_MARKET)


def _accept_named_code(code: str, ticker: str, market: str | None, listed: Listed | None,
                       stop: frozenset[str]) -> bool:
    """Whether the parenthesised code of `$Name(CODE)` names a listing rather than an aside."""
    if ticker.isdigit():
        return 1 <= len(ticker) <= 6 and (market is not None or len(ticker) >= 4)
    if not any(c.isalpha() for c in ticker) or code.upper() != code and market is None:
        return False
    if market is not None:
        return True
    # "$AAPL is up (ADR)", "$5bn in sales (Q3)": a bare word in brackets must be a listed
    # symbol and not finance jargon.
    if ticker in stop:
        return False
    return listed is None or listed(ticker, None)


def _xueqiu_us_symbol(code: str, listed: Listed | None, stop: frozenset[str]) -> str | None:
    """The US symbol of the code in a closed 雪球 tag (`_XUEQIU_US_CODE`): the code, or the
    listed symbol after a US prefix (USNVDA -> NVDA) where the code is no listed symbol of
    its own (USO, USB); None for any other code."""
    if (code.startswith(_US_PREFIX) and len(code) > len(_US_PREFIX) and listed is not None
            and not listed(code, None) and listed(code[len(_US_PREFIX):], None)):
        return code[len(_US_PREFIX):]
    if _XUEQIU_US_CODE.fullmatch(code) and code not in stop and code not in CURRENCIES:
        return code
    return None


def unlisted_tag(hit: CashtagHit, listed: Listed) -> bool:
    """Whether `hit` is a tag whose code names no listing the lists hold (a 雪球 tag's US
    symbol delisted since): its name, not its code, says which security where the name is
    one the lists know (the caller's test)."""
    return (hit.kind == "cashtag" and hit.name is not None and hit.market is None
            and not hit.ticker.isdigit() and not listed(hit.ticker, None))


def find_cashtags(
    text: str, tags: Sequence[TagSpan] = (), *, numeric_market: str = DEFAULT_NUMERIC_MARKET,
    listed: Listed | None = None, numeric_needs_hint: bool = False,
    stop: frozenset[str] = frozenset(), index: Callable[[str], bool] | None = None,
    twins: list[tuple[int, int]] | None = None,
) -> list[CashtagHit]:
    """Security tags, cashtags and written codes in `text`, sorted by position.

    `listed` says whether a (ticker, market) is a known security; without it every well-formed
    code counts (and lower-case cashtags too). `stop` holds words that are never a symbol in
    brackets or in lower case (Q3, ADR). A security-tag span and the cashtag written inside
    it are one mention: the span wins, because its counter_id names the listing. `index` says
    whether a symbol is an index's, which Yahoo's `^` marks (`^VIX`); without it a listed
    symbol counts. The spans of a company's listings written beside the one kept
    (`(WEF:TSE) or (WFSTF:OTC)`: exchange_codes.py) are added to `twins` when given, so that
    no later rule reads a symbol in them.
    """
    hits: list[CashtagHit] = []
    taken = _Taken()
    ctx = _Context(text)
    for tag in tags:
        parsed = parse_counter_id(tag.counter_id)
        if parsed is None or taken.overlaps(tag.start, tag.end):
            continue
        hits.append(CashtagHit(tag.start, tag.end, parsed[0], parsed[1], tag.name, "security_tag"))
        taken.add(tag.start, tag.end)

    _find_exchange(text, hits, taken, listed, twins)
    if "-" in text or "=" in text or "^" in text:
        _find_yahoo(text, hits, taken, listed, index)
    if "$" in text:
        _find_dollar(text, hits, taken, ctx, numeric_market, listed, numeric_needs_hint, stop)
    claimed = []
    for match in _CODE.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        if match["a"]:
            ticker, market = match["a"], MARKETS[match["pre"].upper()]
        elif match["num"]:
            ticker, market = match["num"], MARKETS[match["suf"].upper()]
        elif match["cls"]:
            # A class share written bare (BRK.B): only a listed one ("J.B. Hunt", "U.S." and
            # initials are not).
            ticker, market = match["cls"], US_MARKET
            if listed is not None and not listed(ticker, market):
                continue
        elif match["coin"]:
            # StockTwits' coin form written without its $ (`BTC.X $ETH.X`): a listed coin,
            # or any in a post that writes a coin's cashtag (`$BTC.X ... the AABBG.X
            # Exchange`); "FILE.X" in prose alone is none.
            if listed is not None and not listed(match["coin"], "X") and not any(
                    h.market == "X" and h.kind == "cashtag" for h in hits):
                continue
            hits.append(CashtagHit(match.start(), match.end(), match["coin"], "X", None,
                                   "code"))
            claimed.append((match.start(), match.end()))
            continue
        else:
            ticker, market = match["us"], US_MARKET
        if not _listed_or_well_formed(listed, ticker, market):
            continue
        hits.append(CashtagHit(match.start(), match.end(), ticker, market, None, "code",
                               instrument=_code_instrument(ticker, market)))
        claimed.append((match.start(), match.end()))
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


def _find_exchange(text: str, hits: list[CashtagHit], taken: _Taken,
                   listed: Listed | None, left: list[tuple[int, int]] | None = None) -> None:
    """Codes written with their exchange (`TSX:SHOP`, `VOD.L`; exchange_codes.py): the
    listing the exchange says, known to the universe or not, never a US symbol of the same
    letters. A company's other listing written beside it (`TSX: $WEED / NYSE: $CGC`) is
    one mention with it, and its span no other form's ($WEED is not the US symbol)."""
    twins: list[tuple[int, int]] = []
    us_listed = None if listed is None else (lambda symbol: listed(symbol, US_MARKET))
    for code in find_exchange_codes(text, twins, us_listed):
        if taken.overlaps(code.start, code.end):
            continue
        hits.append(CashtagHit(code.start, code.end, code.ticker, code.market, None,
                               "cashtag" if code.dollar else "code"))
        taken.add(code.start, code.end)
    for start, end in twins:
        if not taken.overlaps(start, end):
            taken.add(start, end)
    if left is not None:
        left.extend(twins)


def _find_yahoo(text: str, hits: list[CashtagHit], taken: _Taken,
                listed: Listed | None, index: Callable[[str], bool] | None = None) -> None:
    """Yahoo Finance's symbols (patterns.YAHOO_CODE), each one key with its instrument kind."""
    for match in YAHOO_CODE.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        market: str | None = None
        if match["coin"]:
            ticker, market, instrument = match["coin"].upper(), "X", "crypto"
            if listed is not None and not listed(ticker, market) and not (
                    match["coin"].isupper() and any(c.isalpha() for c in ticker)):
                continue
        elif match["cls"]:
            ticker, instrument = f"{match['cls']}.{match['share']}", "equity"
            if listed is not None and not listed(ticker, None):
                continue
        elif match["fut"]:
            ticker, instrument = f"{match['fut']}_F", "future"
        elif match["idx"]:
            ticker, instrument = YAHOO_INDICES.get(match["idx"], match["idx"]), "index"
            # An index we do not know would take an equity's key (^XYZ is not Block's XYZ),
            # and so would a caret before an equity's symbol: Reddit raises a word with it
            # (a bot's footer writes `[^PM](...) ^| [^Exclude ^me]`), and `^PM` is no index.
            if listed is None or not listed(ticker, None) or (
                    index is not None and not index(ticker)):
                continue
        else:
            ticker, market, instrument = match["fx"], FX_MARKET, "fx"
            if not is_currency_pair(ticker):
                continue
        hits.append(CashtagHit(match.start(), match.end(), ticker, market, None, "cashtag"
                               if match.group().startswith("$") else "code",
                               instrument=instrument))
        taken.add(match.start(), match.end())


def _plain_and_glued(text: str) -> Iterator[re.Match[str]]:
    """_PLAIN's matches, each followed by the upper-case cashtags glued on after it."""
    if _GLUE.search(text) is None:
        # Most texts glue none: _PLAIN's own iterator, without a generator around it.
        return _PLAIN.finditer(text)
    return _glued_chains(text)


def _glued_chains(text: str) -> Iterator[re.Match[str]]:
    for first in _PLAIN.finditer(text):
        match: re.Match[str] | None = first
        while match is not None:
            yield match
            # Bounded: a glued cashtag is at most 7 characters ($ and six letters), its edge 2 more.
            match = _GLUED.match(text, match.end(), match.end() + 10)


def _find_dollar(text: str, hits: list[CashtagHit], taken: _Taken, ctx: _Context,
                 numeric_market: str, listed: Listed | None, needs_hint: bool,
                 stop: frozenset[str]) -> None:
    claimed: list[tuple[int, int]] = []
    for match in _NAMED.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        code = match["code"]
        ticker, market = split_code(code)
        xueqiu_us = (_xueqiu_us_symbol(ticker, listed, stop)
                     if market is None and match.group().endswith("$") else None)
        ticker = xueqiu_us or ticker
        if not is_ticker(ticker) or not (
                xueqiu_us is not None or _accept_named_code(code, ticker, market, listed, stop)):
            continue
        if market is None and _YEAR.fullmatch(ticker) and " " in match["name"].strip():
            continue
        if (market is None and not match.group().endswith("$")
                and text[match.start("code") - 2:match.start("code") - 1].isspace()
                and _leads_with_another_cashtag(match["name"], ticker, listed)):
            continue
        if ticker.isdigit() and market is None:
            market = _numeric_market(ticker, ctx, numeric_market, True, listed)
            if market is None:
                continue
        elif market is not None and not _listed_or_well_formed(listed, ticker, market) \
                and market != US_MARKET:
            continue
        hits.append(CashtagHit(match.start(), match.end(), ticker, market,
                               first_day_name(match["name"].strip()), "cashtag",
                               instrument=_code_instrument(ticker, market)))
        claimed.append((match.start(), match.end()))
    taken.merge(claimed)

    # Matches of one pattern never overlap one another, so each pass checks only the
    # spans earlier passes claimed.
    claimed = []
    for match in _plain_and_glued(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        code = match["code"]
        ticker, market = split_code(code)
        if ticker in PLATFORM_TAGS:
            continue
        instrument = None
        coin = _COIN_QUOTE.fullmatch(ticker)
        if market is None and is_currency_pair(ticker):
            market, instrument = FX_MARKET, "fx"
        elif market is None and code.upper() in CASHTAG_INDICES:
            ticker, instrument = CASHTAG_INDICES[code.upper()], "index"
        elif market is None and coin and (listed is None or listed(coin[1], "X")):
            # $ETHUSD, $btcusd: a listed coin quoted in dollars is the coin.
            ticker, market, instrument = coin[1], "X", "crypto"
        elif market is None and _mistyped_coin(ticker, listed, ctx) \
                and text[match.end():match.end() + 1] != ".":
            # $ETC.C, $DOGE.S, $LUNA.ETH beside $BTC.X: the coin with its suffix mistyped
            # ($VOLT.INU.X, a coin of its own, goes on past the match).
            ticker, market, instrument = ticker.partition(".")[0], "X", "crypto"
        elif code.upper() != code:
            # $tsla and $Tsla: a listed symbol, not a word that happens to follow a $. A
            # market suffix names the listing ($eth.x, $ETH.x: the coin), so the stoplist,
            # kept for bare words ($eth alone may be anything), does not apply to it; nor
            # does it among other cashtags ("$SPY $BTC.X $coin", "$mana $btc $eth"): on
            # real_train all 10 such stoplisted words were labelled the security.
            if (ticker in stop and market is None and not (
                    ticker not in CURRENCIES and ctx.other_cashtags())) or (
                    listed is not None and not listed(ticker, market)):
                continue
        hits.append(CashtagHit(match.start(), match.end(), ticker, market, None, "cashtag",
                               instrument=instrument))
        claimed.append((match.start(), match.end()))
    taken.merge(claimed)

    for match in _NUMERIC.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        code = match["code"]
        if "." in code:
            ticker, market = split_code(code)
            if market is None or not _listed_or_well_formed(listed, ticker, market):
                continue
        else:
            if _is_money(text, match.start(), match.end()):
                continue
            if ctx.hint is None and len(code) < 6 and (
                    needs_hint or _LATIN_CASHTAG.search(text) is not None):
                # A post that writes $ETH.X or $TSLA and names no market of numeric codes
                # means a price by "$1240".
                continue
            ticker = code
            found = _numeric_market(code, ctx, numeric_market, False, listed)
            if found is None:
                continue
            market = found
        hits.append(CashtagHit(match.start(), match.end(), ticker, market, None, "cashtag"))
        taken.add(match.start(), match.end())
