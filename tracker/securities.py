"""The securities list: listed companies and tracked private ones, their aliases and groups."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import ConfigError

# The fixed vocabulary of groups; the README documents what each one means.
GROUPS = (
    "equipment", "foundry", "gpu", "semis", "memory", "packaging", "networking", "servers",
    "power", "cooling", "ev", "robotics", "cloud", "software", "internet", "hardware",
    "materials", "ai_lab", "space", "telecom", "finance", "consumer", "energy", "industrial",
)

COLUMNS = ("ticker", "market", "name", "aliases_en", "aliases_zh", "groups", "ambiguous",
           "former", "listings")


@dataclass(frozen=True)
class Security:
    """One company: its primary listing, other listings, names and groups.

    `market` is empty for private companies, which are tracked like listed ones.
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

    @property
    def is_private(self) -> bool:
        return not self.market


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _key(ticker: str, market: str | None) -> tuple[str, str]:
    return ticker.upper(), (market or "").upper()


class SecurityList:
    """Look securities up by ticker and market, by former symbol and by other listing."""

    def __init__(self, securities: Iterable[Security]) -> None:
        self.securities: list[Security] = []
        self._by_key: dict[tuple[str, str], Security] = {}
        self._by_ticker: dict[str, list[Security]] = {}
        for sec in securities:
            self.add(sec)

    def add(self, sec: Security) -> None:
        """Add `sec`, replacing an earlier entry with the same ticker and market."""
        old = self._by_key.get(_key(sec.ticker, sec.market))
        if old is not None:
            self.securities.remove(old)
        self.securities.append(sec)
        keys = [_key(sec.ticker, sec.market)]
        keys += [_key(*_parse_listing(lst)) for lst in sec.listings]
        keys += [_key(f, sec.market) for f in sec.former]
        for key in keys:
            self._by_key[key] = sec
            bucket = self._by_ticker.setdefault(key[0], [])
            bucket[:] = [s for s in bucket if s is not old] + [sec]

    def lookup(self, ticker: str, market: str | None = None) -> Security | None:
        """The entry for `ticker` on `market`; without a market, only an unambiguous ticker."""
        if market:
            return self._by_key.get(_key(ticker, market))
        found = self._by_ticker.get(ticker.upper(), [])
        return found[0] if len(found) == 1 else None

    def resolve(self, ticker: str, market: str | None) -> tuple[str, str | None, Security | None]:
        """Today's (ticker, market) for a symbol as written, with its entry if known.

        A former symbol resolves to the current one; another listing of a company keeps its
        own ticker and market, because prices and volumes differ per listing.
        """
        sec = self.lookup(ticker, market)
        if sec is None:
            return ticker.upper(), market, None
        if ticker.upper() in sec.former:
            return sec.ticker, sec.market or None, sec
        return ticker.upper(), market or sec.market or None, sec

    def __len__(self) -> int:
        return len(self.securities)

    def __iter__(self) -> Iterator[Security]:
        return iter(self.securities)


def _parse_listing(listing: str) -> tuple[str, str]:
    ticker, _, market = listing.rpartition(".")
    return (ticker, market) if ticker else (listing, "")


def read_securities_csv(text: str, where: str) -> list[Security]:
    """Parse the securities CSV format (see COLUMNS); `where` names the file in errors."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("ticker", "market", "name") if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{where}: securities file lacks column(s) {', '.join(missing)}")
    out = []
    for lineno, row in enumerate(reader, start=2):
        ticker = (row.get("ticker") or "").strip().upper()
        if not ticker:
            raise ConfigError(f"{where}:{lineno}: empty ticker")
        groups = _split(row.get("groups"))
        unknown = [g for g in groups if g not in GROUPS]
        if unknown:
            raise ConfigError(
                f"{where}:{lineno}: unknown group(s) {', '.join(unknown)}; "
                f"use one of {', '.join(GROUPS)}"
            )
        out.append(Security(
            ticker=ticker,
            market=(row.get("market") or "").strip().upper(),
            name=(row.get("name") or "").strip(),
            aliases_en=_split(row.get("aliases_en")),
            aliases_zh=_split(row.get("aliases_zh")),
            groups=groups,
            ambiguous=_split(row.get("ambiguous")),
            former=tuple(f.upper() for f in _split(row.get("former"))),
            listings=tuple(s.upper() for s in _split(row.get("listings"))),
        ))
    return out


@lru_cache(maxsize=1)
def _packaged() -> tuple[Security, ...]:
    text = resources.files("tracker.data").joinpath("securities.csv").read_text("utf-8")
    return tuple(read_securities_csv(text, "tracker/data/securities.csv"))


def load_securities(extra: Path | None = None) -> SecurityList:
    """The packaged list, with entries from the user's `extra` CSV added or overriding."""
    secs = SecurityList(_packaged())
    if extra is not None:
        try:
            text = extra.read_text("utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"{extra}: cannot read securities file: {exc.strerror}") from exc
        for sec in read_securities_csv(text, str(extra)):
            secs.add(sec)
    return secs
