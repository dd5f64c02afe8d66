"""The stable shapes other tools build on: `show --json` objects and `export` rows."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from tracker.extract.models import Post
from tracker.extract.securities import canonical_key
from tracker.reports.csvsafe import BOM, neutralize, write_row
from tracker.store.database import Store

MENTION_COLUMNS = ["post_id", "source", "source_id", "published", "published_from", "lang",
                   "ticker", "market", "name", "kind", "instrument", "start", "end", "groups",
                   "confidence", "tone", "label", "repeat", "sentence"]
POST_COLUMNS = ["post_id", "source", "source_id", "url", "author", "title", "lang",
                "published", "published_from", "tone", "mentions", "author_tag"]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def post_to_dict(post: Post) -> dict[str, Any]:
    """The `show --json` object for one post (docs/reports.md documents every key)."""
    return {
        "source": post.source,
        "source_id": post.source_id,
        "post_id": post.id,
        "title": post.title,
        "published": post.published.isoformat() if post.published else None,
        "published_from": post.published_from,
        "lang": post.lang,
        "genre": post.genre,
        "tone": _round(post.tone),
        "author_tag": post.author_tag,
        "groups": post.groups,
        "mentions": [
            {
                "ticker": m.ticker, "market": m.market, "name": m.name, "kind": m.kind,
                "instrument": m.instrument, "start": m.start, "end": m.end, "sentence": m.sentence,
                "tone": _round(m.tone), "label": m.label, "groups": list(m.groups),
                "confidence": m.confidence, "repeat": m.repeat,
            }
            for m in post.mentions
        ],
        "text": post.text,
    }


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        # The store keeps UTC without a zone; exports say so.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return str(value)


def _records(rows: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[dict[str, Any]]:
    for row in rows:
        record = {c: row.get(c) for c in columns}
        if "repeat" in record:
            record["repeat"] = bool(row.get("is_repeat"))
        record["published"] = _iso(record.get("published"))
        if "groups" in record:
            record["groups"] = [g for g in (record["groups"] or "").split(";") if g]
        if "tone" in record and record["tone"] is not None:
            record["tone"] = round(float(record["tone"]), 4)
        yield record


def export_rows(store: Store, what: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """Columns and records of `what` ("mentions" or "posts"), read from the store as they
    are consumed."""
    if what == "mentions":
        return MENTION_COLUMNS, _records(store.iter_mentions(), MENTION_COLUMNS)
    if what == "posts":
        return POST_COLUMNS, _records(store.iter_posts(), POST_COLUMNS)
    raise ValueError(f"unknown export {what!r}")


def write_export(columns: list[str], records: Iterable[dict[str, Any]], fmt: str,
                 out: TextIO, excel: bool = False) -> int:
    """Write records to `out` as CSV (groups joined with ';') or JSON Lines, one at a time;
    returns how many.

    In CSV, text cells that a spreadsheet could run as a formula are neutralised
    (`csvsafe.neutralize`); numbers are written as numbers; a ticker is written as its
    key (`000001.SZ`, `TSLA`), so a spreadsheet keeps a numeric code as text. `excel` starts the
    CSV with a UTF-8 byte-order mark. JSON Lines keeps every value as it is stored.
    """
    written = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
        return written
    if excel:
        out.write(BOM)
    write_row(out, columns)
    keys = "ticker" in columns and "market" in columns
    for record in records:
        written += 1
        if keys:
            record = {**record, "ticker": canonical_key(record["ticker"], record["market"])}
        row = []
        for col in columns:
            value = record[col]
            if isinstance(value, list):
                value = ";".join(value)
            if isinstance(value, str):
                value = neutralize(value)
            elif isinstance(value, float):
                value = f"{value:.4f}"
            row.append("" if value is None else value)
        write_row(out, row)
    return written


def render_export(columns: list[str], records: Iterable[dict[str, Any]], fmt: str,
                  excel: bool = False) -> str:
    """`write_export` into a string."""
    out = io.StringIO()
    write_export(columns, records, fmt, out, excel=excel)
    return out.getvalue()
