"""The records that flow through the pipeline: a post as read, and what was found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

MENTION_KINDS = ("security_tag", "cashtag", "name", "bare_ticker")
LABELS = ("positive", "negative", "neutral")


@dataclass(frozen=True)
class RawPost:
    """One post as a reader found it, before cleaning."""

    source: str
    text: str
    source_id: str | None = None
    line: int | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    # The author's own label of the post (a StockTwits Bullish/Bearish tag), as a LABELS entry.
    author_tag: str | None = None
    published_field: str | None = None
    file_mtime: float | None = None
    is_html: bool = False


@dataclass(frozen=True)
class Mention:
    """One mention of a security in a post's cleaned text."""

    ticker: str
    market: str | None
    name: str | None
    kind: str
    start: int
    end: int
    sentence: str
    confidence: float = 1.0
    groups: tuple[str, ...] = ()
    tone: float | None = None
    label: str | None = None
    repeat: bool = False
    passage: str | None = None


@dataclass(frozen=True)
class Post:
    """A cleaned, parsed and scored post, ready to store."""

    id: str
    source: str
    text: str
    source_id: str | None = None
    line: int | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    author_tag: str | None = None
    published: datetime | None = None
    published_from: str | None = None
    lang: str = "und"
    tone: float | None = None
    groups: dict[str, list[str]] = field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()
