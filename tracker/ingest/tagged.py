"""Per-ticker aggregates against authors' own tags: for each (security, day) with enough
posts tagged Bullish or Bearish by their authors, tracker's mean tone beside the share of
those posts tagged Bullish, and the Pearson correlation of the two over the cells.

This measures what the reports show (a mean tone per ticker and period), not single posts:
an author's tag is noisy post by post, and agreement per cell is what a reader relies on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tracker.config import Config
from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import Post
from tracker.extract.securities import canonical_key
from tracker.ingest.analyze import Analyzer
from tracker.ingest.goldset import analyse_all
from tracker.sources import read_file
from tracker.sources.gold import OnError, skip_or_raise

MIN_POSTS = 5
_TAGS = {"positive": 1, "negative": 0}


@dataclass
class Cell:
    """One (security, day): its tagged posts, how many are Bullish, and its mention tones."""

    posts: int = 0
    bullish: int = 0
    tone_sum: float = 0.0
    tones: int = 0

    @property
    def bullish_share(self) -> float:
        return self.bullish / self.posts

    @property
    def mean_tone(self) -> float | None:
        return self.tone_sum / self.tones if self.tones else None


def tag_cells(posts: Iterable[Post], tz: ZoneInfo) -> dict[tuple[str, date], Cell]:
    """Cells of the posts that carry a Bullish/Bearish tag and a date; each post counts once
    per security it names, each of its mentions' tones once (the reports' mean)."""
    cells: dict[tuple[str, date], Cell] = {}
    for post in posts:
        bullish = _TAGS.get(post.author_tag or "")
        if bullish is None or post.published is None:
            continue
        day = post.published.astimezone(tz).date()
        seen = set()
        for m in post.mentions:
            key = canonical_key(m.ticker, m.market)
            cell = cells.setdefault((key, day), Cell())
            if key not in seen:
                seen.add(key)
                cell.posts += 1
                cell.bullish += bullish
            if m.tone is not None:
                cell.tone_sum += m.tone
                cell.tones += 1
    return cells


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None with fewer than two points or a constant series."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def cell_correlation(cells: dict[tuple[str, date], Cell],
                     min_posts: int = MIN_POSTS) -> dict[str, Any]:
    """Pearson's r between mean tone and Bullish share over cells of `min_posts` or more
    tagged posts (and at least one scored mention), with the counts behind it."""
    kept = [c for c in cells.values() if c.posts >= min_posts and c.mean_tone is not None]
    r = pearson([c.mean_tone for c in kept if c.mean_tone is not None],
                [c.bullish_share for c in kept])
    return {"cells": len(kept), "posts": sum(c.posts for c in kept),
            "pearson": round(r, 4) if r is not None else None, "min_posts": min_posts}


def evaluate_tagged(path: Path, cfg: Config, scorers: Sequence[str] = ("default",),
                    on_error: OnError | None = None) -> dict[str, Any]:
    """Per-(security, day) correlation for each of `scorers` over a file of posts that carry
    their authors' tags (`[input] tag_field`, read as ingest reads it) and dates. A record
    that cannot be read raises, or goes to `on_error` and is left out, as at ingest.

    Returns {"posts", "tagged", "dated", "correlation": {scorer: cell_correlation(...)}}.
    """
    if not cfg.input.tag_field:
        raise SourceError(str(path), "no 'mentions' or 'label' field, and no tag field is "
                          "configured", hint='for authors\' own tags set [input] tag_field '
                          '(e.g. tag_field = "sentiment") in config.toml')
    raws = []
    for item in read_file(path, cfg.input):
        if isinstance(item, SourceWarning):
            continue  # an unreadable date: the post is kept, undated, as at ingest
        if isinstance(item, SourceError):
            if item.line is None:
                raise item  # the whole file: nothing to measure
            skip_or_raise(item, on_error)
            continue
        raws.append(item)
    tagged = [r for r in raws if r.author_tag in _TAGS]
    if not tagged:
        raise SourceError(str(path), f"no post carries an author's tag in field "
                          f"'{cfg.input.tag_field}' with a value of [input] tag_values")
    out: dict[str, Any] = {"posts": len(raws), "tagged": len(tagged), "correlation": {}}
    securities = None
    for name in scorers:
        analyzer = Analyzer(replace(cfg, sentiment=replace(cfg.sentiment, scorer=name)),
                            securities)
        securities = analyzer.securities
        posts = [p for p in analyse_all(analyzer, tagged) if p is not None]
        out["dated"] = sum(p.published is not None for p in posts)
        out["correlation"][name] = cell_correlation(tag_cells(posts, cfg.timezone))
    return out
