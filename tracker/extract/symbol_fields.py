"""Symbols a post writes where only a symbol goes: a field labelled as the symbol, and a
link's text that writes the symbol of the quote page the link goes to.

A news digest names each item's company in bold and gives its symbol in a field under it
(`> #**STOCK SYMBOL:** ATUS`); an insider table writes each row as `[SWET / Solar Wind
Energy Tower, Inc.](https://fintel.io/n/us/swet)`. A field called "symbol" or "ticker" holds
one symbol, and a quote page belongs to one security, so the symbol there is a security
whether or not it is a word (ELF, EYE) or one letter (P): the bare-symbol rules, which must
guard against words, never need to read these (docs/mentions.md, eighteenth round).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from tracker.extract.cashtags import CashtagHit
from tracker.extract.text.lazy_pattern import lazy_pattern

# A US symbol as the quote sites write it: letters, maybe a class after a dot or a dash
# (BRK-B, BRK.B), in either case (fintel and MarketWatch write lower case).
_SYMBOL = r"([A-Za-z]{1,5}(?:[.\-][A-Za-z])?)"
# The end of a symbol inside a link: the path, the query or the link ends there.
_LINK_END = r"(?=[/?&#)\]\s]|$)"
# Quote and chart pages of one US security, by site: finviz (`quote.ashx?t=`, `chart.ashx?t=`),
# CNBC (`data.cnbc.com/quotes/GE`, `cnbc.com/quotes/?symbol=GE`), fintel (`/n/us/swet`, the
# owners' and insiders' pages too), Yahoo Finance, MarketWatch, Nasdaq, StockTwits, Seeking
# Alpha, Bloomberg (`/quote/TSLA:US`) and Google Finance (`/quote/AAPL:NASDAQ`). Each is the
# site's address up to its quote pages, which a link must hold (the quick test below), and
# the pattern of the rest of the page's address.
_QUOTE_SITES: tuple[tuple[str, str], ...] = (
    ("finviz.com/", r"(?:quote|chart)\.ashx\?(?:[^\s)\]]*?&)?t=" + _SYMBOL + r"(?=[&#)\]\s]|$)"),
    ("cnbc.com/quotes/", r"(?:\?symbol=)?" + _SYMBOL + _LINK_END),
    ("fintel.io/", r"(?:n|s|so|sob)/us/" + _SYMBOL + _LINK_END),
    ("finance.yahoo.com/quote/", _SYMBOL + _LINK_END),
    ("marketwatch.com/investing/", r"(?:stock|fund)/" + _SYMBOL + _LINK_END),
    ("nasdaq.com/", r"(?:symbol|market-activity/(?:stocks|etf))/" + _SYMBOL + _LINK_END),
    ("stocktwits.com/symbol/", _SYMBOL + _LINK_END),
    ("seekingalpha.com/symbol/", _SYMBOL + _LINK_END),
    ("bloomberg.com/quote/", _SYMBOL + r":US" + _LINK_END),
    ("google.com/finance/quote/",
     _SYMBOL + r":(?:NYSE|NASDAQ|NYSEARCA|NYSEAMERICAN|BATS)" + _LINK_END),
)
_QUOTE_PAGE = lazy_pattern(
    r"(?:https?://)?(?:[\w-]+\.)*(?:"
    + "|".join(re.escape(site) + rest for site, rest in _QUOTE_SITES) + ")",
    re.IGNORECASE)
# A field labelled as the symbol (`STOCK SYMBOL: ATUS`, `Ticker: $GOOGL`, `Symbol - MNK`), in
# any case and any markdown, whose whole value is one symbol in capitals: it ends the line or
# a bracket, a cell or a list item ends it. "Ticker: I think so" holds no symbol.
_FIELD = lazy_pattern(
    r"(?<![\w$])(?i:(?:stock[ \t]+|ticker[ \t]+)?(?:symbol|ticker))(?![\w$])[ \t*_#]*[:\-–=]"
    r"[ \t*_#]*\$?(?P<symbol>[A-Z]{1,5}(?:[.\-][A-Z])?)(?![\w$])"
    r"(?=[ \t*_]*(?:[\n)\]|,;]|$))")
# A field's value that says there is no symbol (yet): an IPO's "Ticker: TBD", a private
# company's "STOCK SYMBOL: NONE", "Symbol: NA". Each was a mention of that "symbol".
_NO_SYMBOL = frozenset(("TBD", "TBA", "TBC", "NA", "NONE", "NIL", "NULL"))
# Strings one of which a link to a quote page holds: the quick test before its pattern runs.
_LINK_HINTS = tuple(site for site, _ in _QUOTE_SITES)


# A quote page of another market than the US: MarketWatch names it in a parameter
# (`/investing/stock/t?countrycode=ca` is Telus in Toronto, not AT&T).
_OTHER_MARKET = lazy_pattern(r"[?&]countrycode=(?!us(?:[&#]|$))", re.IGNORECASE)
# A markdown link: its text and its address.
_LINK = lazy_pattern(r"\[(?P<text>[^\[\]\n]{1,200})\]\((?P<url>[^()\s]+)\)")


def _linked_symbols(text: str) -> list[tuple[int, int, str]]:
    """Each symbol a markdown link's text writes in capitals that the quote page it links to
    is the page of (`[SWET / Solar Wind Energy Tower, Inc.](https://fintel.io/n/us/swet)`),
    spanning the symbol in the link's text."""
    out = []
    for link in _LINK.finditer(text):
        page = _QUOTE_PAGE.search(link["url"])
        if page is None or _OTHER_MARKET.search(link["url"]):
            continue
        symbol = page[page.lastindex or 0].upper()
        written = re.search(rf"(?<![\w$.]){re.escape(symbol)}(?![\w$])", link["text"])
        if written is not None:
            start = link.start("text") + written.start()
            out.append((start, start + len(symbol), symbol))
    return out


def find_symbol_fields(text: str, known: Iterable[str] = (),
                       held: Callable[[str], bool] = lambda symbol: True) -> list[CashtagHit]:
    """The US symbols of `text`'s symbol fields and of links whose text writes the symbol of
    the quote page they link to, as hits of kind `code`, each symbol once and none of `known`
    (symbols other rules already found in the post), in order.

    A link's symbol counts only where `held` says a security the lists know held it on the
    post's day: fintel and the other sites keep a page for every company that files with the
    SEC, listed or not (`[PUSH / Publix Super Markets, Inc.]`, whose shares no exchange
    trades), so the page shows a filer, not a listing. A field's symbol counts as written, as
    a cashtag's does: a digest writes one under each listed company's news."""
    lowered = text.lower()
    has_link = any(hint in lowered for hint in _LINK_HINTS)
    has_field = "symbol" in lowered or "ticker" in lowered
    if not has_link and not has_field:
        return []
    seen = {k.upper() for k in known}
    found = [f for f in _linked_symbols(text) if held(f[2])] if has_link else []
    if has_field:
        found += [(*m.span("symbol"), m["symbol"]) for m in _FIELD.finditer(text)
                  if m["symbol"] not in _NO_SYMBOL]
    hits = []
    for start, end, written in sorted(found):
        # Yahoo writes a class share with a dash (BRK-B), tracker's key with a dot (BRK.B).
        symbol = written.upper().replace("-", ".")
        if symbol in seen:
            continue
        seen.add(symbol)
        hits.append(CashtagHit(start, end, symbol, None, None, "code"))
    return hits
