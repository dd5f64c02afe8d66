"""The first holder of each reposted passage, one row per (passage, ticker).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Filled from the stored mentions: the holder is the post of the earliest mention of the pair
that is not a repeat. A pair whose every mention is marked a repeat (its first holder was
deleted before this revision) gets its earliest mention's post as holder, unmarked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "passage_holders",
        sa.Column("passage", sa.String(16), primary_key=True),
        sa.Column("ticker", sa.String(32), primary_key=True),
        sa.Column("post_id", sa.String(40), sa.ForeignKey("posts.id", ondelete="CASCADE"),
                  nullable=False),
    )
    op.create_index("ix_passage_holders_post", "passage_holders", ["post_id"])
    op.execute(
        "INSERT INTO passage_holders (passage, ticker, post_id) "
        "SELECT m.passage, m.ticker, m.post_id FROM mentions m WHERE m.id IN ("
        " SELECT MIN(id) FROM mentions WHERE passage IS NOT NULL AND NOT is_repeat"
        " GROUP BY passage, ticker)"
    )
    op.execute(
        "INSERT INTO passage_holders (passage, ticker, post_id) "
        "SELECT m.passage, m.ticker, m.post_id FROM mentions m WHERE m.id IN ("
        " SELECT MIN(id) FROM mentions WHERE passage IS NOT NULL"
        " GROUP BY passage, ticker HAVING MIN(CASE WHEN is_repeat THEN 1 ELSE 0 END) = 1)"
    )
    op.execute(
        "UPDATE mentions SET is_repeat = false WHERE is_repeat AND EXISTS ("
        " SELECT 1 FROM passage_holders h WHERE h.passage = mentions.passage"
        " AND h.ticker = mentions.ticker AND h.post_id = mentions.post_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_passage_holders_post", table_name="passage_holders")
    op.drop_table("passage_holders")
