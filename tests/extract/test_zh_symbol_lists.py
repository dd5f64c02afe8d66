"""Lists of US symbols inside Chinese text (tracker/extract/zh_symbol_lists.py)."""

from __future__ import annotations

import pytest

from tracker.extract.zh_symbol_lists import symbols_in_lists
from tracker.ingest.analyze import Analyzer

_LISTED = {"ZM", "SE", "EBAY", "ROKU", "CCL", "GH", "ADSK", "NVDA", "AMD"}


def _found(text: str, *symbols: str) -> list[tuple[int, int]]:
    return [(text.index(s), text.index(s) + len(s)) for s in symbols]


@pytest.mark.parametrize(
    ("text", "anchors", "expected"),
    [("期权异动：ZM、SE、EBAY、ROKU、CCL", ("ROKU", "CCL"), ["ZM", "SE", "EBAY"]),
     ("卖出：GH,ADSK,NVDA;ARK基金买入", ("ADSK", "NVDA"), ["GH"]),
     ("期权异动：ZM、SE、EBAY、ROKU、CCL", ("ROKU",), []),
     ("GPU、CPU、NVDA、AMD", ("NVDA", "AMD"), []),
     ("ZM和ROKU", ("ROKU",), []),
     ("ZM、SE、EBAY、XQZW、ROKU、CCL", ("ROKU", "CCL"), [])],
    ids=["options-pool", "unlisted-item-ends-the-list", "one-anchor", "loan-words",
         "two-items", "an-unlisted-item-splits-it"])
def test_the_rest_of_a_list_of_symbols(text: str, anchors: tuple[str, ...],
                                       expected: list[str]) -> None:
    got = symbols_in_lists(text, _found(text, *anchors), _LISTED.__contains__)
    assert [s.symbol for s in got] == expected
    assert all(text[s.start:s.end] == s.symbol for s in got)


def test_a_post_reads_the_whole_pool(analyzer: Analyzer) -> None:
    post = analyzer.analyze("今日机构期权异动：ZM、SE、EBAY、ROKU、WYNN、CCL")
    assert post is not None
    assert [m.ticker for m in post.mentions] == ["ZM", "SE", "EBAY", "ROKU", "WYNN", "CCL"]
