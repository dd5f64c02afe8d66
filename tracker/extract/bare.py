"""When a symbol written without a marker is a ticker: its edges, and the context it needs.

Three levels, from the symbols a reader takes for tickers on sight to those that are words
first (docs/mentions.md has the measurements):

* a curated symbol in upper case (TSLA, SPY, UPS; the curated list and POPULAR_BARE): on
  sight. On the development sample every upper-case hit of a curated symbol that is also a
  common word (SPY, SNAP, UPS, CAT) was the ticker;
* Reddit's favourites in lower or title case (gme!, filter gme pls, #amc, Pltr): on sight,
  unless the symbol is also an English word (spy, snap, coin, meta: POPULAR_WORDS);
* any other listed symbol in upper case, and those words: a trading word or a strike next
  to it (`trading_word_near`), or another symbol beside it (`symbol_beside`), so no common
  English word written as prose writes it becomes a ticker without one
  (tests/extract/test_bare_tickers.py checks the 10,000 most frequent);
* a trading, indicator or forum term that is also a symbol (EMA, RSI, SMA, ETN, AMA:
  TRADING_TERMS) needs a word that only a ticker takes right beside it
  (`ticker_word_beside`: "EMA calls", "shares of ETN"), since its ordinary use is in trading
  talk itself ("the 50 SMA", "RSI oversold").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.history import Holding, packaged_history
from tracker.extract.name_rules import (
    BARE_CONTEXT,
    NEXT_WORD_REACH,
    POPULAR_MOVE_LINKS,
    POPULAR_MOVES,
    POPULAR_WORDS,
    PRICE_WORDS,
    TICKER_WORDS,
    TRADING_TERMS,
)
from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.ticker_lists import in_ticker_list
from tracker.extract.words import is_common_word

# Glued to a word, a cashtag, a handle, a path, ^ (a Yahoo index) or \ (a TeX command,
# `$q\geq 1$` in a paper's abstract; a Windows path): no bare symbol. A
# hashtag (#gme) and a slash pair (AMC/GME) are; a subreddit (r/GME, u/...) is not, and
# links are skipped whole (spans.py). A dot glued to a word before it (BRK.B, file.TXT) is
# no edge; an ellipsis is ("lift off...CLOV about to rocket").
_BARE_BEFORE = r"(?<![A-Za-z0-9$&\-@_^\\])(?<![A-Za-z0-9]\.)(?<!\b[rRuU]/)"
# A contraction glued on ("CAN'T", "DON'T", "WON'T") makes a word; a possessive ("AMC's")
# keeps the symbol.
_BARE_AFTER = r"(?![A-Za-z0-9&_]|-[A-Za-z]|\.[A-Za-z]|['’](?![sS]\b)[A-Za-z])"
# An upper-case symbol of two to five letters, standing alone.
BARE = lazy_pattern(_BARE_BEFORE + "[A-Z]{2,5}" + _BARE_AFTER)
# The same in lower or title case ("wkhs", "Spce"): a listed symbol that is no English word
# counts so with trading context (names.NameMatcher._find_bare).
BARE_LOWER = lazy_pattern(_BARE_BEFORE + "[A-Za-z][a-z]{2,4}" + _BARE_AFTER)
# A symbol typed with the Shift key let go for one letter (CLoV, WkHS, TLRy, AAPl, SPx):
# capitals of three to five letters but one in lower case. Not the first letter (mRNA,
# eBay, sNDA: a prefix), not a last s (IPOs, FDs, MMs: a plural), not the middle of three
# (BoE, ToS, IgM, JnJ: an initialism's "of" or "and"; AIoT, IIoT, the Internet of Things),
# and not a unit in watt-hours (GWh).
BARE_SLIPPED = lazy_pattern(
    _BARE_BEFORE
    + r"(?![A-Z]IoT)(?:[A-Z](?!Wh)[A-Z][a-rt-z]"
    + r"|[A-Z](?:[a-z][A-Z]{2}|[A-Z][a-z][A-Z]|[A-Z]{2}[a-rt-z])"
    + r"|[A-Z](?:[a-z][A-Z]{3}|[A-Z][a-z][A-Z]{2}|[A-Z]{2}[a-z][A-Z]|[A-Z]{3}[a-rt-z]))"
    + _BARE_AFTER)
# What any such word holds; it opens with a capital, which re scans for fast, where the
# edge check that opens BARE_SLIPPED is tried at every character: 1 text in 9 of the English
# tone texts holds it, and the two passes cost half of BARE_SLIPPED's alone.
_SLIPPED_NEAR = lazy_pattern(r"[A-Z](?:[a-z][A-Z]|[A-Z]{1,3}[a-z])")


def slipped_symbols(text: str) -> Iterator[re.Match[str]]:
    """BARE_SLIPPED's matches in `text`."""
    if _SLIPPED_NEAR.search(text) is None:
        return iter(())
    return BARE_SLIPPED.finditer(text)
