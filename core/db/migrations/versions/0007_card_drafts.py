"""card drafts: knowledge cards written by staff in the console, published by an admin

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
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
        "card_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("card_id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin_kind", sa.String(10), nullable=False),
        sa.Column("origin", sa.String(500)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(64)),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("problem", sa.Text()),
    )
    op.create_index("ix_card_drafts_card_id", "card_drafts", ["card_id"])
    op.create_index("ix_card_drafts_status", "card_drafts", ["status"])


def downgrade() -> None:
    op.drop_index("ix_card_drafts_status", "card_drafts")
    op.drop_index("ix_card_drafts_card_id", "card_drafts")
    op.drop_table("card_drafts")
