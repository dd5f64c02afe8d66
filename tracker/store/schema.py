"""The database schema: every table the tracker stores, as SQLAlchemy Core tables.

The Alembic revisions in tracker/store/migrations build exactly this schema step by step; a test
checks that they agree. Change a table here only together with a new revision.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

posts = Table(
    "posts", metadata,
    Column("id", String(40), primary_key=True),
    Column("source", Text, nullable=False),
    Column("source_id", Text),
    Column("line", Integer),
    Column("url", Text),
    Column("author", Text),
    Column("author_tag", String(8)),  # the author's own label (positive/negative/neutral)
    Column("title", Text),
    Column("lang", String(8), nullable=False),
    # news or social (tracker.extract.models.GENRES); NULL for posts stored before genres were kept.
    Column("genre", String(8)),
    Column("published", DateTime),  # UTC, naive: SQLite keeps no zone
    Column("published_from", String(8)),
    Column("tone", Float),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    Column("run_id", Integer),
    # Reports filter and group posts by time: (published, id) serves the join to mentions.
    Index("ix_posts_published", "published", "id"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("post_id", String(40), ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("ticker", String(32), nullable=False),
    Column("market", String(8)),
    Column("name", Text),
    Column("kind", String(16), nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("groups", Text, nullable=False, default=""),  # ";"-joined: portable, and CSV-ready
    Column("tone", Float),
    Column("label", String(8)),
    Column("is_repeat", Boolean, nullable=False, default=False),
    Column("passage", String(16)),  # hash of the normalized sentence; see extract/passages.py
    Column("instrument", String(16)),  # the security's kind (KINDS in extract/securities.py)
    # Covers the report GROUP BY: every column it reads, led by the join key (so it also
    # serves deletes by post).
    Index("ix_mentions_report", "post_id", "ticker", "market", "label", "tone", "name",
          "groups"),
    Index("ix_mentions_ticker", "ticker", "market"),
    Index("ix_mentions_passage", "passage", "ticker"),
)

# The post that first stored each (passage, ticker): its mentions of the pair count, every
# later holder's are repeats. The primary key makes "first" hold under concurrent writers:
# of two transactions claiming a pair, PostgreSQL makes the second wait for the first and
# then skip it. When the holder is deleted its row goes too, and the next holder takes over
# (tracker.store.passages).
passage_holders = Table(
    "passage_holders", metadata,
    Column("passage", String(16), primary_key=True),
    Column("ticker", String(32), primary_key=True),
    Column("post_id", String(40), ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Index("ix_passage_holders_post", "post_id"),
)

ingest_runs = Table(
    "ingest_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),  # null: still running, or killed
    Column("command", String(32), nullable=False),
    Column("files_seen", Integer, nullable=False, default=0),
    Column("files_failed", Integer, nullable=False, default=0),
    Column("posts_seen", Integer, nullable=False, default=0),
    Column("posts_added", Integer, nullable=False, default=0),
    Column("mentions_added", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),
    Column("files_new", Integer, nullable=False, server_default="0"),
    Column("files_changed", Integer, nullable=False, server_default="0"),
    Column("files_removed", Integer, nullable=False, server_default="0"),
    Column("posts_removed", Integer, nullable=False, server_default="0"),
    Column("host", Text),
    # The signal that stopped the run, when it could still say so (migration 0010).
    Column("stopped_by", String(16)),
    # Its process on `host`: `status` there tells a live run from a dead one.
    Column("pid", Integer),
    # That process's boot and start on the boot's clock (Linux; migration 0011): it tells
    # the run's own process from one that took its pid, whatever the wall clock did.
    Column("process_start", String(64)),
)

# What `refresh` has read of each source file. For a JSON Lines file `bytes_read` is the
# prefix consumed so far and `sha256` hashes that prefix, so growth by appending is told
# apart from a rewrite; for other files both cover the whole file.
source_files = Table(
    "source_files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False, unique=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("bytes_read", BigInteger, nullable=False),
    Column("lines_read", BigInteger, nullable=False, default=0),
    Column("posts", Integer, nullable=False, default=0),
    Column("first_seen", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("run_id", Integer),
)

# Which files hold which posts. The same record may sit in two files (see post_id in
# tracker/ingest/analyze.py);
# it is removed only when no file links to it any more (see tracker.store.filestate).
post_sources = Table(
    "post_sources", metadata,
    Column("file_id", Integer, ForeignKey("source_files.id", ondelete="CASCADE"),
           primary_key=True),
    Column("post_id", String(40), ForeignKey("posts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("line", Integer),
    Index("ix_post_sources_post", "post_id"),
)

# The pieces of files a cluster backfill (tracker.ingest.cluster) has stored: a piece is a
# whole file, or a byte range of a large JSON Lines file starting and ending at a line. A
# piece's row is written in the transaction that stores its posts, so a killed backfill
# resumes with the pieces that have no row; `size` and `mtime_ns` say which version of the
# file the row is for. The counts are what that transaction added, so a task that Dask runs
# again after its worker died reports them rather than zeros.
backfill_parts = Table(
    "backfill_parts", metadata,
    Column("path", Text, primary_key=True),
    Column("start", BigInteger, primary_key=True),
    Column("stop", BigInteger, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("posts_read", Integer, nullable=False),
    Column("posts_added", Integer, nullable=False),
    Column("mentions_added", Integer, nullable=False),
    Column("run_id", Integer),
    Column("finished_at", DateTime, nullable=False),
    # The piece's bad records and warnings, JSON (tracker/store/partnotes.py); revision 0009.
    Column("notes", Text),
)
