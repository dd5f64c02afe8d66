"""Listings written with their exchange: `TSX:SHOP`, `LON: VOD`, `NSE:RELIANCE`, `VOD.L`,
`SHOP.TO`, `BHP.AX`.

The exchange in the code says which listing it is, so such a code is a security even when the
packaged universe (US, A-share, Hong Kong, Taiwan, Tokyo, Korea and coins) holds nothing on
that exchange: it is keyed `<symbol>.<suffix>` with Yahoo Finance's suffix for the exchange
(`SHOP.TO`, `VOD.L`, `RELIANCE.NS`), as docs/labelling.md asks for a listing no list holds,
and never resolves to a US company that merely shares the letters (`TSX:SHOP` is not
Shopify's NYSE line, `LON:AAL` is not American Airlines). A prefix of a US market (`NYSE: T`,
`OTC:LTMCF`) is a US listing.

A code on a foreign exchange whose symbol is that of a US listing the post names by its
company (`Enbridge (ENB.TO)`) is that company's other listing, and a US forum's post means the
US one: it is keyed as the named company.

A company written with two of its listings side by side (`(OTC:LTMCF), (TSX.V:LITH)`), as
alternatives in brackets (`(WEF:TSE) or (WFSTF:OTC)`) or under one symbol on two exchanges
(`GOOS:NYSE`, `GOOS:TSX`) is one mention: the US one, which the US forums trade
(docs/labelling.md, "Which security"). The exchange may follow the symbol (`WEF:TSE`,
`$SHOP:NYSE`).

Not codes (issue 28's fourteenth round): a foreign prefix that opens a sentence (`EPA: GM
must cut emissions`, `LON: BA 117`), an exchange's index (`NSE:NIFTY`), two words of a
capitalised sentence joined by a full stop (`THE END.TO BE`), and a listed US class share
(`$MKC.V`, McCormick's voting share), which is that share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from tracker.extract.markets import HK_MARKET, TOKYO_MARKET
from tracker.extract.text.case import shouting
from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.patterns import LINE_BULLETS, SENTENCE_CLOSERS
from tracker.extract.words import is_common_word

# The US markets' stored market: a US listing's key is its bare ticker (securities.py).
US_MARKET = "US"
# Exchange prefixes as posts write them (any case), to the stored market: Yahoo Finance's
# suffix for the exchange, US_MARKET for the US markets, and the suffixes securities.py stores for
# the markets the universe holds (HK, T).
EXCHANGE_PREFIXES: dict[str, str] = {
    "TSX": "TO", "TSXV": "V", "TSX-V": "V", "TSX.V": "V", "CVE": "V",
    "CSE": "CN", "CNSX": "CN", "NEO": "NE",
    "LON": "L", "LSE": "L", "AIM": "L",
    "NSE": "NS", "BSE": "BO",
    "ASX": "AX", "NZX": "NZ", "JSE": "JO",
    "ETR": "DE", "XETRA": "DE", "FRA": "F", "EPA": "PA", "AMS": "AS", "EBR": "BR",
    "SWX": "SW", "BIT": "MI", "STO": "ST", "OSL": "OL", "CPH": "CO", "HEL": "HE",
    "HKEX": HK_MARKET, "HKG": HK_MARKET, "SEHK": HK_MARKET, "TYO": TOKYO_MARKET,
    # Toronto's or Tokyo's: _market_of tells them apart by the symbol, digits in Tokyo.
    "TSE": "TO",
    **dict.fromkeys(("NYSE", "NASDAQ", "NYSEARCA", "NYSEAMERICAN", "NYSEMKT", "AMEX", "OTC",
                     "OTCQB", "OTCQX", "OTCMKTS", "OTCPK"), US_MARKET),
}
# Yahoo Finance's suffixes written after a symbol (`VOD.L`, `SHOP.TO`) for exchanges whose
# codes the posts write in prose. Markets the universe holds (.HK, .T, .SS) are read by
# patterns.WRITTEN_CODE; .F (Frankfurt) is left out, a letter prose writes after initials.
FOREIGN_SUFFIXES: frozenset[str] = frozenset({
    "TO", "V", "CN", "NE", "L", "AX", "NS", "BO", "NZ", "JO",
    "DE", "PA", "AS", "BR", "SW", "MI", "ST", "OL", "CO", "HE",
})
# The markets above that the universe holds no listing of.
FOREIGN_MARKETS: frozenset[str] = frozenset(
    {*EXCHANGE_PREFIXES.values(), *FOREIGN_SUFFIXES} - {US_MARKET, HK_MARKET, TOKYO_MARKET})

_PREFIX_ALTERNATIVES = "|".join(
    re.escape(p) for p in sorted(EXCHANGE_PREFIXES, key=len, reverse=True))
# `TSX:SHOP`, `(NYSE: T)`, `LON:VOD`, `HKEX:0700`: the symbol in upper case (digits for Hong
# Kong and Tokyo), right after the colon or one space; not the hour of a clock time
# (`HKEX: 09:30 open`, `HKG: 10:30`, `TYO: 22:15` are no Hong Kong or Tokyo codes).
_PREFIXED = lazy_pattern(
    rf"(?<![A-Za-z0-9$.\-_/:])(?P<exch>(?i:{_PREFIX_ALTERNATIVES}))\s?:\s?\$?"
    r"(?P<sym>[A-Z0-9][A-Z0-9&]{0,11}(?:[.\-][A-Z])?)(?![A-Za-z0-9&]|[.\-][A-Za-z0-9]|:\d)"
)
# `WEF:TSE`, `(WFSTF:OTC)`, `$SHOP:NYSE`: the exchange written after the symbol, glued, in
# upper case (as some sites and brokers write a listing).
_REVERSED = lazy_pattern(
    r"(?<![A-Za-z0-9.\-_/:])\$?(?P<sym>[A-Z][A-Z0-9&]{0,11}(?:[.\-][A-Z])?)"
    rf":(?P<exch>{_PREFIX_ALTERNATIVES})(?![A-Za-z0-9&]|[.\-:][A-Za-z0-9])"
)
# `VOD.L`, `SHOP.TO`, `$ATD-B.TO`, `RELIANCE.NS`: an upper-case symbol of two letters or more
# (a class after a dash), a dot and a suffix in upper case; not glued to a word, a URL's path
# or a number.
_SUFFIXED = lazy_pattern(
    r"(?<![A-Za-z0-9.\-_/@])\$?(?P<sym>[A-Z][A-Z0-9&]{1,11}(?:-[A-Z])?)"
    rf"\.(?P<suf>{'|'.join(sorted(FOREIGN_SUFFIXES, key=len, reverse=True))})"
    r"(?![A-Za-z0-9]|[.,]\d)"
)
# The index symbols TradingView writes after these exchanges' prefixes (`NSE:NIFTY`,
# `BSE:SENSEX`): an index, not a listing, and instruments.csv holds none of them, so no
# mention (docs/mentions.md, issue 28's fourteenth round).
EXCHANGE_INDICES: frozenset[str] = frozenset({
    "NIFTY", "NIFTY50", "BANKNIFTY", "CNXIT", "INDIAVIX", "SENSEX",
    "UKX", "FTSE", "DAX", "CAC40", "PX1", "AEX", "SMI", "OMXS30", "FTSEMIB", "XJO", "NZ50",
})
# Prefixes that are a name as well as an exchange: read only in capitals, as an English
# word's (_reads_as_exchange). Tse is a surname; TSE was added in issue 28's fourteenth round.
_NAME_PREFIXES = frozenset({"TSE"})
# What ends a clause after a code written with a space after its colon: the end, a line's
# end, punctuation or a bracket (`NSE: AJANTPHARM`, `LSE: BP. and`); a word or a number
# there makes the prefix a label (`EPA: GM must cut`, `LON: BA 117`).
_CLAUSE_END = lazy_pattern(r"[ \t]*(?:$|[\r\n.,;!?)\]|/])")
# An upper-case word right before or after a code, a space between (_joined_words).
_WORD_BEFORE = lazy_pattern(r"(?<![A-Za-z])([A-Z]+) +$")
_WORD_AFTER = lazy_pattern(r" +([A-Z]+)(?![A-Za-z])")
# What may stand between a company's two listings written side by side: brackets, commas or
# a slash, with spaces (`(OTC:LTMCF), (TSX.V:LITH)`, `TSX: WEED / NYSE: CGC`); _twins says
# when.
_TWIN_GAP = lazy_pattern(r"[\s,;/|()\[\]]{0,5}[,;/|()\[\]][\s,;/|()\[\]]{0,5}")
_OR_GAP = lazy_pattern(r"[)\]][ \t]+or[ \t]+[(\[]")


@dataclass(frozen=True)
class ExchangeCode:
    """A symbol written with its exchange: where it stands, the symbol and the market."""

    start: int
    end: int
    ticker: str
    market: str
    dollar: bool


def _market_of(exchange: str, symbol: str) -> str:
    """The stored market of a prefix and its symbol: TSE is Tokyo's for a code of digits
    (`TSE:7203`), else Toronto's (`WEF:TSE`, `TSE:RY`)."""
    exchange = exchange.upper()
    if exchange == "TSE" and symbol.isdigit():
        return TOKYO_MARKET
    return EXCHANGE_PREFIXES[exchange]


