"""Cashtags and security tags: what is a ticker, what is money."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tracker
from tracker.extract.cashtags import find_cashtags, is_ticker, parse_counter_id, split_code
from tracker.extract.html import TagSpan, html_to_text


def tickers(text: str) -> list[tuple[str, str | None]]:
    return [(h.ticker, h.market) for h in find_cashtags(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$TSLA to the moon", [("TSLA", None)]),
        ("$Tesla(TSLA.US) again", [("TSLA", "US")]),
        ("$Taiwan Semiconductor(TSM.US).", [("TSM", "US")]),
        ("$Apple Inc.(AAPL.US) stabilized", [("AAPL", "US")]),
        ("$腾讯控股(00700.HK)", [("00700", "HK")]),
        ("$贵州茅台（600519.SH）", [("600519", "SS")]),
        ("mastered by $2382 and $2317.", [("2382", "TW"), ("2317", "TW")]),
        ("$BRK.B is cheap", [("BRK.B", None)]),
        ("$0700.HK", [("0700", "HK")]),
    ],
    ids=["plain", "named", "named-two-words", "named-with-dot", "hk-chinese-name",
         "fullwidth-parens", "numeric-taiwan", "share-class", "numeric-with-market"],
)
def test_tickers(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert tickers(text) == expected


@pytest.mark.parametrize(
    "text",
    ["above $20 billion.", "valuation reaching $45-$50 billion", "costs $7", "over $1 trillion",
     "$3 trillion", "$1,000 a share", "$2.5bn deal", "$2000-$3000 range", "$1500 million",
     "$12.50", "pay $5000 to", "US$ and $", "$", "$$$"],
    ids=["20-billion", "range", "seven", "trillion", "3-trillion", "thousands-comma",
         "decimal-bn", "numeric-range", "numeric-million", "cents", "numeric-to",
         "bare-dollar", "dollar-at-end", "dollars"],
)
def test_money_is_not_a_ticker(text: str) -> None:
    assert tickers(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("price prediction \\($QQQ\\) for Tuesday", [("QQQ", None)]),
        ("Long **$SOFI\\*\\* and $ARKK\\_ too", [("SOFI", None), ("ARKK", None)]),
        ("Earnings for $NET\\!", [("NET", None)]),
        ("for all $q\\geq 1$ it holds", []),
        ("$x\\in X$ and $a\\cdot b$", []),
    ],
    ids=["escaped-brackets", "escaped-stars-underscore", "escaped-bang", "tex-geq", "tex-in"],
)
def test_a_markdown_escape_after_a_cashtag_is_no_tex(text: str,
                                                     expected: list[tuple[str, str | None]]) -> None:
    # Reddit's editor escapes punctuation (`\($QQQ\)` in a post of the development set): a
    # backslash after a cashtag blocked it whatever followed, where only a TeX command (a
    # backslash and letters) makes the `$` TeX's.
    assert tickers(text) == expected


def test_span_and_its_cashtag_are_one_mention() -> None:
    html = ('<span class="security-tag" counter_id="ST/US/TSLA" name="Tesla, Inc.">'
            "$Tesla(TSLA.US)</span> fell")
    text, spans, _ = html_to_text(html, collapse_whitespace=False)
    hits = find_cashtags(text, spans)
    assert [(h.ticker, h.market, h.kind, h.name) for h in hits] == [
        ("TSLA", "US", "security_tag", "Tesla, Inc.")]
    assert text[hits[0].start:hits[0].end] == "$Tesla(TSLA.US)"


def test_numeric_market_comes_from_config() -> None:
    assert [(h.ticker, h.market) for h in find_cashtags("$0700", numeric_market="HK")] == [
        ("0700", "HK")]


def test_a_caret_marks_only_an_index() -> None:
    # Yahoo writes an index with a caret (^VIX); a caret before an equity's symbol is no index,
    # and the index's key must not go to the equity (^PM in a Reddit bot's footer).
    listed = {"VIX", "PM"}
    hits = find_cashtags("^VIX up, ^PM down", listed=lambda t, m: t in listed,
                         index=lambda t: t == "VIX")
    assert [(h.ticker, h.instrument) for h in hits] == [("VIX", "index")]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("TSLA.US", ("TSLA", "US")), ("BRK.B", ("BRK.B", None)), ("600519.SH", ("600519", "SS"))],
    ids=["us", "share-class", "shanghai"],
)
def test_split_code(code: str, expected: tuple[str, str | None]) -> None:
    assert split_code(code) == expected


def test_parse_counter_id() -> None:
    assert parse_counter_id("ST/US/TSLA") == ("TSLA", "US")
    assert parse_counter_id("ST/SH/600519") == ("600519", "SS")
    assert parse_counter_id("") is None


@pytest.mark.parametrize(("counter_id", "expected"), [
    ("ST/US/", None), ("ST/US/ ", None), ("/", None), ("ST//TSLA", ("TSLA", None)),
    ("ST/US/TSLA/", ("TSLA", "US")), ("TSLA", ("TSLA", None)), ("US/TSLA", ("TSLA", "US")),
], ids=["no-symbol", "blank-symbol", "slash", "no-market", "trailing-slash", "symbol-only",
        "market-and-symbol"])
def test_an_empty_place_in_a_counter_id_is_not_filled_by_its_neighbour(
        counter_id: str, expected: tuple[str, str | None] | None) -> None:
    # "ST/US/" (a tag with its symbol left out) was a mention of US on market ST, and
    # "ST//TSLA" of TSLA on market ST.
    assert parse_counter_id(counter_id) == expected


@given(st.text())
def test_never_raises_and_offsets_hold(text: str) -> None:
    for hit in find_cashtags(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.ticker.split(".")[0] in text[hit.start:hit.end].upper()


@pytest.mark.parametrize(
    "text",
    ["$AMD wins a huge order, great news! (1)", "$AMD up (12)", "$TXN - Texas Instruments (TXN)"],
    ids=["sentence-then-number", "short-number", "dash-separated-name"],
)
def test_parenthesised_aside_is_not_a_named_cashtag(text: str) -> None:
    assert [h.ticker for h in find_cashtags(text)][0] in ("AMD", "TXN")
    assert all(not h.ticker.isdigit() for h in find_cashtags(text))


@pytest.mark.parametrize(
    "counter_id",
    ["ST/US/$\\sqrt{x}$", "ST/US/<script>", "ST/US/TS\nLA", "ST/US/" + "A" * 16, "ST/<b>/TSLA",
     "ST/US/-X", "ST/US/特斯拉"],
    ids=["mathtext", "markup", "newline", "too-long", "bad-market", "leading-dash", "not-ascii"],
)
def test_a_tag_whose_symbol_is_not_a_ticker_is_not_a_mention(counter_id: str) -> None:
    # Issue 14: a hostile counter_id reached the charts and crashed matplotlib's math parser.
    text = "great quarter for them"
    hits = find_cashtags(text, [TagSpan(0, 5, counter_id, "x")])
    assert hits == []


def test_tickers_are_in_the_documented_set() -> None:
    assert parse_counter_id("ST/US/BRK.B") == ("BRK.B", "US")
    assert parse_counter_id("ST/HK/00700") == ("00700", "HK")
    assert parse_counter_id("ST/US/$\\sqrt{x}$") is None
    assert all(is_ticker(t) for t in ("TSLA", "BF-B", "600519", "0700", "A" * 15))
    assert not any(is_ticker(t) for t in ("", "A" * 16, ".A", "$A", "A B", "tsla"))


@given(st.text(), st.text())
def test_every_tag_hit_is_a_valid_ticker(counter_id: str, body: str) -> None:
    text = body or "x"
    for hit in find_cashtags(text, [TagSpan(0, len(text), counter_id, None)]):
        assert is_ticker(hit.ticker)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A cashtag, prose, then a name with its code in brackets: two securities, where the
        # `$Name(CODE)` form read the whole run as one tag and lost the cashtag.
        ("$NVDA and Advanced Micro Devices (AMD) both up", {"NVDA", "AMD"}),
        ("$DOGE.X Why Bitcoin (BTC) leads", {"DOGE", "BTC"}),
        # One tag still: the name's first word is its own code, a name in capitals (雪球's
        # English names), a tag that closes with $, a name that is no symbol.
        ("$TSLA Tesla (TSLA) up", {"TSLA"}),
        ("$ADV MICRO DEVICE(AMD) rallies", {"AMD"}),
        ("$ADV MICRO DEVICE(AMD)$ 竞争对手", {"AMD"}),
        ("$Apple Inc (AAPL) rallies", {"AAPL"}),
        ("$TE Connectivity(TEL.US) and more", {"TEL"}),
    ],
    ids=["cashtag-then-name", "coin-then-name", "own-code-first", "capitals", "xueqiu-closed",
         "plain-name", "platform-tag-with-market"],
)
def test_a_cashtag_before_a_named_code_is_a_mention_of_its_own(text: str,
                                                               expected: set[str]) -> None:
    post = tracker.analyze(text, published="2021-06-01")
    assert {m.ticker for m in post.mentions} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A company's name that opens with letters another listing holds as its symbol, then
        # a capitalised word, is the bracketed code's name: one mention, not a cashtag of GE,
        # HP, KB, AMC, UP or SEA and another of the code.
        ("$GE Vernova (GEV) up", {"GEV"}),
        ("$GE HealthCare (GEHC) up", {"GEHC"}),
        ("$HP Enterprise (HPE) up", {"HPE"}),
        ("$KB Home (KBH) up", {"KBH"}),
        ("$AMC Networks (AMCX) up", {"AMCX"}),
        ("$UP Fintech (TIGR) up", {"TIGR"}),
        ("$SEA Limited (SE) up", {"SE"}),
        # Prose after the cashtag, or a coin's .X before a name, is still two.
        ("$NVDA & Advanced Micro Devices (AMD) up", {"NVDA", "AMD"}),
        ("$BTC.X Apple (AAPL) up", {"BTC", "AAPL"}),
    ],
    ids=["GEV", "GEHC", "HPE", "KBH", "AMCX", "TIGR", "SE", "ampersand", "coin-then-name"],
)
def test_a_name_opening_with_another_symbol_then_a_capital_is_one_tag(
        text: str, expected: set[str]) -> None:
    post = tracker.analyze(text, published="2025-06-02")
    assert {m.ticker for m in post.mentions} == expected