_EDGE_BEFORE = lazy_pattern(_BARE_BEFORE)
_EDGE_AFTER = lazy_pattern(_BARE_AFTER)
# A strike is written 450c or 450 c ("spy 425 c 2 dte").
_TRADING_WORD = lazy_pattern(r"[A-Za-z]+|\d+(?:\.\d+)?[ ]?[cp]\b")
_STRIKE = lazy_pattern(r"\$?\d+(?:\.\d+)?[ ]?[cp]\b")
_WORD_BEFORE = lazy_pattern(r"[A-Za-z]+|\S+")
# Symbols listed side by side: "FNGU vs $WEBL", "AMC/GME", "PINS, AMD", "FLS; RAIL". By
# spaces alone one neighbour is not enough: on real_train that gave 10 right pairs and 9
# wrong ("JNUG LIFT OFF"); two are (in_symbol_run).
_LIST_SEP = r"\s*(?:[,;/&|]|\bvs\.?|\bversus\b|\band\b|\bor\b)\s*"
_NEIGHBOUR_AFTER = lazy_pattern(_LIST_SEP + r"(\$?[A-Za-z]{1,6})(?![A-Za-z0-9])")
_NEIGHBOUR_BEFORE = lazy_pattern(r"(?<![A-Za-z0-9$])(\$?[A-Za-z]{1,6})" + _LIST_SEP + r"$")
_WORD_AFTER = lazy_pattern(r"\$?\d+(?:\.\d+)?[cp]\b|[A-Za-z]+")
# A capitalised word, or a small word that may sit inside a name ("Bank of Canada").
_NAME_WORD = lazy_pattern(r"[A-Z][a-z]+|of|and|&|the|for|de")
_NAME_LINKS = frozenset(("of", "and", "&", "the", "for", "de"))
# A name's first word, without its punctuation ("Tripadvisor, Inc." -> Tripadvisor).
_NAME_FIRST = lazy_pattern(r"[A-Za-z][A-Za-z'&-]+")
# The three words after a symbol (moves_after), and a price after it (price_after).
_THREE_WORDS = lazy_pattern(r"\s*([A-Za-z]+)(?:\s+([A-Za-z]+))?(?:\s+([A-Za-z]+))?")
# Up to five words (or emoji) between, none ending a clause ("Wish might just get a breakout
# from $15", "Wish ✨ to $20").
_PRICE_AFTER = lazy_pattern(r"(?:[ \t]+[^\s.!?;:,]+){0,5}?[ \t]+(?:(?:to|at)\s+)?"
                            r"(?:\$\d+(?:\.\d+)?|\d+\.\d+|\d+\$)(?![\d%])")
# "to" before a target is no verb's "to": "Wish to $20", "Wish to 15$", "to the moon".
_TARGET_AFTER = lazy_pattern(r"\s+to\s+(?:\$?\d|(?:the\s+)?(?:[A-Za-z]+\s+)?moon\b)",
                             re.IGNORECASE)
# An amount ("6k", "$500", "250"), a trading verb (BARE_CONTEXT's, yolo'd, fomo'd, aped,
# bailed) or "more", then on, into, in on or out of, right before the word.
_STAKE_BEFORE = lazy_pattern(
    r"(?:\b\$?\d+(?:\.\d+)?[km]?|\b(?:yolo|fomo|ape)(?:['’]?d|ed)?|\bbailed|\bmore"
    r"|\ball\s+in|\bbought|\bsold|\bbuying|\bselling|\bloaded|\bdropped|\bdropping)"
    r"\s+(?:on|into|in\s+on|out\s+of|in)\s+$", re.IGNORECASE)


def gone_holder(symbol: str, day: date) -> Holding | None:
    """The company that held the US symbol `symbol` on `day` and has since been delisted or
    renamed (history.csv): TWTR in 2018 is Twitter, ZNGA Zynga, SCMP Sucampo. No listing of
    today holds these, so only a dated post can mean them; None when nobody gone held it."""
    iso = day.isoformat()
    for period in packaged_history().periods(symbol, US_MARKET):
        if period.own and period.listed <= iso < period.delisted:
            return period
    return None


