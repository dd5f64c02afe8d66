"""Say out loud what a record file's dates are: values that are not dates, files whose
records mostly have no date, so no post is quietly dated by its file's time, and files whose
numeric dates were read in one order while some of them read only in the other."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tracker.errors import SourceWarning
from tracker.extract.dates import DATE_ORDERS, epoch_guess, numeric_order, parse_date_field
from tracker.extract.models import RawPost
from tracker.extract.text.plural import counted

if TYPE_CHECKING:
    from tracker.config import InputConfig

# A field whose name says "time" and whose value reads as one is worth naming in the hint.
_TIME_NAME = re.compile(r"time|date|created|posted|publish|stamp|utc", re.IGNORECASE)
_VALUE_MAX = 60
# How a message names a JSON value: in JSON's words, not Python's (NoneType, dict).
_JSON_KINDS = {bool: "true or false", list: "a list", dict: "an object", str: "a string",
               int: "a number", float: "a number", type(None): "null"}


def json_kind(value: Any) -> str:
    """What a JSON value is, as a message says it ("a list", "null")."""
    return _JSON_KINDS.get(type(value), type(value).__name__)


def time_fields_hint(example: str | None) -> str:
    """The config change that makes records' dates count."""
    if example is None:
        # An export with no date at all (雪球's) was read as of the day it was saved, so its
        # names took that day's listings (蔚来 as 9866.HK in a 2021 file), and nothing said
        # that the file's time is the day to set.
        return ("set [input] time_fields to the fields that hold the date; if none does, "
                "give the file the day its posts were written by before ingesting it "
                "(touch -d 2021-07-31 FILE): their names are read as of the file's day")
    written = json.dumps(example, ensure_ascii=False)
    return f"set [input] time_fields, e.g. time_fields = [{written}]"


