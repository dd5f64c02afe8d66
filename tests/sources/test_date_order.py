"""Numeric dates are read in [input] date_order, never swapped in silence: "03/04/2021" in a
CSV exported by a European tool was read as March 4 while "13/04/2021" in the same file was
read as April 13, and nothing said so."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.config import Config, load_config
from tracker.errors import ConfigError, SourceWarning
from tracker.extract.dates import numeric_order, parse_date_field
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.sources import read_text


def _ordered(cfg: Config, order: str) -> Config:
    return dataclasses.replace(cfg, input=dataclasses.replace(
        cfg.input, date_order=order, time_fields=("date",)))


@pytest.mark.parametrize("value, day_first, day", [
    ("03/04/2021", False, (2021, 3, 4)),
    ("03/04/2021", True, (2021, 4, 3)),
    ("04.03.2021 10:30", True, (2021, 3, 4)),
    ("13/04/2021", False, (2021, 4, 13)),
    ("04/13/2021", True, (2021, 4, 13)),
    ("2021-03-04", True, (2021, 3, 4)),
], ids=["either-month-first", "either-day-first", "dotted-day-first", "one-way-day",
        "one-way-month", "iso-untouched"])
def test_numeric_dates_follow_the_order(value: str, day_first: bool,
                                        day: tuple[int, int, int]) -> None:
    stamp = parse_date_field(value, UTC, day_first)
    assert stamp is not None and (stamp.year, stamp.month, stamp.day) == day


@pytest.mark.parametrize("value, order", [
    ("03/04/2021", "either"), ("13/04/2021", "day-first"), ("04-13-2021 09:00", "month-first"),
    ("03/03/2021", None), ("32/04/2021", None), ("2021/04/03", None), ("Apr 3, 2021", None),
])
def test_numeric_order(value: str, order: str | None) -> None:
    assert numeric_order(value) == order


def _csv(cfg: Config, *dates: str) -> tuple[list[RawPost], list[str]]:
    text = "date,text\n" + "".join(f"{d},$NVDA up {i}\n" for i, d in enumerate(dates))
    items = list(read_text(text, "eu.csv", ".csv", cfg.input))
    return ([i for i in items if isinstance(i, RawPost)],
            [str(i) for i in items if isinstance(i, SourceWarning)])


def test_a_file_read_in_one_order_whose_dates_read_only_in_the_other_warns(cfg: Config) -> None:
    posts, warnings = _csv(_ordered(cfg, "month-first"),
                           "03/04/2021", "13/04/2021", "05/04/2021 10:00", "25/04/2021")
    assert len(posts) == 4
    assert warnings == [
        "eu.csv: 2 dates such as '03/04/2021' read both ways and were read month-first "
        "([input] date_order), but 2 such as '13/04/2021' read only day-first: if this file "
        "writes its dates day-first, those dates are wrong; set [input] date_order = "
        '"day-first"; posts already stored keep their dates, so ingest the file again into '
        "a new database"]


@pytest.mark.parametrize("dates", [("03/04/2021", "04/05/2021"), ("13/04/2021", "25/04/2021"),
                                   ("03/04/2021", "04/13/2021")],
                         ids=["all-either", "all-one-way", "one-way-as-configured"])
def test_dates_that_agree_with_the_order_do_not_warn(cfg: Config,
                                                     dates: tuple[str, ...]) -> None:
    assert _csv(_ordered(cfg, "month-first"), *dates)[1] == []


def test_day_first_dates_are_stored_day_first(cfg: Config) -> None:
    day_first = _ordered(cfg, "day-first")
    posts, warnings = _csv(day_first, "03/04/2021", "13/04/2021")
    assert warnings == []
    stored = [Analyzer(day_first).analyze(p) for p in posts]
    assert [p.published for p in stored if p is not None] == [
        datetime(2021, 4, 3, tzinfo=UTC), datetime(2021, 4, 13, tzinfo=UTC)]


@pytest.mark.parametrize("value, said", [
    ('"dayfirst"', "[input] date_order 'dayfirst' is not an order tracker knows; use one of "
                   "month-first, day-first"),
    ("1", "[input] date_order must be a string, not 1"),
], ids=["unknown", "not-a-string"])
def test_an_unknown_date_order_is_a_config_error(tmp_path: Path, value: str, said: str) -> None:
    (tmp_path / "config.toml").write_text(f"[input]\ndate_order = {value}\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "config.toml")
    assert str(caught.value) == f"{tmp_path / 'config.toml'}: {said}"


def test_the_parts_of_a_split_file_warn_once_for_the_whole_file(cfg: Config) -> None:
    # A backfill reads a large file in pieces, each with its own tally: one piece held the
    # dates that read both ways, the other those that read only day first.
    from tracker.ingest.partitions import merge_tallies
    from tracker.sources.datecheck import DateTally

    fields = _ordered(cfg, "month-first").input
    tallies = [DateTally("eu.csv", fields), DateTally("eu.csv", fields)]
    for tally, value in zip(tallies, ["03/04/2021", "13/04/2021"], strict=True):
        post = RawPost(text="$NVDA up", source="eu.csv", line=1, published_field=value)
        assert tally.check(post, {"date": value}) is None
        assert tally.summaries() == []
    [merged] = merge_tallies(tallies)
    assert [w.message.split(":")[0] for w in merged.summaries()] == [
        "1 date such as '03/04/2021' read both ways and was read month-first ([input] "
        "date_order), but 1 such as '13/04/2021' read only day-first"]
