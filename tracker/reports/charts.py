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
from tracker.reports.aggregate import CHART_REMEDY, build_table, wide_table
from tracker.reports.choices import MAX_SERIES
from tracker.reports.render import period_label, write_atomic
from tracker.reports.spec import FREQ_NAMES, FREQS

# Fonts that draw Chinese; the first one installed is used for labels that need it.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


class ChartError(TrackerError):
    """A chart cannot be drawn (matplotlib missing, nothing to plot)."""


def chart_data(frame: pd.DataFrame, by: str, freq: str, tz: tzinfo,
               periods: Sequence[pd.Timestamp] | None = None,
               limit: int = MAX_SERIES, last: int | None = None,
               keys: Sequence[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions and mean tone per period (rows) and key (columns), most mentioned first.

    `periods` fixes the rows (e.g. a briefing's history); else the rows run from the first
    to the last period with data, or, with `last`, from the `last`-th last period that
    holds data. The columns are `keys` if given, else the `limit` most mentioned. A period
    in which nothing at all was mentioned is a gap (NaN), not a zero: the data does not
    cover it, so a line must not be drawn through it; a key silent in a period others speak
    in counts 0.
    """
    return table_chart_data(build_table(frame, by, freq, tz), by, freq, periods, limit, last,
                            keys)


def table_chart_data(table: pd.DataFrame, by: str, freq: str,
                     periods: Sequence[pd.Timestamp] | None = None,
                     limit: int = MAX_SERIES, last: int | None = None,
                     keys: Sequence[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`chart_data` from a long report table (`build_table`, or the database's
    `sqlaggregate.aggregate_stored`), so a chart never needs the mentions themselves."""
    if periods is None and last is not None and not table.empty:
        with_data = sorted(table["period"].unique())
        table = table[table["period"] >= with_data[-last:][0]]
    # A chart has no --shape to suggest when its span has too many periods.
    mentions = wide_table(table, by, "mentions", freq, remedy=CHART_REMEDY).set_index("period")
    tone = wide_table(table, by, "tone", freq, remedy=CHART_REMEDY).set_index("period")
    keys = [k for k in keys if k in mentions.columns] if keys is not None \
        else list(mentions.columns[:limit])
    covered = mentions.sum(axis=1) > 0
    mentions, tone = mentions[keys].astype(float), tone.reindex(columns=keys)
    if periods is not None:
        covered = covered.reindex(list(periods), fill_value=False)
        mentions = mentions.reindex(list(periods)).fillna(0.0)
        tone = tone.reindex(list(periods))
    mentions[~covered] = float("nan")
    return mentions, tone


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _needs_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def chart_label(text: str, cjk_font: str | None) -> str:
    """`text` as the chart draws it literally: every `$` escaped, control characters dropped,
    and, with no CJK font, Chinese and other wide characters as `?`.

    matplotlib reads text between two `$` as math and raises on what it cannot parse, so a
    stored key such as `$\\sqrt{x}$` would stop the whole report; escaped, it is drawn as
    written. The default font (DejaVu Sans) has no Chinese; with no CJK font installed a
    label such as 贵州茅台 would draw as empty boxes, so it is replaced rather than drawn wrong.
    """
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    if not cjk_font and _needs_cjk(text):
        text = "".join("?" if unicodedata.east_asian_width(c) in ("W", "F") else c
                       for c in text)
    # A legend hides labels that start with "_"; a leading space keeps the key visible.
    if text.startswith("_"):
        text = " " + text
    return text.replace("$", r"\$")


GAP = "…"
MAX_TICKS = 12
# Up to this many periods with data, a chart draws bars (mentions) and points (tone) side
# by side per key: a line between a few lone points says nothing, and keys with equal
# values would hide each other. Over more periods it draws lines.
BAR_PERIODS = 8
# The share of a period's slot the bars of all keys fill together.
BAR_SPAN = 0.8


def _guess_freq(index: pd.Index) -> str:
    stamps = pd.to_datetime(index)
    return "H" if any(ts.hour or ts.minute for ts in stamps) else "D"


def _collapse_gaps(mentions: pd.DataFrame, tone: pd.DataFrame, freq: str | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The rows to draw, one slot each, and their labels (`period_label`): each run of
    periods the data does not cover (all NaN) becomes one empty slot labelled `GAP`, so
    months without posts neither stretch the axis nor get a line drawn across them."""
    freq = freq or _guess_freq(mentions.index)
    gap = mentions.isna().all(axis=1).tolist()
    keep: list[int] = []
    labels: list[str] = []
    for i, is_gap in enumerate(gap):
        if is_gap:
            if labels and labels[-1] != GAP and any(not g for g in gap[i:]):
                keep.append(i)
                labels.append(GAP)
            continue
        keep.append(i)
        labels.append(period_label(pd.Timestamp(mentions.index[i]), freq))
    return (mentions.iloc[keep].reset_index(drop=True), tone.iloc[keep].reset_index(drop=True),
            labels)


def _draw_bars(top: Any, bottom: Any, mentions: pd.DataFrame, tone: pd.DataFrame,
               labels: list[str], names: list[str]) -> None:
    """Mentions as bars and tone as points, each key at its own offset within a period, so
    equal values stand side by side instead of on top of each other."""
    width = BAR_SPAN / len(names)
    for i, (key, label) in enumerate(zip(mentions.columns, names, strict=True)):
        x = [slot + (i - (len(names) - 1) / 2) * width for slot in range(len(labels))]
        bars = top.bar(x, mentions[key].fillna(0), width=width * 0.9, label=label)
        colour = bars.patches[0].get_facecolor() if bars.patches else None
        bottom.plot(x, tone[key], linestyle="none", marker="o", markersize=5, color=colour,
                    label=label)


def _draw_lines(top: Any, bottom: Any, mentions: pd.DataFrame, tone: pd.DataFrame,
                labels: list[str], names: list[str]) -> None:
    x = list(range(len(labels)))
    for key, label in zip(mentions.columns, names, strict=True):
        # NaN breaks a line: gaps in the data (and periods without tone) stay gaps.
        top.plot(x, mentions[key], marker="o", markersize=4, linewidth=1.5, label=label)
        bottom.plot(x, tone[key], marker="o", markersize=4, linewidth=1, label=label)


def render_chart(mentions: pd.DataFrame, tone: pd.DataFrame, title: str,
                 freq: str | None = None) -> bytes:
    """A PNG of `chart_figure`."""
    fig = chart_figure(mentions, tone, title, freq)
    out = io.BytesIO()
    # No "Software" or date metadata, so the same data gives the same bytes.
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def chart_figure(mentions: pd.DataFrame, tone: pd.DataFrame, title: str,
                 freq: str | None = None) -> Any:
    """A matplotlib Figure: mentions per period (top) and mean tone, -1 to 1 (bottom), per
    key: bars and points over at most BAR_PERIODS periods with data, lines over more.
    `freq` names the periods on the axis (`period_label`; default: hours if any period
    starts off midnight, else days)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ChartError("charts need matplotlib: pip install matplotlib") from exc
    if mentions.empty or not len(mentions.columns):
        raise ChartError("nothing to chart: no mentions match the filters")
    cjk = _cjk_font()
    font: dict[str, Any] = {"prop": FontProperties(family=cjk)} if cjk else {}
    fig = Figure(figsize=(10, 5.4), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    mentions, tone, labels = _collapse_gaps(mentions, tone, freq)
    names = [chart_label(str(key), cjk) for key in mentions.columns]
    periods_with_data = sum(label != GAP for label in labels)
    draw = _draw_bars if periods_with_data <= BAR_PERIODS else _draw_lines
    draw(top, bottom, mentions, tone, labels, names)
    x = list(range(len(labels)))
    top.set_ylabel("mentions")
    top.set_ylim(bottom=0)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.grid(True, alpha=0.3)
    # Beside the plot, not on it: a legend inside hides the points it names.
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", **font)
    top.set_title(chart_label(title, cjk), **({"fontproperties": font["prop"]} if cjk else {}))
    bottom.set_ylabel("tone")
    # A little beyond -1 and 1, so a point at either end is drawn whole.
    bottom.set_ylim(-1.1, 1.1)
    bottom.set_yticks([-1, -0.5, 0, 0.5, 1])
    bottom.axhline(0, color="grey", linewidth=0.8)
    bottom.grid(True, alpha=0.3)
    step = max(1, -(-len(labels) // MAX_TICKS))
    ticks = [i for i in x if i % step == 0 or labels[i] == GAP]
    bottom.set_xticks(ticks, [labels[i] for i in ticks])
    bottom.set_xlim(-0.5, len(labels) - 0.5)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def write_chart(frame: pd.DataFrame, by: str, freq: str, tz: tzinfo, path: Path,
                periods: Sequence[pd.Timestamp] | None = None, title: str | None = None,
                limit: int = MAX_SERIES, last: int | None = None,
                keys: Sequence[str] | None = None) -> Path:
    """Draw the chart of `frame`'s most mentioned tickers (or groups) to `path`, atomically.

    `periods`, `last` and `keys` choose the rows and columns as in `chart_data`."""
    return write_table_chart(build_table(frame, by, freq, tz), by, freq, path, periods, title,
                             limit, last, keys)


def write_table_chart(table: pd.DataFrame, by: str, freq: str, path: Path,
                      periods: Sequence[pd.Timestamp] | None = None, title: str | None = None,
                      limit: int = MAX_SERIES, last: int | None = None,
                      keys: Sequence[str] | None = None) -> Path:
    """`write_chart` from a long report table (see `table_chart_data`)."""
    mentions, tone = table_chart_data(table, by, freq, periods, limit, last, keys)
    if title is None:
        title = f"Mentions and tone by {by}, {FREQ_NAMES[freq]}"
        if len(mentions.index):
            # To the last day of the last period, not its first.
            first = mentions.index.min()
            last = pd.Period(mentions.index.max(), freq=FREQS[freq]).end_time
            title += f", {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    write_atomic(path, render_chart(mentions, tone, title, freq))
    return path