class DateTally:
    """Counts one file's records without a usable date, and warns about bad values."""

    def __init__(self, source: str, fields: InputConfig) -> None:
        self.source = source
        self.fields = fields
        self.records = 0
        self.undated = 0
        self.example: str | None = None
        # Numeric dates read in [input] date_order that read both ways ("03/04/2021"), and
        # those that read only in the other order ("13/04/2021"), with the first of each.
        self.either = 0
        self.either_example = ""
        self.one_way = 0
        self.one_way_example = ""
        # Later than this is in the future: a typo, a bad clock or a scheduled post, which
        # would otherwise move the briefing's "latest" period silently. A day of slack
        # covers every time zone's today.
        self.latest = datetime.now(UTC) + timedelta(days=1)

    def check(self, post: RawPost, record: Any) -> SourceWarning | None:
        """A warning when the record's date value is not a date; counts undated records."""
        self.records += 1
        value = post.published_field
        stamp = (parse_date_field(value, UTC, self.fields.day_first)
                 if value is not None else None)
        if value is not None and stamp is not None:
            self._count_order(value)
            if stamp > self.latest:
                return SourceWarning(
                    self.source, f"{self._name(record)} {value!r} is in the future (after "
                    f"{self.latest:%Y-%m-%d}); the post is dated so, and reports and the "
                    "briefing's latest period will include that date: check the record's "
                    "time field", post.line)
            guess = epoch_guess(value)
            if guess is None:
                return None
            return SourceWarning(self.source, f"{self._name(record)} {value!r} {guess}",
                                 post.line)
        self.undated += 1
        if self.example is None and isinstance(record, dict):
            self.example = self._date_like_field(record)
        if value is None:
            return self._not_a_value(record, post.line)
        name = self._name(record)
        shown = value if len(value) <= _VALUE_MAX else value[:_VALUE_MAX] + "…"
        return SourceWarning(self.source, f"{name} {shown!r} is not a date this tracker reads; "
                             "dated from the text or the file's time instead", post.line)

    def _not_a_value(self, record: Any, line: int | None) -> SourceWarning | None:
        """A warning for a time field holding true, false, a list or an object, which the
        reader leaves out as no value: the post was dated from the file without a word."""
        if not isinstance(record, dict):
            return None
        for name in self.fields.time_fields:
            value = record.get(name)
            if isinstance(value, bool | list | dict):
                kind = json_kind(value)
                return SourceWarning(self.source, f"{name} holds {kind}, not a date; dated "
                                     "from the text or the file's time instead", line)
        return None

    def _count_order(self, value: str) -> None:
        order = numeric_order(value)
        if order == "either":
            self.either += 1
            self.either_example = self.either_example or value.strip()
        elif order is not None and order != self.fields.date_order:
            self.one_way += 1
            self.one_way_example = self.one_way_example or value.strip()

    def merge(self, other: DateTally) -> None:
        """Add the counts of `other`, a tally of another part of the same file."""
        self.records += other.records
        self.undated += other.undated
        self.example = self.example or other.example
        self.either += other.either
        self.either_example = self.either_example or other.either_example
        self.one_way += other.one_way
        self.one_way_example = self.one_way_example or other.one_way_example

    def state(self) -> list[Any]:
        """The counts as JSON keeps them: a cluster backfill stores a byte range's tally,
        so a task run again says the same of the file as its first try did."""
        return [self.records, self.undated, self.example, self.either, self.either_example,
                self.one_way, self.one_way_example]

    @classmethod
    def restored(cls, source: str, fields: InputConfig, state: list[Any]) -> DateTally:
        """A tally holding the counts `state()` gave."""
        tally = cls(source, fields)
        (tally.records, tally.undated, tally.example, tally.either, tally.either_example,
         tally.one_way, tally.one_way_example) = state
        return tally

    def _name(self, record: Any) -> str:
        """The time field `record` took its date value from."""
        if isinstance(record, dict):
            for name in self.fields.time_fields:
                if record.get(name) not in (None, ""):
                    return name
        return self.fields.time_fields[0] if self.fields.time_fields else "time"

    def _date_like_field(self, record: dict[str, Any]) -> str | None:
        for key, value in record.items():
            if (not isinstance(key, str) or key in self.fields.time_fields
                    or key in self.fields.id_fields or not _TIME_NAME.search(key)):
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                continue
            text = str(value)
            if len(text) <= _VALUE_MAX and parse_date_field(text, UTC) is not None:
                return key
        return None

    def summaries(self) -> list[SourceWarning]:
        """Once per file: what its dates as a whole say (`_undated`, `_mixed_order`)."""
        return [w for w in (self._undated(), self._mixed_order()) if w is not None]

    def _mixed_order(self) -> SourceWarning | None:
        """Dates that read both ways were read in [input] date_order while others read
        only in the other order: the file most likely writes them all that other way."""
        if not (self.either and self.one_way):
            return None
        order = self.fields.date_order
        other = next(o for o in DATE_ORDERS if o != order)
        return SourceWarning(
            self.source,
            f"{counted(self.either, 'date')} such as {self.either_example!r} read both ways "
            f"and {'was' if self.either == 1 else 'were'} read {order} ([input] date_order), "
            f"but {self.one_way:,} such as {self.one_way_example!r} read only {other}: if "
            f"this file writes its dates {other}, those dates are wrong",
            hint=f'set [input] date_order = "{other}"; posts already stored keep their '
                 "dates, so ingest the file again into a new database")

    def _undated(self) -> SourceWarning | None:
        """Most records had no usable date, so they fell back."""
        if self.records == 0 or self.undated * 2 <= self.records:
            return None
        if self.source == "-":
            # Piped on stdin: no file time to fall back on, and no file to `touch`; the
            # warning said both.
            fallback = ("they are dated from their text, or not at all (what is piped has no "
                        "file time), and reports leave undated posts out")
            hint = (time_fields_hint(self.example) if self.example is not None else
                    "set [input] time_fields to the fields that hold the date; if none does, "
                    "save the records to a file, give it the day its posts were written by "
                    "(touch -d 2021-07-31 FILE) and ingest the file")
        else:
            fallback = "they are dated from their text or the file's time"
            hint = time_fields_hint(self.example)
        return SourceWarning(
            self.source,
            f"{self.undated:,} of {counted(self.records, 'record')} "
            f"{'has' if self.undated == 1 else 'have'} no usable date field "
            f"(looked for {', '.join(self.fields.time_fields)}); {fallback}", hint=hint)
