"""A time field read by guessing says so: a number read as epoch seconds or milliseconds
before 2002 is stored with a warning, and a time with a zone name this tracker does not
know is not read as if it were in [dates] timezone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tracker.config import Config
from tracker.errors import SourceWarning
from tracker.extract.dates import find_date, parse_date_field
from tracker.extract.models import RawPost
from tracker.sources import read_text


def _read(cfg: Config, published: str) -> tuple[list[RawPost], list[str]]:
    line = json.dumps({"id": "a", "text": "$TSLA up", "published": published})
    items = list(read_text(line + "\n", "a.jsonl", ".jsonl", cfg.input))
    posts = [i for i in items if isinstance(i, RawPost)]
    warnings = [str(i) for i in items if isinstance(i, SourceWarning)]
    return posts, warnings


@pytest.mark.parametrize("value, said", [
    ("253402300800", "read as epoch milliseconds, 1978-01-11 21:31 UTC, a guess"),
    ("999999999", "read as epoch seconds, 2001-09-09 01:46 UTC, a guess"),
], ids=["12-digit-ms", "9-digit-s"])
def test_epoch_guess_warns(cfg: Config, value: str, said: str) -> None:
    posts, warnings = _read(cfg, value)
    assert len(posts) == 1
    assert [w for w in warnings if said in w] == [f"a.jsonl:1: published {value!r} {said}; "
                                                 "if that is wrong, write the time as ISO 8601"]


@pytest.mark.parametrize("value", ["1746352800", "1746352800000", "2026-05-04T10:00:00Z"],
                         ids=["seconds", "milliseconds", "iso"])
def test_sure_dates_do_not_warn(cfg: Config, value: str) -> None:
    assert _read(cfg, value)[1] == []


@pytest.mark.parametrize("value", ["2026-05-04 10:00 XYZ", "May 8, 2026 3:45 PM CST",
                                   "Tue May 05 09:30:00 CST 2026"],
                         ids=["XYZ", "CST", "java-CST"])
def test_unknown_zone_is_not_a_date(cfg: Config, value: str) -> None:
    # CST is US Central to RFC 822 and China's time to Java's Date.toString() run in China.
    assert parse_date_field(value, UTC) is None
    posts, warnings = _read(cfg, value)
    assert len(posts) == 1
    assert any("is not a date this tracker reads" in w for w in warnings)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-05-05 09:30 GMT+8", "2026-05-05T09:30:00+08:00"),
    ("2026-05-05 09:30 UTC+08:00", "2026-05-05T09:30:00+08:00"),
    ("2026-05-05 09:30 GMT-5", "2026-05-05T09:30:00-05:00"),
    ("2026-05-05 09:30 GMT+5:30", "2026-05-05T09:30:00+05:30"),
    ("Tue May 05 2026 09:30:00 GMT+0800", "2026-05-05T09:30:00+08:00"),
    ("Tue May 05 2026 09:30:00 GMT+0800 (China Standard Time)", "2026-05-05T09:30:00+08:00"),
    ("Tue, 05 May 2026 09:30:00 EST", "2026-05-05T09:30:00-05:00"),
    ("Tue, 05 May 2026 09:30:00 EDT", "2026-05-05T09:30:00-04:00"),
    ("Tue, 05 May 2026 09:30:00 PDT", "2026-05-05T09:30:00-07:00"),
    ("Tue, 05 May 2026 09:30:00 UT", "2026-05-05T09:30:00+00:00"),
    ("May 5, 2026 9:30 AM ET", "2026-05-05T09:30:00-04:00"),
    ("Jan 5, 2026 4:00 PM ET", "2026-01-05T16:00:00-05:00"),
], ids=["GMT+8", "UTC+08:00", "GMT-5", "GMT+5:30", "javascript", "javascript-named", "EST",
        "EDT", "PDT", "UT", "ET-summer", "ET-winter"])
def test_zones_written_as_people_write_them(value: str, expected: str) -> None:
    # "GMT+8" was read the POSIX way, 8 hours behind UTC (stored 16 hours off, in silence),
    # JavaScript's zone name after the offset lost the time, and RFC 822's zone names (RSS)
    # and "ET" were not dates.
    stamp = parse_date_field(value, UTC)
    assert stamp is not None and stamp.isoformat() == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2026年5月5日 下午3:30", "2026-05-05T15:30:00+00:00"),
    ("2026年5月5日上午10:30", "2026-05-05T10:30:00+00:00"),
    ("2026-05-05 下午 9:30", "2026-05-05T21:30:00+00:00"),
    ("2026/05/05 晚上 9:30:15", "2026-05-05T21:30:15+00:00"),
    ("2026年5月5日 中午1:10", "2026-05-05T13:10:00+00:00"),
    ("2026年5月5日 中午11:50", "2026-05-05T11:50:00+00:00"),
    ("2026年5月5日 凌晨1:10", "2026-05-05T01:10:00+00:00"),
], ids=["xiawu", "shangwu", "dash-xiawu", "slash-wanshang", "zhongwu-after", "zhongwu-before",
        "lingchen"])
def test_the_half_of_the_day_written_in_chinese_keeps_the_time(value: str, expected: str) -> None:
    # The time was dropped: the post was dated at midnight, in a field and in a post's text.
    stamp = parse_date_field(value, UTC)
    assert stamp is not None and stamp.isoformat() == expected
    found = find_date(f"发布时间：{value}\n$NVDA 大涨", UTC)
    assert found is not None and found.isoformat() == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-05-05 09:30:00 Asia/Shanghai", "2026-05-05T09:30:00+08:00"),
    ("2026-05-05T09:30:00[Asia/Shanghai]", "2026-05-05T09:30:00+08:00"),
    ("2026-01-05 09:30 America/New_York", "2026-01-05T09:30:00-05:00"),
    ("May 5, 2026 9:30 AM America/New_York", "2026-05-05T09:30:00-04:00"),
    ("2026-05-05T09:30:00+08:00[Asia/Shanghai]", "2026-05-05T09:30:00+08:00"),
], ids=["bare", "java-brackets", "winter", "written", "offset-and-name"])
def test_a_zone_named_after_the_time_is_its_zone(value: str, expected: str) -> None:
    # The name was dropped and the time read in [dates] timezone (here UTC), in silence.
    stamp = parse_date_field(value, UTC)
    assert stamp is not None and stamp.isoformat() == expected


def test_a_zone_name_that_is_no_zone_makes_no_date() -> None:
    assert parse_date_field("2026-05-05 09:30 Foo/Bar", UTC) is None


def test_known_zones_and_offsets_still_read() -> None:
    assert parse_date_field("Tue, 05 May 2026 09:30:00 GMT", UTC) is not None
    assert parse_date_field("Tue, 05 May 2026 09:30:00 +0800", UTC) is not None


@pytest.mark.parametrize("value", ["2099-01-01T00:00:00Z", "4102444800", "4102444800000"],
                         ids=["iso", "seconds", "milliseconds"])
def test_a_date_in_the_future_is_kept_with_a_warning(cfg: Config, value: str) -> None:
    # 2099: a typo or a bad clock. Kept as written, but said, since the briefing's latest
    # period follows the latest post.
    posts, warnings = _read(cfg, value)
    assert len(posts) == 1 and posts[0].published_field == value
    assert [w for w in warnings if "in the future" in w] == [
        f"a.jsonl:1: published {value!r} is in the future (after "
        f"{(datetime.now(UTC) + timedelta(days=1)):%Y-%m-%d}); the post is dated so, and "
        "reports and the briefing's latest period will include that date: check the "
        "record's time field"]


def test_today_in_any_time_zone_is_not_the_future(cfg: Config) -> None:
    ahead = (datetime.now(UTC) + timedelta(hours=14)).strftime("%Y-%m-%dT%H:%M:%S+14:00")
    assert _read(cfg, ahead)[1] == []


@pytest.mark.parametrize("value, kind", [(True, "true or false"), (["2026-05-04"], "a list"),
                                         ({"$date": "2026-05-04"}, "an object")],
                         ids=["bool", "list", "object"])
def test_a_time_field_holding_no_value_is_a_warning(cfg: Config, value: object,
                                                   kind: str) -> None:
    # Left out as no value, such a post was dated from the file's time without a word.
    line = json.dumps({"id": "a", "text": "$TSLA up", "published": value})
    items = list(read_text(line + "\n", "a.jsonl", ".jsonl", cfg.input))
    assert [i.published_field for i in items if isinstance(i, RawPost)] == [None]
    assert [str(i) for i in items if isinstance(i, SourceWarning)][0] == (
        f"a.jsonl:1: published holds {kind}, not a date; dated from the text or the file's "
        "time instead")
