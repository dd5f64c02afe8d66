"""Incremental refresh: source files and their posts, richer run records, report indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_RUN_COLUMNS = ("files_new", "files_changed", "files_removed", "posts_removed")


def upgrade() -> None:
    with op.batch_alter_table("ingest_runs") as batch:
        for name in _RUN_COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("host", sa.Text))
    op.create_table(
        "source_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes_read", sa.BigInteger, nullable=False),
        sa.Column("lines_read", sa.BigInteger, nullable=False),
        sa.Column("posts", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("run_id", sa.Integer),
    )
    op.create_table(
        "post_sources",
        sa.Column("file_id", sa.Integer,
                  sa.ForeignKey("source_files.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("post_id", sa.String(40), sa.ForeignKey("posts.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("line", sa.Integer),
    )
    op.create_index("ix_post_sources_post", "post_sources", ["post_id"])
    op.create_index("ix_posts_published", "posts", ["published", "id"])
    # The covering report index leads with post_id, so it replaces the plain post_id index.
    op.create_index("ix_mentions_report", "mentions",
                    ["post_id", "ticker", "market", "label", "tone", "name", "groups"])
    op.drop_index("ix_mentions_post", table_name="mentions")


def downgrade() -> None:
    op.create_index("ix_mentions_post", "mentions", ["post_id"])
    op.drop_index("ix_mentions_report", table_name="mentions")
    op.drop_index("ix_posts_published", table_name="posts")
    op.drop_table("post_sources")
    op.drop_table("source_files")
    with op.batch_alter_table("ingest_runs") as batch:
        for name in ("host", *_RUN_COLUMNS):
            batch.drop_column(name)
