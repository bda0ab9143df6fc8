"""knowledge gaps: questions the knowledge base could not answer

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_gaps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("normalized", sa.String(500), nullable=False),
        sa.Column("intent", sa.String(100)),
        sa.Column("channel", sa.String(50)),
        sa.Column("best_unit", sa.String(200)),
        sa.Column("best_coverage", sa.Float()),
        sa.Column("best_similarity", sa.Float()),
        sa.Column("status", sa.String(20), nullable=False, server_default="open"),
    )
    op.create_index("ix_knowledge_gaps_normalized", "knowledge_gaps", ["normalized"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_gaps_normalized", table_name="knowledge_gaps")
    op.drop_table("knowledge_gaps")
