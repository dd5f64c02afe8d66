"""Find companies named without a marker: English and Chinese aliases, and bare tickers.

Policy, in short (docs/securities.md has the long form):

* English aliases match on word boundaries in one Aho-Corasick pass, in the case the list
  writes them, in ALL CAPS, or with a capital first letter; never all in lower case, so
  "meta" and "apple" are words, not companies.
* An alias the securities list flags as ambiguous (Apple, Meta, 苹果, 小米, ...) counts only
  with context: a finance or tech word nearby, another company named in the same text, a
  possessive ("Apple's"), or, in English, a capital letter in the middle of a sentence of
  ordinary prose (not a title-case headline); and never next to a word that says it is the
  other thing ("apple pie", "insurance Arm", 苹果期货, 小米粥). Such hits get confidence 0.8.
* A hit inside a phrase that names something else (Eaton Vance, Tencent Music, 博通股份,
  百度一下) is dropped.
* Chinese aliases are added to a private jieba dictionary (tracker/extract/text/segment.py);
  a hit is a whole token (or a run of whole tokens) equal to an alias, so no alias matches
  inside a longer word.
* Bare tickers (TSLA, gme!, AMC/GME) count for US symbols of the list, minus a stoplist of
  ordinary words and acronyms, with the context tracker/extract/bare.py asks of each level;
  confidence 0.9.
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate
from typing import TYPE_CHECKING

import ahocorasick

from tracker.extract.bare import (
    BARE,
    BARE_LOWER,
    context_ok,
    edges_ok,
    glued_to_slash,
    gone_holder,
    initialisms,
    listed_beside,
    lower_case_ok,
    named_before,
    numeral_after_name,
    one_letter_ok,
    one_letter_pattern,
    slipped_symbols,
    symbol_beside,
    trading_word_near,
    used_as_word,
    zone_used_as_time,
)
from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.gone_names import GoneNames, packaged_gone_names
from tracker.extract.history import listed_after, nobody_held, security_of
from tracker.extract.longer_names import inside_other_name, name_starts
from tracker.extract.markets import A_SHARE_MARKETS, exchange_fund_market
from tracker.extract.name_context import (
    CAMEL,
    EN_WORD,
    LISTING_TALK_DAYS,
    NameHit,
    board_names_its_index,
    case_ok,
    chinese_posts_listing,
    cited_as_source,
    employs_the_analyst,
    marked_listing,
    may_cite,
    mid_prose,
    names_a_product,
    names_the_index,
    spelt_as_brand,
    talks_of_listing,
    traded_beside,
    traded_in_clause,
    word_before,
    word_name_in_lower_case,
)
from tracker.extract.name_index import index_entry, read_index, write_index
from tracker.extract.name_rules import (
    ABBREVIATION_SYMBOLS,
    EN_BROKER_NAMES,
    EN_CONTEXT,
    EN_NOT_COMPANY_AFTER,
    EN_NOT_COMPANY_BEFORE,
    EN_PLATFORM_NAMES,
    EN_RESEARCH_NAMES,
    EN_VENUE_BEFORE,
    EXCHANGE_INDEX,
    NEXT_WORD_REACH,
    NOT_COMPANY_PHRASES,
    NOT_RARE_NAMES,
    POPULAR_BARE,
    POPULAR_DESPITE_STOP,
    POPULAR_WORDS,
    STOP_TICKERS,
    STOP_WORDS_BARE,
    TRADING_TERMS,
    ZH_BOARD_INDEX,
    ZH_COMPANY_AFTER,
    ZH_CONTEXT,
    ZH_LIST_BEFORE,
    ZH_LISTED_BRANDS,
    ZH_LISTED_WORDS,
    ZH_NOT_COMPANY,
    ZH_NOUN_ALIASES,
    ZH_PLATFORM_NAMES,
    ZH_TRADE,
    ZONES_DESPITE_STOP,
)
from tracker.extract.nicknames import (
    NICKNAME,
    RUN_INTO,
    glued_before,
    held_letters,
    held_symbol,
    may_hold_nickname,
    name_heads,
)
from tracker.extract.securities import Security, SecurityList
from tracker.extract.text.case import shouting
from tracker.extract.text.patterns import CJK, CJK_CLASS, HAN_BLOCK, han_blocks_holding
from tracker.extract.text.utf32 import utf32 as _utf32
from tracker.extract.ticker_lists import in_ticker_list
from tracker.extract.words import (
    COMPANY_SUFFIXES,
    RARE_NAME_MIN,
    inner_pairs,
    is_common_word,
    is_numeral,
    is_unwritten_symbol,
    is_word_symbol,
    name_words,
    spells_name,
    two_word_name,
)

if TYPE_CHECKING:
    from tracker.extract.cashtags import CashtagHit
    from tracker.extract.text.segment import Segmenter, Token

log = logging.getLogger(__name__)

CONF_AMBIGUOUS = 0.8
CONF_BARE_TICKER = 0.9
# Every bare symbol is a US one (a US share, or a foreign company's .US listing): a bare
# NOK is Nokia's New York listing, not Helsinki's, so its hit carries US_MARKET.
# A letter three times over draws a word out ("go brrr", "yesss"): no lower-case ticker.
_DRAWN_OUT = re.compile(r"(\w)\1\1")
# How near a Chinese character must be to make an uncommon symbol a loan word ("PPT 承诺").
_CJK_NEAR = 20
# A coin's cashtag ($ETH.X, $btc.x): the post talks crypto, so BTC and ETH are coins in it.
_COIN_TAG = re.compile(r"\$[A-Za-z0-9]{2,10}\.[Xx](?![A-Za-z0-9])")
# A model or version number after a word, not a price or an amount (no unit after it), or a
# letter-led model of a graphics card (RTX A6000显卡).
_MODEL_AFTER = re.compile(r"\s?(?:\d+(?:\.\d+)?(?![\d.]*\s*(?:%|％|美元|美金|元|块|刀|港元|亿|万"
                          r"|点|倍|股))|系列|系|显卡|顯卡|光追|[A-Z]\d{3,}\s?(?:显卡|顯卡))")
# A product family before a word makes it that family's line (GeForce RTX, Nvidia's cards).
_LINE_BEFORE = re.compile(r"(?:GeForce|Geforce|GEFORCE)\s?\Z")

_SHORT_CAMEL = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")


def ascii_lower(text: str) -> str:
    """`text` with A-Z lowered and every other character kept, the one fold of names and
    symbols: lower-casing only ASCII keeps every offset of the folded text equal to the
    original's.

    Why not a `str.translate` table of A-Z: it looks each character of a non-ASCII text up
    in its table (42 us for a 620-character 雪球 post). `bytes.lower` lowers only the bytes
    A-Z, and UTF-8 writes those bytes only for the letters themselves (4 us).
    """
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


# Markets whose listings give Chinese short names (A-shares, Taiwan).
_ZH_NAMED_MARKETS = A_SHARE_MARKETS | {"TW"}
# The markets whose listed rows give the matcher names or symbols (_add_listed): the Chinese
# short names' and the US symbols'; a curated row of any market may too.
_LISTED_MARKETS = frozenset((*_ZH_NAMED_MARKETS, US_MARKET))
# An index's Chinese name run into a fund word, or followed by a fund's code in brackets,
# names the fund that tracks it (科创50ETF, 科创50 ETF, 科创50指数基金, 科创50（588000）), not
# the index.
_FUND_AFTER = re.compile(r"(?:指数)?\s?(?:ETF|etf|LOF|基金)|\s*[（(]\s*(\d{6})\s*[)）]")
# The same in English: a fund family's name before it, or a fund word after it ("Vanguard
# S&P 500", "S&P 500 index fund", "Nasdaq 100 ETF"); on real_train 4 of 5 were no index.
_EN_FUND_BEFORE = re.compile(r"\b(?:Vanguard|iShares|SPDR|Schwab|Fidelity|Invesco)\s+$")
_EN_FUND_AFTER = re.compile(r"\s+(?:index\s+)?(?:funds?|etfs?)\b", re.IGNORECASE)
# A subreddit's or a user's name begins right after r/ or u/ (not inside a path: a/r/x).
_SUBREDDIT = re.compile(r"(?<![A-Za-z0-9/])[rRuU]/$")
_HAN_NAME = re.compile(f"[{CJK_CLASS}]{{2,8}}[0-9A-Z]{{0,4}}")
_EN_WINDOW = 80
_ZH_WINDOW = 30
# The moves a name's last character may be cut into by jieba (飞涨, 通涨; _zh_hits).
_ZH_MOVES = frozenset("涨跌漲")
_ZH_NEG_WINDOW = 12
_ZH_TRADE_WINDOW = 4
_MAX_ZH_TOKENS = 4
# What NameMatcher._compile makes: no part of its state.
_COMPILED = frozenset(("_popular_automaton", "_automaton", "_zh_automaton", "_segmenter",
                       "_lock"))


@dataclass(frozen=True)
class _Alias:
    sec: Security
    alias: str
    ambiguous: bool


# A one-word possessive name (Kohl's, Moody's, Wendy's), as the listed name writes it.
_POSSESSIVE = re.compile(r"[A-Za-z]{3,}'s")
# A limited partnership's listed name (Icahn Enterprises L.P., Delek Logistics Partners, LP):
# its first word is its sponsor's, a company's or a person's (Delek US, Cheniere Energy,
# Westlake, Carl Icahn), so it is no name of the units on its own.
_PARTNERSHIP = re.compile(r"\b(?:L\.\s?P\.?|LP|Limited Partnership)\s*$")


def _partnership_pair(name: str) -> str | None:
    """The two capitalised words of a partnership's name before its L.P. (Icahn Enterprises
    L.P., Energy Transfer LP): what posts write for the units, where the first word alone is
    the sponsor's (_PARTNERSHIP). None for other shapes."""
    words = name_words(_PARTNERSHIP.sub("", name).rstrip(" ,"))
    if len(words) == 2 and len(words[1]) >= 3 and all(
            w.isascii() and w.isalpha() and w[0].isupper() for w in words):
        return " ".join(words)
    return None


