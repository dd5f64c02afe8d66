"""The first released schema: posts, mentions and ingest_runs.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_id", sa.Text),
        sa.Column("line", sa.Integer),
        sa.Column("url", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("published", sa.DateTime),
        sa.Column("published_from", sa.String(8)),
        sa.Column("tone", sa.Float),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("run_id", sa.Integer),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("post_id", sa.String(40), sa.ForeignKey("posts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("ticker", sa.String(32), nullable=False),
        sa.Column("market", sa.String(8)),
        sa.Column("name", sa.Text),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("groups", sa.Text, nullable=False),
        sa.Column("tone", sa.Float),
        sa.Column("label", sa.String(8)),
        sa.Column("is_repeat", sa.Boolean, nullable=False),
    )
    op.create_index("ix_mentions_post", "mentions", ["post_id"])
    op.create_index("ix_mentions_ticker", "mentions", ["ticker", "market"])
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("files_seen", sa.Integer, nullable=False),
        sa.Column("files_failed", sa.Integer, nullable=False),
        sa.Column("posts_seen", sa.Integer, nullable=False),
        sa.Column("posts_added", sa.Integer, nullable=False),
        sa.Column("mentions_added", sa.Integer, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ingest_runs")
    op.drop_table("mentions")
    op.drop_table("posts")