def edges_ok(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands alone as a bare symbol: no letter, digit, `$`, `.`,
    `-`, `/`, `#` or `@` glued to either end ("back", "gmexyz", "spyware" hold none).

    Tested on the whole text at the word's own ends: a slice past the end let the letters
    after it join the word ("back" read as BAC)."""
    return (_EDGE_BEFORE.match(text, start) is not None
            and _EDGE_AFTER.match(text, end) is not None)


def trading_word_near(text: str, start: int, end: int) -> bool:
    """A trading word (calls, shares, bought; BARE_CONTEXT) or a strike (450c) two words
    before or three after ("pltr to the moon")."""
    before = _TRADING_WORD.findall(text[max(0, start - 30):start])[-2:]
    after = _TRADING_WORD.findall(text[end:end + 30])[:3]
    return any(w.lower() in BARE_CONTEXT or w[:1].isdigit() for w in (*before, *after))


def ticker_word_beside(text: str, start: int, end: int) -> bool:
    """A word only a ticker takes (calls, puts, shares; TICKER_WORDS) or a strike (450c)
    right before the symbol, right after it (numbers between skipped: "GLAD - 50 shares"),
    or before an "of" ("shares of ETN")."""
    before = _WORD_BEFORE.findall(text[max(0, start - 20):start])[-2:]
    after = _WORD_AFTER.findall(text[end:end + 20])[:1]
    words = [w.lower() for w in (*before[-1:], *after)]
    if len(before) == 2 and before[-1].lower() == "of":
        words.append(before[0].lower())
    return any(w in TICKER_WORDS or _STRIKE.fullmatch(w) for w in words)


def lower_case_ok(text: str, start: int, end: int, symbol: str,
                  on_sight: Callable[[str], bool]) -> bool:
    """Whether a symbol Reddit writes in lower or title case (gme, Pltr: POPULAR_BARE) is
    one here: on sight, unless it is also a word (spy, snap, coin: POPULAR_WORDS), which
    needs a hashtag (#spy), a trading word near it, another symbol beside it, a move, a
    price or a stake, or to be a preposition's whole object ("lost everything on wish.":
    after_preposition)."""
    if symbol not in POPULAR_WORDS:
        return True
    if text[start - 1:start] == "#":
        return True
    # A word that takes a person or a clause after it is the verb ("Wish me luck", "wish I
    # bought more", "wish they got in", "snap to it"), trading words around it or not.
    after = _NEXT_WORD.match(text, end, end + NEXT_WORD_REACH)
    if (after is not None and after[1].lower() in _OBJECT_WORDS
            and not _TARGET_AFTER.match(text, end, end + NEXT_WORD_REACH)):
        return False
    # ... and after a subject ("I wish I had calls", "you wish") or an article ("make a
    # wish for $5"), in lower case it is too.
    before = _LAST_WORD.search(text, max(0, start - 20), start)
    if before is not None and before[1].lower() in _WORD_AFTER_THESE:
        return False
    return (trading_word_near(text, start, end) or symbol_beside(text, start, end, on_sight)
            or moves_after(text, end) or symbol not in PRICE_WORDS and (
                price_after(text, end)
                or symbol not in _ARTICLE_FREE and after_preposition(text, start, end))
            or staked_before(text, start))


# Favourites whose lower-case word is no countable noun, so it stands after a preposition
# with no article or possessive and names nothing: "look at dis!" (slang for "this"), "paid
# in nok." (the krone, a currency), "vaccines built on mrna." (a mass noun).
_ARTICLE_FREE = frozenset(("DIS", "NOK", "MRNA"))
# A preposition right before a word, and the end of its phrase right after it: a clause's
# end, or a verb that takes the phrase as its subject ("the movement for wish is insane").
_PREPOSITION_BEFORE = lazy_pattern(r"\b(?:on|into|from|by|for|in|of|with|at|about)[ \t]+$",
                                   re.IGNORECASE)
_PHRASE_END = lazy_pattern(r"[ \t]*(?:[.!?,;:)]|$|(?:is|was|too|has|will|gonna)\b)",
                         re.IGNORECASE | re.MULTILINE)
# A person, as an object pronoun, right before the preposition ("add me on snap", "text us
# on snap"): how to reach them, on an app. Not "you", a subject as often ("were you on wish.").
_PERSONS = frozenset("me us him her them".split())
# A participle before "by" makes it a passive's agent ("Fuct by wish", "burned by snap",
# "beaten by spy"); any other word before it, a means ("home by uber", "there by uber").
_PARTICIPLE = lazy_pattern(r"(?:ed|en|t|wn)$")


def after_preposition(text: str, start: int, end: int) -> bool:
    """Whether the lower-case word at text[start:end] is the whole object of a preposition:
    one right before it, the phrase's end right after it ("lost everything on wish.",
    "bought anything from wish.", "the movement for wish is insane", "Fuct by wish"). A word
    that is a countable noun takes an article or a possessive there ("on a wish", "for my
    wish"), so without one it names the company. Not for a price word ("sold at cost."); a
    name in title case ("led by Meta.") is the names' to read. Not where the phrase tells
    how a person is reached or carried: after a person ("add me on snap!", "text us on
    snap.") or after a "by" that follows no participle ("I'll get home by uber."): the app
    or the ride, not the stock; "Fuct by wish" is a passive's agent."""
    if not text[start:end].islower():
        return False
    prep = _PREPOSITION_BEFORE.search(text, max(0, start - 8), start)
    if prep is None or _PHRASE_END.match(text, end) is None:
        return False
    before = _LAST_WORD.search(text, max(0, prep.start() - 20), prep.start())
    word = before[1].lower() if before is not None else ""
    if word in _PERSONS:
        return False
    return not (text[prep.start():prep.start() + 2].lower() == "by"
                and not _PARTICIPLE.search(word))


def moves_after(text: str, end: int) -> bool:
    """Whether a move follows the word ending at `end`, right after it or after a link
    ("Wish crashing", "Wish is rallying", "wish just hit 13.10"; POPULAR_MOVES)."""
    after = _THREE_WORDS.match(text, end, end + NEXT_WORD_REACH)
    if after is None:
        return False
    for word in after.groups():
        if word is None:
            return False
        word = word.lower()
        if word in POPULAR_MOVES:
            return True
        if word not in POPULAR_MOVE_LINKS:
            return False
    return False


def price_after(text: str, end: int) -> bool:
    """Whether a price follows the word ending at `end` in its clause, right after it or a
    few words on: a dollar amount or a decimal, perhaps after "to" or "at" ("Wish $14 lol",
    "Wish to 15$", "Got wish at 13.70", "spy 417.40", "wish fair value $19", "Why can't
    wish break $15"); a bare whole number is a count or a year as often."""
    return _PRICE_AFTER.match(text, end, end + NEXT_WORD_REACH) is not None


def staked_before(text: str, start: int) -> bool:
    """Whether money or a trade goes into the word at `start`: an amount, a trading verb or
    "more" right before on, into, in on or out of ("6k on wish", "fomo'd into wish",
    "bailed out of wish", "Dropping more in on wish")."""
    return _STAKE_BEFORE.search(text, max(0, start - 40), start) is not None


# A time before a zone ("9:30 ET", "4pm ET", "10:53 a.m. ET", "12PM ET"), or a session word
# or an offset after it ("ET close", "ET open", "ET+3").
_TIME_BEFORE = lazy_pattern(r"\d\s*(?:[ap]\.?m\.?)?\s*$", re.IGNORECASE)
_SESSION_AFTER = lazy_pattern(r"\s*(?:[+-]\d|(?:close|closing|open|opening|time|timezone)\b)",
                              re.IGNORECASE)


def zone_used_as_time(text: str, start: int, end: int) -> bool:
    """Whether a time zone written at text[start:end] (ET) tells a time: after a time
    ("4pm ET", "10:53 a.m. ET") or before a session word or an offset ("ET close", "ET+3")."""
    return (_TIME_BEFORE.search(text, max(0, start - 12), start) is not None
            or _SESSION_AFTER.match(text, end, end + 12) is not None)


_TITLE_WORD_BEFORE = lazy_pattern(r"\b[A-Z][a-z]+\.?\s+$")


def numeral_after_name(text: str, start: int) -> bool:
    """Whether a Roman numeral at `start` follows a capitalised word, and so numbers it
    ("Louis XIV", "Super Bowl XIV", "Part VII", "Vol. XII")."""
    return _TITLE_WORD_BEFORE.search(text, max(0, start - 30), start) is not None


def glued_to_slash(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] has a slash right before or after it, as a
    segment of a path or a link has (`example.com/wkhs`, `~/wkhs`, `src/wkhs/`)."""
    return text[start - 1:start] == "/" or text[end:end + 1] == "/"


def named_before(text: str, start: int, end: int, name: str | None) -> bool:
    """Whether the symbol at text[start:end] stands beside its company's name as a
    reference writes it: in brackets right after the name ("Tripadvisor (TRIP)", "Cal-Maine
    Foods (CALM)"), where one of the four words before the bracket is the first word of the
    listed name; or right before the name, after a dash, a slash, a colon, a bracket or a
    space (named_after: "CALM - Cal Maine foods", "[DAL] Delta Airlines", "[RP / RealPage,
    Inc.]")."""
    if named_after(text, start, end, name):
        return True
    if not name or text[start - 1:start] not in ("(", "[") or text[end:end + 1] not in (")", "]"):
        return False
    first = _NAME_FIRST.match(name)
    if first is None:
        return False
    words = _NAME_FIRST.findall(text[max(0, start - 50):start - 1])[-4:]
    return first.group().lower() in {w.lower() for w in words}


# What stands between a symbol and its name after it: a closing bracket, a dash, a slash,
# a colon or an opening bracket, or spaces alone; then a capital (a "The" passed over).
_NAME_AFTER = lazy_pattern(r"[\])]?[ \t]*(?:[-–—/:|(][ \t]*)?(?:The[ \t]+)?(?=[A-Z])")
# Letters only: "Cal Maine" and "Cal-Maine" are one name.
_NOT_LETTERS = lazy_pattern(r"[^a-z]+")
# The shortest first word (letters only) that tells a name; "The" is passed over.
_MIN_NAME_HEAD = 4
# A whole word or an ampersand, for the initials of the words after a symbol (_spelled_out).
_WHOLE_WORD = lazy_pattern(r"[A-Za-z]+|&")


def named_after(text: str, start: int, end: int, name: str | None) -> bool:
    """Whether the company's listed `name` follows the symbol at text[start:end], as a list
    of holdings or a reference writes it ("CALM - Cal Maine foods", "[DAL] Delta Airlines",
    "[RP / RealPage, Inc.]"): its first word (letters only, at least _MIN_NAME_HEAD of
    them, a leading "The" passed over) begins the capitalised text after the separator,
    case and punctuation aside. Not when that word is the symbol itself
    ("NICE - Nice weather" says the word twice; NICE Ltd is no evidence there)."""
    if not name:
        return False
    gap = _NAME_AFTER.match(text, end, end + 12)
    if gap is None:
        return False
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    head = _NOT_LETTERS.sub("", words[0].lower()) if words else ""
    if len(head) < _MIN_NAME_HEAD or head == text[start:end].lower():
        return False
    after = _NOT_LETTERS.sub("", text[gap.end():gap.end() + 2 * len(head)].lower())
    if not after.startswith(head):
        return False
    # "AMS - American Meteorological Society" in a glossary of acronyms: words spelling the
    # symbol that are not the company's name (American Shared Hospital Services) are what
    # the symbol stands for there.
    spelled = _spelled_out(text, gap.end(), text[start:end].upper())
    return spelled is None or _significant(spelled) in _significant(name)


def _significant(words: str) -> str:
    """The letters of `words` but those of its small words, lower-cased: a name as the words
    spelling a symbol match it, case, punctuation and "and" for "&" aside ("Archer Daniels
    Midland" is Archer-Daniels-Midland Company's, "Helmerich and Payne" Helmerich & Payne's)."""
    return _NOT_LETTERS.sub("", " ".join(w for w in words.lower().split()
                                         if w not in _NAME_LINKS))


def _spelled_out(text: str, at: int, symbol: str) -> str | None:
    """The capitalised words from text[at] on, spaces between, whose initials spell
    `symbol` (with or without the small words, as initialisms reads them); None if none.
    A word is whole: RealPage is one, its initial R."""
    words: list[str] = []
    pos = at
    for m in _WHOLE_WORD.finditer(text, at, at + 120):
        if text[pos:m.start()].strip() or not (m.group()[0].isupper()
                                                or m.group() in _NAME_LINKS):
            break
        words.append(m.group())
        pos = m.end()
    for j in range(2, len(words) + 1):
        run = words[:j]
        if run[-1] in _NAME_LINKS:
            continue
        if symbol in ("".join(w[0] for w in run if w not in _NAME_LINKS).upper(),
                      "".join(w[0] for w in run if w != "&").upper()):
            return " ".join(run)
    return None


# A number sign and a digit right after a word: it numbers the word ("LINK #1", "Part #2").
_NUMBERED = lazy_pattern(r"[ \t]*#\d")
# The months' abbreviations that are listed symbols (MAR Marriott, NOV NOV Inc., DEC
# Diversified Energy, JAN, SEPT), and the day or the year beside one that makes it a date:
# a day of the month after it ("MAR 17", "DEC 3rd"), a year after it ("JAN 2022", "MAR '18")
# or a year before it ("'17 MAR"). A strike, a price or a percentage is no day ("MAR 150c",
# "DEC 17.5", "NOV 5%"), and a count before it is none either ("10 MAR calls").
_MONTHS = frozenset("JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC".split())
_DATE_AFTER = lazy_pattern(r"[ \t]*(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|(?:19|20)\d\d"
                           r"|['’‘]\d\d)(?![\d.,%$]|[ \t]?[cCpP]\b|[A-Za-z])")
_YEAR_BEFORE = lazy_pattern(r"(?:^|\s)['’‘]\d\d[ \t]*$")


def month_as_date(text: str, start: int, end: int) -> bool:
    """Whether the symbol at text[start:end] is a month's abbreviation written as part of a
    date: a day or a year right after it ("MAR 17", "JAN 2022 calls", "DEC '21") or a year
    right before it ("SPX '17 MAR put-call ratio")."""
    return text[start:end] in _MONTHS and (
        _DATE_AFTER.match(text, end, end + 8) is not None
        or _YEAR_BEFORE.search(text, max(0, start - 8), start) is not None)


# The sessions an earnings report is timed by, written as AMC (after the market's close) and
# BMO (before its open): listed symbols, AMC Entertainment and the Bank of Montreal.
_SESSIONS = frozenset(("AMC", "BMO"))
# A report's day right before the session: a weekday, or a date ("Feb 5th", "Jan 13",
# "11/11"), after an earnings word a few words back ("earnings Thursday AMC", "ER for BG
# tomorrow BMO", "reports Feb 26 AMC", "Earnings are Feb 5th BMO").
_WEEKDAY = (r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
            r"|tomorrow|tonight")
_MONTH_DAY = (rf"(?:{'|'.join(sorted(_MONTHS))})[a-z]*\.?[ \t]+\d{{1,2}}"
              r"(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}(?:/\d{2,4})?")
_REPORT_DAY_BEFORE = lazy_pattern(
    r"\b(?:earnings|er|eps|reports?|reporting|results)\b[^.!?,;\n]{0,24}?"
    rf"\b(?:{_WEEKDAY}|{_MONTH_DAY})[ \t,]*$", re.IGNORECASE)


def session_after_report_day(text: str, start: int, end: int) -> bool:
    """Whether AMC or BMO at text[start:end] times an earnings report: right after the
    report's day, a weekday or a date, with an earnings word a few words before it
    ("earnings report Thursday AMC", "ER for BG tomorrow BMO", "earnings on Jan 13 BMO")."""
    return (text[start:end] in _SESSIONS
            and _REPORT_DAY_BEFORE.search(text, max(0, start - 60), start) is not None)


# Legal forms that are listed symbols too (SE Sea Limited, ASA the ASA Gold fund): right
# after a company's name they are its form ("Cancom SE", "OHB SE's", "Norbit ASA").
_LEGAL_FORMS = frozenset(("SE", "ASA"))
# A name right before: a capitalised word, or a brand in camel case ("iPhone", "iPad"), then
# a space alone. Not a word in capitals, a symbol as often ("BYD INFN JNP SE TGH"), nor a
# hashtag ("#Bullish #SE").
_NAME_BEFORE = lazy_pattern(r"(?<![#$\w])([A-Z][a-z][A-Za-z]*|[a-z][A-Z][a-z]+)[ \t]+$")
# An article or a preposition right before that name: the name stands inside a noun
# phrase, where a capital marks a proper noun ("Shares of Airbus SE rose", "the Airbus SE
# board"), not where it opens a sentence or a clause ("Bought SE calls", "Sold TSLA, Bought
# SE", "so i Bought SE calls"). Not "to", which opens a verb as often ("Time to Buy SE
# calls").
_NOUN_PHRASE_BEFORE = lazy_pattern(
    r"\b(?:the|a|an|of|at|in|on|for|from|with|by|into|than|like|about|vs)[ \t]+$",
    re.IGNORECASE)
# SE as a compass point: "the Amazon of SE Asia", "SE Asian e-commerce".
_REGION_AFTER = lazy_pattern(r"[ \t]+Asian?s?\b")
# A name in capitals right before ("OHB SE's", "BASF SE cut"): a word of two letters or
# more, not after $ or #, nor after another word in capitals, which makes it a list
# ("BYD INFN JNP SE TGH"); nor a symbol that counts on sight, which lists tickers too
# ("long NVDA SE and MELI"), unless its company is named it and the form (SAP SE).
_CAPITALS_BEFORE = lazy_pattern(r"(?<![#$\w])(?<![A-Z][ \t])([A-Z][A-Z0-9&]+)[ \t]+$")
# After the form, the company's possessive or the sentence going on in lower case ("SE's
# results", "SE cut its outlook"); a list goes on in capitals, a figure is a quote ("SE 43B").
# Not after a capitalised word: a verb opening the sentence takes its object's possessive
# too ("Watch SE's earnings", "Love SE's growth"), which no word list tells from a name.
_PROSE_AFTER = lazy_pattern(r"['’]s\b|[ \t]+[a-z]{2,}\b")


def legal_form_after_name(text: str, start: int, end: int,
                          is_company: Callable[[str], bool] | None = None,
                          listed_name: Callable[[str], str | None] | None = None) -> bool:
    """Whether SE or ASA at text[start:end] is the legal form of the company named right
    before it, or a product's model: a capitalised word that is no common English word
    ("Cancom SE", "Norbit ASA"; not "Bought SE calls", whose verb only opens the sentence,
    nor "JNP SE TGH", a list), one `is_company` takes for a listed company's name ("Siemens
    SE": the frequency list holds company names such as Siemens, which no verb is), any
    capitalised word after an article or a preposition ("Shares of Airbus SE rose": the list
    holds Airbus, Bayer and Puma too), or a brand in camel case ("the new iPhone SE"). A
    name in capitals counts when the sentence goes on in lower case or with the possessive
    ("BASF SE cut", "OHB SE's"), not in a list ("JNP SE TGH") nor as a symbol whose
    company `listed_name` names otherwise ("NVDA SE today"; "SAP SE cut" is SAP SE's). SE
    before Asia or Asian is the compass point ("SE Asia")."""
    if text[start:end] not in _LEGAL_FORMS:
        return False
    if text[start:end] == "SE" and _REGION_AFTER.match(text, end):
        return True
    capitals = _CAPITALS_BEFORE.search(text, max(0, start - 14), start)
    if capitals is not None and _PROSE_AFTER.match(text, end):
        company = listed_name(capitals[1]) if listed_name is not None else None
        if company is None or company.upper() == f"{capitals[1]} {text[start:end]}":
            return True
    before = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if before is None:
        return False
    word = before[1]
    return (not is_common_word(word) or word[1].isupper()
            or is_company is not None and is_company(word)
            or _NOUN_PHRASE_BEFORE.search(text, max(0, before.start() - 8), before.start())
            is not None)


# Index providers whose listed symbol is also the first word of their indices' names:
# "MSCI World", "MSCI EM", "MSCI ACWI", "iShares MSCI China ETF" name an index (or a fund
# that tracks one), not MSCI Inc.; its own news writes a verb or a noun after it ("MSCI
# proposes", "MSCI private notes offering", "MSCI Inc. reported", "MSCI EPS beats").
_INDEX_PROVIDERS = frozenset(("MSCI",))
# What an index's name goes on with: the world, a region or a market the index covers, in
# any case ("MSCI World", "MSCI WORLD", "MSCI Int EM", "MSCI China"), or a run of capitalised
# words ending in Index ("MSCI Daily TR Net Index"). Only the first is read in any case: the
# run in any case took a sentence about MSCI for an index's name ("MSCI is an index
# provider", "MSCI beat the index"). Developed and All open an index's name only as
# "Developed Markets" and "All Country" or "All Cap": alone they are a verb or an adverb
# ("MSCI developed a new ESG model", "MSCI all time high").
_INDEX_NAME_AFTER = lazy_pattern(
    r"[ \t]+(?:(?i:world|acwi|eafe|em|emerging|frontier|developed(?=[ \t]+markets?\b)"
    r"|all(?=[ \t]+(?:country|cap)\b)|int|international"
    r"|europe|usa|us|asia|pacific|china|japan|india|korea|taiwan|brazil|canada|uk|kokusai)\b"
    r"(?!['’])|(?:[A-Z][A-Za-z]*[ \t]+){1,4}Index\b)")


def index_after_provider(text: str, start: int, end: int) -> bool:
    """Whether the symbol at text[start:end] is an index provider's name opening one of its
    indices' names: the world, a region or a market right after it, or a run of capitalised
    words ending in Index ("MSCI World", "MSCI WORLD ETF", "MSCI EM", "MSCI China")."""
    return (text[start:end] in _INDEX_PROVIDERS
            and _INDEX_NAME_AFTER.match(text, end) is not None)


def context_ok(text: str, start: int, end: int, symbol: str, needs_context: bool,
               is_company: Callable[[str], bool] | None = None,
               listed_name: Callable[[str], str | None] | None = None) -> bool:
    """Whether the bare symbol `symbol`, written at text[start:end], has the context its
    level needs (see the module docstring); `needs_context` is False for a curated symbol
    in upper case. A word symbol numbered as a label ("LINK #2") has none, nor a month's
    abbreviation in a date ("MAR 17": month_as_date), nor a legal form after a name
    (`is_company` tells a listed company's name, `listed_name` a symbol's company:
    legal_form_after_name), nor an index provider opening its index's name ("MSCI World":
    index_after_provider)."""
    # A month's abbreviation in a date is the month, whatever its level ("SPX '17 MAR
    # put-call ratio", "JAN 2022 calls"; issue 28, eighteenth round).
    if (month_as_date(text, start, end) or session_after_report_day(text, start, end)
            or legal_form_after_name(text, start, end, is_company, listed_name)
            or index_after_provider(text, start, end)):
        return False
    if symbol in TRADING_TERMS:
        return ticker_word_beside(text, start, end)
    # A word symbol numbered as a label ("EARNINGS RELEASES LINK #1", in the r/stocks digests'
    # markdown links) is the word, trading words near it or not (issue 28, seventeenth
    # round: 2 wrong pairs fewer on the mine half's long posts, 1 on the confirm half's).
    if needs_context and _NUMBERED.match(text, end):
        return False
    # "HACK etf": a word only a ticker takes, right beside it, is context too; "etf" a few
    # words off is not ("华夏MSCI A股ETF" is a fund named after an index provider).
    return (not needs_context or trading_word_near(text, start, end)
            or ticker_word_beside(text, start, end))


# A word that is also a symbol, used as the word: right after a subject pronoun or an
# article ("I WISH I had sold", "make a WISH"). Not after "you" ("Thank you WISH", "You WISH
# bastards"), "the" ("the WISH train") or a possessive ("hold my BB, CLNE and NOK"), nor
# before a pronoun ("Lets go BABA you bitch"): there the word is the ticker.
_WORD_USE_BEFORE = frozenset("i we they he she a an".split())
_LAST_WORD = lazy_pattern(r"([A-Za-z]+)\s+$")
_NEXT_WORD = lazy_pattern(r"\s+([A-Za-z']+)")
# Pronouns and "to" after a word make it a verb with its object ("wish me luck").
_SUBJECT_WORDS = frozenset("i we they you u he she".split())
_WORD_AFTER_THESE = _SUBJECT_WORDS | frozenset(("a", "an"))
_OBJECT_WORDS = frozenset("i i'd i'll i've me you u we us they them he him she her it "
                          "to that".split())


def used_as_word(text: str, start: int, end: int) -> bool:
    """Whether the upper-case word at text[start:end], a symbol and a common English word,
    is used as the word: right after a subject pronoun or an article, with no word only a
    ticker takes beside it ("I WISH I had sold" is none; "a WISH call" is)."""
    before = _LAST_WORD.search(text, max(0, start - 20), start)
    return (before is not None and before[1].lower() in _WORD_USE_BEFORE
            and not ticker_word_beside(text, start, end))


def one_letter_pattern(symbols: Iterable[str]) -> re.Pattern[str] | None:
    """The pattern of the one-letter symbols `symbols` (V, T, F) standing alone, as BARE's
    edges say; None for none."""
    letters = "".join(sorted(symbols))
    # The letter first: the edge checks then run at a few places, not at every character
    # (2.5 against 5.2 microseconds a real post).
    return (re.compile(f"(?=[{letters}])" + _BARE_BEFORE + f"[{letters}]" + _BARE_AFTER)
            if letters else None)


# A one-letter symbol after these is part of a name or a term ("Class C shares", "Reg T
# call", "Plan B", "Series A", "vitamin C").
_LETTER_NAMERS = frozenset("""
class series plan vitamin reg regulation type grade tier section form schedule chapter part
model round level option
""".split())


def one_letter_ok(text: str, start: int, end: int, on_sight: Callable[[str], bool]) -> bool:
    """Whether a one-letter symbol (V, T, F) written at text[start:end] is the ticker: listed
    beside another symbol ("V and MSFT", "MU, V, and CVS", "T or VZ") or with a word only a
    ticker takes beside it ("T - 25 shares", "F 15.5 6/18 calls", "(T) stock"), and not
    after a word it names a kind of ("Class C shares", "Reg T call")."""
    before = _LAST_WORD.search(text, max(0, start - 20), start)
    if before is not None and before[1].lower() in _LETTER_NAMERS:
        return False
    return symbol_beside(text, start, end, on_sight) or ticker_word_beside(text, start, end)


def symbol_beside(text: str, start: int, end: int, on_sight: Callable[[str], bool]) -> bool:
    """Whether text[start:end] is listed beside another symbol ("FNGU vs $WEBL",
    "AMC/GME", "spy/qqq", "PINS, AMD printing"): a $cashtag, or a word `on_sight` counts
    as a symbol alone; or stands in a run of them by spaces (in_symbol_run), or is an item
    of a list of tickers, a table's symbol column or a portfolio's lines
    (ticker_lists.in_ticker_list: "AMC; DHT; FLS; RAIL; FRO", "MMM - 12%")."""
    after = _NEIGHBOUR_AFTER.match(text, end)
    before = _NEIGHBOUR_BEFORE.search(text[max(0, start - 20):start])
    for found in (after, before):
        if found is None:
            continue
        word = found.group(1)
        if word.startswith("$") or on_sight(word):
            return True
    return in_symbol_run(text, start, end, on_sight) or in_ticker_list(text, start, end, on_sight)


# Symbols listed by spaces alone ("TSLA PLUG SNDL PLTR RIOT", "DKNG PLTR PLUG"): one
# neighbour is not enough ("JNUG LIFT OFF"), two are. On real_train (issue 28, twelfth
# round) 5 right pairs gained, 3 on the half the rule was chosen from and 2 on the other,
# and no wrong pair.
_RUN_AFTER = lazy_pattern(r"[ \t]+(\$?[A-Za-z]{1,6})(?:[ \t]+(\$?[A-Za-z]{1,6}))?(?![A-Za-z0-9])")
_RUN_BEFORE = lazy_pattern(
    r"(?<![A-Za-z0-9$])(?:(\$?[A-Za-z]{1,6})[ \t]+)?(\$?[A-Za-z]{1,6})[ \t]+$")


def in_symbol_run(text: str, start: int, end: int, on_sight: Callable[[str], bool]) -> bool:
    """Whether text[start:end] stands in a run of symbols separated by spaces alone, with two
    symbols that count alone (or $cashtags) around it: both before it, both after it, or one
    on each side ("TSLA PLUG SNDL", "SPX RUT VIX"). A lone neighbour is not enough: "JNUG
    LIFT OFF" is a shout, not a list."""
    before = _RUN_BEFORE.search(text, max(0, start - 16), start)
    after = _RUN_AFTER.match(text, end, end + 16)

    def counts(word: str | None) -> bool:
        return word is not None and (word.startswith("$") or on_sight(word))

    near_before = before is not None and counts(before[2])
    near_after = after is not None and counts(after[1])
    return (near_before and near_after
            or near_before and before is not None and counts(before[1])
            or near_after and after is not None and counts(after[2]))


# A list item of a word or a name's first word (up to 20 letters: "Walmart vs amazon").
_ITEM_AFTER = lazy_pattern(_LIST_SEP + r"(\$?[A-Za-z][A-Za-z&'-]{0,19})(?![A-Za-z0-9])")
_ITEM_BEFORE = lazy_pattern(r"(?<![A-Za-z0-9$])(\$?[A-Za-z][A-Za-z&'-]{0,19})" + _LIST_SEP + "$")


def listed_beside(text: str, start: int, end: int, is_company: Callable[[str], bool]) -> bool:
    """Whether text[start:end] is listed beside a word `is_company` takes for a company
    ("amazon or google", "Walmart vs amazon", "alibaba,nvda"), as symbol_beside asks of a
    symbol's neighbours but with words of any length."""
    after = _ITEM_AFTER.match(text, end, end + NEXT_WORD_REACH)
    before = _ITEM_BEFORE.search(text, max(0, start - 30), start)
    return any(found is not None and is_company(found.group(1)) for found in (after, before))


def initialisms(text: str) -> dict[str, str]:
    """The initials of each run of capitalised words in `text`, each with the words it
    spells ("The Royal Bank of Canada" gives RBC, RBOC, TRBC, ... -> "Royal Bank of
    Canada", ...): an upper-case word that spells another name's initials is that name's
    short form ("RBC knows something"), not the listed symbol that happens to match."""
    out: dict[str, str] = {}
    run: list[str] = []
    last_end = -1
    for m in _NAME_WORD.finditer(text):
        # A run breaks at anything but spaces between two name words.
        if run and text[last_end:m.start()].strip():
            _add_initials(run, out)
            run = []
        run.append(m.group())
        last_end = m.end()
    _add_initials(run, out)
    return out


def _add_initials(run: list[str], out: dict[str, str]) -> None:
    for i, first in enumerate(run):
        if first in _NAME_LINKS:
            continue
        for j in range(i + 2, len(run) + 1):
            words = run[i:j]
            if words[-1] in _NAME_LINKS:
                continue
            phrase = " ".join(words)
            # Without the small words (RBC) and with them ("Bank of America": BOA).
            out.setdefault("".join(w[0] for w in words if w not in _NAME_LINKS).upper(), phrase)
            out.setdefault("".join(w[0] for w in words if w != "&").upper(), phrase)
