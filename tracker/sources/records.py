"""Readers for record files: .json (one post per object) and .csv (one per row); the JSON
Lines reader, streamed, is sources/jsonl.py and maps its records through `record_to_post`."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tracker.errors import SourceError
from tracker.extract.models import RawPost
from tracker.extract.text.plural import counted
from tracker.sources.datecheck import DateTally, json_kind
from tracker.sources.tagcheck import doubled_tag_warning

if TYPE_CHECKING:
    from tracker.config import InputConfig

TOO_DEEP = "invalid JSON: nested too deeply to be a post"
# The longest CSV cell read: the longest post [input] max_post_chars allows by default, and
# more (check_size reports a post over the configured limit, the csv module would not).
_CSV_FIELD_MAX = 16 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
SCRIPT_HINT = ("this is JavaScript setting a variable to the posts (an X archive's "
               "tweets.js?): drop what comes before the first [ or { and name it .json (e.g. "
               "sed '1s/^[^[{]*//' FILE > posts.json)")
# `window.YTD.tweets.part0 = [`, `var posts = {`: a script assigning the posts.
_SCRIPT = re.compile(r"\s*(?:(?:var|let|const)\s+)?[\w$.\[\]'\"]+\s*=\s*[\[{]")
# Python refuses to turn more digits than this into an int (sys.get_int_max_str_digits);
# such a number is kept as its digits, so a 5,000-digit id costs nothing.
_INT_DIGITS_MAX = 4000


def _parse_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= _INT_DIGITS_MAX else digits


class UnreadableFile(SourceError):
    """A JSON file none of whose records can be told apart (its structure breaks): the
    file's failure, not a record's. `refresh` then keeps the posts of its earlier version
    and reads it again next run, as it does a file it cannot open; a record's failure is
    said once and the file counted as read."""


def load_json(text: str) -> Any:
    """`json.loads` for input files: a number too long for an int stays its digits."""
    return json.loads(text, parse_int=_parse_int)


# What `load_json` parses with, for a reader that takes one value at a time (raw_decode).
JSON_DECODER = json.JSONDecoder(parse_int=_parse_int)


def invalid_json(exc: json.JSONDecodeError) -> str:
    """The message of a JSON syntax error, said whole: the json module's own ends in "at"
    ("Unterminated string starting at") because it expects its position to follow; the
    line is said apart, and the column is left out so one problem repeated through a file
    is one message."""
    return f"invalid JSON: {exc.msg.removesuffix(' at').removesuffix(' starting')}"


def record_failure(source: str, line: int | None, exc: BaseException) -> SourceError:
    """The error that costs one record when reading it raised something unforeseen: the
    record's failure, named by file and line, never the run's."""
    return SourceError(source, f"cannot read this record ({type(exc).__name__}: "
                       f"{str(exc)[:200]}); please report it", line)


def scrub(text: str) -> str:
    """`text` with lone UTF-16 surrogates (which JSON allows) made U+FFFD, so it can be stored."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for name in fields:
        value = _value(record.get(name))
        if value is not None:
            return value
    return None


def _value(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return scrub(value)
    return None


# Besides commas: European Excel's "CSV" (semicolons, its locale's decimal comma being a
# comma), spreadsheets' tab-separated text, and pipes.
_SEPARATORS = (";", "\t", "|")


def _other_separator(header: list[str]) -> str | None:
    """The separator of a CSV whose header, read with commas, is one cell holding names
    between semicolons, tabs or pipes; None for a comma-separated one."""
    if len(header) != 1:
        return None
    for sep in _SEPARATORS:
        try:
            if len(next(csv.reader([header[0]], delimiter=sep), [])) > 1:
                return sep
        except csv.Error:
            continue  # a quoted cell with a line break in it: one name, not a list of them
    return None


def _objects(value: Any) -> bool:
    """Whether `value` is a non-empty list of objects: a list of posts."""
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) for i in value)


def _posts_list(record: dict[str, Any]) -> list[str] | None:
    """The keys leading to an API dump's list of posts: one of the record's own
    ({"data": [...]}), or one of an object of it ({"data": {"children": [...]}}, Reddit's
    listing); None when it holds none."""
    for key, value in record.items():
        if _objects(value):
            return [key]
    for key, value in record.items():
        if isinstance(value, dict):
            for inner, listed in value.items():
                if _objects(listed):
                    return [key, inner]
    return None


def _wrapped_post(record: dict[str, Any]) -> str | None:
    """The key of the object a wrapper record keeps its post in: X's archive writes
    {"tweet": {...}}, Reddit's listing {"kind": "t3", "data": {...}}; None for a record of
    its own fields (a post with a nested "user" object among many fields is one)."""
    nested = [k for k, v in record.items() if isinstance(v, dict)
              and any(isinstance(x, str) for x in v.values())]
    if len(record) > 2 or len(nested) != 1:
        return None
    return nested[0]


