"""Reading the real-post gold sets: one hand-labelled post per line, with every security it
mentions and the tone toward each (docs/labelling.md has the format and the rules).

A gold file is told from the other labelled formats by its `mentions` field; a folder holds
one gold file per source (`datasets/gold/*.jsonl`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import SourceError, SourceWarning
from tracker.extract.securities import canonical_key, parse_key
from tracker.sources.files import read_regular
from tracker.sources.jsonl import decoded_lines
from tracker.sources.records import TOO_DEEP, invalid_json, load_json

log = logging.getLogger(__name__)

TONES = ("pos", "neg", "neu")
GOLD_FIELD = "mentions"
# Where a reader of labelled files sends a record it cannot read: given one, the record is
# skipped and the reading goes on (as ingest goes on past a bad record); without, it raises.
OnError = Callable[[SourceError], None]


def skip_or_raise(err: SourceError, on_error: OnError | None) -> None:
    """Hand `err` to `on_error`, whose caller then skips the record; raise it without one."""
    if on_error is None:
        raise err
    on_error(err)


@dataclass(frozen=True)
class GoldMention:
    """One security a labeller saw in a post, and the tone toward it."""

    key: str
    tone: str
    surface: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class GoldPost:
    """One labelled post: where it is (file, line), its text and date, and its mentions."""

    file: str
    line: int
    id: str
    source: str
    lang: str
    text: str
    published: str | None
    mentions: tuple[GoldMention, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(m.key for m in self.mentions)


def _lines(path: Path, on_warning: Callable[[SourceWarning], None] | None = None
           ) -> Iterator[tuple[int, str]]:
    """The numbered lines of `path`, read and decoded as ingest reads a JSON Lines file
    (GB18030, UTF-16 and Latin-1 too, with the same errors and warnings)."""
    try:
        data, _ = read_regular(path, str(path))
    except OSError as exc:
        raise SourceError.unreadable(str(path), exc) from exc
    for item in decoded_lines(data, str(path)):
        if isinstance(item, SourceWarning):
            if on_warning is not None:
                on_warning(item)
            else:
                log.warning("%s", item)
        else:
            yield item


def json_records(path: Path, on_warning: Callable[[SourceWarning], None] | None = None,
                 on_error: OnError | None = None) -> Iterator[tuple[int, Any]]:
    """The records of a small labelled JSON Lines file (a gold set, a labelled test part)
    with their line numbers, blank lines skipped. SourceError names the file and the line of
    a line that is not JSON (skipped if `on_error` takes it), or the file when it cannot be
    read; what the reading had to guess (a line read as Latin-1) goes to `on_warning`, else
    to the log."""
    for lineno, line in _lines(path, on_warning):
        if not line.strip():
            continue
        try:
            record = load_json(line)
        except json.JSONDecodeError as exc:
            skip_or_raise(SourceError(str(path), invalid_json(exc), lineno), on_error)
            continue
        except RecursionError:  # "[[[[..." deeper than Python's stack
            skip_or_raise(SourceError(str(path), TOO_DEEP, lineno), on_error)
            continue
        yield lineno, record


_NOT_JSON = object()


def _first_record(path: Path) -> Any:
    """The first record of `path`: None if it has none, _NOT_JSON if that line is not JSON
    (the sniffers below leave the error to the reader, which names the line)."""
    for _, line in _lines(path, on_warning=lambda _w: None):  # the reader says them
        if line.strip():
            try:
                return load_json(line)
            except (json.JSONDecodeError, RecursionError):
                return _NOT_JSON
    return None


def is_gold_file(path: Path) -> bool:
    """Whether `path` is a gold file: its first record has a `mentions` field."""
    record = _first_record(path)
    return isinstance(record, dict) and GOLD_FIELD in record


def gold_files(path: Path) -> list[Path]:
    """The gold files at `path`: the file itself, or a folder's *.jsonl files, sorted."""
    if path.is_dir():
        found = sorted(p for p in path.glob("*.jsonl") if p.is_file())
        if not found:
            raise SourceError(str(path), "no gold files (*.jsonl) in this folder")
        return found
    return [path]


def _string(rec: dict[str, Any], name: str, path: Path, line: int,
            optional: bool = False) -> str | None:
    value = rec.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not optional and not value.strip()):
        raise SourceError(str(path), f"'{name}' must be a non-empty string", line)
    return value


def _mention(item: Any, path: Path, line: int, index: int) -> GoldMention:
    where = f"mentions[{index}]"
    if not isinstance(item, dict):
        raise SourceError(str(path), f"{where} must be an object with key and tone", line)
    key, tone = item.get("key"), item.get("tone")
    if not isinstance(key, str) or not key.strip():
        raise SourceError(str(path), f"{where}.key must be a security key such as TSLA or "
                          "600519.SS", line)
    if tone not in TONES:
        raise SourceError(str(path), f"{where}.tone must be pos, neg or neu, not {tone!r} "
                          f"(key {key})", line)
    surface, name = item.get("surface"), item.get("name")
    return GoldMention(canonical_key(*parse_key(key)), tone,
                       surface if isinstance(surface, str) and surface else None,
                       name if isinstance(name, str) and name else None)


def read_gold(path: Path, on_error: OnError | None = None) -> list[GoldPost]:
    """The posts of one gold file, keys made canonical (`SH600519` -> `600519.SS`); a
    record that cannot be read raises, or goes to `on_error` and is left out."""
    posts = []
    for lineno, rec in json_records(path, on_error=on_error):
        try:
            posts.append(_gold_post(path, lineno, rec))
        except SourceError as err:
            skip_or_raise(err, on_error)
    return posts


def _gold_post(path: Path, lineno: int, rec: Any) -> GoldPost:
    """One gold record as a GoldPost; SourceError names what is wrong with it."""
    if not isinstance(rec, dict) or not isinstance(rec.get(GOLD_FIELD), list):
        raise SourceError(str(path), "each line needs a list 'mentions' ([] for none)",
                          lineno)
    text = _string(rec, "text", path, lineno)
    lang = _string(rec, "lang", path, lineno)
    mentions = [_mention(m, path, lineno, i) for i, m in enumerate(rec[GOLD_FIELD])]
    # One security, one mention per post (docs/labelling.md): a key written twice is a
    # labelling slip that would count one pair twice.
    keys = [m.key for m in mentions]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise SourceError(str(path), f"key {twice[0]} is listed twice; one security is "
                          "one mention per post", lineno)
    return GoldPost(
        file=path.name, line=lineno,
        id=_string(rec, "id", path, lineno, optional=True) or f"{path.name}:{lineno}",
        source=_string(rec, "source", path, lineno, optional=True) or path.stem,
        lang=str(lang), text=str(text),
        published=_string(rec, "published", path, lineno, optional=True),
        mentions=tuple(mentions))


def labelled_format(path: Path) -> str:
    """What `tracker eval` reads at `path`: "gold" (records with `mentions`, or a folder
    holding such files), "labelled" (JSON Lines records with a `label`), "posts" (posts as
    ingest reads them, measured against their authors' own tags), or "folder" (a folder
    with no gold file)."""
    if path.is_dir():
        found = sorted(p for p in path.glob("*.jsonl") if p.is_file())
        return "gold" if any(map(is_gold_file, found)) else "folder"
    if is_gold_file(path):
        return "gold"
    if path.suffix.lower() in (".csv", ".json"):
        return "posts"
    # A first line that is not JSON is "labelled": its reader says which line it is.
    record = _first_record(path)
    return "posts" if isinstance(record, dict) and "label" not in record else "labelled"