def _possessive_of_word(name: str) -> bool:
    """Whether a one-word name is a common word's possessive (Wendy's, Moody's): a
    restaurant, a rater or a person's before it is the listed company."""
    return _POSSESSIVE.fullmatch(name) is not None and is_common_word(name[:-2])


def _writes_symbol(text: str, symbol: str) -> bool:
    """Whether `text` writes the upper-case `symbol` as a word of its own (CG, $CG)."""
    at = text.find(symbol)
    while at != -1:
        end = at + len(symbol)
        if (at == 0 or not _is_word_char(text[at - 1])) and (
                end == len(text) or not _is_word_char(text[end])):
            return True
        at = text.find(symbol, at + 1)
    return False


def _own_phrase(phrase: str, sec: Security) -> bool:
    """Whether `phrase`, the capitalised words a symbol's letters spell in a post
    (bare.initialisms), is the security's own name or an alias as a post writes it
    (words.spells_name: "Motorola Solutions Inc (MSI)" for Motorola Solutions, Inc.): then
    the symbol is its ticker, not another name's initials ("The Royal Bank of Canada ...
    RBC")."""
    return spells_name(phrase, sec.name or "") or any(
        spells_name(phrase, alias) for alias in sec.aliases_en)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class NameMatcher:
    """Aliases and symbols of one SecurityList, compiled once; `find` is one pass per script."""

    def __init__(self, securities: SecurityList) -> None:
        self._en: dict[str, list[_Alias]] = {}
        self._zh: dict[str, _Alias] = {}
        # symbol -> (security, today's symbol, whether it needs a trading word next to it)
        self._bare: dict[str, tuple[Security, str, bool]] = {}
        # Listed symbols on sight because they are no English word (WKHS, CLNE): the level
        # that checks a name's initials (bare.initialisms).
        self._uncommon: set[str] = set()
        # Curated two-letter symbols (MU, GE): on sight in upper case, with the same checks.
        self._two_letter: set[str] = set()
        # Listed US symbols the levels above leave out, stoplisted (FAN, MIND, CRM) or of
        # two letters without a curated row (NE, DY): only as an item of a list of tickers
        # (_list_item, asked only of a symbol no other level holds).
        self._list_only: dict[str, Security] = {}
        # Curated symbols of three to five letters that are no word (TTCF, ITUB): in lower
        # case with the context _find_bare asks of a listed one (the others are _uncommon).
        self._curated_lower: set[str] = set()
        # Curated one-letter symbols (V, T, F): only beside another symbol or a ticker word.
        self._one_letter: dict[str, Security] = {}
        # The curated coins by symbol (BTC, ETH, DOGE), read bare in crypto and Chinese posts.
        self._coins: dict[str, Security] = {}
        # The words of the curated companies' names: an index symbol one of them holds
        # (DJI, the drone maker SZ DJI Technology) is not read bare.
        self._curated_name_words: set[str] = set()
        # A company listed at home and in New York (Nokia, Sony, Toyota): (key) -> US symbol.
        self._us_listing: dict[tuple[str, str | None], str] = {}
        # The listing a Chinese post means by a company's name, where it is not the home
        # one (比亚迪 002594.SZ, 阿里 9988.HK, 索尼 SONY): (key) -> (symbol, market).
        self._zh_listing: dict[tuple[str, str | None], tuple[str, str]] = {}
        # The curated companies listed on more than one market, by key: a marker after
        # their name names one of the others (腾讯ADR, 农业银行H; marked_listing).
        self._listed_apart: dict[tuple[str, str | None], Security] = {}
        # The names read from a listed name less surely (a common word's possessive, Wendy's;
        # two words after the listing's "The", Carlyle Group), by key: only with a trade or
        # another company right beside them (_context_ok).
        self._beside_only: set[str] = set()
        # Delisted companies' names, built on the first dated post (gone_names.py).
        self._gone_built: GoneNames | None = None
        # The heads of curated names that are no word (palan-), built on the first text that
        # may hold a holders' nickname (nicknames.py).
        self._heads: dict[str, Security] | None = None
        for sec in securities:
            self._add_security(sec)
        # Both layers, walked by five passes below: listed once (30,000 rows; the walk
        # itself was a fifth of the build).
        everything = list(securities.all())
        for sec in everything:
            # Only these rows give _add_listed anything to add: a third of the universe
            # (Tokyo, Hong Kong, Korea, the coins) is passed over without the call.
            if sec.market in _LISTED_MARKETS or sec.source == "curated":
                self._add_listed(sec)
        self._add_camel_names(everything)
        self._one_letter_pattern = one_letter_pattern(self._one_letter)
        # The indices an exchange's name alone may mean (Nasdaq: the Composite).
        self._exchange_index = {word: sec for word, key in EXCHANGE_INDEX.items()
                                for sec in everything
                                if sec.ticker == key and sec.kind == "index"}
        self._board_index = {word: sec for word, key in ZH_BOARD_INDEX.items()
                             for sec in everything
                             if sec.ticker == key and sec.kind == "index"}
        self._add_rare_names(everything)
        self._add_two_word_names(everything)
        # The first two words of listed names that a found name can stand in: a name
        # written inside another's (`Pershing Square`, `Apple Hospitality`) is not the
        # company (longer_names.py).
        self._name_starts = name_starts(everything, self._en)
        # Every listed coin by symbol (AVT, GLO, OGN): in a post that writes a coin's
        # cashtag, a US symbol that is also a coin's is the coin (_find_bare).
        self._listed_coins: dict[str, Security] = {}
        for sec in everything:
            if sec.market == "X" and sec.kind == "crypto" and sec.ticker.isalpha() \
                    and len(sec.ticker) >= 3:
                self._listed_coins.setdefault(sec.ticker, sec)
        self._popular = {s.lower(): s for s in POPULAR_BARE if s in self._bare}
        self._blockers = _blockers([*self._zh, *(e.alias for es in self._en.values() for e in es)])
        self._zh_across = tuple(a for a in self._zh if not HAN_BLOCK.fullmatch(a))
        self._compile()
        log.debug("name matcher: %d English keys, %d Chinese aliases, %d bare symbols",
                  len(self._en), len(self._zh), len(self._bare))

    def _compile(self) -> None:
        """The automata over the index, and what a matcher holds but no index keeps: made
        after a build and after `from_state`. Made again rather than kept: pyahocorasick's
        pickles of them (their nodes, 3 MB) read back no faster than they are built."""
        # Popular symbols in any case: one Aho-Corasick pass over the ASCII-folded text.
        self._popular_automaton: ahocorasick.Automaton | None = None
        if self._popular:
            self._popular_automaton = ahocorasick.Automaton()
            for word in self._popular:
                self._popular_automaton.add_word(word, word)
            self._popular_automaton.make_automaton()
        self._automaton = ahocorasick.Automaton()
        for key, entries in self._en.items():
            self._automaton.add_word(key, (key, entries))
        if self._en:
            self._automaton.make_automaton()
        # Where Chinese aliases begin in a text, so that a text without one is not cut into
        # words at all (see _find_zh). jieba cuts each run of HAN_BLOCK characters on its
        # own, so only the runs holding an alias need cutting, unless the text holds an
        # alias across runs (洛克希德·马丁): then the whole text is cut.
        self._zh_automaton: ahocorasick.Automaton | None = None
        if self._zh:
            self._zh_automaton = ahocorasick.Automaton()
            for alias in self._zh:
                self._zh_automaton.add_word(_utf32(alias), len(alias))
            self._zh_automaton.make_automaton()
        self._segmenter: Segmenter | None = None
        self._lock = threading.Lock()

    def state(self) -> dict[str, object]:
        """The matcher's index: what `from_state` makes the same matcher of again."""
        state = {key: value for key, value in vars(self).items() if key not in _COMPILED}
        # Built by the first post that needs them (the delisted names from the history
        # file, the nicknames' heads): no part of the index.
        state["_gone_built"] = state["_heads"] = None
        return state

    @classmethod
    def from_state(cls, state: dict[str, object]) -> NameMatcher:
        """The matcher whose `state()` was `state`."""
        matcher = cls.__new__(cls)
        vars(matcher).update(state)
        matcher._compile()
        return matcher

    def _add_security(self, sec: Security) -> None:
        if sec.kind != "etf":
            # A fund's name names the index it tracks (TVIX, "... 2x VIX Short-Term ETN"),
            # which keeps that index's symbol the index.
            self._curated_name_words.update(EN_WORD.findall(sec.name or ""))
        ambiguous = set(sec.ambiguous)
        for alias in (*sec.aliases_en, *sec.aliases_zh):
            entry = _Alias(sec, alias, alias in ambiguous)
            if CJK.search(alias):
                self._zh.setdefault(alias, entry)
            else:
                bucket = self._en.setdefault(ascii_lower(alias), [])
                if all(e.alias != alias or e.sec is not sec for e in bucket):
                    bucket.append(entry)
        zh = chinese_posts_listing(sec)
        if zh is not None:
            self._zh_listing[(sec.ticker, sec.market or None)] = zh
        if sec.listings:
            self._listed_apart[(sec.ticker, sec.market or None)] = sec
        if sec.market == US_MARKET:
            # Another US listing of the company is another share class (GOOG beside
            # GOOGL): its own symbol and key, as a cashtag of it gets.
            symbols = [(sec.ticker, sec.ticker), *((f, sec.ticker) for f in sec.former),
                       *((lst.rpartition(".")[0],) * 2
                         for lst in sec.listings if lst.endswith(".US"))]
        else:
            for lst in sec.listings:
                if lst.endswith(".US"):
                    self._us_listing.setdefault((sec.ticker, sec.market or None),
                                                lst.rpartition(".")[0])
            symbols = [(lst.rpartition(".")[0], lst.rpartition(".")[0])
                       for lst in sec.listings if lst.endswith(".US")]
        for symbol, today in symbols:
            if symbol.isalpha() and (3 <= len(symbol) <= 5 or symbol in POPULAR_BARE) \
                    and (symbol not in STOP_TICKERS or symbol in POPULAR_DESPITE_STOP):
                self._bare.setdefault(symbol, (sec, today, False))
                if (len(symbol) >= 3 and symbol not in POPULAR_BARE
                        and symbol not in TRADING_TERMS and not is_word_symbol(symbol)):
                    # Read in lower case as a listed symbol that is no word is ("ttcf and
                    # clf"); the Reddit favourites have their own rule (lower_case_ok).
                    self._curated_lower.add(symbol)
            elif symbol in ZONES_DESPITE_STOP:
                # A time zone that is a symbol (ET): on sight as a curated two-letter symbol
                # is (not near Chinese, not another name's initials: "Eastern Time ... ET"),
                # unless it tells a time (_find_bare: "4pm ET", "ET close").
                self._bare.setdefault(symbol, (sec, today, False))
                self._two_letter.add(symbol)
            elif (len(symbol) == 2 and symbol.isalpha() and symbol not in STOP_TICKERS
                  and symbol not in STOP_WORDS_BARE and symbol not in TRADING_TERMS
                  and sec.kind != "etf"):
                # A curated two-letter symbol (MU, GE, JD, KO; FB, Facebook's before META)
                # in upper case: on the development posts 235 of 248 were the ticker (the
                # rest mostly MA, a moving average, now a trading term). Checked as the
                # no-word symbols are: not near Chinese, not another name's initials.
                # Companies' symbols only: a fund's (MJ, curated for its former MJX) is
                # initials as often ("recreational MJ") and was not measured.
                self._bare.setdefault(symbol, (sec, today, False))
                self._two_letter.add(symbol)

    def _add_listed(self, sec: Security) -> None:
        """A security of the listed universe: its Chinese short names (A-shares, Taiwan, and
        the curated indices, futures and coins) as aliases, and a US share's or ETF's symbol
        as a bare ticker that needs a trading word next to it."""
        curated = sec.source == "curated" and sec.kind in ("index", "future", "crypto")
        if curated or sec.market in _ZH_NAMED_MARKETS and sec.kind == "equity":
            # Two-character listing names (国华, 万科) are mostly ordinary words; the curated
            # instruments' nicknames (纳指, 恒指) were chosen by hand.
            shortest = 2 if curated else 3
            for name in sec.listed_names:
                if (len(name) >= shortest and _HAN_NAME.fullmatch(name)
                        and name not in self._zh and name not in ZH_LISTED_WORDS):
                    # A name that is also a brand (五粮液) counts with context, as an
                    # ambiguous alias does, or beside a trade word.
                    self._zh[name] = _Alias(sec, name, name in ZH_LISTED_BRANDS)
        if curated:
            # Their English names and nicknames too (Bitcoin, S&P 500, the Dow, DJIA, Nasdaq
            # 100, Nikkei), chosen by hand as the Chinese ones were; one that is a common word
            # (Ripple, Bitcoin) needs the context an ambiguous alias needs.
            for name in (sec.name or "", *sec.listed_names):
                if name.isascii() and any(c.isalpha() for c in name):
                    bucket = self._en.setdefault(ascii_lower(name), [])
                    # A name listed again in lower case ("bitcoin", "ethereum": 390 of 403
                    # on the development posts named the coin) matches so too; "optimism"
                    # or "avalanche" in lower case stay words.
                    if not bucket or (bucket[-1].sec is sec and name.islower()
                                      and bucket[-1].alias != name):
                        bucket.append(_Alias(sec, name, " " not in name and is_common_word(name)))
        symbol = sec.ticker
        if sec.source == "curated" and sec.market == US_MARKET and sec.kind == "equity" \
                and len(symbol) == 1:
            self._one_letter[symbol] = sec
        if curated and sec.kind == "crypto" and sec.market == "X" and symbol.isalpha() \
                and len(symbol) >= 3:
            self._coins.setdefault(symbol, sec)
        if (curated and sec.kind == "index" and sec.market == US_MARKET and symbol.isalpha()
                and 3 <= len(symbol) <= 5 and symbol not in STOP_TICKERS
                and symbol not in STOP_WORDS_BARE and symbol not in TRADING_TERMS
                and symbol not in self._curated_name_words):
            # A US index's own symbol written bare (VIX, SPX, NDX; RUT and SOX are words, so
            # with context): on the development posts 76 of 77 were the index.
            needs_context = is_common_word(symbol)
            self._bare.setdefault(symbol, (sec, symbol, needs_context))
            if not needs_context:
                self._uncommon.add(symbol)
            return
        if (sec.market == US_MARKET and sec.kind in ("equity", "etf") and symbol.isalpha()
                and (3 <= len(symbol) <= 5 or symbol in POPULAR_BARE)
                and symbol not in STOP_TICKERS and symbol not in STOP_WORDS_BARE):
            # A listed symbol that is no English word (WKHS, CLNE) is a ticker on sight in
            # upper case, as a curated one is; a word (TELL, BODY) needs trading context.
            needs_context = symbol not in POPULAR_BARE and is_word_symbol(symbol)
            if symbol not in self._bare:
                self._bare[symbol] = (sec, symbol, needs_context)
                # A trading term (EMA, RSI) keeps the level bare.py gives it.
                if not needs_context and symbol not in POPULAR_BARE and symbol not in TRADING_TERMS:
                    self._uncommon.add(symbol)
        elif (sec.market == US_MARKET and sec.kind in ("equity", "etf") and symbol.isalpha()
              and 2 <= len(symbol) <= 5 and symbol not in TRADING_TERMS):
            self._list_only.setdefault(symbol, sec)

    def _add_camel_names(self, everything: Sequence[Security]) -> None:
        """A US share's listed name whose first word has a capital inside (DraftKings Inc.,
        GameStop Corporation): that word, in the case written, when one security has it."""
        holders: dict[str, list[Security]] = {}
        for sec in everything:
            if sec.market == US_MARKET and sec.kind == "equity" and sec.name:
                first = sec.name.split()[0].rstrip(",.")
                # Shorter than six letters only when it spells the symbol itself (SoFi is
                # SOFI, WiMi WIMI): DeFi, a word of the trade, spells no symbol.
                if CAMEL.fullmatch(first) or (_SHORT_CAMEL.fullmatch(first)
                                               and first.upper() == sec.ticker):
                    holders.setdefault(first, []).append(sec)
        for name, secs in holders.items():
            key = ascii_lower(name)
            if len(secs) == 1 and key not in self._en:
                self._en[key] = [_Alias(secs[0], name, False)]

    def _add_rare_names(self, everything: Sequence[Security]) -> None:
        """A US share's listed name whose first word is no common English word (Palantir
        Technologies, Zynga, VIZIO Holding, Mallinckrodt), held by that one security: that
        word in title or upper case ("Workhorse", "ZYNGA").
        Common words (Clover Health, Purple Innovation, Ford) are left to the curated list."""
        holders: dict[str, list[Security]] = {}
        for sec in everything:
            if sec.name and _PARTNERSHIP.search(sec.name):
                continue
            # Without a leading "The" (The Kroger Co., The Middleby Corporation): posts
            # write Kroger.
            words = name_words(sec.name) if sec.name else []
            first = words[0].rstrip(",.") if words else ""
            if first.isascii() and first.isalpha() and len(first) >= RARE_NAME_MIN:
                holders.setdefault(first.lower(), []).append(sec)
            elif (len(words) == 2 and _POSSESSIVE.fullmatch(first)
                  and words[1].rstrip(".").lower() in COMPANY_SUFFIXES):
                # A possessive that is the whole name before its suffix (Kohl's
                # Corporation, Moody's Corporation, The Wendy's Company): no English word
                # is spelt so in title case mid-sentence but the company's; not one that
                # goes on (The Children's Place).
                holders.setdefault(first.lower(), []).append(sec)
        # The words other listed names hold after their first (Bancorp in 96 of them): a
        # term of names, not one company's name, when a name gave it only after its "The"
        # (The Bancorp, Inc.).
        later = {w.rstrip(",.").lower() for sec in everything if sec.name
                 for w in name_words(sec.name)[1:]}
        for key, secs in holders.items():
            if key in later and secs[0].name.startswith("The "):
                continue
            # Held by one US share and nothing else: "Solana" is the coin before it is
            # Solana Company (HSDT), "Tencent" a Hong Kong listing. Whether the word is
            # common is asked last, of these few keys (it was asked of every listed name).
            if (len(secs) == 1 and secs[0].market == US_MARKET and secs[0].kind == "equity"
                    and key not in self._en and key not in NOT_RARE_NAMES
                    and (_POSSESSIVE.fullmatch(key) or not is_common_word(key))):
                # In title or upper case only: a rare word in lower case is still a word
                # ("the recursion engine" is no Recursion Pharmaceuticals).
                # A possessive of a common word (Moody's, Wendy's; Carter's, Leslie's) needs
                # a trade beside it (_context_ok).
                name = key.capitalize()
                self._en[key] = [_Alias(secs[0], name, _possessive_of_word(name))]
                if _possessive_of_word(name):
                    self._beside_only.add(key)

    def _add_two_word_names(self, everything: Sequence[Security]) -> None:
        """A US share's listed name of two capitalised words before its company suffix
        (Duke Energy Corporation, General Mills Inc., Five Below Inc.) whose first word the
        rare-name rule cannot take (`words.two_word_name`): the two words, in title or
        upper case, when one security has them and no listed name holds them inside it (a
        place: New York). As ambiguous as a curated word name ("the Best Buy" in a
        headline): with context only."""
        holders: dict[str, list[tuple[Security, str]]] = {}
        for sec in everything:
            if sec.market == US_MARKET and sec.kind == "equity" and sec.name:
                name = (_partnership_pair(sec.name) if _PARTNERSHIP.search(sec.name)
                        else two_word_name(sec.name))
                if name is not None:
                    holders.setdefault(ascii_lower(name), []).append((sec, name))
        inside = inner_pairs(sec.name for sec in everything if sec.name and sec.name.isascii())
        for key, secs in holders.items():
            if len(secs) == 1 and key not in self._en and key not in inside:
                self._en[key] = [_Alias(secs[0][0], secs[0][1], True)]
                if secs[0][0].name.startswith("The ") and not key.startswith("the "):
                    self._beside_only.add(key)

    def _words(self) -> Segmenter:
        # A private dictionary with the aliases added, so that an alias comes out as one
        # word; built on the first text with Chinese in it.
        with self._lock:
            if self._segmenter is None:
                # Imported here: jieba and rjieba cost 0.3 s of start-up, which a run over
                # English posts alone need not pay.
                from tracker.extract.text.segment import Segmenter

                self._segmenter = Segmenter(
                    (*self._zh, *(p for p in NOT_COMPANY_PHRASES if CJK.search(p))))
        return self._segmenter

    def tokenize(self, text: str) -> list[Token]:
        """jieba's words of `text`, the aliases among them (the segmentation names use)."""
        return self._words().tokenize(text)

    def find(self, text: str, skip: Sequence[tuple[int, int]] = (),
             cashtags: bool | None = None, day: date | None = None,
             written_by: date | None = None) -> list[NameHit]:
        """Companies named in `text`, sorted by start; none overlaps a span in `skip`.

        `cashtags` says whether the text has $cashtags (context for ambiguous names);
        None takes any `skip` span for one. `day`, the post's, lets a bare symbol mean a
        company delisted since (bare.gone_holder). `written_by`, a day the post was written
        on or before (its file's last change, where the record states no day), drops as
        `day` does a company that listed after it.
        """
        if not text:
            return []
        # Phones and editors type the apostrophe as ’ (McDonald’s, Moody’s); the names and
        # the rules hold '. One character for one, so every offset still fits the post.
        text = text.replace("’", "'")
        folded = ascii_lower(text)
        coin_post = _COIN_TAG.search(text) is not None
        chinese = CJK.search(text) is not None
        overlaps = _overlap_test(skip)
        # A candidate over a skipped span (a cashtag's letters, a link) is dropped below
        # whatever it is, so the finders that judge each match alone pass such matches
        # over before judging them: in StockTwits posts most of the names and symbols
        # matched lie inside the cashtags. _find_bare only where no Chinese is near any
        # match: there one match's product reading drops the post's others (`products`).
        candidates = (self._find_en(text, folded, overlaps)
                      + self._find_bare(text, folded, day, coin_post,
                                        None if chinese else overlaps))
        for word, sec in self._exchange_index.items():
            if word in folded:
                candidates += self._find_exchange_index(text, folded, word, sec)
        if coin_post or chinese:
            candidates += self._find_coins(text, overlaps)
        if may_hold_nickname(folded):
            candidates += self._find_nicknames(text)
        candidates += self._find_run_in(text, day)
        # The names of companies gone from their symbol since, held on the day by
        # construction: no "named before it listed" below (Statoil, EQNR's since 2018-05-16).
        gone: set[tuple[int, int, str]] = set()
        if day is not None:
            for start, end, own, name in self._gone_names().find(text, folded, day):
                gone.add((start, end, own))
                candidates.append(NameHit(start, end, own, US_MARKET, name, text[start:end],
                                          "name", 1.0))
        if chinese:
            candidates += self._find_zh(text)
            for word, sec in self._board_index.items():
                if word in text:
                    candidates += _board_hits(text, word, sec)
        # Most texts cite no source: the citation test runs only where one may be.
        cites = may_cite(text)
        candidates = [c for c in candidates
                      if not overlaps(c.start, c.end) and not self._blocked(text, c)
                      and not names_a_product(text, c) and not self._names_a_fund(text, c)
                      and not (cites and cited_as_source(text, c))]
        # Longest first, then the surer kind: "Taiwan Semiconductor" beats "Taiwan".
        candidates.sort(key=lambda h: (-(h.end - h.start), -h.confidence, h.kind != "name"))
        chosen = [h for h in _disjoint(candidates)
                  if h.kind != "name" or not inside_other_name(
                      text, h.start, h.end, (h.ticker, h.market or ""), self._name_starts)]
        has_context = (bool(skip) if cashtags is None else cashtags) or any(
            h.confidence > 0 for h in chosen)
        # A platform's name is judged whole, once the longest hit is chosen ("with Charles
        # Schwab" drops the pair, and Schwab inside it with it), and for the whole post; as
        # a source it is still a finance post's context ("Tyson Foods Q1 adj. EPS $1.66;
        # FactSet consensus $1.63" is Tyson Foods).
        chosen = _drop_platforms(text, chosen)
        # An analyst's employer, judged once the longest hit is chosen ("an analyst at Morgan
        # Stanley" drops the pair, and Stanley inside it with it); another hit of the firm
        # in the post still keeps its pair.
        chosen = [h for h in chosen
                  if h.kind != "name" or chinese or not employs_the_analyst(text, h)]
        kept = [h for h in chosen if h.confidence > 0 or self._context_ok(text, h, has_context)]
        latest = day if day is not None else written_by
        if latest is not None and any(h.kind == "name" and (h.start, h.end, h.ticker) not in gone
                                      and listed_after(h.ticker, h.market, latest)
                                      for h in kept):
            # A company named before it listed was private then (Robinhood in 2018), unless
            # the post speaks of its listing in the half year before it ("Spotify IPO?" in
            # March 2018 is SPOT; docs/mentions.md, ninth round).
            grace = LISTING_TALK_DAYS if talks_of_listing(text) else 0
            dated: list[NameHit | None] = [
                h if h.kind != "name" or (h.start, h.end, h.ticker) in gone
                or not listed_after(h.ticker, h.market, latest, grace)
                else self._trading_then(h, latest) if chinese else None for h in kept]
            kept = [h for h in dated if h is not None]
        if not chinese:
            # A post without Chinese names a company listed at home and in New York the way
            # its readers trade it: "Nokia" is NOK, "Toyota" TM (docs/labelling.md: "US posts
            # the US listing"); 诺基亚 in a Chinese post stays Helsinki's.
            kept = [self._in_new_york(h) for h in kept]
        else:
            kept = [self._in_chinese_post(text, h, latest) for h in kept]
        return sorted((_settle(h) for h in kept), key=lambda h: (h.start, h.end))

    def _trading_then(self, hit: NameHit, day: date) -> NameHit | None:
        """`hit`, named in a Chinese post before its home listing began, keyed on the
        company's listing that traded on `day` (中国电信 in 2021: its A-share listed in
        August, 0728.HK traded); None when none did (the company was private then)."""
        sec = self._listed_apart.get((hit.ticker, hit.market))
        found = chinese_posts_listing(sec, day) if sec is not None else None
        return None if found is None else replace(hit, ticker=found[0], market=found[1])

    def _in_chinese_post(self, text: str, hit: NameHit, latest: date | None) -> NameHit:
        if hit.kind != "name":
            return hit
        sec = self._listed_apart.get((hit.ticker, hit.market))
        # A listing's marker after the name wins (腾讯ADR, 农业银行H): on real_train 10 right
        # pairs gained by it, 2 wrong ones removed, none lost.
        marked = marked_listing(text, hit.end, sec) if sec is not None else None
        found = marked or self._zh_listing.get((hit.ticker, hit.market))
        if (marked is None and found is not None and sec is not None and latest is not None
                and listed_after(*found, latest)):
            # Not listed yet on the post's day (NIO's 9866.HK of 2022 in a 2021 post): the
            # listing the post could mean then (docs/mentions.md, thirteenth round).
            found = chinese_posts_listing(sec, latest)
        return hit if found is None else replace(hit, ticker=found[0], market=found[1])

    def _in_new_york(self, hit: NameHit) -> NameHit:
        us = self._us_listing.get((hit.ticker, hit.market)) if hit.kind == "name" else None
        return hit if us is None else replace(hit, ticker=us, market=US_MARKET)

    def _find_en(self, text: str, folded: str,
                 skipped: Callable[[int, int], bool] | None = None) -> list[NameHit]:
        # `skipped(start, end)`: a match there is passed over (`find` would drop its hit).
        if not self._en:
            return []
        hits = []
        for last, (key, entries) in self._automaton.iter(folded):
            start, end = last - len(key) + 1, last + 1
            if skipped is not None and skipped(start, end):
                continue
            if start > 0 and _is_word_char(text[start - 1]):
                continue
            if end < len(text) and _is_word_char(text[end]):
                continue
            if _SUBREDDIT.search(text, max(0, start - 3), start):
                continue  # r/BTC, r/apple: a forum, as a bare symbol there is none
            written = text[start:end]
            for entry in entries:
                curated = entry.sec.source == "curated"
                if case_ok(written, entry.alias, curated) or (
                        not curated and entry.alias.isalpha()
                        and spelt_as_brand(text, start, end)):
                    # A listed name's word in the company's own spelling (TransDigm for
                    # Transdigm Group Incorporated), which the listing's case does not give.
                    hits.append(_hit(entry, start, end, written))
                    break
                if (word_name_in_lower_case(written, entry.alias, curated)
                        and (traded_beside(text, start, end)
                             or listed_beside(text, start, end, self._names_a_company)
                             or entry.sec.market == US_MARKET
                             and traded_in_clause(text, start, end))):
                    # "tesla shares", "nvidia puts", "bought walmart": on real_train 12 of 12
                    # such names were the company; without the trading word beside it
                    # (another mention and a trade word near it) 8 of 10 were. Listed beside
                    # another company ("amazon or google", "google and exxon"), all 9 such
                    # names on real_train were. A trade elsewhere in its clause ("I am long
                    # costco and amazon"; docs/mentions.md, sixteenth round) only for a US
                    # share: a lower-case Nintendo is NTDOY or 7974.T as the labeller reads
                    # it, and a coin's name in lower case ("trade optimism") is a word.
                    hits.append(replace(_hit(entry, start, end, written),
                                        confidence=CONF_AMBIGUOUS))
                    break
        return hits

    def _find_exchange_index(self, text: str, folded: str, word: str,
                             sec: Security) -> list[NameHit]:
        """An exchange's name alone meaning its index: "Nasdaq up", "S&P / Nasdaq"."""
        hits = []
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            # A slash pairs it with another index ("the Dow/S&P/Nasdaq were all down"),
            # unless it opens a forum's name (r/nasdaq).
            if (not _is_word_char(before) and before not in "$#@.-"
                    and not _is_word_char(after) and after not in ":-."
                    and not _SUBREDDIT.search(text, max(0, start - 3), start)
                    and names_the_index(text, start, end)):
                hits.append(NameHit(start, end, sec.ticker, sec.market or None, sec.name,
                                    text[start:end], "name", CONF_AMBIGUOUS))
            start = folded.find(word, end)
        return hits

    def _find_bare(self, text: str, folded: str, day: date | None = None,
                   coin_post: bool = False,
                   skipped: Callable[[int, int], bool] | None = None) -> list[NameHit]:
        # `skipped(start, end)`: a match there is passed over (`find` would drop its hit);
        # only for text with no Chinese near a match, where no match reads as a product.
        hits = []
        spelled: dict[str, str] | None = None
        products: set[str] = set()
        for m in BARE.finditer(text):
            if skipped is not None and skipped(m.start(), m.end()):
                continue
            found = self._bare.get(m.group())
            if found is None and day is not None:
                found = self._gone(m.group(), day)
            if found is None:
                item = self._list_item(text, m.start(), m.end(), day)
                if item is not None:
                    hits.append(item)
                continue
            sec, today, needs_context = found
            if needs_context and day is not None and nobody_held(today, US_MARKET, day):
                # A word symbol is a ticker only for its listing: where nobody held it on
                # the post's day it is the word or another market's listing (`PIPE shares`,
                # `TOS` the platform, `WEED 27%`, Canopy Growth's Toronto symbol, in 2018),
                # as a company named before it listed is no mention (docs/mentions.md,
                # thirteenth round, second step: 5 of 5 such hits wrong on real_train).
                continue
            if m.group() in ZONES_DESPITE_STOP and zone_used_as_time(text, m.start(), m.end()):
                continue
            if is_numeral(m.group()) and numeral_after_name(text, m.start()):
                continue  # "Louis XIV", "Super Bowl XIV"
            # In an all-caps passage every word looks like a ticker: only a symbol that
            # counts on sight is read there, if it is no English word (WKHS, CLOV, AAPL), a
            # Reddit favourite ("WISH GANG BUY THE DIPPP", "SHORT SNAP DD INSIDE": on
            # real_train 30 of 31 such were the ticker) or has a trading word near it ("MU
            # PASSED 44"); one used as the word after a subject is still the word below. A
            # list of symbols reads as all caps too: there a symbol listed beside one that
            # counts alone is read ("AMC; AMBC; DHT; FLS; RAIL", "WEN, WOOF, CRSR").
            word_here = (needs_context or is_word_symbol(m.group())
                         and m.group() not in POPULAR_BARE
                         and not trading_word_near(text, m.start(), m.end()))
            loud = shouting(text, m.start(), m.end())
            if loud and (
                    m.group() in TRADING_TERMS
                    or word_here and not symbol_beside(text, m.start(), m.end(), self._on_sight)):
                continue
            if m.group() in ABBREVIATION_SYMBOLS and not loud:
                # In prose the abbreviation ("my FLT to Denver", "GDI came in weaker than
                # GDP"): context, as a word symbol; in a list or table in capitals, on sight.
                needs_context = True
            if is_common_word(m.group()) and used_as_word(text, m.start(), m.end()):
                continue
            # In Chinese text a Latin word before a model or version number is a product
            # ("RTX 3080 显卡", "RTX 30 系", "TLT 3.0"): on the 雪球 development posts 339
            # such hits, none a ticker; a price after a symbol takes a unit ("NVDA 700美元").
            # So is one before a graphics card or ray tracing (RTX显卡, RTX光追), or a
            # card's letter-led model (RTX A6000显卡), or after GeForce (GeForce RTX): 4
            # more hits on real_train, none a ticker. `NVDA GPU` is the maker's (labelled
            # NVDA), so GPU after a symbol is no product line.
            if (_MODEL_AFTER.match(text, m.end())
                    or _LINE_BEFORE.search(text, max(0, m.start() - 8), m.start())) \
                    and CJK.search(text, max(0, m.start() - _CJK_NEAR), m.end() + _CJK_NEAR):
                products.add(m.group())
                continue
            if (m.group() in self._uncommon or m.group() in self._two_letter
                    or sec.delisted and not needs_context):
                # In Chinese text a Latin acronym is mostly a loan word (「PPT 承诺」): the
                # symbols on sight for being no English word are read in English text only.
                if CJK.search(text, max(0, m.start() - _CJK_NEAR), m.end() + _CJK_NEAR):
                    needs_context = True
            # "The Royal Bank of Canada ... RBC": another name's initials, unless the name is
            # the security's own (Dream Finders Homes, DFH; The Home Depot, HD; an alias,
            # General Electric for GE). So too for a delisted holder whose symbol is a word
            # and so takes context ("Texas Instruments ... TI stock" is no Telecom Italia's
            # TI of 2018); a listed word symbol's initials are left to its context (read on
            # every bare word symbol, the check lost 4 right pairs on real_train's en_reddit:
            # docs/mentions.md, twentieth round).
            if (m.group() in self._uncommon or m.group() in self._two_letter
                    or sec.delisted):
                spelled = initialisms(text) if spelled is None else spelled
                phrase = spelled.get(m.group())
                if phrase is not None and not _own_phrase(phrase, sec):
                    continue
            # A trading term listed beside a symbol is still the term ("worked for MU, AMA").
            if not named_before(text, m.start(), m.end(), sec.name) and not context_ok(
                    text, m.start(), m.end(), m.group(), needs_context,
                    self._names_a_company, self._name_on_sight) and not (
                    needs_context and m.group() not in TRADING_TERMS
                    and symbol_beside(text, m.start(), m.end(), self._on_sight)):
                continue
            coin = self._listed_coins.get(m.group()) if coin_post else None
            if coin is not None:
                # A post that writes a coin's cashtag means the coin ("$ETH.X check out AVT
                # crypto", "Uniglo (GLO)"): on real_train 7 such US symbols in crypto posts,
                # 5 labelled the coin, none the US share.
                hits.append(NameHit(m.start(), m.end(), coin.ticker, coin.market, coin.name,
                                    m.group(), "bare_ticker", CONF_BARE_TICKER))
                continue
            hits.append(NameHit(m.start(), m.end(), today, US_MARKET, sec.name,
                                m.group(), "bare_ticker", CONF_BARE_TICKER))
        if products:
            # One post, one sense: a symbol the post writes as a product line once ("RTX
            # 3080", "RTX显卡") is that product where it stands alone too ("RTX出了这么久"):
            # on real_train 10 such hits, none a ticker.
            hits = [h for h in hits if h.alias not in products]
        # wkhs, Spce: a listed symbol that is no English word, in lower case with a trading
        # word near it or another symbol beside it ("spce could go to the moon"); in title
        # case on sight ("Wkhs get to 18", "Gsat running": on the development posts 35 of
        # 38 without context were the ticker, against 41 of 68 in lower case, where chat
        # abbreviations such as bby and tbf are symbols too). In lower case on sight too
        # when no English text spells it at all (wkhs, uwmc, psfe: words.is_unwritten_symbol;
        # bby and tbf are spelled): issue 28's fourteenth round, +24 right pairs and none
        # wrong on the development posts, both halves gaining. Not glued to a slash: a
        # segment of a path or of a link without its scheme (example.com/wkhs, ~/wkhs) is any
        # name there; a pair of symbols (amc/wkhs) still counts by symbol_beside. Not in a
        # post that writes a coin's cashtag: there a listed symbol is written as a cashtag
        # or in capitals, and one in lower or title case is crypto talk or another
        # language's word ("a good buying opp", "the ens domain", "Esta bombando").
        for m in BARE_LOWER.finditer(text) if not coin_post else ():
            symbol = m.group().upper()
            if (symbol not in self._uncommon and symbol not in self._curated_lower
                    or _DRAWN_OUT.search(m.group())
                    or CJK.search(text, max(0, m.start() - _CJK_NEAR), m.end() + _CJK_NEAR)
                    or not (m.group()[0].isupper()
                            or is_unwritten_symbol(symbol)
                            and not glued_to_slash(text, m.start(), m.end())
                            or trading_word_near(text, m.start(), m.end())
                            or symbol_beside(text, m.start(), m.end(), self._lower_listed))):
                continue
            sec, today, _ = self._bare[symbol]
            hits.append(NameHit(m.start(), m.end(), today, US_MARKET, sec.name,
                                m.group(), "bare_ticker", CONF_BARE_TICKER))
        # CLoV, WkHS, AAPl: a symbol that counts on sight in capitals, typed with one letter
        # in lower case; no English word or jargon is written so (bare.BARE_SLIPPED). Only
        # a symbol held on the post's day: "UBEr" in 2018 is the word, as "UBER" is then.
        for m in slipped_symbols(text):
            symbol = m.group().upper()
            if (not self._on_sight(symbol)
                    or CJK.search(text, max(0, m.start() - _CJK_NEAR), m.end() + _CJK_NEAR)):
                continue
            sec, today, _ = self._bare[symbol]
            if day is not None and nobody_held(today, US_MARKET, day):
                continue
            hits.append(NameHit(m.start(), m.end(), today, US_MARKET, sec.name,
                                m.group(), "bare_ticker", CONF_BARE_TICKER))
        if self._one_letter_pattern is not None:
            for m in self._one_letter_pattern.finditer(text):
                if (one_letter_ok(text, m.start(), m.end(), self._on_sight)
                        and not CJK.search(text, max(0, m.start() - _CJK_NEAR),
                                           m.end() + _CJK_NEAR)):
                    sec = self._one_letter[m.group()]
                    hits.append(NameHit(m.start(), m.end(), sec.ticker, US_MARKET, sec.name,
                                        m.group(), "bare_ticker", CONF_BARE_TICKER))
        if self._popular_automaton is None:
            return hits
        # spy, Gme: only the symbols Reddit writes in any case (bare.lower_case_ok).
        for last, key in self._popular_automaton.iter(folded):
            start, end = last - len(key) + 1, last + 1
            word = text[start:end]
            if (word.isupper() or word[1:] != word[1:].lower()
                    or not edges_ok(text, start, end)
                    or not lower_case_ok(text, start, end, self._popular[key], self._on_sight)):
                continue
            sec, today, _ = self._bare[self._popular[key]]
            hits.append(NameHit(start, end, today, US_MARKET, sec.name,
                                word, "bare_ticker", CONF_BARE_TICKER))
        return hits

    def _list_item(self, text: str, start: int, end: int, day: date | None) -> NameHit | None:
        """A listed symbol no level above holds (FAN, MIND, CRM stoplisted; NE, DY of two
        letters), as an item of a list of tickers ("AMC; DHT; FRO; MIND; NE", a table's
        `| FAN |`): the list is its only context. Not near Chinese, not another name's
        initials, and not where nobody held it on the post's day."""
        sec = self._list_only.get(text[start:end])
        # A coin's symbol (BTC, ETH) in a list is the coin ("Stocks & Bitcoin: KO, CRSP, BTC"),
        # which _find_coins reads where a post is about coins.
        # The cheap tests first: in a Chinese post the list test (the dearest) rarely runs.
        if (sec is None or sec.ticker in self._coins
                or CJK.search(text, max(0, start - _CJK_NEAR), end + _CJK_NEAR)
                or day is not None and nobody_held(sec.ticker, US_MARKET, day)
                or not in_ticker_list(text, start, end, self._on_sight)):
            return None
        phrase = initialisms(text).get(sec.ticker)
        if phrase is not None and not _own_phrase(phrase, sec):
            return None
        return NameHit(start, end, sec.ticker, US_MARKET, sec.name, sec.ticker,
                       "bare_ticker", CONF_BARE_TICKER)

    def coin_cashtags(self, text: str, hits: list[CashtagHit]) -> list[CashtagHit]:
        """`hits` with each $symbol of a coin written without a market ($LTC, $XRP, $SHIB)
        made the coin, in a post that writes a coin's cashtag ($BTC.X $LTC): StockTwits
        writes coins with .X and a crypto post drops it, as it does for a bare BTC
        (`_find_coins`); LTC is also LTC Properties and XRP a Bitwise ETF."""
        if not _COIN_TAG.search(text):
            return hits
        out = []
        for h in hits:
            sec = self._coins.get(h.ticker) if h.kind == "cashtag" and h.market is None else None
            out.append(h if sec is None else replace(h, ticker=sec.ticker, market=sec.market,
                                                     instrument=sec.kind))
        return out

    def _find_coins(self, text: str,
                    skipped: Callable[[int, int], bool] | None = None) -> list[NameHit]:
        """A coin's symbol of three letters or more in upper case (BTC, ETH, SHIB), in a post
        that writes a coin's cashtag ($ETH.X) or in Chinese text (英伟达购买ETH): the coin.
        On the development posts 341 of 348 such hits were the coin (`BRING BACK TRUMP`,
        `SELL THE HYPE`, `a TON of fireworks` were not); without either, 2 of 22."""
        hits = []
        for m in BARE.finditer(text):
            if skipped is not None and skipped(m.start(), m.end()):
                continue  # `find` would drop its hit
            sec = self._coins.get(m.group())
            # One that is an English word is the word in an all-caps passage or after an
            # article or a subject (`SELL THE HYPE`, `buy a TON of fireworks`), unless it
            # is listed beside another coin (`$ADA.X, SOL, DOGE, DOT`: a list of cashtags
            # reads as all caps).
            if sec is not None and not (is_common_word(m.group()) and (
                    shouting(text, m.start(), m.end())
                    and not symbol_beside(text, m.start(), m.end(), self._is_coin)
                    or used_as_word(text, m.start(), m.end()))):
                hits.append(NameHit(m.start(), m.end(), sec.ticker, sec.market, sec.name,
                                    m.group(), "bare_ticker", CONF_BARE_TICKER))
        return hits

    def _lower_listed(self, word: str) -> bool:
        """Whether `word`, beside a lower-case symbol, is a symbol: one `_on_sight`, or
        another no-word symbol in lower or title case ("ttcf and clf", "tsla, cciv, wkhs")."""
        upper = word.upper()
        return self._on_sight(word) or (
            not word.isupper() and (upper in self._uncommon or upper in self._curated_lower))

    def _names_a_company(self, word: str) -> bool:
        """Whether `word`, listed beside a name, names a company by itself: a cashtag, a
        symbol that counts on sight, or an English name in a case it is written in (a
        curated word name in lower case too: "amazon or google")."""
        if word.startswith("$") or self._on_sight(word):
            return True
        for entry in self._en.get(ascii_lower(word), ()):
            curated = entry.sec.source == "curated"
            if case_ok(word, entry.alias, curated) or word_name_in_lower_case(
                    word, entry.alias, curated):
                return True
        return False

    def _is_coin(self, word: str) -> bool:
        """Whether `word`, listed beside a symbol, is a cashtag or a curated coin's symbol."""
        return word.startswith("$") or word in self._coins

    def _find_nicknames(self, text: str) -> list[NameHit]:
        """Holders' nicknames (Palantards, CLOVtards, bbtards): a curated company's symbol
        that counts on sight, or the head of its one-word name that is no common word, run
        into -tard(s) or -toid(s)."""
        with self._lock:
            if self._heads is None:
                self._heads = name_heads(
                    (e.alias, e.sec) for entries in self._en.values() for e in entries
                    if e.sec.source == "curated" and e.alias.isalpha()
                    and not is_common_word(e.alias))
        hits = []
        for m in NICKNAME.finditer(text):
            stem = m.group(1)
            found = self._bare.get(stem.upper())
            market: str | None
            if found is not None and found[0].source == "curated" and self._on_sight(stem.upper()):
                ticker, market, name = found[1], US_MARKET, found[0].name
            elif (sec := self._heads.get(stem.lower())) is not None:
                ticker, market, name = sec.ticker, sec.market or None, sec.name
            else:
                continue
            hits.append(NameHit(m.start(), m.end(), ticker, market, name, m.group(), "name", 1.0))
        return hits

    def _find_run_in(self, text: str, day: date | None = None) -> list[NameHit]:
        """A symbol in capitals run into a holders' ending (nicknames.RUN_INTO: AMCers,
        WISHers, $CLNErs) or shouted with its last letter held (nicknames.held_letters:
        SPCEEEEEEE): a symbol of three to five letters that counts on sight in upper case,
        no trading term, keyed on its holder on the post's `day` (_run_in_holder)."""
        hits = []
        for m in (*RUN_INTO.finditer(text), *held_letters(text)):
            symbol = m.group(1) if m.re is RUN_INTO else held_symbol(m.group())
            if (symbol is None or len(symbol) < 3 or symbol in TRADING_TERMS
                    or glued_before(text, m.start())):
                continue
            held = self._run_in_holder(symbol, day)
            if held is None:
                continue
            start = m.start() - 1 if m.start() and text[m.start() - 1] == "$" else m.start()
            hits.append(NameHit(start, m.end(), held[0], US_MARKET, held[1],
                                text[start:m.end()], "name", 1.0))
        return hits

    def _run_in_holder(self, symbol: str, day: date | None) -> tuple[str, str] | None:
        """The key and name of the company whose holders a run-in symbol names: today's
        holder of a symbol that counts on sight, or, where it had not listed by the post's
        `day`, the company gone since that held the symbol then, if it is no English word
        (AMTDers in 2015 are TD Ameritrade's, TWTRers in 2019 Twitter's), as a bare symbol
        is keyed on its holder of the day (_gone, history.resolve_on). The hit is a name,
        which `find` drops when today's holder listed after the day and `_keyed` does not
        date: without this, the run-in on such a post was no mention at all."""
        found = self._bare[symbol] if self._on_sight(symbol) else None
        if day is not None and (found is None or listed_after(found[1], US_MARKET, day)):
            gone = self._gone(symbol, day)
            if gone is not None and not gone[2]:
                return gone[0].ticker, gone[0].name
        return None if found is None else (found[1], found[0].name)

    def _gone_names(self) -> GoneNames:
        with self._lock:
            if self._gone_built is None:
                self._gone_built = packaged_gone_names(set(self._en))
        return self._gone_built

    def _gone(self, symbol: str, day: date) -> tuple[Security, str, bool] | None:
        """A symbol of a US share or ETF delisted since, held on `day`: as a listed symbol
        of today's, on sight when it is no English word (TWTR, ZNGA), else with context
        (and an abbreviation in prose: ABBREVIATION_SYMBOLS, _find_bare)."""
        if symbol in STOP_TICKERS or symbol in STOP_WORDS_BARE or symbol in TRADING_TERMS:
            return None
        holding = gone_holder(symbol, day)
        if holding is None or holding.kind not in ("equity", "etf"):
            return None
        return security_of(holding, US_MARKET), symbol, is_word_symbol(symbol)

    def _name_on_sight(self, word: str) -> str | None:
        """The name of the company whose symbol `word` is, when it counts on sight (NVDA:
        NVIDIA Corporation); None for any other word."""
        found = self._bare.get(word) if self._on_sight(word) else None
        return found[0].name if found is not None else None

    def _on_sight(self, word: str) -> bool:
        """Whether a word counts as a bare ticker with no context at all: an upper-case
        symbol that needs none, or a popular one Reddit writes in lower case (qqq)."""
        if not word.isupper():
            symbol = self._popular.get(ascii_lower(word))
            return symbol is not None and symbol not in POPULAR_WORDS
        found = self._bare.get(word)
        return found is not None and not found[2]

    def _find_zh(self, text: str) -> list[NameHit]:
        if self._zh_automaton is None:
            return []  # no Chinese alias at all
        # A hit is a run of tokens whose text is an alias, so it begins where an alias
        # occurs in the text: one pass of the automaton over the whole text says where,
        # and a text with none needs no segmenting. The automaton runs over the text's
        # UTF-32 bytes: with thousands of aliases a trie over characters has thousands of
        # branches at its root, which pyahocorasick searches one by one at every character
        # (measured 4-6 times slower than over bytes). A match must start on a character's
        # first byte.
        starts = sorted((last + 1) // 4 - n
                        for last, n in self._zh_automaton.iter(_utf32(text, "surrogatepass"))
                        if (last + 1) % 4 == 0)
        if not starts:
            return []
        segmenter = self._words()
        at_alias = set(starts)
        # Tokens run on without a gap, so a hit is a substring of the text: an alias across
        # blocks can be one only where the text holds it. Two of the 6,394 shipped aliases
        # are such (洛克希德·马丁, 菲利普·莫里斯); asking for them keeps 1,497 of 1,500 雪球
        # posts from being cut whole, where they were while any alias was across blocks.
        if any(alias in text for alias in self._zh_across):
            return self._zh_hits(text, segmenter.tokenize(text), at_alias)
        # jieba segments each block (a run of HAN_BLOCK characters) independently, and the
        # other aliases lie inside one block each: blocks without an alias cannot hold a
        # hit, so only the others are segmented. Same tokens, same hits.
        hits: list[NameHit] = []
        for block in han_blocks_holding(text, starts):
            at = block.start()
            tokens = [(w, at + s, at + e) for w, s, e in segmenter.tokenize(block.group())]
            hits += self._zh_hits(text, tokens, at_alias)
        return hits

    def _zh_hits(self, text: str, tokens: list[Token],
                 starts: set[int] | None = None) -> list[NameHit]:
        # `starts`: where the automaton found an alias beginning. Tokens run on without a
        # gap, so the tokens joined from token i are the text from its start: none is an
        # alias unless one begins there, and the joins are skipped (same hits).
        hits = []
        i = 0
        while i < len(tokens):
            if starts is not None and tokens[i][1] not in starts:
                i += 1
                continue
            matched = None
            joined = ""
            for j in range(i, min(i + _MAX_ZH_TOKENS, len(tokens))):
                word = tokens[j][0]
                # jieba joins a name's last character to the move after it into a word
                # (奈飞涨 -> 奈|飞涨 "soar", 博通涨 -> 博|通涨 "inflation"): the name ends
                # one character into that word, and the token after it is not taken.
                if (joined and len(word) == 2 and word[1] in _ZH_MOVES
                        and joined + word[0] in self._zh and matched is None):
                    matched = (j, joined + word[0])
                    break
                joined += word
                if joined in self._zh:
                    matched = (j, joined)
            if matched is None:
                i += 1
                continue
            j, alias = matched
            start = tokens[i][1]
            end = start + len(alias)
            hits.append(_hit(self._zh[alias], start, end, text[start:end]))
            i = j + 1 if end == tokens[j][2] else j
        return hits

    def _blocked(self, text: str, hit: NameHit) -> bool:
        for phrase in self._blockers.get(hit.alias, ()):
            lo = max(0, hit.end - len(phrase))
            found = text.find(phrase, lo, hit.start + len(phrase))
            while found != -1 and found <= hit.start:
                if found + len(phrase) >= hit.end:
                    return True
                found = text.find(phrase, found + 1, hit.start + len(phrase))
        return False

    def _names_a_fund(self, text: str, hit: NameHit) -> bool:
        entry = self._zh.get(hit.alias)
        if entry is None:
            # An English index name inside a fund's ("Vanguard S&P 500 ETF", "the S&P 500
            # fund"): the fund, which the post names by its own symbol or not at all.
            return ((_EN_FUND_AFTER.match(text, hit.end, hit.end + NEXT_WORD_REACH) is not None
                     or _EN_FUND_BEFORE.search(text, max(0, hit.start - 20), hit.start)
                     is not None)
                    and any(e.sec.kind == "index" and e.sec.ticker == hit.ticker
                            for e in self._en.get(ascii_lower(hit.alias), ())))
        if entry.sec.kind != "index":
            return False
        after = _FUND_AFTER.match(text, hit.end)
        return after is not None and (after[1] is None
                                      or exchange_fund_market(after[1]) is not None)

    def _context_ok(self, text: str, hit: NameHit, others: bool) -> bool:
        """Whether an ambiguous alias is used as a company name here (see module docstring)."""
        if CJK.search(hit.alias):
            if hit.alias in ZH_PLATFORM_NAMES:
                return text.startswith(ZH_COMPANY_AFTER, hit.end)
            near = text[max(0, hit.start - _ZH_NEG_WINDOW):hit.end + _ZH_NEG_WINDOW]
            if any(w in near for w in ZH_NOT_COMPANY):
                return False
            if (hit.alias in ZH_NOUN_ALIASES and hit.start > 0
                    and CJK.match(text, hit.start - 1)
                    and text[hit.start - 1] not in ZH_LIST_BEFORE):
                return False  # the noun after its modifier: 涨价浪潮, 估值的浪潮
            window = text[max(0, hit.start - _ZH_WINDOW):hit.end + _ZH_WINDOW]
            if others or any(w in window for w in ZH_CONTEXT):
                return True
            if hit.alias in ZH_LISTED_BRANDS:
                near = text[max(0, hit.start - _ZH_TRADE_WINDOW):hit.end + _ZH_TRADE_WINDOW]
                return any(w in near for w in ZH_TRADE)
            return False
        if ascii_lower(hit.alias) in self._beside_only:
            # "Wendy's stock", "Wendy's and Walmart", "Blackstone and Carlyle Group"; not
            # r/wallstreetbets' "my Wendy's shift" or "Former Kraft Heinz CEO", which any
            # finance post's context would let through.
            # Or its own symbol written in the post ("**Carlyle Group** - ... STOCK
            # SYMBOL: CG"): the name and the symbol confirm each other.
            return (traded_beside(text, hit.start, hit.end)
                    or listed_beside(text, hit.start, hit.end, self._names_a_company)
                    or _writes_symbol(text, hit.ticker))
        after = text[hit.end:hit.end + 20]
        if after[:1] == "-" and after[1:2].isalpha():
            return False
        nxt = EN_WORD.match(after.lstrip())
        if nxt and nxt.group().lower() in EN_NOT_COMPANY_AFTER:
            return False
        before = text[max(0, hit.start - 30):hit.start]
        prev = EN_WORD.findall(before)
        if prev and before.endswith(" ") and prev[-1].lower() in EN_NOT_COMPANY_BEFORE:
            return False
        if after.startswith(("'s", "’s")):
            return True
        window = text[max(0, hit.start - _EN_WINDOW):hit.end + _EN_WINDOW]
        words = {w.lower().strip(".&") for w in EN_WORD.findall(window)}
        return (others or not words.isdisjoint(EN_CONTEXT) or mid_prose(text, hit)
                or listed_beside(text, hit.start, hit.end, self._names_a_company))




