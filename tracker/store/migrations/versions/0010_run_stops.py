"""Run stops: a run stopped by a signal says so, and a run records its process id.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Two nullable columns on ingest_runs. `stopped_by` names the signal (SIGTERM, SIGINT) that
stopped a run which could still write its row; `pid` is the process that ran it, so that
`tracker status` on the same host tells a run still going from one that died without a word
(`kill -9`, a lost machine). Rows stored before this revision have neither (NULL), and
`status` shows them as before: `running` for the newest without an end, else `killed?`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingest_runs") as batch:
        batch.add_column(sa.Column("stopped_by", sa.String(16)))
        batch.add_column(sa.Column("pid", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("ingest_runs") as batch:
        batch.drop_column("pid")
        batch.drop_column("stopped_by")
