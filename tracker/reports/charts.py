"""PNG charts of mentions and tone over time, per ticker or group (matplotlib, headless).

matplotlib is imported only when a chart is drawn, and only its object API with the Agg
canvas is used: no pyplot, no display, no global state, so charts draw in cron jobs and
threads alike.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.errors import TrackerError
from tracker.reports.aggregate import FREQ_NAMES, build_table, wide_table
from tracker.reports.render import write_atomic

MAX_SERIES = 8
# Fonts that draw Chinese; the first one installed is used for labels that need it.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


class ChartError(TrackerError):
    """A chart cannot be drawn (matplotlib missing, nothing to plot)."""


def chart_data(frame: pd.DataFrame, by: str, freq: str, tz: tzinfo,
               periods: Sequence[pd.Timestamp] | None = None,
               limit: int = MAX_SERIES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions and mean tone per period (rows) and key (columns), most mentioned first.

    `periods` fixes the rows (e.g. a briefing's history); at most `limit` keys are kept.
    """
    table = build_table(frame, by, freq, tz)
    mentions = wide_table(table, by, "mentions", freq).set_index("period")
    tone = wide_table(table, by, "tone", freq).set_index("period")
    keys = list(mentions.columns[:limit])
    mentions, tone = mentions[keys], tone.reindex(columns=keys)
    if periods is not None:
        mentions = mentions.reindex(list(periods)).fillna(0).astype(int)
        tone = tone.reindex(list(periods))
    return mentions, tone


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _needs_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def chart_label(text: str, cjk_font: str | None) -> str:
    """`text` if the chart can draw it; else Chinese and other wide characters as `?`.

    The default font (DejaVu Sans) has no Chinese; with no CJK font installed a label such
    as 贵州茅台 would draw as empty boxes, so it is replaced rather than drawn wrong.
    """
    if cjk_font or not _needs_cjk(text):
        return text
    return "".join("?" if unicodedata.east_asian_width(c) in ("W", "F") else c for c in text)


def render_chart(mentions: pd.DataFrame, tone: pd.DataFrame, title: str) -> bytes:
    """A PNG: mentions per period (top) and mean tone, -1 to 1 (bottom), one line per key."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.dates import DateFormatter
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ChartError("charts need matplotlib: pip install matplotlib") from exc
    if mentions.empty or not len(mentions.columns):
        raise ChartError("nothing to chart: no mentions match the filters")
    cjk = _cjk_font()
    font: dict[str, Any] = {"prop": FontProperties(family=cjk)} if cjk else {}
    fig = Figure(figsize=(9, 5.4), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    x = pd.to_datetime(mentions.index)
    for key in mentions.columns:
        label = chart_label(str(key), cjk)
        top.plot(x, mentions[key], marker="o", markersize=3, linewidth=1.5, label=label)
        bottom.plot(x, tone[key], marker="o", markersize=3, linewidth=1, label=label)
    top.set_ylabel("mentions")
    top.set_ylim(bottom=0)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.grid(True, alpha=0.3)
    top.legend(loc="upper left", fontsize="small", ncols=min(4, len(mentions.columns)), **font)
    top.set_title(chart_label(title, cjk), **({"fontproperties": font["prop"]} if cjk else {}))
    bottom.set_ylabel("tone")
    bottom.set_ylim(-1, 1)
    bottom.axhline(0, color="grey", linewidth=0.8)
    bottom.grid(True, alpha=0.3)
    bottom.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    # No "Software" or date metadata, so the same data gives the same bytes.
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def write_chart(frame: pd.DataFrame, by: str, freq: str, tz: tzinfo, path: Path,
                periods: Sequence[pd.Timestamp] | None = None, title: str | None = None,
                limit: int = MAX_SERIES) -> Path:
    """Draw the chart of `frame`'s most mentioned tickers (or groups) to `path`, atomically."""
    mentions, tone = chart_data(frame, by, freq, tz, periods, limit)
    if title is None:
        title = f"Mentions and tone by {by}, {FREQ_NAMES[freq]}"
        if len(mentions.index):
            first, last = mentions.index.min(), mentions.index.max()
            title += f", {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    write_atomic(path, render_chart(mentions, tone, title))
    return path
