"""Post identity by record id or author, and the author's own tag.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Until 0006 a post's id hashed its text alone, so two authors who wrote the same words were
one post. From 0006 the key is the record's id where it had one, else its author, each with
the text (tracker.ingest.analyze.post_id). Stored posts with a record id or an author are re-keyed
here, their mentions, file links and held passages (0004) moving with them: nothing is
dropped. Posts that were merged before cannot be told apart again; they keep the first
author stored.

`posts.author_tag` holds the author's own label (a StockTwits Bullish/Bearish tag).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SPACES = re.compile(r"\s+")
_BATCH = 500


def _new_id(text: str, source_id: str | None, author: str | None) -> str:
    # A frozen copy of tracker.ingest.analyze.post_id as of this revision: a migration must keep
    # doing what it did when it shipped, whatever the live function becomes.
    norm = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    if source_id:
        norm = f"id\x1f{source_id.strip()}\x1f{norm}"
    elif author:
        norm = f"author\x1f{author.strip().casefold()}\x1f{norm}"
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:20]


def _rekey(conn: sa.engine.Connection) -> None:
    posts = sa.table("posts", sa.column("id"), sa.column("source_id"), sa.column("author"),
                     sa.column("text"))
    rows = conn.execute(sa.select(posts.c.id, posts.c.source_id, posts.c.author, posts.c.text)
                        .where((posts.c.source_id.is_not(None)) | (posts.c.author.is_not(None)))
                        ).all()
    moves = [(old, new) for old, sid, author, text in rows
             if (new := _new_id(text, sid, author)) != old]
    if not moves:
        return
    columns = [c["name"] for c in sa.inspect(conn).get_columns("posts") if c["name"] != "id"]
    listed = ", ".join(columns)
    copy = sa.text(f"INSERT INTO posts (id, {listed}) SELECT :new, {listed} FROM posts "
                   "WHERE id = :old")
    for i in range(0, len(moves), _BATCH):
        params = [{"old": old, "new": new} for old, new in moves[i:i + _BATCH]]
        # The new row first, then its children, then the old row: every step keeps the
        # foreign keys valid, so a database with them enforced upgrades too.
        conn.execute(copy, params)
        conn.execute(sa.text("UPDATE mentions SET post_id = :new WHERE post_id = :old"), params)
        for child in ("post_sources", "passage_holders"):
            conn.execute(sa.text(f"UPDATE {child} SET post_id = :new WHERE post_id = :old"),
                         params)
        conn.execute(sa.text("DELETE FROM posts WHERE id = :old"), params)


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("author_tag", sa.String(8)))
    _rekey(op.get_bind())


def downgrade() -> None:
    # Ids stay as they are: a text-only key would merge what 0006 keeps apart.
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("author_tag")
