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
    ("text", "found", "heads"),
    [(_DEALERS, "KMX", ["Ticker|Company|Sales ($mn)|Gross M|Oper M|Profit M|"]),
     ("| **Company** | Oper M |\n|---|---|\n| CarMax | 6% |\n", "CarMax",
      ["| **Company** | Oper M |"]),
     ("Stock | Price\n---|---\nKMX | 100\n", "KMX", ["Stock | Price"]),
     ("Year|Tesla|GM\n:--:|:--|:--\n2015|a|b\n", "Tesla", []),
     ("Ticker|Company\nKMX|CarMax\n", "KMX", []),
     ("No table - just a | bar", "bar", []),
     ("| Ticker | AAPL | MSFT |\n|---|---|---|\n| P/E | 30 | 35 |\n", "AAPL", []),
     ("Price | Stock\n---|---\n100 | KMX\n", "100", []),
     ("Stock | Price\n---|---\nKMX | 100\n\nKMX | 100\n", "KMX", [])],
    ids=["ticker-column", "bold-company", "stock-column", "comparison", "no-rule-row",
         "prose", "codes-in-the-header", "found-in-another-column", "found-past-the-table"],
)
def test_table_heads(text: str, found: str, heads: list[str]) -> None:
    # `found`: the word's last occurrence, as a security the rules found there.
    at = text.rindex(found)
    assert [text[s:e] for s, e in table_heads(text, [(at, at + len(found))])] == heads


def _keys(analyzer: Analyzer, text: str) -> list[str]:
    post = analyzer.analyze(RawPost("test", text, published_field="2018-06-01"))
    return [m.ticker for m in post.mentions] if post is not None else []


def test_a_column_label_beside_a_ticker_column_is_no_symbol(analyzer: Analyzer) -> None:
    keys = _keys(analyzer, _DEALERS)
    assert "OPER" not in keys
    assert "KMX" in keys


def test_a_header_of_compared_companies_still_names_them(analyzer: Analyzer) -> None:
    assert "TSLA" in _keys(analyzer, "Year|Tesla|General Motors\n:--:|:--|:--\n2015|a|b\n")


@pytest.mark.parametrize("text", [
    "| Ticker | AAPL | MSFT | NVDA |\n|---|---|---|---|\n| P/E | 30 | 35 | 60 |\n",
    "| Company | Apple | Microsoft | Nvidia |\n|---|---|---|---|\n| P/E | 30 | 35 | 60 |\n",
], ids=["codes", "names"])
def test_a_comparison_with_its_label_in_the_corner_names_its_securities(
        analyzer: Analyzer, text: str) -> None:
    # The header's first cell labels the rows below (P/E), which name no security: the
    # header's other cells are the securities compared (long19 dropped all three).
    assert sorted(set(_keys(analyzer, text))) == ["AAPL", "MSFT", "NVDA"]
