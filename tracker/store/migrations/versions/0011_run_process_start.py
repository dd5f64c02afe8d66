"""Run process start: a run records when its process started, on a clock no one sets.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

One nullable text column on ingest_runs, `process_start`: on Linux the boot's id and the
process's start in clock ticks after boot (tracker/store/processes.py). `tracker status`
on the same host tells the run's own process from one that reused its pid by it, where the
start read against the wall clock mistook a run for `killed` when the clock was set forward
while it ran. Rows stored before this revision, and runs on systems without /proc (macOS),
have none (NULL), and `status` tells them by their start time as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingest_runs") as batch:
        batch.add_column(sa.Column("process_start", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("ingest_runs") as batch:
        batch.drop_column("process_start")
