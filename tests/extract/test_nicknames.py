"""Holders' nicknames (tracker/extract/nicknames.py): a curated company's symbol or the head
of its name run into -tard(s) or -toid(s) is the company; other such words are not."""

from __future__ import annotations

import pytest

from tests.extract.mention_keys import keys
from tracker.extract.models import RawPost
from tracker.extract.nicknames import name_heads
from tracker.extract.securities import Security, canonical_key
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Palantards!!!!...ASSEMBLE!", ["PLTR"]), ("HIGH FIVE PALANTOIDS!", ["PLTR"]),
     ("Palantard life is finally paying off", ["PLTR"]), ("Come on CLOVtards it's time", ["CLOV"]),
     ("Clovtard here holding strong", ["CLOV"]), ("bbtards thought earnings would help", ["BB"]),
     ("you retards and bastards", []), ("libtards and cryptards", []),
     ("mustard on a hot dog", []), ("leotards for the class", [])],
    ids=["name-head", "name-head-toids", "singular", "symbol", "title-symbol", "lower-symbol",
         "retards", "other-stems", "mustard", "leotards"],
)
def test_a_holders_nickname_is_the_company(analyzer: Analyzer, text: str,
                                           expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


def test_a_head_two_companies_share_is_dropped() -> None:
    a, b = Security("AAA", "US", "Palantir"), Security("BBB", "US", "Palanquin")
    heads = name_heads([("Palantir", a), ("Palanquin", b)])
    assert "pala" not in heads and "palan" not in heads
    assert heads["palant"] is a and heads["palanq"] is b
    assert "pal" not in heads


@pytest.mark.parametrize(
    ("text", "expected"),
    [("For all the AMCers out there", ["AMC"]),
     ("Just give the WISHers their own thread", ["WISH"]),
     ("Absolutely getting taken to the $CLNErs at the moment", ["CLNE"]),
     ("Where my CLOVers at", ["CLOV"]),
     ("If you want to be my CLOVer you gotta get with my friends", ["CLOV"]),
     ("all the WSBers that once filled this board", []),
     ("the FOMOers bought the top", []),
     ("our BBers and MOers", []),
     ("follow @AMCers for news", []),
     ("the amcers and Amcers", [])],
    ids=["holders", "wishers", "cashtag", "plural", "singular", "forum", "jargon",
         "two-letters", "handle", "not-capitals"],
)
def test_a_symbol_run_into_a_holders_ending_is_the_company(analyzer: Analyzer, text: str,
                                                          expected: list[str]) -> None:
    """A symbol in capitals that counts on sight, run into -er or -ers, names its holders
    (nicknames.RUN_INTO); a forum's, a jargon word's or a two-letter stem does not."""
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("SPCEEEEEEE", ["SPCE"]),
     ("WTF BABAAAAAAAAAA", ["BABA"]),
     ("look at it go CLOVVVVVVVV", ["CLOV"]),
     ("$AMCCCCC to the moon", ["AMC"]),
     ("SQQQ only thing green in portfolio", ["SQQQ"]),
     ("EU STOXXX 600 - 20%", []),
     ("MOOOOOOOOOOO!!!!!! NOOOOOO", []),
     ("BUYYYYY THE DIP and HOLDDDDD", []),
     ("BULLLLLL RUN, PULLLLL UP", []),
     ("follow #SPCEEEEE and @GMEEEEE", []),
     ("AAAAAAAAAAAAAAAAAAAAAA", []),
     ("Spceeeeee and spceeeee", [])],
    ids=["held-e", "held-a", "held-v", "cashtag", "a-symbol-of-three-q", "three-only",
         "two-letters", "words", "a-double-letter-held", "tag-and-handle", "one-letter", "not-capitals"],
)
def test_a_symbol_shouted_with_its_last_letter_held_is_the_company(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    """A symbol in capitals that counts on sight, its last letter written four times or more
    (nicknames.HELD_LAST), is the company; a word, a two-letter symbol, a letter written only
    three times or a tag is not."""
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("the TWTRers are happy", "2019-03-01", ["TWTR@2022"]),
     ("the AMTDers are happy", "2018-03-01", ["AMTD@2020"]),
     ("the AMTDers are happy", "2024-03-01", ["AMTD"]),
     ("the AMCers are happy", "2019-03-01", ["AMC"]),
     ("the TWTRers are happy", None, [])],
    ids=["gone-symbol", "symbol-reused-since", "todays-holder", "held-throughout", "undated"],
)
def test_a_symbol_run_into_a_holders_ending_is_its_holder_on_the_posts_day(
        analyzer: Analyzer, text: str, day: str | None, expected: list[str]) -> None:
    """As a bare symbol is ("TWTR is up" in 2019 is Twitter, TWTR@2022; "AMTD" in 2018 TD
    Ameritrade, AMTD@2020, today's AMTD listing in 2019): a run-in was keyed on today's
    holder, so on a post from before its listing it was dropped as a company named before
    it listed, and a symbol gone since was no holders' name at all."""
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert post is not None
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected
