"""Post genre: each post keeps whether it was scored as news or as a social post.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Posts stored before this revision have none (NULL): reports filter them as social, the
genre they were scored as, and `tracker rescore` fills it in (from the config's declared
sources, else the genre detector).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("genre", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("genre")
