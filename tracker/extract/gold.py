"""Scoring tracker's mentions against a real-post gold set: precision and recall over
(post, security key) pairs, and the precision of the pairs found only as bare tickers.

A security named three times in a post is one pair either way; a pair tracker found only as
bare tickers (`GME`, never `$GME` or `GameStop`) counts toward bare-ticker precision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.history import resolve_on, written_key
from tracker.extract.models import Post
from tracker.extract.securities import SecurityList, canonical_key, parse_key

if TYPE_CHECKING:
    from tracker.sources.gold import GoldPost

BARE = "bare_ticker"
EXCERPT = 160


@dataclass(frozen=True)
class MentionError:
    """A pair tracker found that the gold set does not hold ("fp"), or missed ("fn")."""

    file: str
    line: int
    id: str
    key: str
    outcome: str
    # fp: how tracker found it (its mention kinds); fn: the form the labeller saw.
    how: str
    text: str


@dataclass
class MentionTally:
    """Counts of (post, key) pairs over some gold posts."""

    posts: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    bare_tp: int = 0
    bare_fp: int = 0
    errors: list[MentionError] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def bare_precision(self) -> float | None:
        return _ratio(self.bare_tp, self.bare_tp + self.bare_fp)

    def add(self, gold: GoldPost, found: Mapping[str, Sequence[str]]) -> None:
        """Count one post: `found` maps each key tracker found to its mentions' kinds."""
        self.posts += 1
        for key, kinds in sorted(found.items()):
            hit = key in gold.keys
            self.tp += hit
            self.fp += not hit
            if kinds and all(k == BARE for k in kinds):
                self.bare_tp += hit
                self.bare_fp += not hit
            if not hit:
                self.errors.append(_error(gold, key, "fp", ",".join(sorted(set(kinds)))))
        for mention in gold.mentions:
            if mention.key not in found:
                self.fn += 1
                self.errors.append(_error(gold, mention.key, "fn", mention.surface or ""))

    def summary(self) -> dict[str, Any]:
        """The figures as plain data (rounded ratios, None where nothing was counted)."""
        return {"posts": self.posts, "gold": self.tp + self.fn, "found": self.tp + self.fp,
                "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": _round(self.precision), "recall": _round(self.recall),
                "bare": {"found": self.bare_tp + self.bare_fp, "tp": self.bare_tp,
                         "fp": self.bare_fp, "precision": _round(self.bare_precision)}}

    def error_rows(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.errors]


def found_keys(post: Post | None) -> dict[str, list[str]]:
    """Each security key tracker found in `post`, with the kinds of its mentions; not a
    currency pair's."""
    found: dict[str, list[str]] = {}
    for m in post.mentions if post is not None else ():
        # docs/labelling.md: a currency or a currency pair (`EUR/USD`) is no mention. tracker
        # stores `$USDCNY` as instrument `fx` so that a report can ask for it, and leaves it
        # out of the default reports; no gold set can hold the pair, so it is not scored.
        if m.instrument == "fx":
            continue
        # A symbol its holder gave up is keyed with the year it left (`S@2020`, Sprint's
        # `$S`; `SYM@UNKNOWN` when no one held it that day); the gold sets write the symbol
        # as the post does (docs/labelling.md), so the pair is the symbol's.
        key = written_key(canonical_key(m.ticker, m.market))
        found.setdefault(key, []).append(m.kind)
    return found


def renamed_key(secs: SecurityList, key: str, day: date | None) -> str:
    """A gold key written as a renamed company's old symbol, as tracker keys that company
    on `day`: `SQ` -> `XYZ` (Block), `FB` -> `META`, `TRXC` -> `ASXC` (renames.csv); any
    other key as written.

    docs/labelling.md keys a renamed company on today's symbol ("the company is one"), and
    tracker resolves the old symbol so; a labeller who wrote the old one named the same
    security, so both sides are compared through the same point-in-time resolution. Only a
    change of symbol on the same market counts: a key without a market is a US one here
    (`SAP` is the New York listing, not Frankfurt's).
    """
    ticker, market = parse_key(key)
    new_ticker, new_market, _ = resolve_on(secs, ticker, market, day)
    if (new_market or US_MARKET) != (market or US_MARKET) or new_ticker == ticker:
        return key
    return written_key(canonical_key(new_ticker, new_market))


def instrument_key(secs: SecurityList, key: str) -> str:
    """A gold key written as an index's or future's bare ticker, in canonical form: `HSI` ->
    `HSI.HK`, `N225` -> `N225.T`, `HSTECH` -> `HSTECH.HK`; any other key as written.

    docs/labelling.md keys an index or future as tracker/data/instruments.csv does, and its
    canonical key names the market (`canonical_key`): labellers wrote both `HSI` and `HSI.HK`
    for the Hang Seng. A key without a market is read so only where no US row has the ticker
    and the one row that does is an index or future, so `SPX` and `ES_F` stay as written.
    """
    ticker, market = parse_key(key)
    if market is not None:
        return key
    if secs.universe is None or secs.lookup(ticker, US_MARKET) is not None:
        return key
    rows = secs.universe.with_ticker(ticker)
    if len(rows) != 1 or rows[0].kind not in ("index", "future"):
        return key
    return canonical_key(rows[0].ticker, rows[0].market)


def with_renamed_keys(gold: GoldPost, secs: SecurityList, day: date | None) -> GoldPost:
    """`gold` with each mention's key through `instrument_key` and `renamed_key`; two keys
    of one company merge into its first mention (one security, one mention per post)."""
    mentions, seen = [], set()
    for m in gold.mentions:
        key = instrument_key(secs, m.key)
        key = renamed_key(secs, key, day if _written_as_symbol(secs, key, m.surface) else None)
        if key not in seen:
            seen.add(key)
            mentions.append(m if key == m.key else replace(m, key=key))
    return replace(gold, mentions=tuple(mentions))


def _written_as_symbol(secs: SecurityList, key: str, surface: str | None) -> bool:
    """Whether a gold key may be a symbol as the post wrote it, to be read on the post's
    day: not where the post names a company by name and the key is its listing today
    ("Willis Towers Watson" in 2018 is `WTW`, Willis's key today, though WTW was Weight
    Watchers' symbol then)."""
    ticker, market = parse_key(key)
    if surface is None or surface.lstrip("$#").upper() == ticker.upper():
        return True
    # The symbol in upper case inside the surface, as a tag or an exchange writes it around
    # it ("$WTW.US", "NYSE:WTW", "$Weight Watchers(WTW.US)"): tracker reads those on the day,
    # as it reads "$WTW". Not inside a name ("AT&T" holds no T; "The Gap" no GAP).
    if re.search(rf"(?<![\w&.]){re.escape(ticker.upper())}(?![\w&])", surface):
        return True
    return secs.lookup(ticker, market or US_MARKET) is None


def _error(gold: GoldPost, key: str, outcome: str, how: str) -> MentionError:
    text = " ".join(gold.text.split())
    text = text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
    return MentionError(gold.file, gold.line, gold.id, key, outcome, how, text)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
