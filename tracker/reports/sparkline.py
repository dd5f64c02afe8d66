"""Unicode sparklines: a series of counts as one character per period (▁▂▃▄▅▆▇█)."""

from __future__ import annotations

import math
from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """One bar per value, scaled to the series' own peak.

    Zero (or a missing value) is the lowest bar `▁`; any positive value is at least `▂`, so a
    quiet period and an empty one look different; the peak is `█`.
    """
    clean = [0.0 if v is None or math.isnan(v) or v < 0 else float(v) for v in values]
    peak = max(clean, default=0.0)
    if peak <= 0:
        return BARS[0] * len(clean)
    top = len(BARS) - 1
    return "".join(BARS[0] if v == 0 else BARS[max(1, min(top, math.ceil(v / peak * top)))]
                   for v in clean)
