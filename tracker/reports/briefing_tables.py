"""The briefing's tables as rows of formatted cells: top tickers, groups, trends, quotes.

Each function takes small tables of counts per period (`trends.period_table`,
`group_tables`: the database can give the same ones, tracker.reports.briefing_sql) and returns
plain dicts of strings; `briefing.py` escapes text from posts and lays them out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import pandas as pd

from tracker.extract.history import holder_mark
from tracker.extract.text.patterns import CASHTAG, CJK_CLASS, WRITTEN_CODE
from tracker.reports.sparkline import sparkline
from tracker.reports.trends import Trend, series

QUOTE_CHARS = 160
# The "also mentioned" line names at most this many tickers beyond the top table.
ALSO_TICKERS = 40
# A word: a Han character, or two letters in a row.
_WORD = re.compile(rf"[{CJK_CLASS}]|[^\W\d_]{{2}}")


def carries_words(sentence: str) -> bool:
    """True when `sentence` says something besides its tickers: with every cashtag and
    written code (`$NVIDIA(NVDA.US)`, `NVDA.US`, `SH600036`) taken out, a word is left.

    A quote that is only a cashtag tells a reader nothing about the tone it was given.
    """
    bare = WRITTEN_CODE.sub(" ", CASHTAG.sub(" ", sentence))
    return _WORD.search(bare) is not None


# Mean tones are rounded to this many decimals before they are shown or compared: the
# database and pandas sum in different orders, so two means of the same tones can differ in
# the last bit, enough to turn a change of 0 into "-0.000". Shown with 3 decimals, a mean
# rounded to 9 reads the same except within 1e-16 of a 5e-10 boundary.
TONE_DIGITS = 9


def _mean(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), TONE_DIGITS)


def _tone(value: float | None) -> str:
    return "" if value is None or pd.isna(value) else f"{value:.3f}"


def _signed_tone(value: float | None) -> str:
    return "" if value is None or pd.isna(value) else f"{value:+.3f}"


def _change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    if before == 0:
        return "new" if now else "0"
    return f"{now - before:+d}" if now != before else "0"


def top_symbols(table: pd.DataFrame, periods: list[pd.Timestamp], min_mentions: int,
                top: int) -> list[str]:
    """The `top` most mentioned symbols of the last period in a `period_table`, with at
    least `min_mentions` mentions, most mentioned first."""
    if table.empty or not periods:
        return []
    now = table[table["period"] == periods[-1]]
    counts = now.set_index("symbol")["mentions"]
    eligible = counts[counts >= max(1, min_mentions)]
    return [str(s) for s in sorted(eligible.index, key=lambda s: (-int(eligible[s]), str(s)))
            [:top]]


def ticker_rows(table: pd.DataFrame, periods: list[pd.Timestamp], min_mentions: int,
                top: int, spark_points: int, names: Mapping[str, str]) -> list[dict[str, str]]:
    """The most mentioned tickers of the last period (`top_symbols`), with change, tone and
    a sparkline, from the window's `period_table`; `names` maps a symbol to its first name."""
    order = top_symbols(table, periods, min_mentions, top)
    if not order:
        return []
    current = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    mentions = series(table, periods, "mentions")
    now_counts = mentions[current]
    now = table[table["period"] == current].set_index("symbol")
    before = table[table["period"] == previous].set_index("symbol")["tone"] \
        if previous is not None else pd.Series(dtype=float)
    spark_cols = periods[-spark_points:]
    rows = []
    for sym in order:
        count = int(now_counts[sym])
        tone, prior = _mean(now.at[sym, "tone"]), _mean(before.get(sym))
        tone_change = "" if tone is None or prior is None else _signed_tone(tone - prior)
        rows.append({
            "symbol": str(sym), "name": str(names.get(sym) or "") + holder_mark(str(sym)),
            "mentions": str(count),
            "change": _change(count, int(mentions.loc[sym, previous])
                              if previous is not None else None),
            "posts": str(int(now.at[sym, "posts"])), "authors": str(int(now.at[sym, "voices"])),
            "tone": _tone(tone), "tone_change": tone_change,
            "spark": sparkline([float(v) for v in mentions.loc[sym, spark_cols]]),
        })
    return rows


def also_mentioned(table: pd.DataFrame, current: pd.Timestamp, shown: Sequence[str],
                   min_mentions: int = 0, limit: int = ALSO_TICKERS) -> tuple[list[str], int]:
    """The tickers of period `current` (in a `period_table`) with at least `min_mentions`
    mentions that are not in `shown`, as `SYMBOL (mentions)`, most mentioned first and at
    most `limit` of them; and how many more there are. With it, a briefing names every
    ticker of a small data set."""
    now = table[table["period"] == current]
    counts = now.set_index("symbol")["mentions"]
    counts = counts[counts >= max(1, min_mentions)]
    rest = sorted((s for s in counts.index if s not in set(shown)),
                  key=lambda s: (-int(counts[s]), str(s)))
    return [f"{s} ({int(counts[s])})" for s in rest[:limit]], max(0, len(rest) - limit)


