"""Indices and futures written by their providers' Chinese names (tracker/data/instruments.csv)."""

from __future__ import annotations

import pytest

import tracker


def _keys(text: str) -> list[tuple[str, str]]:
    post = tracker.analyze(text, published="2021-06-01")
    return [(m.ticker, m.market) for m in post.mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("中证1000今天跌了2%", ("000852", "SS")),
     ("深证100涨幅居前", ("399330", "SZ")),
     ("恒生国企指数跌了2%", ("HSCEI", "HK")),
     ("恒生中国企业指数收跌", ("HSCEI", "HK")),
     ("罗素3000指数创新高", ("RUA", "US")),
     ("德国DAX指数跌0.5%", ("GDAXI", "DE")),
     ("布伦特原油涨到70美元", ("BZ_F", "US")),
     ("纽约黄金大涨", ("GC_F", "US")),
     ("欧洲美元期货的定价", ("GE_F", "US")),
     ("深证成份指数跌1%", ("399001", "SZ")),
     ("深证综指收涨", ("399106", "SZ")),
     ("道琼斯指数期货跌0.3%", ("YM_F", "US"))],
    ids=["csi-1000", "szse-100", "hscei-short", "hscei-full",
         "russell-3000", "dax", "brent", "comex-gold", "eurodollar", "szse-component-full",
         "szse-composite", "dow-futures"])
def test_an_index_or_future_by_its_chinese_name(text, expected) -> None:
    assert _keys(text) == [expected]


@pytest.mark.parametrize(
    "text",
    ["港股国企指数型基金哪个好", "在纳斯达克上市", "华夏中证1000ETF净流入"],
    ids=["bare-guoqi-is-no-alias", "the-exchange-is-no-index", "a-fund-by-name"])
def test_words_near_an_index_name_are_not_it(text) -> None:
    assert _keys(text) == []
