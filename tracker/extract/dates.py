"""Find when a post was published: in its text, or in a record's field."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

from tracker.extract.text.lazy_pattern import lazy_pattern

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH_RE = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
             r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# Chinese writes the half of the day before the time ("下午 3:30" is 15:30); without it in
# the patterns, the time was dropped and the post dated at midnight.
_HALF = r"(?:(?P<half>上午|早上|凌晨|中午|下午|晚上)\s*)?"
_TIME = (r"(?:[T ]\s*" + _HALF
         + r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?")
# "09:00:00 +0800" as YAML front matter and git write it: a space may stand before an offset.
_ZONE = r"(?P<tz>Z(?![A-Za-z])|\s?[+-]\d{2}:?\d{2}(?!\d))?"

_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + _ZONE),
    re.compile(r"(?<!\d)(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?<!\d)(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?!\d)" + _TIME),
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
               r"(?:\s*" + _HALF + r"(?P<H>\d{1,2})[:：](?P<M>\d{2}))?"),
    re.compile(r"\b" + _MONTH_RE + r"\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\s+" + _MONTH_RE + r"\.?,?\s+(?P<y>\d{4})\b"),
]
_LABEL = lazy_pattern(
    r"(发布时间|发表时间|发布于|发表于|时间|日期|Publicado a|Publicado el|Publicado en|"
    r"Published(?: on| at)?|Posted(?: on| at)?|Date)\s*[:：]?\s*",
    re.IGNORECASE,
)


# The halves of the day after noon ("中午 1:00" is 13:00, "中午 11:50" stays 11:50).
_AFTERNOON = ("中午", "下午", "晚上")


def _build(match: re.Match[str], tz: tzinfo) -> datetime | None:
    groups = match.groupdict()
    try:
        year = int(groups["y"])
        month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else int(groups["m"])
        day = int(groups["d"])
        hour = int(groups.get("H") or 0)
        if groups.get("half") in _AFTERNOON and hour < 12 and not (
                groups["half"] == "中午" and hour >= 11):
            hour += 12
        minute = int(groups.get("M") or 0)
        second = int(groups.get("S") or 0)
        if not 1990 <= year <= 2100:
            return None
        zone = (groups.get("tz") or "").strip()
        if zone:
            stamp = datetime.fromisoformat(
                f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
                + ("+00:00" if zone == "Z" else zone)
            )
            return stamp
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except (ValueError, KeyError):
        return None


def find_date(text: str, tz: tzinfo, search_chars: int = 600) -> datetime | None:
    """The publication time stated near the top of `text`, or None.

    A date after a label ("发布时间:", "Publicado a", "Published") wins over a bare one, and
    among bare dates the first does; times without a zone are in `tz`.
    """
    head = text[:search_chars]
    best: tuple[int, int, datetime] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(head):
            stamp = _build(match, tz)
            if stamp is None:
                continue
            labelled = _LABEL.search(head[max(0, match.start() - 24):match.start()]) is not None
            rank = (0 if labelled else 1, match.start())
            if best is None or rank < best[:2]:
                best = (*rank, stamp)
    return best[2] if best else None


# Outside these years a stamp is junk, and converting it between zones can overflow.
YEAR_MIN, YEAR_MAX = 1900, 2200


# The orders a numeric date ("03/04/2021", "04.03.2021") may be written in: [input] date_order.
DATE_ORDERS = ("month-first", "day-first")
_NUMERIC_DATE = lazy_pattern(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")


def numeric_order(value: str) -> str | None:
    """How a value opening with a numeric date can be read: "either" ("03/04/2021"), or the
    one order that makes a date of it ("day-first" for "13/04/2021"); None for any other
    value, and for one that reads the same both ways ("03/03/2021")."""
    match = _NUMERIC_DATE.match(value)
    if match is None:
        return None
    first, second = int(match[1]), int(match[3])
    if first <= 12 and second <= 12:
        return None if first == second else "either"
    if first <= 12 and second <= 31:
        return "month-first"
    if second <= 12 and first <= 31:
        return "day-first"
    return None


def parse_date_field(value: str, tz: tzinfo, day_first: bool = False) -> datetime | None:
    """A record's time field: ISO 8601, epoch seconds or milliseconds, or a written date;
    a numeric date that reads both ways ("03/04/2021") is read day first if `day_first`,
    else month first, one that reads only one way ("13/04/2021") that way.

    None when it holds no date, or one before 1900 or after 2200.
    """
    try:
        stamp = _parse_field(value, tz, day_first)
        # A UTC offset of 24 hours or more ("+25:00", RSS "+9999") parses, but Python
        # cannot use it: utcoffset() raises. Such a stamp is not a date.
        if stamp is None or stamp.utcoffset() is None:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    if not YEAR_MIN <= stamp.year <= YEAR_MAX:
        return None
    return stamp


def _parse_field(value: str, tz: tzinfo, day_first: bool) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    if _EPOCH.fullmatch(value):
        number = float(value)
        if number > 1e11:  # milliseconds, as JavaScript exports write them
            number /= 1000.0
        return datetime.fromtimestamp(number, UTC)
    # (Only in a value of a date's length: the pattern backtracks over a long run of letters.)
    named = _ZONE_ID.search(value) if len(value) <= 100 else None
    if named is not None:
        # "2026-05-05 09:30:00 Asia/Shanghai": the time is in that zone, unless an offset
        # beside it says otherwise (Java's "+08:00[Asia/Shanghai]"). The name was dropped,
        # and the time read in [dates] timezone, in silence; a name that is no zone makes
        # the value no date.
        try:
            tz = ZoneInfo(named[1])
        except (ZoneInfoNotFoundError, ValueError):
            return None
        value = value[:named.start()].rstrip()
    stamp: datetime | None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        stamp = _parse_written(value, day_first)
        if stamp is None:
            return find_date(value, tz, len(value))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=tz)


_YEAR = lazy_pattern(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
# A time zone's IANA name closing a value, bare or in brackets as Java writes it.
_ZONE_ID = lazy_pattern(r"\s*\[?\b([A-Z][A-Za-z]+(?:/[A-Za-z0-9_+-]+)+)\]?$")
# "GMT+8", "UTC+08:00" and JavaScript's Date.toString() "GMT+0800" mean ahead of UTC, as
# people write them; dateutil reads them the POSIX way ("my time +8 is GMT"), so each was
# stored 16 hours off, in silence. Written here as the plain offset they mean.
_GMT_OFFSET = lazy_pattern(r"\(?\b(?:GMT|UTC|UT)\s*([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)\)?")
# Date.toString() names the zone after its offset: "(China Standard Time)".
_ZONE_NAME = lazy_pattern(r"\s*\([A-Za-z][A-Za-z .'-]*\)\s*$")
_HOUR = 3600
# RFC 822's zone names, which RSS dates use, and the "ET" and "PT" of US financial news.
# Not CST: US Central to RFC 822, but China's time in Java's Date.toString() run in China.
_ZONE_NAMES: dict[str, int | tzinfo] = {
    "UT": 0, "EST": -5 * _HOUR, "EDT": -4 * _HOUR, "CDT": -5 * _HOUR, "MST": -7 * _HOUR,
    "MDT": -6 * _HOUR, "PST": -8 * _HOUR, "PDT": -7 * _HOUR,
    "ET": ZoneInfo("America/New_York"), "PT": ZoneInfo("America/Los_Angeles"),
}


def _gmt_offset(match: re.Match[str]) -> str:
    return f" {match[1]}{int(match[2]):02d}:{match[3] or '00'}"


def _parse_written(value: str, day_first: bool = False) -> datetime | None:
    """RSS and US-style stamps ("Tue, 05 May 2026 09:30:00 +0800", "May 8, 2026 3:45 PM")
    with their time and offset, through dateutil.

    Only a value with a four-digit year: dateutil fills whatever is missing from today,
    so "8" alone would become the 8th of this month.
    """
    value = _GMT_OFFSET.sub(_gmt_offset, _ZONE_NAME.sub("", value))
    if _YEAR.search(value) is None or len(value) > 64:
        return None
    with warnings.catch_warnings():
        # dateutil reads a zone name it does not know ("10:00 XYZ") as no zone at all,
        # which would put the time in [dates] timezone: such a value is not a date.
        warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
        try:
            return dateutil_parser.parse(value, dayfirst=day_first, tzinfos=_ZONE_NAMES)
        except dateutil_parser.UnknownTimezoneWarning as exc:
            # Not left to find_date either, which would read the time in [dates] timezone.
            raise ValueError(f"unknown time zone in {value!r}") from exc
        except (ValueError, OverflowError):
            return None


_EPOCH = lazy_pattern(r"\d{9,13}(\.\d+)?")
# Epoch seconds below this (2001-09-09) have 9 digits; milliseconds below 1e12 have 12:
# either reading lands before 2002, where a number is more likely in another unit.
_EPOCH_SURE = 1e9


def epoch_guess(value: str) -> str | None:
    """How a number in a time field was read, when that was a guess worth saying: epoch
    seconds with 9 digits, or milliseconds with 12 (both before 2002); else None."""
    value = value.strip()
    if not _EPOCH.fullmatch(value):
        return None
    number = float(value)
    unit = "seconds"
    if number > 1e11:
        number, unit = number / 1000.0, "milliseconds"
    if number >= _EPOCH_SURE:
        return None
    stamp = datetime.fromtimestamp(number, UTC)
    return (f"read as epoch {unit}, {stamp:%Y-%m-%d %H:%M} UTC, a guess; if that is wrong, "
            "write the time as ISO 8601")