def groups_of(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per group of each mention of `frame` (a mention in two groups counts in
    both), in a `group` column; mentions without a group are left out."""
    exploded = frame.assign(group=frame["groups"].fillna("").str.split(";")).explode("group")
    return exploded[exploded["group"].fillna("") != ""]


GROUP_COLUMNS = ["period", "group", "mentions", "tickers", "tone"]
GROUP_TOP_COLUMNS = ["group", "symbol", "mentions"]


def group_tables(window: pd.DataFrame, current: pd.Timestamp, previous: pd.Timestamp | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What `group_rows` reads, from a window of mentions: per group of the current and
    previous periods, its mentions, distinct tickers and mean tone (GROUP_COLUMNS); and per
    group and symbol of the current period, its mentions (GROUP_TOP_COLUMNS)."""
    wanted = [current] if previous is None else [current, previous]
    exploded = groups_of(window[window["period"].isin(wanted)])
    if exploded.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS), pd.DataFrame(columns=GROUP_TOP_COLUMNS)
    groups = exploded.groupby(["period", "group"]).agg(
        mentions=("symbol", "size"), tickers=("symbol", "nunique"), tone=("tone", "mean"))
    now = exploded[exploded["period"] == current]
    tops = now.groupby(["group", "symbol"]).size().rename("mentions")
    return groups.reset_index()[GROUP_COLUMNS], tops.reset_index()[GROUP_TOP_COLUMNS]


def group_rows(groups: pd.DataFrame, tops: pd.DataFrame, current: pd.Timestamp,
               previous: pd.Timestamp | None, order: Sequence[str],
               min_mentions: int) -> list[dict[str, str]]:
    """Each group's mentions this period and the change, configured groups first, from
    `group_tables`."""
    now = groups[groups["period"] == current].set_index("group")
    now_counts = now["mentions"]
    before_counts = groups[groups["period"] == previous].set_index("group")["mentions"] \
        if previous is not None else pd.Series(dtype=int)
    names = set(now_counts.index) | set(before_counts.index)
    names = {g for g in names if int(now_counts.get(g, 0)) >= min_mentions}
    configured = [g for g in order if g in names]
    rest = sorted(names - set(configured), key=lambda g: (-int(now_counts.get(g, 0)), g))
    rows = []
    for group in [*configured, *rest]:
        top = tops[tops["group"] == group].set_index("symbol")["mentions"]
        top_names = sorted(top.index, key=lambda s: (-int(top[s]), s))[:3]
        count = int(now_counts.get(group, 0))
        rows.append({
            "group": group, "mentions": str(count),
            "change": _change(count, int(before_counts.get(group, 0))
                              if previous is not None else None),
            "tickers": str(int(now.at[group, "tickers"])) if group in now.index else "0",
            "tone": _tone(_mean(now.at[group, "tone"])) if group in now.index else "",
            "top": ", ".join(f"{s} ({int(top[s])})" for s in top_names),
        })
    return rows


def trend_rows(found: Sequence[Trend], names: pd.Series) -> list[dict[str, str]]:
    """Trending tickers as cells: authors now, baseline per period, lift, counts."""
    return [{"symbol": t.symbol,
             "name": str(names.get(t.symbol) or "") + holder_mark(t.symbol),
             "authors": str(t.voices), "baseline": f"{t.baseline:.2f}",
             "lift": f"{t.lift:.1f}×", "mentions": str(t.mentions), "posts": str(t.posts)}
            for t in found]


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _source(source: object, source_id: object) -> str:
    name = PurePath(str(source)).name or str(source)
    return f"{name}#{source_id}" if source_id is not None and not pd.isna(source_id) else name


def quote_cells(sym: str, mark: str, tone: float, sentence: str, source: object,
                source_id: object, author: object, local: pd.Timestamp) -> dict[str, str]:
    """One quote's cells: `mark` is ▲ (most positive) or ▼ (most negative); `local` is the
    post's time in the briefing's zone."""
    return {"symbol": sym, "tone": f"{mark} {tone:+.3f}", "quote": _shorten(str(sentence)),
            "source": _source(source, source_id),
            "author": "" if author is None or pd.isna(author) else str(author),
            "published": local.strftime("%Y-%m-%d %H:%M")}


# The quote of each mark: the label it must carry and the end of the tone scale it takes.
QUOTE_PICKS = (("▲", "positive", "idxmax"), ("▼", "negative", "idxmin"))


def quote_rows(now: pd.DataFrame, symbols: Sequence[str]) -> list[dict[str, str]]:
    """For each symbol, its most positive and most negative scored mention in `now` whose
    sentence carries words (`carries_words`); a tie goes to the earliest (published, post,
    offset)."""
    scored = now[now["tone"].notna()]
    scored = scored[[carries_words(str(s)) for s in scored["sentence"]]]
    if "is_repeat" in scored.columns:
        scored = scored[~scored["is_repeat"].fillna(False).astype(bool)]
    scored = scored.sort_values(["published", "post_id", "start"], kind="mergesort") \
        if "start" in scored.columns else scored.sort_values(["published", "post_id"],
                                                             kind="mergesort")
    rows = []
    for sym in symbols:
        mine = scored[scored["symbol"] == sym]
        for mark, label, pick in QUOTE_PICKS:
            pool = mine[mine["label"] == label]
            if pool.empty:
                continue
            row = pool.loc[getattr(pool["tone"], pick)()]
            rows.append(quote_cells(sym, mark, row["tone"], row["sentence"], row["source"],
                                    row.get("source_id"), row.get("author"), row["local"]))
    return rows