def _text_field_hint(record: dict[str, Any], fields: InputConfig) -> str:
    """How to point `[input] text_fields` at this record's text: its longest string field;
    or, for an API dump that wraps its posts ({"data": [{...}, ...]}), where they are."""
    path = _posts_list(record)
    if path is not None:
        # Pointing at a text field of the wrapper would send the user after the wrong fix.
        keys = [json.dumps(k, ensure_ascii=False) for k in path]
        return (f"the posts look to be the list under {', '.join(keys)}; tracker reads a list "
                "of objects, or one object per line: save that list alone (e.g. jq -c "
                f"'.{''.join(f'[{k}]' for k in keys)}[]' FILE > posts.jsonl)")
    if (len(record) > 1 and all(isinstance(v, dict) for v in record.values())
            and any(f in v for v in record.values() for f in fields.text_fields)):
        # An export keyed by id ({"a1": {...}, "a2": {...}}, Firebase's): its keys are no
        # text field, and naming one ("message") sent the user after the wrong fix.
        return ("the posts look to be the values of this object, one per key; tracker reads "
                "a list of objects, or one object per line: save the values alone (e.g. "
                "jq -c '.[]' FILE > posts.jsonl)")
    wrapper = _wrapped_post(record)
    if wrapper is not None:
        # {"tweet": {...}} was told to set text_fields = ["message"], a field it lacks.
        key = json.dumps(wrapper, ensure_ascii=False)
        return (f"each post looks to be the object under {key}; tracker reads a post's fields "
                f"from the record itself: save those objects alone (e.g. jq -c '.[][{key}]' "
                f"FILE > posts.jsonl for a JSON list, jq -c '.[{key}]' for one object per "
                "line), then name their text field")
    best = max(((len(v), k) for k, v in record.items()
                if isinstance(k, str) and isinstance(v, str) and k not in fields.id_fields),
               default=None)
    example = f"text_fields = [{json.dumps(best[1], ensure_ascii=False)}]" if best else \
        'text_fields = ["message"]'
    return f"set [input] text_fields, e.g. {example}"


def record_to_post(
    record: Any, source: str, line: int, fields: InputConfig, mtime: float | None
) -> RawPost:
    """Map one record to a RawPost through the configured field names."""
    if not isinstance(record, dict):
        raise SourceError(source, f"expected an object, got {json_kind(record)}", line)
    text = _first(record, fields.text_fields)
    if text is None:
        # "" is a cell that is there and empty; None a JSON null (a short CSV row, whose
        # missing cells DictReader fills with None, is reported before it gets here).
        present = [f for f in fields.text_fields if isinstance(record.get(f), str)]
        if present:
            # The column is there but this cell is empty: a post without words, not a
            # misnamed field.
            raise SourceError(source, f"empty text (field {present[0]})", line)
        nulls = [f for f in fields.text_fields if f in record and record[f] is None]
        if nulls:
            # A JSON null (a deleted post's text in an API dump): there is no text, but the
            # field is right; the hint for a misnamed one pointed at another field.
            raise SourceError(source, f"empty text (field {nulls[0]} is null)", line)
        held = [f for f in fields.text_fields if record.get(f) is not None]
        if held:
            # The field is there and holds no text (true, a list): pointing at another
            # field, as for a misnamed one, would mislead.
            kind = json_kind(record[held[0]])
            raise SourceError(source, f"text field {held[0]} holds {kind}, not text", line)
        raise SourceError(
            source, f"no text field (looked for {', '.join(fields.text_fields)})", line,
            hint=_text_field_hint(record, fields),
        )
    return RawPost(
        source=source,
        text=text,
        source_id=_first(record, fields.id_fields),
        line=line,
        title=_first(record, fields.title_fields),
        url=_first(record, fields.url_fields),
        author=_first(record, fields.author_fields),
        author_tag=_author_tag(record, fields),
        published_field=_first(record, fields.time_fields),
        file_mtime=mtime,
        is_html="<" in text and ">" in text,
    )


def _author_tag(record: dict[str, Any], fields: InputConfig) -> str | None:
    if not fields.tag_field:
        return None
    value = record.get(fields.tag_field)
    if isinstance(value, dict):  # StockTwits API: "entities": {"sentiment": {"basic": ...}}
        value = value.get("basic")
    if not isinstance(value, str):
        return None
    return fields.tag_values.get(value.strip().casefold())


