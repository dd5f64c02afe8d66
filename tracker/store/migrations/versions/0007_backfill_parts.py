"""The pieces of files a cluster backfill has stored, so a killed backfill resumes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

A new table only (see backfill_parts in tracker/store/schema.py); nothing stored moves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backfill_parts",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("start", sa.BigInteger, primary_key=True),
        sa.Column("stop", sa.BigInteger, primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("posts_read", sa.Integer, nullable=False),
        sa.Column("posts_added", sa.Integer, nullable=False),
        sa.Column("mentions_added", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("finished_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("backfill_parts")
