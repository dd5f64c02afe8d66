"""The briefing's tables as rows of formatted cells: top tickers, groups, trends, quotes.

Each function takes the briefing's window of mentions (with `period` and `symbol` columns)
and returns plain dicts of strings; `briefing.py` escapes text from posts and lays them out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

import pandas as pd

from tracker.extract.history import holder_mark
from tracker.extract.text.patterns import CASHTAG, CJK_CLASS, WRITTEN_CODE
from tracker.reports.sparkline import sparkline
from tracker.reports.trends import Trend, series, voices

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


def _mean_tone(frame: pd.DataFrame, period: pd.Timestamp | None) -> pd.Series:
    if period is None:
        return pd.Series(dtype=float)
    return frame[frame["period"] == period].groupby("symbol")["tone"].mean()


def ticker_rows(window: pd.DataFrame, periods: list[pd.Timestamp], min_mentions: int,
                top: int, spark_points: int) -> list[dict[str, str]]:
    """The most mentioned tickers of the last period, with change, tone and a sparkline."""
    if window.empty or not periods:
        return []
    current = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    mentions = series(window, periods, "mentions")
    if current not in mentions.columns or mentions.empty:
        return []
    now_counts = mentions[current]
    eligible = now_counts[now_counts >= max(1, min_mentions)]
    order = sorted(eligible.index, key=lambda s: (-int(eligible[s]), str(s)))[:top]
    now = window[window["period"] == current]
    posts = now.groupby("symbol")["post_id"].nunique()
    authors = now.assign(voice=voices(now)).groupby("symbol")["voice"].nunique()
    tone_now, tone_before = _mean_tone(window, current), _mean_tone(window, previous)
    names = window.groupby("symbol")["name"].first()  # first non-null name
    spark_cols = periods[-spark_points:]
    rows = []
    for sym in order:
        before = int(mentions.loc[sym, previous]) if previous is not None else None
        tone = tone_now.get(sym)
        prior = tone_before.get(sym)
        tone_change = "" if tone is None or prior is None or pd.isna(tone) or pd.isna(prior) \
            else _signed_tone(tone - prior)
        rows.append({
            "symbol": str(sym),
            "name": str(names.get(sym) or "") + holder_mark(str(sym)),
            "mentions": str(int(now_counts[sym])), "change": _change(int(now_counts[sym]), before),
            "posts": str(int(posts[sym])), "authors": str(int(authors[sym])),
            "tone": _tone(tone), "tone_change": tone_change,
            "spark": sparkline([float(v) for v in mentions.loc[sym, spark_cols]]),
        })
    return rows


def also_mentioned(window: pd.DataFrame, current: pd.Timestamp, shown: Sequence[str],
                   min_mentions: int = 0, limit: int = ALSO_TICKERS) -> tuple[list[str], int]:
    """The tickers of period `current` with at least `min_mentions` mentions that are not in
    `shown`, as `SYMBOL (mentions)`, most mentioned first and at most `limit` of them; and
    how many more there are. With it, a briefing names every ticker of a small data set."""
    now = window[window["period"] == current]
    counts = now.groupby("symbol").size()
    counts = counts[counts >= max(1, min_mentions)]
    rest = sorted((s for s in counts.index if s not in set(shown)),
                  key=lambda s: (-int(counts[s]), str(s)))
    return [f"{s} ({int(counts[s])})" for s in rest[:limit]], max(0, len(rest) - limit)


def _groups_of(frame: pd.DataFrame) -> pd.DataFrame:
    exploded = frame.assign(group=frame["groups"].fillna("").str.split(";")).explode("group")
    return exploded[exploded["group"].fillna("") != ""]


def group_rows(window: pd.DataFrame, current: pd.Timestamp, previous: pd.Timestamp | None,
               order: Sequence[str], min_mentions: int) -> list[dict[str, str]]:
    """Each group's mentions this period and the change, configured groups first."""
    exploded = _groups_of(window)
    now = exploded[exploded["period"] == current]
    before = exploded[exploded["period"] == previous] if previous is not None else None
    now_counts = now.groupby("group").size()
    before_counts = before.groupby("group").size() if before is not None else pd.Series()
    names = set(now_counts.index) | set(before_counts.index)
    names = {g for g in names if int(now_counts.get(g, 0)) >= min_mentions}
    configured = [g for g in order if g in names]
    rest = sorted(names - set(configured), key=lambda g: (-int(now_counts.get(g, 0)), g))
    rows = []
    for group in [*configured, *rest]:
        in_group = now[now["group"] == group]
        top = in_group.groupby("symbol").size()
        top_names = sorted(top.index, key=lambda s: (-int(top[s]), s))[:3]
        count = int(now_counts.get(group, 0))
        rows.append({
            "group": group, "mentions": str(count),
            "change": _change(count, int(before_counts.get(group, 0))
                              if before is not None else None),
            "tickers": str(in_group["symbol"].nunique()),
            "tone": _tone(in_group["tone"].mean() if not in_group.empty else None),
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


def _source(row: pd.Series) -> str:
    name = PurePath(str(row["source"])).name or str(row["source"])
    source_id = row.get("source_id")
    return f"{name}#{source_id}" if source_id is not None and not pd.isna(source_id) else name


def quote_rows(now: pd.DataFrame, symbols: Sequence[str]) -> list[dict[str, str]]:
    """For each symbol, its most positive and most negative scored mention in `now` whose
    sentence carries words (`carries_words`)."""
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
        picks = [("▲", mine[mine["label"] == "positive"], "idxmax"),
                 ("▼", mine[mine["label"] == "negative"], "idxmin")]
        for mark, pool, pick in picks:
            if pool.empty:
                continue
            row = pool.loc[getattr(pool["tone"], pick)()]
            author = row.get("author")
            rows.append({
                "symbol": sym, "tone": f"{mark} {row['tone']:+.3f}",
                "quote": _shorten(str(row["sentence"])), "source": _source(row),
                "author": "" if author is None or pd.isna(author) else str(author),
                "published": row["local"].strftime("%Y-%m-%d %H:%M"),
            })
    return rows
