"""How old the packaged securities data is: the day each listing it was built from was taken.

`tracker/data/universe_sources.csv` gives, per `source` of universe.csv (and `history` for
history.csv), the date of the public list it copies; docs/securities.md says how to rebuild
the universe from newer lists. `tracker status` shows the span, so a user sees when new
listings and delistings are missing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib import resources

from tracker.errors import ConfigError
from tracker.extract.text.plural import counted


@dataclass(frozen=True)
class UniverseAge:
    """The dates of the lists the packaged universe was built from."""

    dates: dict[str, date]

    @property
    def oldest(self) -> tuple[str, date]:
        return min(self.dates.items(), key=lambda kv: (kv[1], kv[0]))

    @property
    def newest(self) -> date:
        return max(self.dates.values())

    def describe(self, today: date) -> str:
        """One line: `listings as of 2022-05-11 (crypto-akshare) to 2026-08-22, N days old`."""
        source, first = self.oldest
        return (f"listings as of {first} ({source}) to {self.newest}; the newest is "
                f"{counted((today - self.newest).days, 'day')} old (rebuild: docs/securities.md)")


def universe_age() -> UniverseAge:
    """The packaged universe_sources.csv."""
    where = "tracker/data/universe_sources.csv"
    text = resources.files("tracker.data").joinpath("universe_sources.csv").read_text("utf-8")
    dates = {}
    for lineno, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            dates[row["source"]] = date.fromisoformat(row["as_of"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{where}:{lineno}: needs a source and an as_of date") from exc
    return UniverseAge(dates)
