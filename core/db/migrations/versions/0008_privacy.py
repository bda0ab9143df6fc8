"""privacy: notices shown, deletion requests awaiting confirmation, and the daily counts
analytics keep when retention purges the records behind them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_notices",
        sa.Column("sender_id", sa.String(80), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "privacy_deletion_requests",
        sa.Column("sender_id", sa.String(80), primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "analytics_daily_counts",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("measure", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analytics_daily_counts")
    op.drop_table("privacy_deletion_requests")
    op.drop_table("privacy_notices")