def records_to_posts(records: Iterable[tuple[int, Any] | SourceError], source: str,
                     fields: InputConfig, mtime: float | None
                     ) -> Iterator[RawPost | SourceError]:
    """Records mapped to posts, with what the user must hear about their dates: each value
    that is not a date, and once per file when most records have no date at all."""
    dates = DateTally(source, fields)
    for item in records:
        if isinstance(item, SourceError):
            yield item
            continue
        line, record = item
        try:
            post = record_to_post(record, source, line, fields, mtime)
            warning = dates.check(post, record)
            doubled = doubled_tag_warning(post)
        except SourceError as err:
            yield err
            continue
        except Exception as exc:  # the record's failure, whatever raised
            yield record_failure(source, line, exc)
            continue
        if warning is not None:
            yield warning
        if doubled is not None:
            yield doubled
        yield post
    yield from dates.summaries()


def looks_like_json_lines(text: str) -> bool:
    """Whether `text`, named .json, is JSON Lines (many exporters name them so): its first
    line is a whole object and more follows. Else it was "invalid JSON: Extra data" at line
    2, and not one post read. A pretty-printed object or list never starts with a whole one."""
    first, _, rest = text.lstrip().partition("\n")
    if not first.startswith("{") or not rest.strip():
        return False
    try:
        return isinstance(load_json(first), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def read_json(
    text: str, source: str, fields: InputConfig, mtime: float | None
) -> Iterator[RawPost | SourceError]:
    """A single object is one post; a list holds one post per object."""
    return records_to_posts(_json_records(text, source), source, fields, mtime)


def read_json_value(
    data: Any, source: str, fields: InputConfig, mtime: float | None
) -> Iterator[RawPost | SourceError]:
    """`read_json` of a document already parsed (by `load_json`): what was piped on stdin is
    parsed to tell its shape, and a dump of a GB must not be parsed a second time."""
    return records_to_posts(_listed(data), source, fields, mtime)


def _json_records(text: str, source: str) -> Iterator[tuple[int, Any] | SourceError]:
    if not text.strip():
        return  # an empty file holds no records, as an empty .jsonl or .csv file
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        # An X/Twitter archive's data/tweets.js, renamed .json.
        hint = SCRIPT_HINT if _SCRIPT.match(text[:200]) else None
        yield UnreadableFile(source, invalid_json(exc), exc.lineno, hint=hint)
        return
    except RecursionError:
        yield UnreadableFile(source, TOO_DEEP)
        return
    yield from _listed(data)


def _listed(data: Any) -> Iterator[tuple[int, Any]]:
    records = data if isinstance(data, list) else [data]
    # For a JSON list, "line" is the record's position, the nearest useful pointer.
    return enumerate(records, start=1)


def read_csv(
    text: str, source: str, fields: InputConfig, mtime: float | None
) -> Iterator[RawPost | SourceError]:
    """One post per row, with the header naming the fields."""
    if not text.strip():
        return iter(())  # blank lines only: no header and no rows, as an empty file
    return read_csv_lines(lambda: io.StringIO(text, newline=""), source, fields, mtime)


def read_csv_lines(
    lines: Callable[[], Iterator[str]], source: str, fields: InputConfig, mtime: float | None
) -> Iterator[RawPost | SourceError]:
    """`read_csv` of a file given as its lines, split as the csv module splits them
    (`io.StringIO(text, newline="")` does): `lines()` gives them from the first, as many
    times as it is called (a file read with another separator is read again). Read row by
    row: only the lines of the row being read are held, so a CSV of any size is streamed."""
    return records_to_posts(_csv_records(lines, source, fields), source, fields, mtime)


class _Lines:
    """An iterator over lines that keeps those taken since `take()` was last called: the
    lines of the row the csv module has just read (it reads no further than its row).
    Lines handed back (`give_back`) are taken again first."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.taken: list[str] = []
        self.back: deque[str] = deque()

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.back.popleft() if self.back else next(self.lines)
        self.taken.append(line)
        return line

    def take(self) -> list[str]:
        taken, self.taken = self.taken, []
        return taken

    def give_back(self, lines: list[str]) -> None:
        self.back.extendleft(reversed(lines))


def _csv_records(lines: Callable[[], Iterator[str]], source: str, fields: InputConfig
                 ) -> Iterator[tuple[int, Any] | SourceError]:
    feed = _Lines(iter(lines()))
    reader = csv.DictReader(feed)
    if not reader.fieldnames:
        return
    header = list(reader.fieldnames)
    sep = _other_separator(header)
    if sep is not None:
        feed = _Lines(iter(lines()))
        reader = csv.DictReader(feed, delimiter=sep)
        header = list(reader.fieldnames or ())
    names = tuple(dict.fromkeys(fields.text_fields + fields.id_fields + fields.title_fields
                                + fields.url_fields + fields.author_fields
                                + fields.time_fields + ((fields.tag_field,)
                                                        if fields.tag_field else ())))
    matched = _matched_header(header, names)
    if matched != header:
        reader.fieldnames = header = matched
    for name in names:
        places = [i + 1 for i, column in enumerate(header) if column == name]
        if len(places) > 1:
            # DictReader would keep the last one silently.
            yield SourceError(source, f"column {name!r} appears twice in the header "
                              f"(columns {places[0]} and {places[1]}); rename or drop one", 1)
            return
    if not any(f in header for f in fields.text_fields):
        try:
            first = next(reader, None) or {}
        except csv.Error:
            first = {}
        yield SourceError(
            source, f"no text column (looked for {', '.join(fields.text_fields)})", 1,
            hint=_text_field_hint(first, fields),
        )
        return
    feed.take()  # the header's lines
    yield from _csv_rows(reader, feed, source, 0, fields.text_fields)


def _matched_header(header: list[str], names: tuple[str, ...]) -> list[str]:
    """`header` with each column named as a field tracker reads, but for case and spaces
    ("Text", " published "), renamed to that field, where no column has its exact name and
    only that one matches. Spreadsheets' headers are so written: the whole file was "no
    text column", with a hint to read the date column as the text."""
    loose: dict[str, list[int]] = {}
    for i, column in enumerate(header):
        loose.setdefault(column.strip().casefold(), []).append(i)
    renamed = list(header)
    for name in names:
        places = loose.get(name.strip().casefold(), [])
        if name not in header and len(places) == 1:
            renamed[places[0]] = name
    return renamed


def _csv_rows(reader: csv.DictReader[str], feed: _Lines, source: str, skipped: int,
              text_fields: tuple[str, ...]) -> Iterator[tuple[int, Any] | SourceError]:
    """The rows of `reader` (over `feed`, the file after its first `skipped` lines),
    numbered as lines of the file. A quote that never closes, or closes only rows later,
    swallows the rows after it into one cell: it is reported, and those rows are read. A
    row too short to reach its text column is said to be short (its header is fine). A
    cell over the csv module's limit costs its row when it lies on one line."""
    # Python's csv caps a cell at 131,072 characters and drops the rest of the file after
    # a longer one; a post may be up to max_post_chars (check_size reports longer ones).
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_MAX))
    assert reader.fieldnames is not None
    fieldnames, delimiter = list(reader.fieldnames), reader.reader.dialect.delimiter
    while True:
        end = reader.line_num
        try:
            for row in reader:
                before, end = end, reader.line_num
                taken = feed.take()
                if end - before > 1 and not _strict_ok("".join(taken), delimiter):
                    # A cell over several lines that does not read strictly: a stray quote.
                    break
                line = skipped + end
                if None in row:
                    yield SourceError(source, "row has more cells than the header", line)
                    continue
                if all(row.get(f) is None for f in text_fields):
                    # DictReader fills a short row's missing cells with None, which would
                    # read as a misnamed text field and send the user to change a right
                    # config.
                    cells = sum(v is not None for v in row.values())
                    yield SourceError(source, f"row has {counted(cells, 'cell')}, fewer than "
                                      f"the header's {len(row):,}, and none for the text "
                                      "column", line)
                    continue
                yield line, row
            else:
                return
        except csv.Error as exc:
            if not str(exc).startswith("field larger than field limit"):
                yield SourceError(source, f"malformed CSV: {exc}", skipped + reader.line_num)
                return
            taken = feed.take()
            first = skipped + end + 1 + next(
                (i for i, text in enumerate(taken) if text.strip()), 0)
            limit = csv.field_size_limit()
            if len(taken) != first - skipped - end or taken[-1].count('"') % 2:
                # A quoted cell over several lines is still open: where it closes is not
                # known, so no row after it can be told apart from its text.
                yield SourceError(source, f"a cell from this line on is longer than "
                                  f"{limit:,} characters, the most a CSV cell is read to; "
                                  "the rest of the file was not read", first)
                return
            # A cell on one line: the csv module dropped the rest of that line, and the
            # next line starts a row (the rest of the file was lost with it).
            yield SourceError(source, f"a cell is longer than {limit:,} characters, the most a "
                              "CSV cell is read to; the row is skipped", first)
            skipped = first
            reader = csv.DictReader(feed, fieldnames=fieldnames, delimiter=delimiter)
            continue
        # The lines after the bad row's first are read again as rows: in a loop, not by
        # recursion, which a file of a thousand stray quotes took past Python's limit.
        skipped += before + 1
        yield SourceError(source, "unbalanced quote: a quoted cell on this line does not "
                          "close where its row ends; the line is skipped and the lines after "
                          "it are read as rows", skipped)
        feed.give_back(taken[1:])
        reader = csv.DictReader(feed, fieldnames=fieldnames, delimiter=delimiter)


def _strict_ok(rows: str, delimiter: str) -> bool:
    try:
        list(csv.reader(io.StringIO(rows, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return True
