"""Listings written with their exchange (issue 28, thirteenth round): `TSX:SHOP`, `VOD.L`,
`NSE:RELIANCE`; each keyed on its exchange, known to the universe or not, never a US symbol of
the same letters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.cashtags import CashtagHit, find_cashtags
from tracker.extract.exchange_codes import as_named_listing, find_exchange_codes
from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.ingest.analyze import Analyzer


def codes(text: str) -> list[tuple[str, str]]:
    return [(c.ticker, c.market) for c in find_exchange_codes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TSX:SHOP looks cheap", [("SHOP", "TO")]),
        ("Newstrike (TSXV: HIP) and (TSX-V:ABC)", [("HIP", "V"), ("ABC", "V")]),
        ("found it on (CNSX:LDS) and CSE:XYZ", [("LDS", "CN"), ("XYZ", "CN")]),
        ("LON:VOD, LSE: BP. and AIM:ABC", [("VOD", "L"), ("BP", "L"), ("ABC", "L")]),
        ("NSE:RELIANCE and nse:TCS; BSE:500325", [("RELIANCE", "NS"), ("TCS", "NS"),
                                                  ("500325", "BO")]),
        ("ASX:BHP vs NZX:ATM", [("BHP", "AX"), ("ATM", "NZ")]),
        ("VOD.L, SHOP.TO, SLG.V, BHP.AX, RELIANCE.NS", [
            ("VOD", "L"), ("SHOP", "TO"), ("SLG", "V"), ("BHP", "AX"), ("RELIANCE", "NS")]),
        ("dogs: $ATD-B.TO and $ENB", [("ATD-B", "TO")]),
        ("(NYSE: T) and (NASDAQ:AAPL), OTC:LTMCF", [("T", "US"), ("AAPL", "US"),
                                                     ("LTMCF", "US")]),
        ("HKEX:0700 and TYO:7203", [("0700", "HK"), ("7203", "T")]),
    ],
    ids=["tsx", "tsx-venture", "cse", "london", "nse-bse", "asx-nzx",
         "suffixes", "dollar-class-share", "us-markets", "hk-tokyo"],
)
def test_a_code_with_its_exchange_is_that_listing(text: str,
                                                  expected: list[tuple[str, str]]) -> None:
    assert codes(text) == [(t, m) for t, m in expected]


def test_an_exchange_that_is_a_word_counts_in_upper_case() -> None:
    assert codes("AIM:ABC and BIT:ISP") == [("ABC", "L"), ("ISP", "MI")]
    assert codes("Nasdaq: AAPL and nyse:T and tsx:SHOP") == [
        ("AAPL", "US"), ("T", "US"), ("SHOP", "TO")]


def test_an_exchange_that_is_a_word_in_an_all_caps_passage_counts_glued_only() -> None:
    # Shouted, the prefix's upper case says nothing: "OUR AIM: BUY" is no London code.
    assert codes("OUR AIM: BUY THE DIP AND HOLD FOREVER") == []
    assert codes("MY AIM: SELL HIGH, BUY LOW, ALWAYS AND FOREVER") == []
    assert codes("I BOUGHT LON:VOD TODAY FOR THE DIVIDEND, LOVE IT") == [("VOD", "L")]


def test_nse_symbols_in_upper_case_are_read() -> None:
    assert codes("NSE:RELIANCE, NSE: AJANTPHARM") == [("RELIANCE", "NS"),
                                                      ("AJANTPHARM", "NS")]


@pytest.mark.parametrize(
    "text",
    ["listed on the TSX.V today", "the U.S. and A.M. hours", "see decrypt.co and bbci.co.uk",
     "NYSE: Stocks rally", "TSX: 12.5% up", "p.s.L is not one", "file.L",
     "My aim: TSLA at 1000", "Aim: NVDA 500", "a bit: AAPL first",
     "HKEX: 09:30 is the open", "Departures HKG: 10:30, TYO: 22:15, SEHK:9:30"],
    ids=["exchange-name", "initials", "domains", "word-after-colon", "number-after-colon",
         "lower-case", "lower-case-file", "word-prefix-lower", "word-prefix-title",
         "word-prefix-bit", "clock-time-hk", "clock-times"],
)
def test_not_an_exchange_code(text: str) -> None:
    assert codes(text) == []


def test_a_company_written_with_two_listings_is_one_mention_the_us_one() -> None:
    # `Lithium Chile Inc. (OTC:LTMCF), (TSX.V:LITH)`: real_train keys the US listing.
    assert codes("Lithium Chile Inc. (OTC:LTMCF), (TSX.V:LITH) was unknown") == [
        ("LTMCF", "US")]
    assert codes("Canopy (TSX: WEED / NYSE: CGC)") == [("CGC", "US")]


def test_codes_of_one_market_or_two_foreign_ones_are_a_list() -> None:
    assert codes("TSX:SHOP, TSX:BB") == [("SHOP", "TO"), ("BB", "TO")]
    assert codes("TSX:SHOP, LON:VOD") == [("SHOP", "TO"), ("VOD", "L")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Telecoms: NYSE:T, TSX:BCE", [("T", "US"), ("BCE", "TO")]),
     ("My holdings: NASDAQ:AAPL, TSX:SHOP, LON:VOD", [("AAPL", "US"), ("SHOP", "TO"),
                                                     ("VOD", "L")]),
     ("Bought NYSE:AAPL, VOD.L", [("AAPL", "US"), ("VOD", "L")]),
     ("Clean Power (CSE: MOVE, OTC: MOTNF) through", [("MOTNF", "US")])],
    ids=["us-then-foreign", "three-markets", "suffix-after-us", "one-bracket-is-twins"],
)
def test_a_us_and_a_foreign_code_split_by_a_comma_alone_are_a_list(
        text: str, expected: list[tuple[str, str]]) -> None:
    # Two companies, each a mention: only brackets or a slash, or one pair of brackets
    # round both, make two codes one company's listings.
    assert codes(text) == expected


def test_a_foreign_code_in_a_list_is_never_the_us_symbol(analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "My holdings: NASDAQ:AAPL, TSX:SHOP, LON:VOD"))
    assert post is not None
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == [
        "AAPL", "SHOP.TO", "VOD.L"]


def test_an_exchange_code_is_never_the_us_symbol_of_the_same_letters(
        analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "Holding LON:AAL and VOD.L for the dividend"))
    assert post is not None
    keys = [canonical_key(m.ticker, m.market) for m in post.mentions]
    assert keys == ["AAL.L", "VOD.L"]
    assert all(m.instrument is None for m in post.mentions)  # shown "not in the universe"


def test_a_foreign_code_beside_its_named_us_company_is_the_us_listing(
        analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "Enbridge (ENB.TO) falling knife, down 5% today"))
    assert post is not None
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == ["ENB"]
    # Without the name, the letters alone do not say it is the US company: Air Canada's
    # AC.TO is not Associated Capital's AC.
    post = analyzer.analyze(RawPost("test", "AC.TO down 5% today"))
    assert post is not None
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == ["AC.TO"]


def test_as_named_listing_leaves_other_markets() -> None:
    hits = [CashtagHit(0, 6, "ENB", "TO", None, "code"),
            CashtagHit(7, 16, "600519", "SS", None, "code")]
    named = [CashtagHit(20, 28, "ENB", "US", "Enbridge", "name"),
             CashtagHit(30, 34, "600519", None, "x", "name")]
    assert [(h.ticker, h.market) for h in as_named_listing(hits, named)] == [
        ("ENB", "US"), ("600519", "SS")]


def test_a_bare_symbol_of_the_same_letters_is_not_the_company_named(
        analyzer: Analyzer) -> None:
    hits = [CashtagHit(8, 15, "AAL", "L", None, "code")]
    bare = [CashtagHit(0, 3, "AAL", "US", "American Airlines", "bare_ticker")]
    assert [(h.ticker, h.market) for h in as_named_listing(hits, bare)] == [("AAL", "L")]
    post = analyzer.analyze(RawPost("test", "Long AAL calls, and LON:AAL for the dividend"))
    assert post is not None
    assert "AAL.L" in [canonical_key(m.ticker, m.market) for m in post.mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Canopy (TSX: $WEED / NYSE: $CGC) up", [("CGC", "US")]),
     ("Clean Power Capital (CSE: $MOVE, OTC: $MOTNF) through", [("MOTNF", "US")])],
    ids=["slash", "comma-in-brackets"],
)
def test_a_twin_listing_left_out_is_no_cashtag_of_its_letters(
        text: str, expected: list[tuple[str, str]]) -> None:
    # One company's two listings are one mention, the US one: the other's `$WEED` is not
    # then read as a cashtag of the US symbol WEED.
    twins: list[tuple[int, int]] = []
    assert codes(text) == expected
    find_exchange_codes(text, twins)
    assert [text[a:b].split(":")[0] for a, b in twins] == [text.split("(")[1].split(":")[0]]
    assert [(h.ticker, h.market) for h in find_cashtags(text)] == expected


def test_a_twin_listing_left_out_is_no_bare_symbol_either(analyzer: Analyzer) -> None:
    # `(WEF:TSE)`, Toronto's listing beside the US one, is kept from later rules: its
    # exchange TSE (a delisted US symbol in 2018) was read bare.
    text = "Western Forest Products (WEF:TSE) or (WFSTF:OTC) is a small-cap lumber company."
    twins: list[tuple[int, int]] = []
    find_cashtags(text, twins=twins)
    assert [text[a:b] for a, b in twins] == ["WEF:TSE"]
    post = analyzer.analyze(RawPost("test", text, published_field="2018-02-17"))
    assert post is not None
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == ["WFSTF"]


def test_find_cashtags_reads_exchange_codes_before_the_dollar_forms() -> None:
    hits = find_cashtags("$SHOP.TO and TSX:BB")
    assert [(h.ticker, h.market, h.kind) for h in hits] == [("SHOP", "TO", "cashtag"),
                                                            ("BB", "TO", "code")]


@given(st.text(alphabet="TSXLONVD:.$ -(),ABCtsx0123", max_size=40))
def test_never_raises_and_spans_hold(text: str) -> None:
    for code in find_exchange_codes(text):
        assert 0 <= code.start < code.end <= len(text)
        assert code.ticker in text[code.start:code.end].upper().replace(".", "").replace(
            "-", "") or code.ticker.replace(".", "-") in text[code.start:code.end]


@pytest.mark.parametrize(
    "text",
    ["EPA: GM must cut emissions by 2030", "Flight LON: BA 117 lands at six",
     "FRA: LH 400 delayed again"],
    ids=["agency-label", "flight", "airport-flight"],
)
def test_a_foreign_prefix_that_opens_a_sentence_is_a_label(text: str) -> None:
    # Written with a space after the colon, outside brackets, and followed by more of the
    # sentence: the prefix is the agency or the airport, not the exchange.
    assert codes(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Nicox (EPA: COX) is up", [("COX", "PA")]),
     ("NSE: AJANTPHARM", [("AJANTPHARM", "NS")]),
     ("LSE: BP. and more", [("BP", "L")]),
     ("EPA:GM is Paris", [("GM", "PA")]),
     ("NYSE: WYN I added", [("WYN", "US")])],
    ids=["in-brackets", "ends-the-text", "ends-the-clause", "glued", "us-market"],
)
def test_a_spaced_code_in_brackets_or_at_a_clause_end_is_read(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(text) == expected


def test_an_exchange_index_is_no_listing() -> None:
    # TradingView writes the NSE's index as NSE:NIFTY: an index, not a listing.
    assert codes("NSE:NIFTY is up today, BSE:SENSEX too") == []
    assert codes("NSE:INFY is up today") == [("INFY", "NS")]


def test_words_joined_by_a_full_stop_in_capitals_are_no_code() -> None:
    # A shouted sentence that lost the space after its full stop: TO is an English word.
    assert codes("AND THAT IS THE END.TO BE CONTINUED NEXT WEEK") == []
    assert codes("I BOUGHT $SHOP.TO TODAY FOR THE LONG RUN") == [("SHOP", "TO")]
    assert codes("VOD.L, SHOP.TO, SLG.V") == [("VOD", "L"), ("SHOP", "TO"), ("SLG", "V")]
    assert codes("I BOUGHT VOD.L TODAY FOR THE DIVIDEND") == [("VOD", "L")]
    assert codes("THE END.TO be read") == [("END", "TO")]


def test_a_listed_us_class_share_is_not_a_venture_code() -> None:
    # $MKC.V is McCormick's voting share on a US platform, not a TSX Venture code.
    us_listed = {"MKC.V"}.__contains__
    assert [(c.ticker, c.market) for c in find_exchange_codes(
        "$MKC.V and MKC.V, $AAZ.V", us_listed=us_listed)] == [
        ("MKC.V", "US"), ("MKC.V", "US"), ("AAZ", "V")]


def test_mkc_v_is_mccormick(analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "Bought $MKC.V today"))
    assert post is not None
    assert [(canonical_key(m.ticker, m.market), m.market) for m in post.mentions] == [
        ("MKC.V", "US")]
    assert post.mentions[0].instrument == "equity"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Here's Why Magna International (TSE:MG) Can Manage Its Debt", [("MG", "TO")]),
     ("Toyota TSE:7203 and Royal Bank TSE:RY", [("7203", "T"), ("RY", "TO")]),
     ("Lets say $SHOP:NYSE goes up 2.5%", [("SHOP", "US")]),
     ("$PACB PACB:NASDAQ - PACIFIC BIOSCIENCES", [("PACB", "US")])],
    ids=["tse-toronto", "tse-tokyo-digits", "reversed-dollar", "reversed"],
)
def test_tse_and_the_exchange_after_the_symbol(text: str,
                                                expected: list[tuple[str, str]]) -> None:
    assert codes(text) == expected


def test_one_company_listed_twice_is_its_us_listing() -> None:
    # Two bracketed listings offered as alternatives, and one symbol on two exchanges.
    assert codes("Western Forest Products (WEF:TSE) or (WFSTF:OTC) is small") == [
        ("WFSTF", "US")]
    assert codes("GOOS:NYSE was down while GOOS:TSX was up") == [("GOOS", "US")]
    # Two symbols are two companies (NYSE:T is AT&T, TSX:BCE is BCE).
    assert codes("Telecoms: NYSE:T, TSX:BCE") == [("T", "US"), ("BCE", "TO")]
    # After a symbol, an exchange whose name is an English word is the word.
    assert codes("MY GOAL:AIM HIGH AND HOLD") == []


@pytest.mark.parametrize(
    "text",
    ["RE:NYSE hours change next week", "Subject: FW:NASDAQ listing rules",
     "THE MAIN POINT:OTC MARKETS ARE RISKY", "NOTE:TSE rules apply"],
    ids=["reply-subject", "forward-subject", "shouted-word", "note-toronto"],
)
def test_a_word_before_an_exchange_is_no_reversed_code(text: str) -> None:
    # RE: and FW: open a forwarded newsletter's subject; a word glued to an exchange after
    # it is that word, not a symbol, unless a $ says so ($SHOP:NYSE above).
    assert codes(text) == []


# A foreign exchange after a common word is trading context where the word opens no line,
# sentence or label: inside a sentence or in brackets it is the symbol, as `TSX:WEED` is
# (issue 28, twentieth round). `NOTE:TSE` above opens its line; the US markets keep the rule.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Bought more WEED:TSX today", [("WEED", "TO")]),
     ("Canopy Growth (WEED:TSX) rallied", [("WEED", "TO")]),
     ("WEED:TSX up 5%", []), ("Update. NOTE:TSE rules apply", []),
     ("Subject: FW:NASDAQ listing rules", []), ("I read it RE:NYSE hours", [])],
    ids=["inside-a-sentence", "in-brackets", "opening-the-text", "opening-a-sentence",
         "after-a-label", "us-market"],
)
def test_a_word_inside_a_sentence_before_a_foreign_exchange_is_its_code(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(text) == expected


# An indented line opens as any line does: with eight spaces or more before the word, the
# look-back saw spaces only and took the label for a symbol inside a sentence (review28).
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hi.\n        NOTE:TSE rules apply", []), ("            NOTE:TSE rules apply", []),
     ("Update.\t\t\t\t\t\t\t\t\tNOTE:TSE rules", []), ("Update." + " " * 40 + "NOTE:TSE", []),
     ("Bought more          WEED:TSX today", [("WEED", "TO")])],
    ids=["indented-line", "indented-text", "tabs-after-a-sentence", "spaces-after-a-sentence",
         "spaces-inside-a-sentence"],
)
def test_a_word_after_a_run_of_spaces_opens_as_without_it(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(text) == expected


# A sentence's end inside its closing quote or bracket opens the next as a plain one does, and
# so does a list's bullet or a quoted line's > at a line's start: the word glued to the
# exchange after them is a label, not a Toronto symbol (facts29). A dash or a quote inside a
# sentence opens nothing.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("He said \"fine.\" NOTE:TSE rules apply", []),
     ("He said 'fine!' NOTE:TSE rules apply", []),
     ("He said \u201cfine?\u201d NOTE:TSE rules apply", []),
     ("(See above.) NOTE:TSE rules apply", []),
     ("Rules:\n- NOTE:TSE rules apply", []), ("- NOTE:TSE rules apply", []),
     ("Rules:\n  * NOTE:TSE rules apply", []), ("Rules:\n\u2022 NOTE:TSE rules apply", []),
     ("Quoting you:\n> NOTE:TSE rules apply", []),
     ("He said \"buy\" WEED:TSX today", [("WEED", "TO")]),
     ("Canopy - WEED:TSX today", [("WEED", "TO")]),
     ("Rules - NOTE:TSE today", [("NOTE", "TO")])],
    ids=["double-quote", "single-quote", "curly-quotes", "bracket", "dash-bullet",
         "dash-bullet-opening-the-text", "indented-star-bullet", "round-bullet", "quoted-line",
         "quote-without-a-sentence-end", "dash-inside-a-sentence", "dash-after-a-word"],
)
def test_a_quoted_sentence_end_or_a_bullet_opens_a_clause(
        text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Tse: OK, see you tomorrow", []), ("Interview with Tse: AI.", []),
     ("Royal Bank (TSE: RY) is up", [("RY", "TO")]), ("Toyota TSE:7203", [("7203", "T")])],
    ids=["surname-chat", "surname-interview", "upper-case", "upper-case-tokyo"],
)
def test_tse_in_title_case_is_a_surname(text: str, expected: list[tuple[str, str]]) -> None:
    # Tse is a surname (a chat log's "Tse: OK,"): the exchange is written in capitals.
    assert codes(text) == expected