def _blockers(aliases: list[str]) -> dict[str, list[str]]:
    """Per alias, the NOT_COMPANY_PHRASES that contain it and are longer (ignoring ASCII
    case)."""
    folded: dict[str, list[str]] = {}
    for alias in aliases:
        folded.setdefault(ascii_lower(alias), []).append(alias)
    out: dict[str, list[str]] = {alias: [] for alias in aliases}
    # Phrases are short: every substring of each is looked up, not every alias in each.
    for phrase in NOT_COMPANY_PHRASES:
        lower = ascii_lower(phrase)
        inside = {lower[i:j] for i in range(len(lower)) for j in range(i + 1, len(lower) + 1)}
        # Not the phrase itself: 腾讯音乐 blocks 腾讯 in it, and is Tencent Music's own name.
        for sub in (inside & folded.keys()) - {lower}:
            for alias in folded[sub]:
                out[alias].append(phrase)
    return out


def _overlap_test(spans: Sequence[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether [start, end) overlaps any of `spans`, in log time per call."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))  # furthest end among the first i

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(starts, end)  # the spans starting before `end`
        return i > 0 and reach[i - 1] > start

    return overlaps


def _disjoint(candidates: Sequence[NameHit]) -> list[NameHit]:
    """Each of `candidates` (non-empty spans) in turn that overlaps none chosen before it,
    in their order.

    The chosen spans are disjoint, so sorted by start they are sorted by end too: a new
    span can only overlap its two neighbours there, found by bisection. Testing every
    chosen span instead was quadratic, minutes on a post naming companies 30,000 times.
    """
    chosen: list[NameHit] = []
    starts: list[int] = []  # of the chosen spans, sorted
    ends: list[int] = []  # their ends, in the same order
    for hit in candidates:
        i = bisect_right(starts, hit.start)
        if i > 0 and ends[i - 1] > hit.start:
            continue  # the span starting at or before this one reaches into it
        if i < len(starts) and starts[i] < hit.end:
            continue  # the next span starts inside this one
        starts.insert(i, hit.start)
        ends.insert(i, hit.end)
        chosen.append(hit)
    return chosen


# A broker no exchange lists, named in a post: the post compares where to trade ("Vanguard
# or Schwab", "Fidelity, Schwab, TDAmeritrade, ETrade").
# Not the first word of a listed company's name: Fidelity National Financial (FNF), Fidelity
# National Information Services (FIS).
_PRIVATE_BROKER = re.compile(r"\b(?:Vanguard|Fidelity)\b(?![ \t]+National\b)", re.IGNORECASE)
# The word after a name, past a comma ("Morningstar, Inc."), and the words after that.
_NAME_GOES_ON = re.compile(r",?[ \t]+([A-Za-z]+(?:[ \t]+[A-Za-z]+)*)")


def _drop_platforms(text: str, hits: list[NameHit]) -> list[NameHit]:
    """`hits` without the names of research houses used as a figure's or a view's source
    (EN_RESEARCH_NAMES), nor a broker's (EN_BROKER_NAMES) in a post that writes it once as
    the place the writer trades (a venue's word before it, a fund word after it: "I do all
    my trading through Schwab"; a post about a broker names it again where no such word is)
    or that names a broker no exchange lists (Vanguard, Fidelity). A word only a traded
    company takes beside a hit keeps it ("Schwab stock"), unless a fund word follows it
    ("buy Schwab ETFs" buys the broker's funds)."""
    platforms = [h for h in hits if h.kind == "name"
                 and ascii_lower(h.alias) in EN_PLATFORM_NAMES]
    if not platforms:
        return hits
    funds = {id(h) for h in platforms
             if _EN_FUND_AFTER.match(text, h.end, h.end + NEXT_WORD_REACH) is not None}
    venues = {h.ticker for h in platforms
              if ascii_lower(h.alias) in EN_BROKER_NAMES
              and (id(h) in funds or _after_a_venue(text, h))}
    if _PRIVATE_BROKER.search(text):
        venues |= {h.ticker for h in platforms
                   if ascii_lower(h.alias) in EN_BROKER_NAMES}
    dropped = {id(h) for h in platforms
               if id(h) in funds
               or (h.ticker in venues or ascii_lower(h.alias) in EN_RESEARCH_NAMES)
               and not traded_beside(text, h.start, h.end) and not _written_in_full(text, h)}
    return [h for h in hits if id(h) not in dropped]


def _written_in_full(text: str, hit: NameHit) -> bool:
    """Whether a hit goes on with the rest of its listed name or a company suffix: the
    company by its own name ("FactSet Research Systems raises guidance", "Morningstar, Inc.
    to acquire PitchBook", "Charles Schwab Corp. to cut jobs"), never a source or a venue."""
    after = _NAME_GOES_ON.match(text, hit.end, hit.end + 60)
    if after is None:
        return False
    words = ascii_lower(after.group(1)).split()
    if words[0] in COMPANY_SUFFIXES:
        return True
    name = ascii_lower(hit.name)
    at = name.find(ascii_lower(hit.alias))
    rest = name[at + len(hit.alias):].replace(",", " ").replace(".", " ").split() if at >= 0 else []
    while rest and rest[-1] in COMPANY_SUFFIXES:
        rest.pop()
    return bool(rest) and words[:len(rest)] == rest


def _after_a_venue(text: str, hit: NameHit) -> bool:
    """A broker's name after a venue's word ("through Schwab", "with Charles Schwab"), with
    no word only a traded company takes beside it."""
    before = word_before(text, hit.start)
    return (before is not None and before.lower() in EN_VENUE_BEFORE
            and not traded_beside(text, hit.start, hit.end))


def _board_hits(text: str, word: str, sec: Security) -> list[NameHit]:
    """A board's name alone meaning its index: 创业板上涨2.62%, 创业板、科创50."""
    hits = []
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if board_names_its_index(text, start, end):
            hits.append(NameHit(start, end, sec.ticker, sec.market or None, sec.name, word,
                                "name", CONF_AMBIGUOUS))
        start = text.find(word, end)
    return hits


def _hit(entry: _Alias, start: int, end: int, written: str) -> NameHit:
    # Confidence 0 marks "ambiguous, context still to check"; _settle gives the final value.
    conf = 0.0 if entry.ambiguous else 1.0
    return NameHit(start, end, entry.sec.ticker, entry.sec.market or None, entry.sec.name,
                   written, "name", conf)


def _settle(hit: NameHit) -> NameHit:
    if hit.confidence > 0:
        return hit
    return NameHit(hit.start, hit.end, hit.ticker, hit.market, hit.name, hit.alias, hit.kind,
                   CONF_AMBIGUOUS)


# A process normally uses one list; a few more (tests, a reloaded config) must not pile up.
_CACHE_SIZE = 4
_cache: list[tuple[tuple[object, ...], NameMatcher]] = []
_cache_lock = threading.Lock()


def get_matcher(securities: SecurityList) -> NameMatcher:
    """The matcher for `securities`, built once per process for each distinct list.

    Lists are told apart by content (`SecurityList.signature`), not identity: each command
    and each `Analyzer` builds its own list from the config, and equal lists share the
    matcher instead of compiling the aliases of the whole universe again. A list changed by
    `add` afterwards gets a new matcher on its next call. Between processes the matcher's
    index is kept in the user's cache (tracker/extract/name_index.py).
    """
    key = securities.signature()
    with _cache_lock:
        for signature, matcher in _cache:
            if signature == key:
                return matcher
        entry = index_entry(securities)
        state = read_index(entry, securities) if entry is not None else None
        if state is not None:
            matcher = NameMatcher.from_state(state)
        else:
            matcher = NameMatcher(securities)
            if entry is not None:
                write_index(entry, securities, matcher.state())
        _cache.insert(0, (key, matcher))
        del _cache[_CACHE_SIZE:]
        return matcher
