"""A markdown table's header row that names a column of symbols or companies names the
columns, no security (tracker/extract/tables.py)."""

from __future__ import annotations

import pytest

from tracker.extract.models import RawPost
from tracker.extract.tables import table_heads
from tracker.ingest.analyze import Analyzer

# A post's table of listed car dealers, as an r/stocks essay writes it: `Oper M` is the
# operating margin's column, not the symbol OPER.
_DEALERS = ("Ticker|Company|Sales ($mn)|Gross M|Oper M|Profit M|\n"
            ":--|:--|--:|--:|--:|--:|\n"
            "KMX|CarMax Inc.|17,000|13.80%|6.20%|3.90%\n")


@pytest.mark.parametrize(
    ("text", "heads"),
    [(_DEALERS, ["Ticker|Company|Sales ($mn)|Gross M|Oper M|Profit M|"]),
     ("| **Company** | Oper M |\n|---|---|\n| CarMax | 6% |\n", ["| **Company** | Oper M |"]),
     ("Stock | Price\n---|---\nKMX | 100\n", ["Stock | Price"]),
     ("Year|Tesla|GM\n:--:|:--|:--\n2015|a|b\n", []),
     ("Ticker|Company\nKMX|CarMax\n", []),
     ("No table - just a | bar", [])],
    ids=["ticker-column", "bold-company", "stock-column", "comparison", "no-rule-row",
         "prose"],
)
def test_table_heads(text: str, heads: list[str]) -> None:
    assert [text[s:e] for s, e in table_heads(text)] == heads


def _keys(analyzer: Analyzer, text: str) -> list[str]:
    post = analyzer.analyze(RawPost("test", text, published_field="2018-06-01"))
    return [m.ticker for m in post.mentions] if post is not None else []


def test_a_column_label_beside_a_ticker_column_is_no_symbol(analyzer: Analyzer) -> None:
    keys = _keys(analyzer, _DEALERS)
    assert "OPER" not in keys
    assert "KMX" in keys


def test_a_header_of_compared_companies_still_names_them(analyzer: Analyzer) -> None:
    assert "TSLA" in _keys(analyzer, "Year|Tesla|General Motors\n:--:|:--|:--\n2015|a|b\n")
