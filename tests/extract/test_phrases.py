"""Codes the universe does not know yet, and one mention per name-and-code phrase."""

from __future__ import annotations

import pytest

from tracker.extract.cashtags import find_cashtags, first_day_name, well_formed
from tracker.extract.models import RawPost
from tracker.extract.phrases import code_after_name, drop_names_beside_codes
from tracker.ingest.analyze import Analyzer


def _mentions(analyzer: Analyzer, text: str) -> list[tuple[str, str | None, str | None, str]]:
    post = analyzer.analyze(RawPost("x.jsonl", text, published_field="2026-11-02T08:00:00Z"))
    return [(m.ticker, m.market, m.name, m.kind) for m in post.mentions]


def _never_listed(ticker: str, market: str | None) -> bool:
    return False


@pytest.mark.parametrize(("text", "name"), [
    ("今天SH688825涨了", None),
    ("688825.SS 新股", None),
    ("$688825.SS", None),
    ("$长鑫科技(SH688825)$ 上市了", "长鑫科技"),
    ("$N长鑫(SH688825)$ 首日大涨", "长鑫"),
], ids=["prefix-code", "suffix-code", "cashtag-code", "named-cashtag", "first-day-N"])
def test_a_well_formed_code_not_in_the_universe_is_a_security(analyzer, text, name):
    assert analyzer.securities.lookup("688825", "SS") is None  # a listing after the snapshot
    [(ticker, market, got, _kind)] = _mentions(analyzer, text)
    assert (ticker, market, got) == ("688825", "SS", name)
    post = analyzer.analyze(RawPost("x.jsonl", text))
    assert post.mentions[0].instrument is None  # "not in the universe"


def test_a_code_on_the_wrong_exchange_for_its_prefix_is_not_taken():
    assert well_formed("688825", "SS") and not well_formed("688825", "SZ")
    assert not well_formed("2330", "TW")
    assert find_cashtags("SZ688825 and 1234.HK", listed=_never_listed) == []


@pytest.mark.parametrize(("text", "ticker", "market", "name"), [
    ("要起起起起！！！~$科创50ETF(SH588000)$ 恭喜", "588000", "SS", "科创50ETF"),
    ("$芯片(SZ159813)$ 跌了", "159813", "SZ", "芯片"),
    ("$中国互联(SZ164906)$", "164906", "SZ", "中国互联"),
    ("买了SH513330", "513330", "SS", None),
], ids=["sh-etf", "sz-etf", "sz-lof", "prefix-code"])
def test_an_exchange_fund_code_is_an_etf_though_the_universe_lists_no_funds(
        analyzer, text, ticker, market, name):
    assert analyzer.securities.lookup(ticker, market) is None
    post = analyzer.analyze(RawPost("x.jsonl", text))
    [mention] = post.mentions
    assert (mention.ticker, mention.market, mention.name, mention.instrument) == (
        ticker, market, name, "etf")


def test_a_fund_code_on_the_other_exchange_is_no_fund():
    assert well_formed("588000", "SS") and well_formed("159813", "SZ")
    assert not well_formed("588000", "SZ") and not well_formed("159813", "SS")
    assert not well_formed("700000", "SS")


@pytest.mark.parametrize(("name", "expected"), [
    ("N长鑫", "长鑫"), ("NVIDIA", "NVIDIA"), ("N", "N"), ("长鑫", "长鑫")], ids=str)
def test_first_day_mark_is_dropped_from_the_name_only_before_chinese(name, expected):
    assert first_day_name(name) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Shares of TSMC (2330.TW) rose", [("2330", "TW", "code")]),
    ("600036.SH 招商银行 涨了", [("600036", "SS", "code")]),
    ("招商银行（600036.SH）涨了", [("600036", "SS", "code")]),
    ("688825.SS 长鑫 涨了", [("688825", "SS", "code")]),
    # A cashtag that carries its name is a phrase of its own; what follows is another.
    ("$招商银行(SH600036)$ 招商银行不错", [("600036", "SS", "cashtag"), ("600036", "SS", "name")]),
    # A name beside another company's code is that company.
    ("$TSLA Apple shares", [("TSLA", "US", "cashtag"), ("AAPL", "US", "name")]),
    ("TSMC, 2330.TW and 600036.SH", [("2330", "TW", "name"), ("2330", "TW", "code"),
                                     ("600036", "SS", "code")]),
], ids=["name-bracket-code", "code-then-name", "fullwidth-brackets", "private-then-listed",
        "named-cashtag-then-name", "other-company", "listed-with-comma"])
