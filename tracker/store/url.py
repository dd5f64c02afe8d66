"""What a database URL names: the one parser of SQLite URLs (file, query string, memory), and
how a SQLite file is told from other files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def _parse(url: str) -> URL | None:
    """`url` parsed, or None for text that is no URL. SQLAlchemy is imported here, not with
    the module: the config (which builds a SQLite URL with `sqlite_url`) is read by commands
    that never open a database (`eval`), and importing it takes 1.0 to 2.2 s on a busy
    machine (`python -X importtime`, three runs)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except ArgumentError:
        return None


def shown_url(url: str) -> str:
    """`url` as a message shows it: its password, if any, as `***`. Error lines reach cron's
    mail and the logs, where a PostgreSQL URL's password has no business."""
    parsed = _parse(url)
    return url if parsed is None else parsed.render_as_string(hide_password=True)


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite file at `path`, which `sqlite_path` gives back. A URL reads `?`
    as its query string's start and `%` as an escape, so both are quoted: `--db "a?b.db"`
    stored its posts in a file `a`, the rest of the name dropped in silence, and `a%41.db`
    in `aA.db`."""
    return "sqlite:///" + str(path).replace("%", "%25").replace("?", "%3F")


def earlier_file(path: Path) -> Path | None:
    """The SQLite database that tracker, before `sqlite_url` quoted `?` and `%`, opened for
    `path` (`a%41.db` was `aA.db`, `a?b.db` was `a`, `x%20y/t.db` was `x y/t.db`), when it
    is one and `path` is no file yet; None otherwise. Opened as now written, such a path
    made a new, empty database in silence: `report` showed nothing, `refresh` read every
    post again into it."""
    if "%" not in str(path) and "?" not in str(path):
        return None  # no SQLAlchemy import for the paths that never changed meaning
    old = sqlite_path("sqlite:///" + str(path))
    if old is None or old == path or path.exists() or not is_sqlite_file(old):
        return None
    return old


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, plain or URI form, without its `?query`; None for
    an in-memory SQLite database, another kind of database, or text that is no URL."""
    parsed = _parse(url)
    if parsed is None:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    # A SQLite URI filename (sqlite:///file:x.db?mode=ro&uri=true) names the file after "file:".
    return Path(database.removeprefix("file:"))


def in_memory(url: str) -> bool:
    """Whether `url` names an in-memory SQLite database (`sqlite://`, `sqlite:///`,
    `sqlite:///:memory:`, a `mode=memory` URI), which is gone when its process ends."""
    parsed = _parse(url)
    if parsed is None or parsed.get_backend_name() != "sqlite":
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


# The files SQLite keeps beside a database, each named by a suffix on its name.
_COMPANIONS = {"-wal": "write-ahead log", "-shm": "shared-memory index",
               "-journal": "rollback journal"}


def sqlite_companion(path: Path) -> tuple[Path, str] | None:
    """The SQLite database whose write-ahead log, shared-memory index or rollback journal
    `path` names (`t.db-wal` beside `t.db`), and which of them; None otherwise."""
    for suffix, what in _COMPANIONS.items():
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            database = path.with_name(path.name.removesuffix(suffix))
            if is_sqlite_file(database):
                return database, what
    return None


# How a message names a SQLite database file that no output of tracker may be written over.
SQLITE_DATABASE = "a SQLite database (tracker's own?)"


def sqlite_part(path: Path) -> tuple[str, str] | None:
    """What of a SQLite database the file at `path` is, which no report, export or log may
    be written over, and the pronoun a message refers to it by: (SQLITE_DATABASE, "one") for
    a database, ("the write-ahead log of the SQLite database t.db", "it") for a file SQLite
    keeps beside one; None for any other file."""
    if is_sqlite_file(path):
        return SQLITE_DATABASE, "one"
    companion = sqlite_companion(path)
    if companion is None:
        return None
    return f"the {companion[1]} of the SQLite database {companion[0].name}", "it"
