"""Readers for record files: .jsonl and .json (one post per object), .csv (one per row)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from tracker.config import InputConfig
from tracker.errors import SourceError
from tracker.models import RawPost

TOO_DEEP = "invalid JSON: nested too deeply to be a post"
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """`text` with lone UTF-16 surrogates (which JSON allows) made U+FFFD, so it can be stored."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for name in fields:
        value = record.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            return repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, str):
            return scrub(value)
    return None


def record_to_post(
    record: Any, source: str, line: int, fields: InputConfig, mtime: float | None
) -> RawPost:
    """Map one record to a RawPost through the configured field names."""
    if not isinstance(record, dict):
        raise SourceError(source, f"expected an object, got {type(record).__name__}", line)
    text = _first(record, fields.text_fields)
    if text is None:
        raise SourceError(
            source, f"no text field (looked for {', '.join(fields.text_fields)})", line
        )
    return RawPost(
        source=source,
        text=text,
        source_id=_first(record, fields.id_fields),
        line=line,
        title=_first(record, fields.title_fields),
        url=_first(record, fields.url_fields),
        author=_first(record, fields.author_fields),
        published_field=_first(record, fields.published_fields),
        file_mtime=mtime,
        is_html="<" in text and ">" in text,
    )


def read_json(
    text: str, source: str, fields: InputConfig, mtime: float | None
) -> Iterator[RawPost | SourceError]:
    """A single object is one post; a list holds one post per object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield SourceError(source, f"invalid JSON: {exc.msg}", exc.lineno)
        return
    except RecursionError:
        yield SourceError(source, TOO_DEEP)
        return
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records, start=1):
        try:
            # For a JSON list, "line" is the record's position, the nearest useful pointer.
            yield record_to_post(record, source, index, fields, mtime)
        except SourceError as err:
            yield err


def read_csv(
    text: str, source: str, fields: InputConfig, mtime: float | None
) -> Iterator[RawPost | SourceError]:
    """One post per row, with the header naming the fields."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        return
    header = list(reader.fieldnames)
    for name in dict.fromkeys(fields.text_fields + fields.id_fields + fields.title_fields
                              + fields.url_fields + fields.author_fields
                              + fields.published_fields):
        places = [i + 1 for i, column in enumerate(header) if column == name]
        if len(places) > 1:
            # DictReader would keep the last one silently.
            yield SourceError(source, f"column {name!r} appears twice in the header "
                              f"(columns {places[0]} and {places[1]}); rename or drop one", 1)
            return
    if not any(f in reader.fieldnames for f in fields.text_fields):
        yield SourceError(
            source, f"no text column (looked for {', '.join(fields.text_fields)})", 1
        )
        return
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                yield SourceError(source, "row has more cells than the header", line)
                continue
            try:
                yield record_to_post(row, source, line, fields, mtime)
            except SourceError as err:
                yield err
    except csv.Error as exc:
        yield SourceError(source, f"malformed CSV: {exc}", reader.line_num)
