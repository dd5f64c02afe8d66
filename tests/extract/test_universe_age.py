"""How old the packaged universe is, as `tracker status` says it."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

from tracker.extract.universe_age import universe_age


def test_every_source_of_the_universe_has_a_date():
    text = resources.files("tracker.data").joinpath("universe.csv").read_text("utf-8")
    sources = {row["source"] for row in csv.DictReader(text.splitlines())}
    assert sources <= set(universe_age().dates)


def test_the_age_line_names_the_oldest_list_and_counts_days_from_the_newest():
    age = universe_age()
    assert age.oldest == ("crypto-akshare", date(2022, 5, 11))
    assert age.newest == date(2026, 8, 22)
    assert age.describe(date(2026, 9, 1)).endswith(
        "to 2026-08-22; the newest is 10 days old (rebuild: docs/securities.md)")