def _symbol_fits(symbol: str, market: str) -> bool:
    """Hong Kong and Tokyo codes are digits, Bombay's digits or letters; every other
    market's symbol has a letter, and a US one is one to five letters with an optional
    class."""
    if market in (HK_MARKET, TOKYO_MARKET):
        return symbol.isdigit()
    if market == "BO" and symbol.isdigit():
        return len(symbol) == 6
    if not any(c.isalpha() for c in symbol):
        return False
    return market != US_MARKET or re.fullmatch(r"[A-Z]{1,5}(?:[.\-][A-Z])?", symbol) is not None


def _reads_as_exchange(text: str, match: re.Match[str], market: str) -> bool:
    """An exchange's prefix that is also an English word (`aim: TSLA`, `Bit: ...`, `neo:`)
    counts only in upper case; in an all-caps passage, where the case says nothing, only
    glued to its symbol (`LON:VOD`, not `OUR AIM: BUY THE DIP`). The US markets' names
    are read in any case (`Nasdaq: AAPL`). So is a prefix that is a name too (`Tse: OK,`
    in a chat log is the surname)."""
    written = match["exch"]
    if market == US_MARKET or not (is_common_word(written.lower())
                                   or written.upper() in _NAME_PREFIXES):
        return True
    return written.isupper() and (not any(c.isspace() for c in match.group())
                                  or not shouting(text, match.start(), match.end()))


