"""Report filters: which mentions a report counts (tickers, groups, languages, kinds, sources).

Pure functions over the mentions frame (`Store.mentions_frame` columns), so every report
shape, the briefing and the charts count the same mentions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from tracker.errors import TrackerError
from tracker.extract.cashtags import find_cashtags
from tracker.extract.models import GENRES, MENTION_KINDS
from tracker.extract.securities import KINDS, parse_key
from tracker.extract.text.plural import counted
from tracker.reports.choices import ALL_INSTRUMENTS, DEFAULT_INSTRUMENTS, LIST_SEPARATORS
from tracker.sources.match import source_matches

if TYPE_CHECKING:
    # Types only: the filter itself is read by commands that never load pandas.
    import pandas as pd


class FilterError(TrackerError):
    """A report filter names something that cannot match (an unknown kind, a bad number)."""


# The filters that are lists of values.
_LISTS = ("tickers", "groups", "langs", "kinds", "instruments", "sources", "genres")
# What each other filter takes, as a TypeError says it.
_KIND_NAMES = {"min_mentions": "an int", "min_confidence": "a number from 0 to 1",
               "private": "True or False", "file_dates": "True or False"}


@dataclass(frozen=True)
class MentionFilter:
    """Which mentions to count; an empty tuple means no restriction.

    `tickers` match a security written in any form a post or key writes it (`TSLA`,
    `$tsla`, `TSLA.US`, `SH600036`, `600036.SH`, `00700.HK`), ignoring case; `groups` keep
    mentions in any of the groups (and only those groups are reported); `langs` are post
    languages; `kinds` are mention kinds; `instruments` are security kinds (KINDS, or
    `all`; empty means DEFAULT_INSTRUMENTS); `sources` match a source path exactly, as a folder
    it lies under, or as a glob pattern; `genres` are post genres (news, social).
    `min_mentions` keeps tickers (or groups) with at least that many mentions in the
    reported window.
    """

    tickers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    min_mentions: int = 0
    min_confidence: float = 0.0
    private: bool = True
    file_dates: bool = True

    def __post_init__(self) -> None:
        for name in _LISTS:
            value = getattr(self, name)
            if isinstance(value, str):
                # A caller's "NVDA" (or "NVDA,AMD", as the command line takes it) is that
                # list: as a tuple of characters it filtered on N, V, D and A, silently.
                value = split_list(value)
            elif not isinstance(value, tuple):
                if not isinstance(value, Iterable):
                    raise TypeError(f"MentionFilter {name} takes a str or a list of str, not "
                                    f"{type(value).__name__}")
                value = tuple(value)  # a list or set: hashable and fixed, as the rest
            odd = next((v for v in value if not isinstance(v, str)), None)
            if odd is not None:
                # Else an AttributeError from deep in the filtering ('int' has no 'strip').
                raise TypeError(f"MentionFilter {name} takes a list of str, not one holding "
                                f"{type(odd).__name__} {odd!r}")
            object.__setattr__(self, name, value)
        for name, kind in (("min_mentions", int), ("min_confidence", int | float),
                           ("private", bool), ("file_dates", bool)):
            value = getattr(self, name)
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                raise TypeError(f"MentionFilter {name} takes {_KIND_NAMES[name]}, not "
                                f"{type(value).__name__} {value!r}")
        unknown = [k for k in self.kinds if k not in MENTION_KINDS]
        if unknown:
            raise FilterError(f"unknown mention kind {unknown[0]!r}; use one of "
                              f"{', '.join(MENTION_KINDS)}")
        bad = [k for k in self.instruments if k not in KINDS and k != ALL_INSTRUMENTS]
        if bad:
            raise FilterError(f"unknown instrument kind {bad[0]!r}; use one of "
                              f"{', '.join(KINDS)} or {ALL_INSTRUMENTS}")
        odd = [g for g in self.genres if g not in GENRES]
        if odd:
            raise FilterError(f"unknown genre {odd[0]!r}; use one of {', '.join(GENRES)}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise FilterError(f"--min-confidence must be between 0 and 1, not "
                              f"{self.min_confidence}")
        if self.min_mentions < 0:
            raise FilterError(f"--min-mentions must be 0 or more, not {self.min_mentions}")

    def describe(self) -> list[str]:
        """The active filters as short phrases, for report notes."""
        parts = []
        for label, values in (("tickers", self.tickers), ("groups", self.groups),
                              ("languages", self.langs), ("kinds", self.kinds),
                              ("instruments", self.instruments),
                              ("sources", self.sources), ("genres", self.genres)):
            if values:
                parts.append(f"{label} {', '.join(values)}")
        if self.min_mentions:
            parts.append(f"at least {counted(self.min_mentions, 'mention')}")
        if self.min_confidence:
            parts.append(f"confidence at least {self.min_confidence:g}")
        if not self.private:
            parts.append("listed companies only")
        if not self.file_dates:
            parts.append("posts with a stated date only")
        return parts


# HKEX's form of a code: five digits, zero-padded (`00700`). Taiwan's ETFs are five digits
# too (`00878`, 115 of them in the universe): ticker_keys reads such a value both ways.
_HK_CODE = re.compile(r"\d{5}", re.ASCII)


def ticker_key(written: str) -> tuple[str, str | None]:
    """(ticker, market) of a `--tickers` value written any way a post or a key writes it:
    `TSLA`, `$tsla`, `600036.SH`, `SH600036`, `$招商银行(SH600036)$`, `$腾讯控股(00700)$`.
    Full-width forms, as a Chinese input method types them (`ＮＶＤＡ`, `６０００３６．ＳＨ`), are
    their ASCII (NFKC, as post texts are read): they matched nothing, with no suggestion.
    A bare code of five digits (`00700`, `09988`) is a Hong Kong one, as HKEX and 雪球 write
    it: as written it matched nothing while the note suggested `0700.HK` (ticker_keys adds
    the code as written, which a Taiwan ETF's is)."""
    written = unicodedata.normalize("NFKC", written).strip()
    if _HK_CODE.fullmatch(written):
        return parse_key(f"{written}.HK")
    hits = find_cashtags(written)
    if len(hits) == 1 and hits[0].market and hits[0].end - hits[0].start == len(written):
        return parse_key(f"{hits[0].ticker}.{hits[0].market}")
    return parse_key(written)


def ticker_keys(written: str) -> tuple[tuple[str, str | None], ...]:
    """The keys a `--tickers` value selects: `ticker_key`'s, and for a bare five-digit code
    the code as written on any market too. `00878` is a Taiwan ETF (00878.TW) as much as
    HKEX's 0878.HK: read as Hong Kong's alone it selected nothing of the ETF's mentions, which
    it had selected, and the note asked "did you mean 00878.TW?"."""
    key = ticker_key(written)
    plain = unicodedata.normalize("NFKC", written).strip()
    if _HK_CODE.fullmatch(plain):
        return key, (plain, None)
    return (key,)


_LIST_SEPARATOR = re.compile(f"[{LIST_SEPARATORS}]")


def split_list(value: str | None) -> tuple[str, ...]:
    """`"TSLA, nvda"` -> `("TSLA", "nvda")`: a comma-separated option as a tuple."""
    if not value:
        return ()
    return tuple(part.strip() for part in _LIST_SEPARATOR.split(value) if part.strip())


def apply_filters(frame: pd.DataFrame, flt: MentionFilter) -> pd.DataFrame:
    """The mentions of `frame` that `flt` keeps (min_mentions is applied to tables)."""
    import pandas as pd

    keep = pd.Series(True, index=frame.index)
    if flt.tickers:
        keys = [key for t in flt.tickers for key in ticker_keys(t)]
        anywhere = {ticker for ticker, market in keys if market is None}
        placed = {f"{ticker}.{market}" for ticker, market in keys if market is not None}
        tickers = frame["ticker"].astype(str).str.upper()
        symbols = tickers + "." + frame["market"].fillna("").astype(str).str.upper()
        keep &= tickers.isin(anywhere) | symbols.isin(placed)
    if ALL_INSTRUMENTS not in flt.instruments:
        wanted_kinds = flt.instruments or DEFAULT_INSTRUMENTS
        if "instrument" in frame:
            instrument = frame["instrument"]
            keep &= instrument.isin(wanted_kinds) | (
                instrument.isna() if not flt.instruments else False)
    if flt.langs:
        keep &= frame["lang"].isin(flt.langs)
    if flt.kinds:
        keep &= frame["kind"].isin(flt.kinds)
    if flt.sources:
        keep &= frame["source"].map(lambda s: source_matches(str(s), flt.sources))
    if flt.genres:
        # Posts stored before genres were read have none: they count as social, the genre
        # they were scored as.
        keep &= frame["genre"].fillna("social").isin(flt.genres)
    if flt.min_confidence:
        keep &= frame["confidence"].fillna(1.0) >= flt.min_confidence
    if not flt.private:
        # Private companies (SpaceX, OpenAI) are tracked without a market.
        keep &= frame["market"].fillna("") != ""
    if not flt.file_dates:
        keep &= frame["published_from"] != "file"
    out = frame[keep].copy()
    if flt.groups:
        wanted_groups = set(flt.groups)
        out["groups"] = out["groups"].fillna("").map(
            lambda g: ";".join(x for x in g.split(";") if x in wanted_groups))
        out = out[out["groups"] != ""]
    return out


def keep_min_mentions(table: pd.DataFrame, key: str, minimum: int) -> pd.DataFrame:
    """Rows of a long table whose `key` (ticker or group) has at least `minimum` mentions."""
    if minimum <= 1 or table.empty:
        return table
    keys = [key, "market"] if key == "ticker" else [key]
    totals = table.groupby(keys)["mentions"].transform("sum")
    return table[totals >= minimum].reset_index(drop=True)


def _nearest(wanted: str, keys: list[str], limit: int = 3) -> list[str]:
    """Stored keys a mistyped or partial key most likely meant: the same code in another
    form first (600036 -> 600036.SS), then look-alike tickers (NVDX -> NVDA.US)."""
    low = wanted.lower().split(".")[0]
    by_ticker: dict[str, list[str]] = {}
    for key in keys:
        by_ticker.setdefault(key.lower().split(".")[0], []).append(key)
    same = [k for t, ks in by_ticker.items() if low in t for k in ks]
    alike = [k for t in difflib.get_close_matches(low, list(by_ticker), limit, 0.6)
             for k in by_ticker[t]]
    return list(dict.fromkeys([*sorted(same), *alike]))[:limit]


def _choices(values: Iterable[object], limit: int = 8) -> str:
    found = sorted({str(v) for v in values if v is not None and v == v and str(v)})
    more = f", ... ({len(found)} in all)" if len(found) > limit else ""
    return ", ".join(found[:limit]) + more if found else "none"


class MentionProbe(Protocol):
    """What `explain_filters` asks of a set of mentions; `flt` None means the set itself.

    `why_empty` asks a frame; tracker.reports.sqlempty asks the database, with COUNT and
    DISTINCT queries, so an empty report's reason costs no read of the mentions."""

    def count(self, flt: MentionFilter | None) -> int:
        """How many of the mentions `flt` keeps."""

    def values(self, column: str, flt: MentionFilter | None) -> list[object]:
        """The distinct values of `column` (groups, lang, kind, instrument, source or genre)
        among the mentions `flt` keeps."""

    def keys(self) -> list[str]:
        """Every stored `TICKER.MARKET` (or bare ticker) among the mentions."""


class _FrameProbe:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def _kept(self, flt: MentionFilter | None) -> pd.DataFrame:
        return self.frame if flt is None else apply_filters(self.frame, flt)

    def count(self, flt: MentionFilter | None) -> int:
        return len(self._kept(flt))

    def values(self, column: str, flt: MentionFilter | None) -> list[object]:
        return list(self._kept(flt)[column].unique())

    def keys(self) -> list[str]:
        frame = self.frame
        return sorted(set(frame["ticker"].astype(str) + frame["market"].fillna("").astype(str)
                          .map(lambda m: f".{m}" if m else "")))


def why_empty(frame: pd.DataFrame, flt: MentionFilter) -> str | None:
    """Why `flt` keeps none of `frame`'s mentions, naming the filter that emptied the set and
    what does exist; None when something is kept or `frame` itself is empty."""
    return explain_filters(_FrameProbe(frame), flt)


def explain_filters(probe: MentionProbe, flt: MentionFilter) -> str | None:
    """Why `flt` keeps none of the `probe`'s mentions (see `why_empty`).

    The filters are added one at a time, in the order `apply_filters` reads them, so the
    message names the first one after which nothing is left.
    """
    if probe.count(None) == 0 or probe.count(flt) > 0:
        return None
    steps = [("tickers", MentionFilter(tickers=flt.tickers)),
             ("groups", MentionFilter(tickers=flt.tickers, groups=flt.groups)),
             ("langs", MentionFilter(tickers=flt.tickers, groups=flt.groups, langs=flt.langs)),
             ("kinds", MentionFilter(tickers=flt.tickers, groups=flt.groups, langs=flt.langs,
                                     kinds=flt.kinds)),
             # Its own step: `--instruments etf` that kept nothing was blamed on the
             # sources step, "no mentions in sources ; ...", naming no source.
             ("instruments", MentionFilter(tickers=flt.tickers, groups=flt.groups,
                                           langs=flt.langs, kinds=flt.kinds,
                                           instruments=flt.instruments)),
             ("sources", replace(flt, genres=(), min_confidence=0.0, private=True,
                                 file_dates=True, min_mentions=0)),
             ("genres", replace(flt, min_confidence=0.0, private=True, file_dates=True,
                                min_mentions=0)),
             ("rest", replace(flt, min_mentions=0))]
    kept: MentionFilter | None = None
    for name, step in steps:
        if probe.count(step) == 0:
            return _reason(name, flt, probe, kept)
        kept = step
    return None


def _reason(step: str, flt: MentionFilter, probe: MentionProbe,
            kept: MentionFilter | None) -> str:
    if step == "tickers":
        keys = probe.keys()
        hints = list(dict.fromkeys(h for t in flt.tickers for h in _nearest(t, keys)))
        hint = f"did you mean {', '.join(hints)}?" if hints else \
            f"stored tickers include {_choices(keys)}"
        return f"no mentions of {', '.join(flt.tickers)}; {hint}"
    if step == "groups":
        groups = [g for value in probe.values("groups", kept)
                  if value is not None and value == value for g in str(value).split(";")]
        return (f"no mentions in groups {', '.join(flt.groups)}; the mentions kept so far "
                f"are in {_choices(groups)}")
    labels = {"langs": ("languages", "lang"), "kinds": ("kinds", "kind"),
              "instruments": ("instruments", "instrument"),
              "sources": ("sources", "source"), "genres": ("genres", "genre")}
    if step in labels:
        label, column = labels[step]
        return (f"no mentions in {label} {', '.join(getattr(flt, step))}; the mentions kept "
                f"so far have {_choices(probe.values(column, kept))}")
    active = [text for on, text in (
        (flt.min_confidence > 0, f"--min-confidence {flt.min_confidence:g}"),
        (not flt.private, "--no-private"), (not flt.file_dates, "--no-file-dates")) if on]
    return (f"no mentions left after {' and '.join(active)}; the other filters keep "
            f"{counted(probe.count(kept), 'mention')}")
