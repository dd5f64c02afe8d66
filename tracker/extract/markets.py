"""Which market a post is about: the words that place it, the market a bare code implies,
and the symbols that name a currency pair or a Yahoo index."""

from __future__ import annotations

import re

from tracker.data import default_config

# Words that place a post on one market. A numeric code without a suffix ($2330, $周生生(00116)$)
# is read on the market the post talks about, else on the configured one.
_HINTS: dict[str, tuple[str, ...]] = {
    "HK": ("港股", "港股通", "恒指", "恒生", "港交所", "联交所", "聯交所", "港元", "港币", "港幣",
           "HKEX", "Hang Seng", "HK$", "Hong Kong", "香港"),
    "TW": ("台股", "臺股", "台灣", "台湾", "臺灣", "加權", "上櫃", "櫃買", "TWSE", "Taiwan",
           "新台幣", "台币", "台幣", "台指"),
    "SS": ("A股", "沪市", "滬市", "沪指", "上证", "上證", "科创板", "科創板", "沪深", "两市",
           "深市", "深证", "創業板", "创业板"),
    "T": ("日股", "日経", "日经", "東証", "东证", "Nikkei", "Tokyo"),
    "KS": ("韩股", "韓股", "KOSPI", "Korea", "韩国", "韓國"),
}
# The markets whose listings are numeric codes: where `[extract] numeric_market` may point.
NUMERIC_MARKETS = ("HK", "TW", "SS", "SZ", "BJ", "T", "KS", "KQ")
# The exchange letters an A-share code is written with (SH600036, 600036.SH, a ts_code's
# .SZ), and the market each is stored as.
A_SHARE_EXCHANGES = {"SH": "SS", "SZ": "SZ", "BJ": "BJ"}
# The stored markets of the A-share exchanges: Shanghai, Shenzhen, Beijing.
A_SHARE_MARKETS = frozenset(A_SHARE_EXCHANGES.values())
# Hong Kong's and Tokyo's stored markets (Yahoo's suffixes: `0700.HK`, `7203.T`).
HK_MARKET = "HK"
TOKYO_MARKET = "T"
# Where a numeric code with no market word goes unless the caller says: the packaged
# `[extract] numeric_market`, written once in tracker/data/default_config.toml.
DEFAULT_NUMERIC_MARKET: str = default_config()["extract"]["numeric_market"]
_HINT_PATTERN = re.compile("|".join(
    re.escape(w) for words in _HINTS.values() for w in sorted(words, key=len, reverse=True)))
_MARKET_OF = {w: market for market, words in _HINTS.items() for w in words}


def market_hint(text: str) -> str | None:
    """The market `text` names most often (港股 -> HK, 台股 -> TW, A股 -> SS); None if none.

    Shanghai stands for the A-share market as a whole: a six-digit code says which exchange.
    """
    counts: dict[str, int] = {}
    for match in _HINT_PATTERN.finditer(text):
        market = _MARKET_OF[match.group()]
        counts[market] = counts.get(market, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda m: counts[m])


def a_share_market(code: str) -> str | None:
    """The exchange of a six-digit A-share code by its prefix: 6 -> SS, 0/3 -> SZ, 4/8/92 -> BJ."""
    if len(code) != 6 or not code.isdigit():
        return None
    if code[0] == "6" or code.startswith("90"):
        return "SS"
    if code[0] in "03" or code.startswith("20"):
        return "SZ"
    if code[0] in "48" or code.startswith("92"):
        return "BJ"
    return None


def exchange_fund_market(code: str) -> str | None:
    """The exchange of a six-digit code of a fund traded there (an ETF or LOF) by its prefix:
    50, 51, 52, 56, 58 -> SS (科创50ETF 588000, 食品ETF 515710); 15, 16, 18 -> SZ (芯片ETF
    159813). The universe holds shares, not these funds, yet 雪球 tags them like shares."""
    if len(code) != 6 or not code.isdigit():
        return None
    if code[:2] in ("50", "51", "52", "56", "58"):
        return "SS"
    if code[:2] in ("15", "16", "18"):
        return "SZ"
    return None


# ISO 4217 codes of the currencies finance posts trade: two of them run together are a
# currency pair ($EURUSD, EURUSD=X), keyed on the market FX with the instrument kind fx.
CURRENCIES = frozenset("""
USD EUR JPY GBP AUD CAD CHF NZD CNY CNH HKD TWD KRW SGD INR SEK NOK DKK MXN BRL ZAR TRY
RUB PLN HUF CZK ILS THB IDR MYR PHP
""".split())
FX_MARKET = "FX"
# Yahoo's index symbols (^GSPC) that differ from the keys of tracker/data/instruments.csv;
# the others (^DJI, ^IXIC, ^VIX, ^HSI, ^N225) are their key's ticker.
YAHOO_INDICES = {"GSPC": "SPX"}
# Cashtags StockTwits and Reddit write for an index whose abbreviation another security
# lists under: `$DJIA` is the Dow (StockTwits' own tag for it), not the covered-call ETF
# DJIA listed in 2021; on real_train all 7 `$DJIA` were labelled the Dow. DOWI and IUXX are
# the codes market wrap-ups on 雪球 give the Dow and the Nasdaq-100 after the index's name
# (`道琼斯工业指数($DOWI)`, `纳斯达克100指数（$IUXX）`); no security lists under either.
CASHTAG_INDICES = {"DJIA": "DJI", "DOWI": "DJI", "IUXX": "NDX"}


def is_currency_pair(code: str) -> bool:
    """Whether an upper-case code of six letters is two distinct currencies: EURUSD, USDJPY."""
    return (len(code) == 6 and code[:3] != code[3:]
            and code[:3] in CURRENCIES and code[3:] in CURRENCIES)
