"""Exchange funds a Chinese post writes by name and code (tracker/extract/zh_funds.py)."""

from __future__ import annotations

import pytest

from tracker.extract.zh_funds import find_fund_codes
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize(
    ("text", "expected"),
    [("华夏新能源车ETF（515030）本周上涨", [("515030", "SS", "华夏新能源车ETF")]),
     ("华夏芯片ETF（159995）、游戏ETF(159869)", [("159995", "SZ", "华夏芯片ETF"),
                                              ("159869", "SZ", "游戏ETF")]),
     ("消费ETF510150不错", [("510150", "SS", "消费ETF")]),
     ("美国消费LOF(162415)", [("162415", "SZ", "美国消费LOF")]),
     ("中证1000ETF（159845）", [("159845", "SZ", "中证1000ETF")]),
     ("茅台和电子ETF（515260）", [("515260", "SS", "电子ETF")]),
     ("买了515030", []), ("ETF（515030）", []), ("消费ETF（600519）", []),
     ("消费ETF5101500份", []), ("股票型ETF净流入5.6亿元", [])],
    ids=["brackets", "two-in-a-list", "glued", "lof", "digits-in-name", "joiner-ends-name",
         "code-alone", "no-name", "share-code", "seven-digits", "no-code"])
def test_a_funds_name_and_code(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(h.ticker, h.market, h.name) for h in find_fund_codes(text)] == expected


def test_a_fund_inside_a_taken_span_is_not_found_again() -> None:
    text = "$科创50ETF(SH588000)$ 华夏科创50ETF（588000）"
    assert find_fund_codes(text, [(0, 20)]) == find_fund_codes(text)[-1:]
    assert find_fund_codes(text, [(0, len(text))]) == []


def test_a_post_keys_the_fund_once_as_an_etf(analyzer: Analyzer) -> None:
    post = analyzer.analyze("华夏恒生ETF（159920）和茅台都涨了")
    assert post is not None
    assert [(m.ticker, m.market, m.kind) for m in post.mentions] == [
        ("159920", "SZ", "code"), ("600519", "SS", "name")]


def test_the_companies_before_a_funds_name_are_still_read(analyzer: Analyzer) -> None:
    # A run of characters before the kind word may hold companies (丶 is typed for 、): the
    # fund's mention spans its kind word and code only.
    post = analyzer.analyze("重仓股：贵州茅台丶中国平安深100etf（159901）：五粮液")
    assert post is not None
    assert [(m.ticker, m.market) for m in post.mentions] == [
        ("600519", "SS"), ("601318", "SS"), ("159901", "SZ"), ("000858", "SZ")]
    hit = find_fund_codes("贵州茅台丶中国平安深100etf（159901）")[0]
    assert (hit.start, hit.name) == (13, "中国平安深100etf")
