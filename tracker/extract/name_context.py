"""Whether a name found in a text is a company the post is about, and which listing it means:
the case a name is written in, the prose around it, a product or a citation it sits in, and
the listing a Chinese post names a company by (an all-caps passage: text/case.py).

Pure functions over a text and a hit, kept apart from the matcher (names.py), which compiles
the aliases and finds the hits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.extract.bare import moves_after
from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.history import listed_after
from tracker.extract.markets import A_SHARE_EXCHANGES, A_SHARE_MARKETS, HK_MARKET
from tracker.extract.name_rules import (
    EN_CLAUSE_LINKS,
    EN_NOT_COMPANY_AFTER,
    EN_OWNER_BEFORE,
    EN_SERVICE_AFTER,
    EN_SHOP_BEFORE,
    EXCHANGE_PEERS,
    INDEX_MOVE_LINKS,
    INDEX_MOVES,
    INDEX_PEERS,
    NEXT_WORD_REACH,
    TICKER_WORDS,
    TRADE_VERBS,
    ZH_BOARD_NOT_INDEX_AFTER,
    ZH_INDEX_MOVES,
    ZH_INDEX_PEERS,
    ZH_PRODUCT_AFTER,
    ZH_SITE_NAMES,
)
from tracker.extract.securities import Security
from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.patterns import CJK
from tracker.extract.words import is_common_word

# A citation's head and the names listed before this one in it: "数据来源：同花顺、", "Source: ".
_SOURCE_WORD = lazy_pattern(r"来源|出处|转自|摘自|[Ss]ource")
_SOURCE_BEFORE = lazy_pattern(r"(?:来源|出处|转自|摘自|[Ss]ource)\s*[:：]?\s*"
                              r"(?:[^\s，。；;:：()（）]{0,20}[、,，/和及]\s*)*$")
# An English word as names are written (AT&T, Inc.).
EN_WORD = lazy_pattern(r"[A-Za-z][A-Za-z&.]*")
# A one-word company name with a capital inside, six letters or more: GameStop, DraftKings.
CAMEL = lazy_pattern(r"(?=[A-Za-z]{6})[A-Z][a-z]+(?:[A-Z][a-z]+)+")
# The word right after a name and the one right before it, a space or two apart.
_NEXT_WORD = lazy_pattern(r"[ \t]{1,2}([A-Za-z]+)")
_PREV_WORD = lazy_pattern(r"(?<![A-Za-z])([A-Za-z]+)[ \t]{1,2}$")
_WORDS_AFTER = lazy_pattern(r"[ \t]{1,2}([A-Za-z]+)(?:[ \t]{1,2}([A-Za-z]+))?")
_LEVEL_AFTER = lazy_pattern(r"\s+(?:(?:is|was)\s+)?(?:going\s+)?to\s+\d[\d,.]*k?\b")
# A listing's verb and its preposition right before an exchange's name: the company's venue
# ("LFIN was listed on the Nasdaq at a valuation of", "began trading on NASDAQ", "uplisted to
# the Nasdaq", "delisted from the Nasdaq"), not its index, whatever follows ("at" reads as a
# level after an index: names_the_index).
_VENUE_BEFORE = lazy_pattern(r"\b(?:(?:de|up)?list(?:ed|ing|s)?|trad(?:es|ed|ing)|debut(?:s|ed)?"
                             r"|IPO(?:'?d|s)?|float(?:s|ed)?)\s+(?:on|to|from)\s+(?:the\s+)?$",
                             re.IGNORECASE)
# A word before a company's name that only a traded company takes ("bought walmart",
# "shares tesla"): one set, not a union built at each call.
_TRADED_BEFORE = TRADE_VERBS | TICKER_WORDS
# r/wallstreetbets' words for short-dated options: "tesla fds".
_OPTION_SLANG = frozenset(("fds", "fd", "weeklies"))
_STRIKE_AFTER = lazy_pattern(r"[ \t]+\$?\d+(?:\.\d+)?[cCpP]s?\b")
# A clause's stops, and how far from a name one is looked for (traded_in_clause).
_CLAUSE_STOPS = ".!?\n;"
_CLAUSE_REACH = 300
# A name glued after these is a cashtag, a hashtag, a handle or part of a path or file name.
_GLUED_BEFORE = frozenset("$#@/.-_")
# A word with a capital after a lower-case letter, not all in capitals, as a company writes
# its name (TransDigm, CannTrust, iAnthus); not a surname's Mc or Mac (McAfee, MacKenzie).
_BRAND_SPELLING = lazy_pattern(r"(?!Ma?c[A-Z])[A-Za-z][a-z]*(?:[A-Z][a-z]+)+")
_NEXT_LOWER = lazy_pattern(r"[ \t]{1,2}([a-z]+)\b")
# A name after these is a thing owned or a shop, not what its clause trades (traded_in_clause).
_THING_BEFORE = EN_OWNER_BEFORE | EN_SHOP_BEFORE
_SENTENCE_END = lazy_pattern(r"[.!?:;\n|\u3002\uff01\uff1f]\s*$")

# The listing a Chinese post means by a company's name, best first, as docs/labelling.md
# says ("雪球 posts the listing its tag names, else the A-share, else Hong Kong"): the
# A-share, then Hong Kong (阿里 9988.HK, 腾讯 0700.HK, 比亚迪 002594.SZ, 中芯国际 688981.SS),
# then New York (索尼 SONY, 诺基亚 NOK); the home listing wins a tie. A listing counts from
# its day (chinese_posts_listing): the guide keys the one the writer meant on the post's date,
# so 蔚来 in a post written by July 2021 is NIO (9866.HK listed in March 2022). The thirteenth
# round's Hong Kong rank lost on the undated eval files, read as of today; with the day their
# period gives (`tracker eval --written-by`), it gains on both halves of the 雪球 development
# and long files (docs/mentions.md, fourteenth round). A tag or code of the company in the post
# still wins (`$阿里巴巴(BABA)$ ... 阿里` is BABA: ingest/analyze.py's _keyed), as does a marker
# after the name (marked_listing: 阿里ADR).
_ZH_POST_RANK = {**dict.fromkeys(A_SHARE_MARKETS, 0), HK_MARKET: 1, US_MARKET: 2}
_ZH_POST_OTHER = max(_ZH_POST_RANK.values()) + 1


# A listing's marker right after a company's Chinese name: ADR (腾讯ADR, 京东 ADR) its New York
# listing; H股, H before a share count or a non-word, or (HK) (农业银行H150000股, 中石油H股,
# 中国平安（HK）) its Hong Kong one. Not H before one or two digits: 比亚迪H1 is a half year.
# The groups' names are the pattern's own; marked_listing gives each its stored market.
_LISTING_MARK = lazy_pattern(r"\s?(?P<US>ADRs?(?![A-Za-z])|adrs?(?![A-Za-z]))"
                             r"|(?P<HK>H股|H(?=\d{3})|H(?![A-Za-z0-9])|\s?[(（]HK[)）])")


def marked_listing(text: str, end: int, sec: Security) -> tuple[str, str] | None:
    """The listing of `sec` that a marker right after its name at `end` names (`_LISTING_MARK`):
    腾讯ADR is TCEHY, 农业银行H 1288.HK; None without a marker or such a listing."""
    mark = _LISTING_MARK.match(text, end)
    if mark is None:
        return None
    market = US_MARKET if mark["US"] else HK_MARKET
    for listing in ((f"{sec.ticker}.{sec.market}",) if sec.market else ()) + sec.listings:
        ticker, _, where = listing.rpartition(".")
        if ticker and where == market:
            return ticker, market
    return None


def chinese_posts_listing(sec: Security, day: date | None = None) -> tuple[str, str] | None:
    """The listing of `sec` a Chinese post names it by, when it is not the home one: BYD
    (1211.HK) is 002594.SZ, Alibaba (BABA) 9988.HK, Sony (6758.T) SONY; None otherwise
    (Tencent stays 0700.HK, Moutai 600519.SS).

    With `day`, only a listing trading on that day (history.csv's listing days): the guide
    keys "the one the writer meant on the post's date", so a 2021 post's 中国移动 is 0941.HK
    (600941.SS listed 2022-01-05); when the home listing itself had not begun, the best
    listing that traded (中国电信 in 2021: 0728.HK)."""
    home_rank = _ZH_POST_RANK.get(sec.market or "", _ZH_POST_OTHER)
    if day is not None and listed_after(sec.ticker, sec.market or None, day):
        # The home listing had not begun (中国电信's A-share of August 2021): any listing
        # that traded then is the one.
        home_rank = _ZH_POST_OTHER + 1
    best = (home_rank, "", "")
    for listing in sec.listings:
        ticker, _, market = listing.rpartition(".")
        market = A_SHARE_EXCHANGES.get(market, market)
        if (ticker and _ZH_POST_RANK.get(market, _ZH_POST_OTHER) < best[0]
                and (day is None or not listed_after(ticker, market, day))):
            best = (_ZH_POST_RANK[market], ticker, market)
    return (best[1], best[2]) if best[1] else None
@dataclass(frozen=True)
class NameHit:
    """A company named in a text without a $ or security tag."""

    start: int
    end: int
    ticker: str
    market: str | None
    name: str
    alias: str
    kind: str
    confidence: float
# A site's name (ZH_SITE_NAMES) as a page's or a channel's source: a link's title ends with
# it after a dash (`【开箱体验-哔哩哔哩】`), and a list of an author's channels runs bar to bar,
# each channel's name glued before its site's (`YouTube｜美投讲美股哔哩哔哩｜美投讲美股西瓜视频｜`).
# On real_train 5 such hits of 哔哩哔哩, none labelled Bilibili. A site's name right after a
# bar is an item of a list (`中泰化学|哔哩哔哩|康龙化成`, a stock), and one with no bar before
# it a headline's topic (`哔哩哔哩｜二季度营收`): both left alone.
_TITLE_DASHES = "-_–—"
_BARS = ("｜", "|")
_BAR_REACH = 20
# A company's news channel as a byline: `腾讯科技讯 6月14日消息` at an article's head,
# `（腾讯科技）` at its end. On real_train 4 such hits of 腾讯: 3 labelled nothing, 1 Tencent.
_CHANNEL = lazy_pattern(r"(?:科技|财经|新闻|證券|证券)讯")
_CHANNEL_CREDIT = lazy_pattern(r"(?:科技|财经|新闻)[）)]")


def _names_a_site(text: str, hit: NameHit) -> bool:
    if _CHANNEL.match(text, hit.end) or (
            hit.start > 0 and text[hit.start - 1] in "（("
            and _CHANNEL_CREDIT.match(text, hit.end)):
        return True
    if hit.alias not in ZH_SITE_NAMES or hit.start == 0:
        return False
    if text.startswith("】", hit.end):
        return text[hit.start - 1] in _TITLE_DASHES
    return (text.startswith(_BARS, hit.end) and not text.startswith(_BARS, hit.start - 1)
            and any(bar in text[max(0, hit.start - _BAR_REACH):hit.start] for bar in _BARS))


def names_a_product(text: str, hit: NameHit) -> bool:
    """A Chinese company name run into a product word names the product: 比亚迪宋, 京东肉饼;
    one that ends a link's title, stands in a list of channels or heads a news channel's
    byline names the site (`_names_a_site`);
    a Latin one before a Chinese one too, a space between allowed: ARM架构, Arm 指令集; an
    English one before a word of EN_SERVICE_AFTER names a service the writer uses: Google
    Finance, an Amazon gift card."""
    if CJK.search(hit.alias):
        return text.startswith(ZH_PRODUCT_AFTER, hit.end) or _names_a_site(text, hit)
    after = text[hit.end:hit.end + 6]
    if after.lstrip(" ").startswith(ZH_PRODUCT_AFTER):
        return True
    nxt = _NEXT_WORD.match(text, hit.end, hit.end + NEXT_WORD_REACH)
    return hit.kind == "name" and nxt is not None and nxt[1].lower() in EN_SERVICE_AFTER


# A post about a company's coming listing: "Spotify IPO?", "When Spotify goes public",
# "Dropbox files to go public", "a direct listing", "initial offering"; not a broker's
# "pre-IPO" product.
_LISTING_TALK = lazy_pattern(
    r"\b(?<!pre-)(?:IPO|DPO|(?:go|goes|going|went)\s+public|direct\s+listing"
    r"|initial\s+(?:public\s+)?offering|S-1)\b", re.IGNORECASE)


# How long before its listing day such a post names the company to be listed: half a year
# (on real_train the Spotify posts ran from January to its listing on 2018-04-03).
LISTING_TALK_DAYS = 183


def talks_of_listing(text: str) -> bool:
    """Whether `text` speaks of a listing to come (an IPO, going public, a direct listing)."""
    return _LISTING_TALK.search(text) is not None


def may_cite(text: str) -> bool:
    """Whether `text` holds a citation's head at all (来源, Source), so that its names need
    `cited_as_source`."""
    return _SOURCE_WORD.search(text) is not None


def cited_as_source(text: str, hit: NameHit) -> bool:
    """A name in a citation of where a text or figure comes from (数据来源：同花顺、WIND;
    来源：富途资讯; Source: FactSet) names the source, not a security the post is about."""
    return _SOURCE_BEFORE.search(text, max(0, hit.start - 30), hit.start) is not None


# A firm named as the employer of the analyst who speaks: "Analysts at Jefferies downgraded the
# social media company", "downgraded by an analyst at Morgan Stanley". The person is the
# clause's actor and the firm only where they work. Not "Micron analysts expect" (the
# analysts who cover Micron), nor a firm that rates on its own ("upgraded ... at JPMorgan",
# "Wells Fargo downgrades Netflix"), which tests/data/mentions_labelled.jsonl labels.
_ANALYST_AT = lazy_pattern(r"\b(?:analysts?|strategists?|economists?)\s+(?:at|from|with)\s+"
                           r"(?:the\s+)?$", re.IGNORECASE)
# An event the name holds, right after it: the analysts are at the company's event, which is
# what the clause talks about ("Analysts at Apple's earnings call", "at the Tesla event",
# "at the Nvidia conference"), not at their employer.
_EVENT_AFTER = lazy_pattern(
    r"(?:['\u2019]s)?(?:[ \t]+[\w-]+)?[ \t]+(?:events?|conferences?|keynotes?|meetings?"
    r"|presentations?|launch|day|showcase|summit|(?:earnings|conference|investor)[ \t]+calls?)\b",
    re.IGNORECASE)


def employs_the_analyst(text: str, hit: NameHit) -> bool:
    """Whether an English name at `hit` is only where the analyst of its clause works
    ("analysts at Jefferies", "an analyst with Morgan Stanley"), not the holder of the event
    they are at ("analysts at the Tesla event")."""
    return (_ANALYST_AT.search(text, max(0, hit.start - 30), hit.start) is not None
            and _EVENT_AFTER.match(text, hit.end) is None)


def mid_prose(text: str, hit: NameHit) -> bool:
    """A capitalised word inside a sentence of ordinary prose: writers mean the proper noun."""
    head = text[max(0, hit.start - 200):hit.start]
    if CJK.search(text[max(0, hit.start - 2):hit.end + 2]):
        return True  # Chinese has no capitals: a capitalised Latin word in it is a name
    if not head.strip() or _SENTENCE_END.search(head) or head.rstrip()[-1:] in "\"'“‘([":
        return False
    cut = max(head.rfind(c) for c in ".!?\n")
    tail = text[hit.end:hit.end + 200]
    ends = [i for i in (tail.find(c) for c in ".!?\n") if i != -1]
    sentence = head[cut + 1:] + " " + tail[:min(ends) if ends else len(tail)]
    words = [w for w in EN_WORD.findall(sentence) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) <= 0.5 * len(words)


def case_ok(written: str, alias: str, curated: bool) -> bool:
    if written == alias or written == alias.upper():
        return True
    if curated and " " in alias and written.lower() == alias.lower():
        # A curated name of several words, each as the list writes it, in upper or in title
        # case ("Dow Futures", "DOW Futures", "SPX Futures"); after a first word in upper
        # case the others in lower case too ("JP morgan", "ON semiconductor", "DOW Jones
        # industrial average"). After a capitalised first word they may be a phrase that
        # opens a sentence ("Energy transfer is ...", "First solar panels").
        head, _, rest = written.partition(" ")
        alias_head, _, alias_rest = alias.partition(" ")
        lower_ok = head.isupper()
        return head in (alias_head, alias_head.upper(), alias_head.capitalize()) and all(
            w in (a, a.upper(), a.capitalize()) or lower_ok and w == a.lower()
            for w, a in zip(rest.split(" "), alias_rest.split(" "), strict=True))
    if curated and CAMEL.fullmatch(written) and written.lower() == alias.lower():
        return True  # no word is written with a capital inside: "MasterCard" is Mastercard
    if curated and (CAMEL.fullmatch(alias) or (alias.isalpha() and not is_common_word(alias))):
        # A curated one-word name with a capital inside (GameStop, DraftKings), or one that
        # is no common English word (Palantir, Tilray), is no word in any case: Reddit
        # writes "Gamestop", "gamestop" and "palantir".
        # Any other mix of cases spells the same name too ("MasterCard" for Mastercard).
        return written.lower() == alias.lower()
    return written == alias[:1].upper() + alias[1:] and alias[:1].islower()


def spelt_as_brand(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], one word, is written as a company writes its name, with a
    capital after a lower-case letter: TransDigm, where the listing writes Transdigm Group
    Incorporated. No English word is written so. Not glued after a `#`, `@`, `$`, a path or
    a file name (handles and hashtags are written so: @OriginProtocol), nor beside another
    capitalised word, where it is part of a longer name, a person's or a product's (John
    McAfee, NFT CypherPunk Zero, FinTech Acquisition Corp)."""
    if _BRAND_SPELLING.fullmatch(text, start, end) is None:
        return False
    if start and text[start - 1] in _GLUED_BEFORE:
        return False
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    nxt = _NEXT_WORD.match(text, end, end + NEXT_WORD_REACH)
    return not (prev is not None and prev[1][0].isupper()
                or nxt is not None and nxt[1][0].isupper())


def word_name_in_lower_case(written: str, alias: str, curated: bool) -> bool:
    """A curated one-word name that is also a common English word, written in lower case
    ("apple", "tesla", "walmart"): Reddit's way of writing the company, and the word's."""
    return (curated and written == alias.lower() and alias.isalpha() and alias[:1].isupper()
            and alias[1:].islower())


def word_before(text: str, start: int) -> str | None:
    """The Latin word right before text[start:], one or two spaces apart; None if none."""
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    return None if prev is None else prev.group(1)


def traded_beside(text: str, start: int, end: int) -> bool:
    """Whether the word right before or after text[start:end] is one only a traded company
    takes: "tesla shares", "nvidia puts", "bought walmart" (not "buy apple juice")."""
    nxt = _NEXT_WORD.match(text, end, end + NEXT_WORD_REACH)
    if nxt is not None:
        word = nxt.group(1).lower()
        if word in EN_NOT_COMPANY_AFTER:
            return False
        if word in TICKER_WORDS or word in _OPTION_SLANG:
            return True
    # A strike or a move right after it: "amazon 3500Cs", "tesla is rallying".
    if _STRIKE_AFTER.match(text, end, end + NEXT_WORD_REACH) or moves_after(text, end):
        return True
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    return prev is not None and prev.group(1).lower() in _TRADED_BEFORE


def traded_in_clause(text: str, start: int, end: int) -> bool:
    """Whether a company's name written in lower case at text[start:end] has a trade in its
    clause (a trade verb or a word only a ticker takes, anywhere between the sentence's
    stops): "Holding onto square with an expiry next week", "go long on tesla and make
    back some of your loss". Not a thing the clause trades in: a name after a possessive
    or an article ("buying crappy tesla cars", "I sold my tesla"), a shop or maker after
    "at" or "from" ("bought groceries at costco"), before a noun ("apple
    product", "google china bank runs"), or glued to a cashtag, a hashtag, a handle or a
    path."""
    if start and text[start - 1] in _GLUED_BEFORE:
        return False
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    if prev is not None and prev.group(1).lower() in _THING_BEFORE:
        return False
    nxt = _NEXT_LOWER.match(text, end, end + NEXT_WORD_REACH)
    if nxt is not None and nxt.group(1) not in EN_CLAUSE_LINKS \
            and nxt.group(1) not in _TRADED_BEFORE:
        return False
    head = max(text.rfind(c, max(0, start - _CLAUSE_REACH), start) for c in _CLAUSE_STOPS)
    stops = [i for i in (text.find(c, end, end + _CLAUSE_REACH) for c in _CLAUSE_STOPS)
             if i != -1]
    clause = text[head + 1:min(stops) if stops else end + _CLAUSE_REACH]
    return any(w.lower() in _TRADED_BEFORE for w in EN_WORD.findall(clause))


def names_the_index(text: str, start: int, end: int) -> bool:
    """Whether an exchange's name written alone at text[start:end] means its index: it moves
    ("Nasdaq up", "Nasdaq is rising") or another index is named within a few words ("S&P /
    Nasdaq"), and no other exchange is ("NYSE and NASDAQ") nor a listing's verb before it
    ("listed on the Nasdaq at a valuation of")."""
    near = {w.lower().strip(".") for w in
            EN_WORD.findall(text[max(0, start - 20):start] + " " + text[end:end + 20])}
    if not near.isdisjoint(EXCHANGE_PEERS):
        return False
    if _VENUE_BEFORE.search(text, max(0, start - 30), start) is not None:
        return False
    after = _WORDS_AFTER.match(text, end, end + NEXT_WORD_REACH)
    if after is not None:
        first, second = after.group(1).lower(), (after.group(2) or "").lower()
        if first in INDEX_MOVES or (first in INDEX_MOVE_LINKS and second in INDEX_MOVES):
            return True
    # A level it goes to: "S&P going to 3000", "Dow to 30,000".
    if _LEVEL_AFTER.match(text, end, end + NEXT_WORD_REACH) is not None:
        return True
    return not near.isdisjoint(INDEX_PEERS)


def board_names_its_index(text: str, start: int, end: int) -> bool:
    """Whether a board's name written alone at text[start:end] (创业板) means its index: a
    move or a level follows it ("创业板上涨2.62%", "创业板市盈率60") or another index is named
    within eight characters ("创业板、科创50"), and no word after it makes it the board or a
    fund ("创业板注册制", "创业板ETF", "创业板50")."""
    after = text[end:end + 6]
    if after.startswith(ZH_BOARD_NOT_INDEX_AFTER):
        return False
    if any(w in after[:4] for w in ZH_INDEX_MOVES):
        return True
    near = text[max(0, start - 8):start] + "|" + text[end:end + 8]
    return any(w in near for w in ZH_INDEX_PEERS)
