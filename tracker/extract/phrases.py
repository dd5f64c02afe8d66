"""One phrase, one mention: a name written beside its own code ("Shares of TSMC (2330.TW)",
"600036.SH 招商银行", "688825.SS 长鑫") is the code's mention, not a second one.

A cashtag that carries its own name (`$招商银行(SH600036)$`) is a whole phrase already; only
codes and cashtags without a name (`2330.TW`, `$TSLA`) take the name beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from tracker.extract.text.lazy_pattern import lazy_pattern

# What may stand between a name and its code: spaces and brackets, nothing that lists.
_GAP = lazy_pattern(r"[\s()（）\[\]【】]{0,3}")


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