def _in_brackets(text: str, start: int) -> bool:
    """Whether text[start] stands inside an open bracket of the 40 characters before it
    (`Nicox (EPA: COX)`, `(CSE: MOVE, OTC: MOTNF)`)."""
    before = text[max(0, start - 40):start]
    opened = max(before.rfind("("), before.rfind("["))
    return opened >= 0 and opened > max(before.rfind(")"), before.rfind("]"))


def _a_label(text: str, match: re.Match[str], market: str) -> bool:
    """Whether a foreign exchange's prefix is a label that opens a sentence, not a code:
    written with a space after its colon, outside brackets, and followed by more of the
    sentence (`EPA: GM must cut emissions` is the agency, `LON: BA 117` a flight). Codes
    are written glued (`LON:VOD`), in brackets after their company (`Nicox (EPA: COX)`), or
    end their clause (`NSE: AJANTPHARM`, `LSE: BP.`). The US markets' names are no other
    thing's (`NYSE: WYN I added`)."""
    if market == US_MARKET:
        return False
    colon = match.group().find(":")
    if not match.group()[colon + 1:colon + 2].isspace() or _in_brackets(text, match.start()):
        return False
    return _CLAUSE_END.match(text, match.end()) is None


# What opens a line, a sentence or a label: nothing, a line break, a sentence's end (inside
# its closing quotes or brackets: `"fine." NOTE:TSE`) or a colon, or a bullet opening its
# line (`- NOTE:TSE`, `> NOTE:TSE`), then spaces and tabs, as many as an indented line has.
_SENTENCE_END_MARKS = frozenset(".!?")
_OPENING_BEFORE = frozenset("\r\n:") | _SENTENCE_END_MARKS
_BLANKS = " \t"


def _after_blanks(text: str, start: int) -> int:
    """Where the run of blanks before text[start] begins (start when there is none)."""
    # The whole run: a look-back of a few characters saw only the spaces of an indented line
    # and took its label for a word inside a sentence.
    before = start
    while before and text[before - 1] in _BLANKS:
        before -= 1
    return before


