"""The records that flow through the pipeline: a post as read, and what was found in it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tracker.errors import OptionsError, SourceError

MENTION_KINDS = ("security_tag", "cashtag", "code", "name", "bare_ticker")
LABELS = ("positive", "negative", "neutral")
# A post's genre: news (headlines, wire copy, articles) or social (what people post).
GENRES = ("news", "social")


# The source of a post a Python caller passes as text (tracker.analyze, Analyzer.analyze).
PYTHON_SOURCE = "<python>"
# A language code as `RawPost.lang` takes it: ISO 639-1 or -3, lower case ("en", "zh", "yue").
_LANG_CODE = re.compile(r"[a-z]{2,3}")


def language_code(value: str) -> str:
    """`value` as the language code tracker's scorers are keyed by: lower case, without a
    region or script ("EN" -> "en", "zh-CN" and "zh_Hans" -> "zh"). Else an OptionsError:
    "EN" or "english" silently left a post's mentions unscored, as a language no scorer
    reads."""
    if not isinstance(value, str):
        raise OptionsError(f"lang must be a language code such as 'en' or 'zh', not {value!r}")
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    if not _LANG_CODE.fullmatch(code):
        raise OptionsError(f"lang must be a language code such as 'en' or 'zh', not {value!r}")
    return code


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
    # The post's language when the caller knows it ("en", "zh"): no detection then.
    lang: str | None = None

    def __post_init__(self) -> None:
        # A field of the wrong type (a Python caller's int id, bytes text) failed deep inside
        # the Analyzer, as an AttributeError from str.strip naming no field: name it here.
        wrong = _wrong_field(self)
        if wrong is not None:
            raise TypeError(wrong)
        if self.lang is not None:
            object.__setattr__(self, "lang", language_code(self.lang))


# RawPost's fields other than lang, each with the types it takes (None: may be None).
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "source": ((str,), "a str"),
    "text": ((str,), "a str"),
    **{name: ((str, type(None)), "a str or None") for name in (
        "source_id", "title", "url", "author", "author_tag")},
    "published_field": ((str, type(None)), "a str (ISO 8601, or epoch seconds) or None"),
    "line": ((int, type(None)), "an int or None"),
    "file_mtime": ((int, float, type(None)), "a number (seconds since 1970) or None"),
    "is_html": ((bool,), "a bool"),
}


def _wrong_field(raw: RawPost) -> str | None:
    """What is wrong with the first of `raw`'s fields that has a type it does not take (a
    bool is no line number or time, though Python counts it an int); None when none has."""
    for name, (types, wanted) in _FIELD_TYPES.items():
        value = getattr(raw, name)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            return f"RawPost {name} must be {wanted}, not {type(value).__name__}"
    return None


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
    # What the security is (tracker.extract.securities.KINDS); None when it is not listed.
    instrument: str | None = None


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
    # news or social (GENRES): which head of the tone model scored it.
    genre: str = "social"
    tone: float | None = None
    groups: dict[str, list[str]] = field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()


@dataclass
class RunCounts:
    """What one ingest or refresh run saw, added and removed, and the failures it went on
    past; the columns of its row in ingest_runs are `columns()`."""

    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_appended: int = 0
    files_missing: int = 0
    files_removed: int = 0
    posts_seen: int = 0
    posts_added: int = 0
    mentions_added: int = 0
    posts_removed: int = 0
    empty_posts: int = 0
    failures: list[SourceError] = field(default_factory=list)
    # Said to the user but not failures (an unreadable date, an encoding guess, an empty post).
    warnings: int = 0
    # Per file, how many posts were dated from a field, their text, the file's time, or not.
    dated: dict[str, Counter[str]] = field(default_factory=dict)
    reports: list[Path] = field(default_factory=list)

    @property
    def files_failed(self) -> int:
        """Files that failed whole (an error naming no line), each counted once."""
        return len({f.path for f in self.failures if f.line is None})

    @property
    def posts_failed(self) -> int:
        """Failures of one record each (a whole file that cannot be read is no post)."""
        return sum(1 for f in self.failures if f.line is not None)

    @property
    def posts_already(self) -> int:
        """Posts read that were stored before (or twice in this run)."""
        return self.posts_seen - self.posts_added

    @property
    def posts_read(self) -> int:
        """Every post read is stored (new or already there), failed, or empty after cleaning:
        posts_read = posts_added + posts_already + posts_failed + empty_posts."""
        return self.posts_seen + self.posts_failed + self.empty_posts

    def count_date(self, post: Post) -> None:
        """Count where `post`'s date came from, under its file."""
        self.dated.setdefault(post.source, Counter())[post.published_from or "none"] += 1

    def add_dated(self, dated: dict[str, Counter[str]]) -> None:
        """Add another count of where posts' dates came from (a partition's, a stored
        piece's) to this one, file by file."""
        for source, counts in dated.items():
            self.dated.setdefault(source, Counter()).update(counts)

    def columns(self) -> dict[str, int]:
        """The counts as the ingest_runs table stores them."""
        return {
            "files_seen": self.files_seen, "files_failed": self.files_failed,
            "posts_seen": self.posts_seen, "posts_added": self.posts_added,
            "mentions_added": self.mentions_added, "failures": len(self.failures),
            "files_new": self.files_new,
            "files_changed": self.files_changed + self.files_appended,
            "files_removed": self.files_removed, "posts_removed": self.posts_removed,
        }
