"""What a database URL names: the one parser of SQLite URLs (file, query string, memory), and
how a SQLite file is told from other files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def shown_url(url: str) -> str:
    """`url` as a message shows it: its password, if any, as `***`. Error lines reach cron's
    mail and the logs, where a PostgreSQL URL's password has no business."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, plain or URI form, without its `?query`; None for
    an in-memory SQLite database, another kind of database, or text that is no URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    # A SQLite URI filename (sqlite:///file:x.db?mode=ro&uri=true) names the file after "file:".
    return Path(database.removeprefix("file:"))


def in_memory(url: str) -> bool:
    """Whether `url` names an in-memory SQLite database (`sqlite://`, `sqlite:///`,
    `sqlite:///:memory:`, a `mode=memory` URI), which is gone when its process ends."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    return (database in ("", ":memory:") or database.startswith("file::memory:")
            or parsed.query.get("mode") == "memory")


# The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """Whether `path` is a file that starts as a SQLite database does (False if unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