def _opens_clause(text: str, start: int) -> bool:
    """Whether text[start] opens the text, a line, a sentence or what a label introduces,
    where a word glued to an exchange is itself a label (`NOTE:TSE rules`, `FW:NASDAQ`)."""
    before = _after_blanks(text, start)
    if before == 0 or text[before - 1] in _OPENING_BEFORE:
        return True
    if text[before - 1] in LINE_BULLETS and before < start:
        # A bullet, a blank after it, at its line's start: `- NOTE:TSE`, not `Rules - NOTE`.
        line = _after_blanks(text, before - 1)
        return line == 0 or text[line - 1] in "\r\n"
    closed = before
    while closed and text[closed - 1] in SENTENCE_CLOSERS:
        closed -= 1
    return closed > 0 and text[closed - 1] in _SENTENCE_END_MARKS


def _joined_words(text: str, match: re.Match[str]) -> bool:
    """Whether a symbol and a suffix are two words of a sentence in capitals that lost the
    space after a full stop (`THE END.TO BE CONTINUED`): a suffix that is an English word
    (TO, CO, AS, DE), no `$`, and an English word in capitals a space before and a space
    after. A list of codes (`VOD.L, SHOP.TO, SLG.V`) has commas and symbols beside them."""
    if match.group().startswith("$") or not is_common_word(match["suf"].lower()):
        return False
    before = _WORD_BEFORE.search(text, max(0, match.start() - 20), match.start())
    after = _WORD_AFTER.match(text, match.end(), match.end() + 20)
    return (before is not None and after is not None and is_common_word(before[1].lower())
            and is_common_word(after[1].lower()))


def _overlaps(match: re.Match[str], taken: list[tuple[int, int]]) -> bool:
    """Whether `match` overlaps one of the spans a code already took."""
    return any(s < match.end() and match.start() < e for s, e in taken)


def _code(match: re.Match[str], symbol: str, market: str, dollar: bool) -> ExchangeCode:
    """The code at `match`; a US class is written with a dot (`NYSE:BRK-B` is BRK.B)."""
    if market == US_MARKET:
        symbol = symbol.replace("-", ".")
    return ExchangeCode(match.start(), match.end(), symbol, market, dollar)


def find_exchange_codes(text: str, twins: list[tuple[int, int]] | None = None,
                        us_listed: Callable[[str], bool] | None = None) -> list[ExchangeCode]:
    """Codes written with their exchange in `text`, sorted by position; of a company's two
    listings written side by side, only one (the US one, else the first). The spans of the
    listings left out are added to `twins` when given: still no other mention's
    (`TSX: $WEED / NYSE: $CGC` names CGC alone, not the US symbol WEED). `us_listed` says
    whether a symbol with its class (`MKC.V`) is a US listing: then `$MKC.V` is McCormick's
    voting share, not a TSX Venture code."""
    codes: list[ExchangeCode] = []
    if ":" in text:
        for match in _PREFIXED.finditer(text):
            symbol = match["sym"]
            market = _market_of(match["exch"], symbol)
            if (not _symbol_fits(symbol, market) or symbol in EXCHANGE_INDICES
                    or not _reads_as_exchange(text, match, market)
                    or _a_label(text, match, market)):
                continue
            codes.append(_code(match, symbol, market, False))
        taken = [(c.start, c.end) for c in codes]
        for match in _REVERSED.finditer(text):
            symbol = match["sym"]
            market = _market_of(match["exch"], symbol)
            # After a symbol, a foreign exchange's name that is an English word is the word
            # (`MY GOAL:AIM HIGH`); the US markets' names are no other thing's. Before the
            # exchange, an English word without its $ is the word (`RE:NYSE hours`, a
            # forwarded subject's `FW:NASDAQ`, `THE MAIN POINT:OTC MARKETS`); those of
            # datasets/real_train are GOOS (twice), WEF, WFSTF and $SHOP. A foreign
            # exchange's code is trading context where the word opens no line, sentence or
            # label (`Bought more WEED:TSX today`, `Canopy (WEED:TSX)`), as `TSX:WEED` is.
            if (not _symbol_fits(symbol, market) or symbol in EXCHANGE_PREFIXES
                    or symbol in EXCHANGE_INDICES
                    or market != US_MARKET and is_common_word(match["exch"].lower())
                    or not match.group().startswith("$") and is_common_word(symbol.lower())
                    and (market == US_MARKET or _opens_clause(text, match.start()))
                    or _overlaps(match, taken)):
                continue
            codes.append(_code(match, symbol, market, match.group().startswith("$")))
    if "." in text:
        taken = [(c.start, c.end) for c in codes]
        for match in _SUFFIXED.finditer(text):
            # `listed on the TSX.V` names the exchange, not a listing.
            if match["sym"] in EXCHANGE_PREFIXES or _overlaps(match, taken):
                continue
            if _joined_words(text, match):
                continue
            symbol, market = match["sym"], match["suf"]
            # A one-letter suffix is also a US share class (`$MKC.V`, McCormick's voting
            # share on a US platform): the listed US class share wins.
            if len(market) == 1 and us_listed is not None and us_listed(f"{symbol}.{market}"):
                symbol, market = f"{symbol}.{market}", US_MARKET
            codes.append(ExchangeCode(match.start(), match.end(), symbol, market,
                                      match.group().startswith("$")))
    codes.sort(key=lambda c: c.start)
    kept = _one_per_company(text, codes)
    if twins is not None and len(kept) < len(codes):
        twins.extend((c.start, c.end) for c in codes if c not in kept)
    return kept


