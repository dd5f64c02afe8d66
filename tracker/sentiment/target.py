"""The tone of a named security in a labelled text: where the text names it, and how that
place scores. Used by `tracker eval` for a line's `target`, and for a gold mention tracker
did not find (so its tone is still measured where the labeller saw it)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker.extract.securities import SecurityList, load_securities, parse_key
from tracker.sentiment import get_scorer, score_mention

if TYPE_CHECKING:
    from tracker.config import SentimentConfig


@lru_cache(maxsize=1)
def _securities() -> SecurityList:
    # Built once per process, not once per labelled line.
    return load_securities()


def target_span(text: str, target: str, surface: str | None = None) -> tuple[int, int] | None:
    """Where `target` (a ticker) is named: `surface` as written (when given), its cashtag,
    the bare ticker, or one of its names."""
    if surface:
        at = text.find(surface)
        if at < 0:
            at = text.casefold().find(surface.casefold())
        # casefold keeps offsets only where it keeps lengths; check before trusting them.
        if at >= 0 and text[at:at + len(surface)].casefold() == surface.casefold():
            return at, at + len(surface)
    names = [target]
    # A key with its market (0700.HK) is also written as the bare code (0700).
    symbol, market = parse_key(target)
    if market and symbol != target:
        names.append(symbol)
    sec = _securities().by_key(target)
    if sec is not None:
        names += list(sec.aliases_en) + list(sec.aliases_zh) + [sec.name]
    for name in names:
        m = re.search(rf"(?<![A-Za-z0-9])\$?{re.escape(name)}(?![A-Za-z0-9])", text,
                      re.IGNORECASE if name != target else 0)
        if m:
            return m.start(), m.end()
    return None


def target_tone(text: str, span: tuple[int, int] | None, lang: str,
                settings: SentimentConfig, genre: str = "social") -> float | None:
    """The tone at `span` (its clause, as for any mention), or of the whole text without
    one, as a `genre` post's; None for a language no scorer reads."""
    if span is not None:
        return score_mention(text, span[0], span[1], lang, settings, genre=genre)
    model = get_scorer(lang, settings, genre)
    return model.score(text) if model is not None else None
