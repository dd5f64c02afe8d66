"""Exchange funds a Chinese post writes by name with their code: `新能源车ETF（515030）`,
`华夏芯片ETF（159995）`, `消费ETF510150`, `美国消费LOF(162415)`.

The universe holds shares, not the funds of the Shanghai and Shenzhen exchanges, and 雪球's
fund houses write their ETFs this way in their daily flow reports. The code after a fund's
name is a fund code by its own form (markets.exchange_fund_market: 51xxxx on Shanghai, 15xxxx
on Shenzhen), so the pair names one fund: the code keys it (515030.SS), and the name before it
is its name (the mention's span is the kind word and the code). A code alone (`买了515030`)
or after any other word is left to the cashtag rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.extract.cashtags import CashtagHit
from tracker.extract.markets import exchange_fund_market
from tracker.extract.text.lazy_pattern import lazy_pattern

# A fund's kind word, then its six-digit code in brackets or glued to it: `ETF（515030）`,
# `ETF 515030`, `LOF(162415)`. The code must end there (not a seven-digit number).
_FUND_CODE = lazy_pattern(r"(?:ETF|etf|LOF|lof)\s?"
                          r"(?:[(（]\s?(?P<a>\d{6})\s?[)）]|(?P<b>\d{6})(?!\d))")
# The characters of a fund's name before its kind word: Chinese, letters and digits
# (中证1000ETF, 5GETF, 科创50ETF); anything else (a space, a comma, 、) ends it.
_NAME_CHAR = lazy_pattern(r"[\u3400-\u9fffA-Za-z0-9]")
# Words that join two names (`茅台和新能源车ETF`, `贵州茅台丶中国平安`: 丶 is typed for 、) end
# a name too.
_JOINERS = frozenset("和与及跟或、丶")
_NAME_REACH = 12


def _name_start(text: str, end: int) -> int:
    """Where the fund's name that ends at `end` starts: at most `_NAME_REACH` name
    characters back, stopping at a joiner."""
    start = end
    while (start > 0 and end - start < _NAME_REACH and _NAME_CHAR.match(text, start - 1)
           and text[start - 1] not in _JOINERS):
        start -= 1
    return start


def find_fund_codes(text: str, taken: Sequence[tuple[int, int]] = ()) -> list[CashtagHit]:
    """Each exchange fund written as its name and code in `text` (`新能源车ETF（515030）`),
    as a code hit keyed on the code's exchange, instrument etf, named as written; none that
    overlaps a span in `taken` (a cashtag, a link)."""
    if "ETF" not in text and "LOF" not in text and "etf" not in text and "lof" not in text:
        return []
    hits = []
    for match in _FUND_CODE.finditer(text):
        code = match["a"] or match["b"]
        market = exchange_fund_market(code)
        if market is None:
            continue
        start, end = match.start(), match.end()
        head = _name_start(text, start)
        if head == start or any(s < end and start < e for s, e in taken):
            continue  # a kind word with no name is not a fund's name (`ETF 512880` in a list)
        # The hit spans the kind word and the code: where the name begins is a guess (a run
        # of characters may hold companies before it: `贵州茅台丶中国平安深100etf（159901）`),
        # and the name matcher already passes over a name inside a fund's (names.py's
        # _names_a_fund: 恒生 in 恒生ETF).
        name = text[head:start] + match.group()[:3]
        hits.append(CashtagHit(start, end, code, market, name, "code", instrument="etf"))
    return hits
