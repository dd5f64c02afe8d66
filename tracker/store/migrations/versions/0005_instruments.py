"""Instrument kinds: each mention keeps what its security is (equity, etf, index, ...).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

Mentions stored before this revision have none (NULL); reports count them as they did,
with the equities and ETFs they show by default.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("instrument", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("instrument")
