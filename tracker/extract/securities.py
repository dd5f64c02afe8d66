"""The securities: the curated list, the listed universe under it, and their keys.

Two layers, one lookup:

* **Curated** (`tracker/data/securities.csv`, plus the user's `[securities]` rows): the
  companies we describe by hand, with the aliases and groups the name matcher uses.
  Iterating a `SecurityList` (`for sec in secs`, `len(secs)`) walks this layer only.
* **Universe** (`tracker/data/universe.csv`, built by `scripts/build_securities.py` from
  public listings, with `tracker/data/instruments.csv` laid over it): every listed share,
  ETF, index, future and coin, with the names its listing gives (`listed_names`). Lookups by
  key, symbol and name reach it; `SecurityList.all()` walks both layers.

The curated layer wins: a universe row whose (ticker, market) a curated row claims, as its
primary listing, another listing or a former symbol, is hidden behind the curated row.

Policy (docs/securities.md): listed names are *not* aliases. The name matcher reads
`aliases_en` and `aliases_zh`, which only the curated layer fills, so thousands of short
listing names do not turn into name mentions unless the extraction code opts in through
`SecurityList.all()` and `Security.listed_names`.

Canonical keys (`Security.key`, `canonical_key`, `parse_key`): US and private securities
are their ticker (`TSLA`, `BRK.B`, `SPACEX`); every other market is `TICKER.MARKET` with
Yahoo's suffixes (`600036.SS`, `000001.SZ`, `0700.HK`, `2330.TW`, `7203.T`, `005930.KS`)
and crypto is `BTC.X`. Hong Kong codes are four digits when they fit (`0700.HK`);
`00700.HK`, `700.HK`, `SH600036`, `600036.SH`, `2330.TWO` and `BTC-USD` resolve to them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import sys
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import ConfigError
from tracker.extract.exchange_codes import FOREIGN_SUFFIXES, US_MARKET
from tracker.extract.markets import (
    A_SHARE_EXCHANGES,
    A_SHARE_MARKETS,
    FX_MARKET,
    HK_MARKET,
    TOKYO_MARKET,
)
from tracker.extract.text.patterns import CJK

if TYPE_CHECKING:
    from tracker.config import SecuritiesConfig

# The fixed vocabulary of groups; docs/securities.md documents what each one means.
GROUPS = (
    "equipment", "foundry", "gpu", "semis", "memory", "packaging", "networking", "servers",
    "power", "cooling", "ev", "robotics", "cloud", "software", "internet", "hardware",
    "materials", "ai_lab", "space", "telecom", "finance", "consumer", "energy", "industrial",
    "health", "property",
)

# What a security is. Reports show equities and ETFs by default.
KINDS = ("equity", "etf", "index", "future", "crypto", "fx", "private")

# Columns of the curated CSV format (securities.csv and the user's files); `kind` may be
# added as an optional column (default: private without a market, equity with one).
COLUMNS = ("ticker", "market", "name", "aliases_en", "aliases_zh", "groups", "ambiguous",
           "former", "listings")
OPTIONAL_COLUMNS = ("kind",)

# Columns of universe.csv and instruments.csv: listed names are not aliases (module docstring).
UNIVERSE_COLUMNS = ("ticker", "market", "kind", "name", "listed_names", "source")
# Markets whose securities are shown by their Chinese short name rather than the English one:
# the A-share exchanges.
LOCAL_NAME_MARKETS = A_SHARE_MARKETS

# Market suffixes as keys and posts write them -> the suffix we store (Yahoo's). The
# exchanges the universe holds no list of are keyed with their Yahoo suffix too (`SHOP.TO`,
# exchange_codes.py), so a `--tickers SHOP.TO` reads back as the key a post's code gets.
# The keys are suffixes as written (`WTW.US`, `BRK.N`), the values the stored markets.
MARKET_SUFFIXES = {
    **{suffix: suffix for suffix in FOREIGN_SUFFIXES},
    **dict.fromkeys(("US", "N", "O", "NYSE", "NASDAQ"), US_MARKET),
    "SS": "SS", **A_SHARE_EXCHANGES, "HK": HK_MARKET, "TW": "TW", "TWO": "TW",
    "T": TOKYO_MARKET, "JP": TOKYO_MARKET, "KS": "KS", "KQ": "KQ", "X": "X",
    "SG": "SI", "SI": "SI", "L": "L", "LN": "L", "AS": "AS", "PA": "PA", "DE": "DE",
    "F": "F", "SW": "SW", "MI": "MI", "HE": "HE",
}
# Markets whose key is the bare ticker: US symbols as US posts write them, private companies.
_PLAIN_MARKETS = (US_MARKET, "")

_A_PREFIX = re.compile(f"({'|'.join(A_SHARE_EXCHANGES)})(\\d{{6}})")  # SH600036
_COIN_PAIR = re.compile(r"([A-Z0-9]{2,10})-(?:USD|USDT|USDC)")
_CLASS_SHARE = re.compile(r"([A-Z]{1,5})[-/]([A-Z])")


def canonical_hk(code: str) -> str:
    """A Hong Kong code in key form: four digits when it fits (`00700` -> `0700`, `5` -> `0005`)."""
    return code.lstrip("0").zfill(4) if code.isdigit() else code


def normalise_market(market: str | None) -> str:
    """The stored suffix for a market as written (`SH` -> `SS`, `TWO` -> `TW`, None -> ``)."""
    market = (market or "").strip().upper()
    return MARKET_SUFFIXES.get(market, market)


def _ticker_in(ticker: str, market: str) -> str:
    ticker = ticker.strip().upper()
    return canonical_hk(ticker) if market == HK_MARKET else ticker


def canonical_key(ticker: str, market: str | None) -> str:
    """The one key of a listing: `TSLA`, `BRK.B`, `600036.SS`, `0700.HK`, `BTC.X`, `SPACEX`."""
    market = normalise_market(market)
    ticker = _ticker_in(ticker, market)
    return ticker if market in _PLAIN_MARKETS else f"{ticker}.{market}"


def parse_key(written: str) -> tuple[str, str | None]:
    """(ticker, market) for a key in any written form; market is None when it does not say.

    `SH600036`, `600036.SH`, `600036.SS` -> (600036, SS); `00700.HK` -> (0700, HK);
    `BTC-USD`, `BTC.X` -> (BTC, X); `BRK-B`, `BRK.B` -> (BRK.B, None); `$TSLA` -> (TSLA, None).
    This reads keys (a `--tickers` value, a tag's code), not prose: finding them in posts is
    the extraction code's job.
    """
    text = written.strip().lstrip("$").upper()
    if m := _A_PREFIX.fullmatch(text):
        return m[2], MARKET_SUFFIXES[m[1]]
    if m := _COIN_PAIR.fullmatch(text):
        return m[1], "X"
    if m := _CLASS_SHARE.fullmatch(text):
        return f"{m[1]}.{m[2]}", None
    head, dot, tail = text.rpartition(".")
    if dot and head and tail in MARKET_SUFFIXES:
        market = MARKET_SUFFIXES[tail]
        return _ticker_in(head, market), market
    return text, None


def fold_name(name: str) -> str:
    """A name as `by_name` compares it: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Security:
    """One security: its primary listing, other listings, names, groups and kind.

    `market` is empty for private companies, which are tracked like listed ones.
    `kind` is one of KINDS (default: private without a market, equity with one).
    `source` says where the row comes from: `curated`, `config`, or a listing's id
    (docs/securities.md lists them). `listed_names` are the names the listing gives
    (short names, local-script names); unlike the aliases they are not matched in text.
    `delisted` is set on a delisted holder of a symbol (its own key, `S@2020`).
    """

    ticker: str
    market: str
    name: str
    aliases_en: tuple[str, ...] = ()
    aliases_zh: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    former: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    kind: str = ""
    source: str = ""
    listed_names: tuple[str, ...] = ()
    # The day a delisted holder of a symbol left the market (tracker/extract/history.py).
    delisted: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", _default_kind(self.market))

    @property
    def is_private(self) -> bool:
        return not self.market

    @property
    def key(self) -> str:
        """The canonical key (see `canonical_key`)."""
        return canonical_key(self.ticker, self.market)

    def names(self) -> tuple[str, ...]:
        """Every name the security goes by: official name, aliases, listed names."""
        return tuple(dict.fromkeys(
            n for n in (self.name, *self.aliases_en, *self.aliases_zh, *self.listed_names) if n))


def _default_kind(market: str | None) -> str:
    """A security's kind where its row gives none: a listed one is a share, else private."""
    return "equity" if market else "private"


_new = object.__new__
_set = object.__setattr__


def _universe_security(ticker: str, market: str, name: str, kind: str, source: str,
                       listed_names: tuple[str, ...]) -> Security:
    """`Security(ticker, market, name, kind=kind, source=source, listed_names=listed_names)`
    for a universe row.

    Why not the constructor: a frozen dataclass's `__init__` sets each of the 13 fields
    through `object.__setattr__`, 3.1 us a row, and the name matcher's build makes all
    30,000 rows. The fields a row leaves at their default (aliases, groups, listings, ...)
    are read from the class, where a dataclass keeps each field's default: 1.0 us a row,
    the same object for `==`, `hash`, `repr` and `dataclasses.replace`.
    """
    sec = _new(Security)
    _set(sec, "ticker", ticker)
    _set(sec, "market", market)
    _set(sec, "name", name)
    _set(sec, "kind", kind or _default_kind(market))  # as __post_init__
    _set(sec, "source", source)
    _set(sec, "listed_names", listed_names)
    return sec


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()  # most universe rows list no names: no generator for them
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _key(ticker: str, market: str | None) -> tuple[str, str]:
    market = normalise_market(market)
    return _ticker_in(ticker, market), market


class Universe:
    """The listed securities, read once per process and turned into `Security` on demand.

    Rows stay as tuples of strings until looked up, so loading costs one CSV parse and two
    dictionaries (docs/securities.md has the measured time and memory).
    """

    def __init__(self, rows: Iterable[tuple[str, ...]], sources: Iterable[Path] = ()) -> None:
        # The files the rows were read from, for what is derived from them and cached
        # (tracker/extract/name_index.py); none for rows given in code.
        self.sources = tuple(sources)
        self._rows: list[tuple[str, ...]] = []
        self._index: dict[tuple[str, str], int] = {}
        for row in rows:
            key = (row[0], row[1])
            at = self._index.get(key)
            if at is None:
                self._index[key] = len(self._rows)
                self._rows.append(row)
            else:
                self._rows[at] = row  # a later file (instruments.csv) wins
        # Each ticker's row, or its rows (in order) where it is listed in several markets:
        # a list per ticker, most of them of one row, took 2.5 MiB of the 30,000. The ints
        # are _index's own (its values are the rows in order), not one more object per row.
        self._by_ticker: dict[str, int | list[int]] = {}
        for i in self._index.values():
            ticker = self._rows[i][0]
            held = self._by_ticker.setdefault(ticker, i)
            if held is not i:
                if isinstance(held, int):
                    held = self._by_ticker[ticker] = [held]
                held.append(i)
        # The Security of each row, made when first asked for (a list, not a dict keyed
        # by row: 1.8 MiB less once the name matcher has made them all).
        self._made: list[Security | None] = [None] * len(self._rows)
        self._names: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def row_of(self, sec: Security) -> int | None:
        """The row `sec` was made from (`security(row)` is `sec`), None for one it did not
        make."""
        i = self._index.get((sec.ticker, sec.market))
        return i if i is not None and self._made[i] is sec else None

    def security(self, row: int) -> Security:
        """The Security of row `row` (0 to len - 1), made once."""
        return self._security(row)

    def securities(self, rows: Iterable[int]) -> list[Security]:
        """`security(row)` of each of `rows`, in one pass (the name index reads 21,700)."""
        return list(map(self._security, rows))

    def _security(self, i: int) -> Security:
        sec = self._made[i]
        if sec is None:
            ticker, market, kind, name, listed, source = self._rows[i]
            listed_names = _split(listed)
            if market in LOCAL_NAME_MARKETS:
                # An A-share is known by its Chinese short name (五粮液), which is what posts
                # and readers use; its listed names (which the name matcher reads) keep both.
                local = next((n for n in listed_names if CJK.search(n)), None)
                if local is not None:
                    listed_names = tuple(dict.fromkeys(n for n in (name, *listed_names) if n))
                    name = local
            sec = _universe_security(ticker, market, name, kind, source, listed_names)
            self._made[i] = sec
        return sec

    def get(self, ticker: str, market: str) -> Security | None:
        """The row for exactly this (ticker, market), both in stored form."""
        i = self._index.get((ticker, market))
        return None if i is None else self._security(i)

    def with_ticker(self, ticker: str) -> list[Security]:
        """Every row with this ticker, in any market."""
        at = self._by_ticker.get(ticker)
        if at is None:
            return []
        if isinstance(at, int):
            return [self._security(at)]
        return [self._security(i) for i in at]

    def named(self, folded: str) -> list[Security]:
        """Rows whose name or a listed name folds (`fold_name`) to `folded`."""
        if self._names is None:
            names: dict[str, list[int]] = {}
            for i, row in enumerate(self._rows):
                for name in dict.fromkeys((row[3], *row[4].split("|"))):
                    if name:
                        names.setdefault(fold_name(name), []).append(i)
            self._names = names
        return [self._security(i) for i in self._names.get(folded, ())]

    def __iter__(self) -> Iterator[Security]:
        return map(self._security, range(len(self._rows)))


def read_universe_csv(text: str, where: str) -> list[tuple[str, ...]]:
    """Parse the universe format (UNIVERSE_COLUMNS); `where` names the file in errors."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) != UNIVERSE_COLUMNS:
        raise ConfigError(f"{where}: header must be {','.join(UNIVERSE_COLUMNS)}")
    rows: list[tuple[str, ...]] = []
    kinds = set(KINDS)
    for lineno, row in enumerate(reader, start=2):
        if len(row) != len(UNIVERSE_COLUMNS):
            raise ConfigError(f"{where}:{lineno}: {len(row)} fields, expected "
                              f"{len(UNIVERSE_COLUMNS)}")
        if not row[0] or row[2] not in kinds:
            raise ConfigError(f"{where}:{lineno}: empty ticker or kind {row[2]!r} not one of "
                              f"{', '.join(KINDS)}")
        ticker, market, kind, name, listed, source = row
        # Market, kind and source take a dozen values over 30,000 rows: one string object
        # each (sys.intern; marshal keeps them shared in the user cache), not one per row.
        rows.append((ticker, sys.intern(market), sys.intern(kind), name, listed,
                     sys.intern(source)))
    return rows


class SecurityList:
    """The curated securities over the listed universe; lookups by key, symbol and name.

    Iteration and `len` cover the curated layer (what the name matcher matches); `all()`
    covers both layers. A new list shares the process's one `Universe`.
    """

    def __init__(self, securities: Iterable[Security] = (),
                 universe: Universe | None = None) -> None:
        self.securities: list[Security] = []
        self.universe = universe
        self._by_key: dict[tuple[str, str], Security] = {}
        self._by_ticker: dict[str, list[Security]] = {}
        self._names: dict[str, list[Security]] | None = None
        # How many times `add` has changed the list: what a cache of lookups checks.
        self.changes = 0
        for sec in securities:
            self.add(sec)

    def add(self, sec: Security) -> None:
        """Add `sec` to the curated layer, replacing an entry with the same ticker and market.

        The universe rows `sec` claims (its primary listing and other listings) lend it
        their listed names, so `by_name` still finds it by the names the listings give.
        """
        if self.universe is not None and not sec.listed_names:
            claimed = [_key(sec.ticker, sec.market)]
            claimed += [_key(*_parse_listing(lst)) for lst in sec.listings]
            listed = [n for key in claimed if (row := self.universe.get(*key)) is not None
                      for n in (row.name, *row.listed_names)]
            if listed:
                sec = dataclasses.replace(sec, listed_names=tuple(dict.fromkeys(listed)))
        old = self._by_key.get(_key(sec.ticker, sec.market))
        if old is not None:
            self.securities.remove(old)
            # The replacement may drop a former symbol or listing the old entry had.
            for stale in [k for k, v in self._by_key.items() if v is old]:
                del self._by_key[stale]
                bucket = self._by_ticker[stale[0]]
                bucket[:] = [s for s in bucket if s is not old]
        self.securities.append(sec)
        self._names = None
        self.changes += 1
        keys = [_key(sec.ticker, sec.market)]
        keys += [_key(*_parse_listing(lst)) for lst in sec.listings]
        keys += [_key(f, sec.market) for f in sec.former]
        for key in keys:
            self._by_key[key] = sec
            bucket = self._by_ticker.setdefault(key[0], [])
            if all(s is not sec for s in bucket):
                bucket.append(sec)

    def lookup(self, ticker: str, market: str | None = None) -> Security | None:
        """The entry for `ticker` on `market`.

        With a market: the curated entry claiming that listing, else the universe's row.
        Without one, only an unambiguous ticker: a curated entry if exactly one claims the
        symbol, unless that entry lists it abroad and a US listing the curated list does not
        claim has it (`SU`: Suncor, not Schneider Electric's Paris `SU`); else the universe's
        one row with it (crypto needs market `X`); else, when several markets list it, the US
        one; else None.
        """
        if market:
            key = _key(ticker, market)
            sec = self._by_key.get(key)
            if sec is None and self.universe is not None:
                sec = self.universe.get(*key)
            return sec
        symbol = ticker.strip().upper()
        found = self._by_ticker.get(symbol, [])
        if len(found) == 1 and found[0].market not in _PLAIN_MARKETS \
                and found[0].ticker == symbol and self.universe is not None:
            # A symbol written without a market is a US one where a US listing has it: a
            # post's `$SU` is Suncor, `$ENR` Energizer, `$ASM` Avino; Paris's, Frankfurt's and
            # Amsterdam's need their suffix (`SU.PA`). Issue 28, sixteenth round.
            us = self.universe.get(symbol, US_MARKET)
            if us is not None and (us.ticker, us.market) not in self._by_key:
                return us
        if found:
            return found[0] if len(found) == 1 else None
        if self.universe is None:
            return None
        rows = [s for s in self.universe.with_ticker(symbol)
                if s.kind != "crypto" and (s.ticker, s.market) not in self._by_key]
        if len(rows) > 1:
            rows = [s for s in rows if s.market == US_MARKET]
        return rows[0] if len(rows) == 1 else None

    def resolve(self, ticker: str, market: str | None) -> tuple[str, str | None, Security | None]:
        """Today's (ticker, market) for a symbol as written, with its entry if known.

        A former symbol resolves to the current one; another listing of a company keeps its
        own ticker and market, because prices and volumes differ per listing. Without a
        market, the ticker may be a key in any form `parse_key` reads (`SH600036`). Markets
        and Hong Kong codes come back in stored form (`SH` -> `SS`, `00700` -> `0700`).
        """
        if not market:
            ticker, market = parse_key(ticker)
        sec = self.lookup(ticker, market)
        symbol, where = _key(ticker, market)
        if sec is None:
            return symbol, where or None, None
        if symbol in sec.former:
            return sec.ticker, sec.market or None, sec
        if not where:
            where = sec.market if symbol == sec.ticker else _listing_market(sec, symbol)
        return symbol, where or None, sec

    def by_key(self, written: str) -> Security | None:
        """The security a key names in any written form (`parse_key`): `600036.SH`, `0700.HK`."""
        ticker, market = parse_key(written)
        return self.lookup(ticker, market)

    def by_name(self, name: str) -> list[Security]:
        """Securities whose name, alias or listed name is `name` (NFKC, any case).

        Curated entries first; universe rows hidden behind a curated entry are left out.
        """
        folded = fold_name(name)
        if self._names is None:
            names: dict[str, list[Security]] = {}
            for sec in self.securities:
                for n in sec.names():
                    bucket = names.setdefault(fold_name(n), [])
                    if sec not in bucket:
                        bucket.append(sec)
            self._names = names
        out = list(self._names.get(folded, ()))
        if self.universe is not None:
            out += [s for s in self.universe.named(folded)
                    if (s.ticker, s.market) not in self._by_key]
        return out

    def copy(self) -> SecurityList:
        """A list holding the same securities, which `add` changes without changing this one."""
        new = SecurityList(universe=self.universe)
        new.securities = list(self.securities)
        new._by_key = dict(self._by_key)
        new._by_ticker = {ticker: list(bucket) for ticker, bucket in self._by_ticker.items()}
        return new

    def signature(self) -> tuple[object, ...]:
        """A value equal for two lists that hold the same securities: the curated layer in
        order, the universe (one object per process) and the keys that hide its rows. What a
        list matches in text depends on these alone, so equal lists can share a matcher."""
        return (self.universe, tuple(self.securities), frozenset(self._by_key))

    def all(self) -> Iterator[Security]:
        """Every security: the curated layer, then the universe rows it does not hide."""
        yield from self.securities
        if self.universe is not None:
            for sec in self.universe:
                if (sec.ticker, sec.market) not in self._by_key:
                    yield sec

    def __len__(self) -> int:
        return len(self.securities)

    def __iter__(self) -> Iterator[Security]:
        return iter(self.securities)


def _listing_market(sec: Security, symbol: str) -> str:
    for listing in sec.listings:
        ticker, market = _key(*_parse_listing(listing))
        if ticker == symbol:
            return market
    return sec.market


def _parse_listing(listing: str) -> tuple[str, str]:
    ticker, _, market = listing.rpartition(".")
    return (ticker, market) if ticker else (listing, "")


def read_securities_csv(
    text: str, where: str, groups: Collection[str] = GROUPS, source: str = "config"
) -> list[Security]:
    """Parse the curated CSV format (COLUMNS, optional `kind`); `where` names the file in errors.

    `groups` is the vocabulary a row's groups must come from; `source` is stored on each row.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("ticker", "market", "name") if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{where}: securities file lacks column(s) {', '.join(missing)}")
    out = []
    for lineno, row in enumerate(reader, start=2):
        ticker = (row.get("ticker") or "").strip().upper()
        if not ticker:
            raise ConfigError(f"{where}:{lineno}: empty ticker")
        market = _checked_key(ticker, row.get("market"), f"{where}:{lineno} ({ticker})")
        aliases = {key: _split(row.get(key)) for key in ("aliases_en", "aliases_zh")}
        for key, values in aliases.items():
            _check_aliases(key, values, f"{where}:{lineno} ({ticker})")
        row_groups = _split(row.get("groups"))
        unknown = [g for g in row_groups if g not in groups]
        if unknown:
            raise ConfigError(
                f"{where}:{lineno}: unknown group(s) {', '.join(unknown)}; "
                f"use one of {', '.join(groups)}"
            )
        kind = (row.get("kind") or "").strip().lower()
        if kind and kind not in KINDS:
            raise ConfigError(f"{where}:{lineno}: unknown kind {kind!r}; "
                              f"use one of {', '.join(KINDS)}")
        out.append(Security(
            ticker=_ticker_in(ticker, market),
            market=market,
            name=(row.get("name") or "").strip(),
            aliases_en=aliases["aliases_en"],
            aliases_zh=aliases["aliases_zh"],
            groups=row_groups,
            ambiguous=_split(row.get("ambiguous")),
            former=tuple(f.upper() for f in _split(row.get("former"))),
            listings=tuple(s.upper() for s in _split(row.get("listings"))),
            kind=kind,
            source=source,
        ))
    return out


def _packaged_text(name: str) -> str:
    return resources.files("tracker.data").joinpath(name).read_text("utf-8")


@lru_cache(maxsize=1)
def _packaged() -> tuple[Security, ...]:
    return tuple(read_securities_csv(_packaged_text("securities.csv"),
                                     "tracker/data/securities.csv", source="curated"))


def load_universe(listings: Path | None = None, instruments: Path | None = None) -> Universe:
    """The listed universe: `listings` (default the packaged universe.csv) with the curated
    indices, futures and coins of `instruments` (default the packaged instruments.csv) over it.

    The packaged pair is read once per process; see `packaged_universe`.
    """
    if listings is None and instruments is None:
        return packaged_universe()
    texts = []
    for path, name in ((listings, "universe.csv"), (instruments, "instruments.csv")):
        if path is None:
            texts.append((_packaged_text(name), f"tracker/data/{name}"))
            continue
        try:
            texts.append((path.read_text("utf-8"), str(path)))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read securities file: {exc}") from exc
    return Universe(row for text, where in texts for row in read_universe_csv(text, where))


_UNIVERSE_FILES = ("universe.csv", "instruments.csv")


def packaged_universe_rows() -> list[tuple[str, ...]]:
    """The packaged universe's rows, parsed from its CSV files."""
    return [row for name in _UNIVERSE_FILES
            for row in read_universe_csv(_packaged_text(name), f"tracker/data/{name}")]


@lru_cache(maxsize=1)
def packaged_universe() -> Universe:
    """The packaged universe, loaded once per process and shared by every SecurityList.

    Its rows are read from the user's cache (tracker.data.user_cache) when parsed there
    before from these files by this code: parsing took 0.07 s of every start, reading them
    back 0.025 s."""
    from tracker.data.user_cache import cached

    files = [Path(str(resources.files("tracker.data").joinpath(n))) for n in _UNIVERSE_FILES]
    return Universe(cached("universe-rows", [*files, Path(__file__)], packaged_universe_rows),
                    sources=files)


@lru_cache(maxsize=2)
def _packaged_list(universe: bool) -> SecurityList:
    # Each curated row over the universe takes its listed names from the universe's rows:
    # done once per process, and every command's list starts from a copy.
    return SecurityList(_packaged(), packaged_universe() if universe else None)


def load_securities(extra: Path | None = None, *, universe: bool = True) -> SecurityList:
    """The packaged list over the listed universe, with the user's `extra` CSV rows on top.

    `universe=False` leaves the listed universe out (curated rows only).
    """
    secs = _packaged_list(universe).copy()
    if extra is not None:
        try:
            text = extra.read_text("utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"{extra}: cannot read securities file: {exc.strerror}") from exc
        for sec in read_securities_csv(text, str(extra)):
            secs.add(sec)
    return secs


# What a ticker may not hold: a space, or the separators of lists and cashtags. `Z Z` was
# stored as written, and no post, tag or `--tickers` value could ever name it.
_NOT_IN_TICKER = re.compile(r"[\s,;|$()（）]")
# The markets a key may carry: those keys and posts write (their stored suffixes), and the
# currency pairs' of instruments.csv (USDCNH.FX: an edit giving one an alias was refused),
# or none.
_KNOWN_MARKETS = frozenset(MARKET_SUFFIXES.values()) | {FX_MARKET}


def _checked_key(ticker: str, market: str | None, where: str) -> str:
    """The stored market of a curated row's or an edit's (ticker, market), after the checks
    both share; `where` names the file and row or entry."""
    odd = _NOT_IN_TICKER.search(ticker.strip())
    if odd is not None:
        raise ConfigError(f"{where}: ticker {ticker.strip()!r} holds {odd[0]!r}; a ticker is "
                          "one word, as posts and keys write it")
    stored = normalise_market(market)
    if stored and stored not in _KNOWN_MARKETS:
        # NOSUCHMKT was taken as written: its key matched no post's code and no --tickers.
        raise ConfigError(f"{where}: unknown market {market!r}; use one of "
                          f"{', '.join(sorted(_KNOWN_MARKETS))}, or none for a private company")
    return stored


def _check_aliases(key: str, values: Iterable[str], where: str) -> None:
    """Refuse an alias with no letter or digit (`aliases_zh = ["，"]` made every Chinese post
    holding a comma mention the security); the same check for a CSV row and an edit."""
    blank = next((v for v in values if not any(ch.isalnum() for ch in v)), None)
    if blank is not None:
        raise ConfigError(f"{where}: {key} holds {blank!r}, which has no letter or digit: "
                          "every post holding it would mention this security; remove it")


_LIST_KEYS = ("aliases_en", "aliases_zh", "groups", "ambiguous", "former", "listings")


@dataclass(frozen=True)
class SecurityEdit:
    """One `[[securities.add]]` entry with its values checked: the stored key it names and
    the fields it sets. `where` (the config file and the entry) begins the one error left
    for when the list is built: a new entry without a name."""

    ticker: str
    market: str
    changes: dict[str, Any]
    where: str


def read_security_edit(entry: dict[str, Any], vocabulary: Collection[str],
                       where: str) -> SecurityEdit:
    """Check one `[[securities.add]]` table (its keys are the config schema's to check);
    `where` names the config file and the entry in each error, `vocabulary` the groups an
    entry may name (the packaged ones and the config's `[groups]`)."""
    ticker, market = entry.get("ticker"), entry.get("market", "")
    if not isinstance(ticker, str) or not ticker.strip():
        raise ConfigError(f"{where}: ticker must be a non-empty string")
    where = f"{where} ({ticker})"
    if not isinstance(market, str):
        raise ConfigError(f"{where}: market must be a string")
    changes: dict[str, Any] = {}
    if "name" in entry:
        if not isinstance(entry["name"], str):
            raise ConfigError(f"{where}: name must be a string")
        changes["name"] = entry["name"].strip()
    if "kind" in entry:
        if entry["kind"] not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
        changes["kind"] = entry["kind"]
    for key in _LIST_KEYS:
        if key not in entry:
            continue
        value = entry[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        values = tuple(v.strip() for v in value if v.strip())
        if key.startswith("aliases_"):
            _check_aliases(key, values, where)
        if key in ("former", "listings"):
            values = tuple(v.upper() for v in values)
        changes[key] = values
    bad = [g for g in changes.get("groups", ()) if g not in vocabulary]
    if bad:
        raise ConfigError(f"{where}: unknown group(s) {', '.join(bad)}; "
                          f"use one of {', '.join(vocabulary)} or define it under [groups]")
    stored_market = _checked_key(ticker, market, where)
    return SecurityEdit(_ticker_in(ticker, stored_market), stored_market, changes, where)


def securities_from_config(section: SecuritiesConfig) -> SecurityList:
    """The packaged list with the config's `[securities]` section applied.

    `section` comes checked from tracker.config: the rows of its `file` replace packaged
    entries with the same ticker and market; each `[[securities.add]]` edit then replaces
    only the keys it sets on an existing entry (curated or listed), or adds a new one, which
    needs a name. `universe = false` leaves the listed universe out.
    """
    secs = _packaged_list(section.universe).copy()
    for sec in section.rows:
        secs.add(sec)
    for edit in section.edits:
        secs.add(_apply_edit(edit, secs))
    return secs


def _apply_edit(edit: SecurityEdit, secs: SecurityList) -> Security:
    key = (edit.ticker, edit.market)
    old = secs._by_key.get(key)
    if old is None and edit.market and secs.universe is not None:
        old = secs.universe.get(*key)
    changes = {"ticker": edit.ticker, "market": edit.market, "source": "config",
               **edit.changes}
    if old is not None and (old.ticker, old.market) == key:
        return dataclasses.replace(old, **changes)
    if not changes.get("name"):
        raise ConfigError(f"{edit.where}: a new entry needs a name")
    return Security(**changes)
