"""The securities list: listed companies and tracked private ones, their aliases and groups."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError

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
            # The replacement may drop a former symbol or listing the old entry had.
            for stale in [k for k, v in self._by_key.items() if v is old]:
                del self._by_key[stale]
                bucket = self._by_ticker[stale[0]]
                bucket[:] = [s for s in bucket if s is not old]
        self.securities.append(sec)
        keys = [_key(sec.ticker, sec.market)]
        keys += [_key(*_parse_listing(lst)) for lst in sec.listings]
        keys += [_key(f, sec.market) for f in sec.former]
        for key in keys:
            self._by_key[key] = sec
            bucket = self._by_ticker.setdefault(key[0], [])
            if all(s is not sec for s in bucket):
                bucket.append(sec)

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


def read_securities_csv(
    text: str, where: str, groups: Collection[str] = GROUPS
) -> list[Security]:
    """Parse the securities CSV format (see COLUMNS); `where` names the file in errors.

    `groups` is the vocabulary a row's groups must come from.
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
        row_groups = _split(row.get("groups"))
        unknown = [g for g in row_groups if g not in groups]
        if unknown:
            raise ConfigError(
                f"{where}:{lineno}: unknown group(s) {', '.join(unknown)}; "
                f"use one of {', '.join(groups)}"
            )
        out.append(Security(
            ticker=ticker,
            market=(row.get("market") or "").strip().upper(),
            name=(row.get("name") or "").strip(),
            aliases_en=_split(row.get("aliases_en")),
            aliases_zh=_split(row.get("aliases_zh")),
            groups=row_groups,
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


_LIST_KEYS = ("aliases_en", "aliases_zh", "groups", "ambiguous", "former", "listings")


def securities_from_config(raw: dict[str, Any], base_dir: Path) -> SecurityList:
    """The packaged list with the user's `[securities]` additions and overrides applied.

    `raw` is the merged configuration; `base_dir` the folder of the config file, against
    which `[securities] file` is resolved. The file's rows replace packaged entries with the
    same ticker and market; each `[[securities.add]]` entry then replaces only the keys it
    sets on an existing entry, or adds a new one (which needs a name). Groups may come from
    the packaged vocabulary or from the keys of the `[groups]` table.
    """
    section = raw.get("securities", {})
    if not isinstance(section, dict):
        raise ConfigError("[securities] must be a table")
    user_groups = raw.get("groups", {})
    vocabulary = tuple(GROUPS) + tuple(
        g for g in (user_groups if isinstance(user_groups, dict) else {}) if g not in GROUPS
    )
    secs = SecurityList(_packaged())
    file = section.get("file")
    if file:
        if not isinstance(file, str):
            raise ConfigError("[securities] file must be a path (a string)")
        path = base_dir / file
        try:
            text = path.read_text("utf-8-sig")
        except OSError as exc:
            raise ConfigError(
                f"{path}: cannot read the file named by [securities] file: {exc.strerror}"
            ) from exc
        for sec in read_securities_csv(text, str(path), vocabulary):
            secs.add(sec)
    adds = section.get("add", [])
    if not isinstance(adds, list):
        raise ConfigError("[securities] add must be an array of tables ([[securities.add]])")
    for index, entry in enumerate(adds, start=1):
        secs.add(_security_from_table(entry, secs, vocabulary, f"[[securities.add]] #{index}"))
    return secs


def _security_from_table(
    entry: Any, secs: SecurityList, vocabulary: Collection[str], where: str
) -> Security:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(entry) - set(COLUMNS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                          f"use {', '.join(COLUMNS)}")
    ticker, market = entry.get("ticker"), entry.get("market", "")
    if not isinstance(ticker, str) or not ticker.strip():
        raise ConfigError(f"{where}: ticker must be a non-empty string")
    if not isinstance(market, str):
        raise ConfigError(f"{where} ({ticker}): market must be a string")
    changes: dict[str, Any] = {"ticker": ticker.strip().upper(), "market": market.strip().upper()}
    if "name" in entry:
        if not isinstance(entry["name"], str):
            raise ConfigError(f"{where} ({ticker}): name must be a string")
        changes["name"] = entry["name"].strip()
    for key in _LIST_KEYS:
        if key not in entry:
            continue
        value = entry[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} ({ticker}): {key} must be a list of strings")
        values = tuple(v.strip() for v in value if v.strip())
        if key in ("former", "listings"):
            values = tuple(v.upper() for v in values)
        changes[key] = values
    bad = [g for g in changes.get("groups", ()) if g not in vocabulary]
    if bad:
        raise ConfigError(f"{where} ({ticker}): unknown group(s) {', '.join(bad)}; "
                          f"use one of {', '.join(vocabulary)} or define it under [groups]")
    old = secs._by_key.get(_key(changes["ticker"], changes["market"]))
    if old is not None and (old.ticker, old.market) == (changes["ticker"], changes["market"]):
        return dataclasses.replace(old, **changes)
    if not changes.get("name"):
        raise ConfigError(f"{where} ({ticker}): a new entry needs a name")
    return Security(**changes)
