"""answer ratings: citizens' "Hữu ích" / "Chưa đúng" on each answer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_ratings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender_id", sa.String(80), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("rating", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(30)),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_excerpt", sa.Text(), nullable=False),
        sa.UniqueConstraint("sender_id", "source", name="uq_rating_answer"),
        sa.CheckConstraint("rating IN ('helpful', 'wrong')", name="ck_rating_value"),
    )
    op.create_index("ix_answer_ratings_sender_id", "answer_ratings", ["sender_id"])
    op.create_index("ix_answer_ratings_source", "answer_ratings", ["source"])


def downgrade() -> None:
    op.drop_index("ix_answer_ratings_source", "answer_ratings")
    op.drop_index("ix_answer_ratings_sender_id", "answer_ratings")
    op.drop_table("answer_ratings")
