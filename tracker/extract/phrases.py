"""One phrase, one mention: a name written beside its own code ("Shares of TSMC (2330.TW)",
"600036.SH 招商银行", "688825.SS 长鑫") is the code's mention, not a second one.

A cashtag that carries its own name (`$招商银行(SH600036)$`) is a whole phrase already; only
codes and cashtags without a name (`2330.TW`, `$TSLA`) take the name beside them. A name
followed by a US symbol in brackets that no list holds (`Volkswagen (VLKAY)`) names the listing
that symbol is (`code_after_name`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from tracker.extract.exchange_codes import EXCHANGE_PREFIXES
from tracker.extract.markets import CURRENCIES
from tracker.extract.name_rules import STOP_TICKERS, TRADING_TERMS
from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.words import COMPANY_SUFFIXES, is_common_word

# What may stand between a name and its code: spaces and brackets, nothing that lists.
_GAP = lazy_pattern(r"[\s()（）\[\]【】]{0,3}")
# A name's legal form or group word (any case, a comma before it), then a US symbol in
# brackets, with or without its $: "Ultra Petroleum Corp (UPL)", "Volkswagen AG (VLKAY)",
# "Power Assets Holdings (HGKGY)", "Nestle ($NSRGY)".
_LEGAL_FORMS = "|".join(sorted({*COMPANY_SUFFIXES, "ag", "sa", "se", "nv", "group", "holdings"},
                               key=len, reverse=True))
_CODE_AFTER_NAME = lazy_pattern(
    rf"(?:,?[ \t]+(?i:{_LEGAL_FORMS})\.?)*[ \t]*\(\$?([A-Z]{{2,5}})\)")


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def _beside(text: str, a: _Span, b: _Span) -> bool:
    left, right = (a, b) if a.end <= b.start else (b, a)
    return right.start >= left.end and _GAP.fullmatch(text, left.end, right.start) is not None


N = TypeVar("N", bound=_Span)
C = TypeVar("C", bound=_Span)


def drop_names_beside_codes(text: str, codes: Sequence[C], names: Sequence[N],
                            same: Callable[[N, C], bool]) -> list[N]:
    """`names` without those written beside a code of `codes` that `same` says they name."""
    return [n for n in names
            if not any(_beside(text, n, c) and same(n, c) for c in codes)]


def code_after_name(text: str, end: int) -> tuple[int, int, str] | None:
    """The US symbol in brackets right after a name that ends at `end` (past its legal form),
    as (start, end, symbol): `Volkswagen (VLKAY)`, `Ultra Petroleum Corp (UPL)`. None where
    there is none or the brackets hold what is no symbol there: a word (`Apple (NEW)`), a
    trading term or an acronym of the stoplist (`(ADR)`, `(ETF)`, `(CEO)`), an exchange
    (`(NYSE)`, `(OTC)`) or a currency (`(EUR)`)."""
    match = _CODE_AFTER_NAME.match(text, end, end + 40)
    if match is None:
        return None
    symbol = match[1]
    if (symbol in STOP_TICKERS or symbol in TRADING_TERMS or symbol in EXCHANGE_PREFIXES
            or symbol in CURRENCIES or is_common_word(symbol)):
        return None
    return match.start(1), match.end(1), symbol