def _twins(text: str, prev: ExchangeCode, code: ExchangeCode) -> bool:
    """Whether two codes side by side are one company's listings: brackets or a slash
    between them (`(OTC:LTMCF), (TSX.V:LITH)`, `TSX: WEED / NYSE: CGC`), or a comma inside
    one pair of brackets (`(CSE: $MOVE, OTC: $MOTNF)`). Codes split by commas alone are a
    list (`NYSE:T, TSX:BCE`, `NASDAQ:AAPL, TSX:SHOP, LON:VOD`)."""
    if _TWIN_GAP.fullmatch(text, prev.end, code.start) is None:
        # Two bracketed listings offered as alternatives: `(WEF:TSE) or (WFSTF:OTC)`.
        return _OR_GAP.fullmatch(text, prev.end, code.start) is not None
    if any(c in "/|()[]" for c in text[prev.end:code.start]):
        return True
    return (text[:prev.start].rstrip().endswith(("(", "["))
            and text[code.end:].lstrip().startswith((")", "]")))


def _one_per_company(text: str, codes: list[ExchangeCode]) -> list[ExchangeCode]:
    """Of a US code and a foreign one written as one company's two listings (_twins), keep
    the US one; so too of a US code and a foreign one of the same symbol anywhere in the
    post (`GOOS:NYSE was down while GOOS:TSX was up`: a company listed in New York and
    Toronto under one symbol, each written with its exchange). Codes of one market in a
    row, or of two foreign markets, are a list."""
    us = {c.ticker for c in codes if c.market == US_MARKET}
    if us:
        codes = [c for c in codes if c.market == US_MARKET or c.ticker not in us]
    out: list[ExchangeCode] = []
    for code in codes:
        prev = out[-1] if out else None
        if (prev is not None and (prev.market == US_MARKET) != (code.market == US_MARKET)
                and _twins(text, prev, code)):
            if code.market == US_MARKET and prev.market != US_MARKET:
                out[-1] = code
            continue
        out.append(code)
    return out


class _Keyed(Protocol):
    @property
    def ticker(self) -> str: ...
    @property
    def market(self) -> str | None: ...


class _Named(_Keyed, Protocol):
    @property
    def kind(self) -> str: ...


H = TypeVar("H", bound=_Keyed)


def as_named_listing(codes: Sequence[H], names: Sequence[_Named]) -> list[H]:
    """`codes` with each foreign-exchange code whose symbol is a US company's the post names
    (`Enbridge (ENB.TO)` with Enbridge found as ENB) keyed on the US market: the company is
    one, and docs/labelling.md keys a US post's mention on the listing US forums trade. A
    code whose letters no named company holds keeps its own market (`AC.TO`, Air Canada,
    is not Associated Capital's AC), nor does a bare symbol of the same letters (`AAL and
    LON:AAL`: the letters are all that ties them)."""
    named = {n.ticker for n in names
             if n.kind == "name" and n.market in (None, "", US_MARKET)}
    if not named:
        return list(codes)
    return [replace(c, market=US_MARKET)  # type: ignore[type-var]
            if c.market in FOREIGN_MARKETS and c.ticker in named else c for c in codes]

