"""Backfill notes: each stored piece keeps its bad records and warnings.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A nullable JSON text column on backfill_parts (tracker/store/partnotes.py): a task Dask runs
again after its worker died reports the piece's failures as its first try did. Rows stored
before this revision have none (NULL), as if their pieces had had nothing to say.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("backfill_parts") as batch:
        batch.add_column(sa.Column("notes", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("backfill_parts") as batch:
        batch.drop_column("notes")
