"""Reposted passages: each mention keeps the hash of its normalized sentence.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Mentions stored before this revision have no passage, so they are never taken for repeats;
`tracker rescore` does not fill it in (the stored sentence would allow it, but a repeat is
decided at insert time, in insertion order).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("passage", sa.String(16)))
    op.create_index("ix_mentions_passage", "mentions", ["passage", "ticker"])


def downgrade() -> None:
    op.drop_index("ix_mentions_passage", table_name="mentions")
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("passage")