def test_a_name_beside_its_code_counts_once(analyzer, text, expected):
    assert [(t, m, k) for t, m, _n, k in _mentions(analyzer, text)] == expected


def test_drop_names_beside_codes_keeps_names_apart_from_codes():
    class S:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end
    text = "AAA (111), BBB x 222"
    names, codes = [S(0, 3), S(11, 14)], [S(5, 8), S(17, 20)]
    kept = drop_names_beside_codes(text, codes, names, lambda n, c: True)
    assert [(n.start, n.end) for n in kept] == [(11, 14)]
    assert drop_names_beside_codes(text, codes, names, lambda n, c: False) == names


def _keys_on(analyzer: Analyzer, text: str, day: str) -> list[tuple[str, str | None, str, str]]:
    post = analyzer.analyze(RawPost("x.jsonl", text, published_field=day))
    return [(m.ticker, m.market, m.kind, text[m.start:m.end]) for m in post.mentions]


@pytest.mark.parametrize(("text", "day", "expected"), [
    # An over-the-counter ADR no list holds, after the name of a listing abroad (Frankfurt's
    # VOW3): the writer names the listing the post means; the post's other names of the
    # company mean it too.
    ("Volkswagen (VLKAY) acknowledged Monday that it helped finance the study", "2018-01-30",
     [("VLKAY", None, "code", "VLKAY")]),
    ("Volkswagen tortures monkeys with exhaust fumes Volkswagen (VLKAY) acknowledged", "2018-01-30",
     [("VLKAY", None, "name", "Volkswagen"), ("VLKAY", None, "code", "VLKAY")]),
    ("Power Assets Holdings (HGKGY) may cut its special dividend", "2018-06-01",
     [("HGKGY", None, "code", "HGKGY")]),
    # After a delisted holder's name and its legal form: the symbol the writer wrote.
    ("a thus-far-satisfactory Ultra Petroleum Corp (UPL). Checked numbers", "2018-06-01",
     [("UPL", None, "code", "UPL")]),
    # A cashtag in the brackets is the phrase's one mention already.
    ("Volkswagen ($VLKAY) acknowledged it", "2018-01-30", [("VLKAY", None, "cashtag", "$VLKAY")]),
], ids=["adr-after-foreign-name", "same-company-again", "adr-after-legal-form",
        "after-delisted-holder", "cashtag-in-brackets"])
def test_a_name_abroad_before_a_symbol_in_brackets_is_that_listing(analyzer, text, day, expected):
    assert _keys_on(analyzer, text, day) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A US listing's name keeps its key: a bracketed symbol that nobody holds is a typo.
    ("Microsoft (MSTF) Xbox headsets", [("MSFT", "US", "name", "Microsoft")]),
    # A coin's or an index's name with its own symbol (the first version read SHIB as a US
    # code no list holds).
    ("Shiba Inu (SHIB) Votes To End BONE Farming", [("SHIB", "X", "name", "Shiba Inu")]),
    ("Hang Seng (HSI) fell 2%", [("HSI", "HK", "name", "Hang Seng")]),
    # What brackets hold that is no symbol: an exchange, a currency, a word.
    ("Volkswagen (NYSE) lol", [("VOW3", "DE", "name", "Volkswagen")]),
    ("Volkswagen (EUR) results", [("VOW3", "DE", "name", "Volkswagen")]),
], ids=["us-name-typo", "coin", "index", "exchange", "currency"])
def test_a_bracketed_word_or_a_name_at_home_keeps_the_name(analyzer, text, expected):
    assert _keys_on(analyzer, text, "2022-06-01") == expected


@pytest.mark.parametrize(("text", "found"), [
    ("Volkswagen (VLKAY) up", "VLKAY"), ("Volkswagen AG (VLKAY)", "VLKAY"),
    ("Volkswagen Corp. (VLKAY)", "VLKAY"), ("Volkswagen, Inc ($VLKAY)", "VLKAY"),
    ("Volkswagen Holdings (VLKAY)", "VLKAY"),
    ("Volkswagen (ADR)", None), ("Volkswagen (OTC)", None), ("Volkswagen (CHF)", None),
    ("Volkswagen (NEW)", None), ("Volkswagen said (VLKAY)", None), ("Volkswagen (VOW3)", None),
    ("Volkswagen" + " Inc" * 20 + " (VLKAY)", None),
], ids=lambda v: str(v)[:40])
def test_code_after_name_reads_a_symbol_past_the_legal_form(text, found):
    code = code_after_name(text, len("Volkswagen"))
    assert (code[2] if code else None) == found
    if code:
        assert text[code[0]:code[1]] == found
