"""procedure catalogue: validated procedure records and their aliases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("code", sa.String(20)),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("online_level", sa.String(20)),
        sa.Column("province", sa.String(200)),
        sa.Column("valid_from", sa.Date()),
        sa.Column("valid_to", sa.Date()),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.Column("source_file", sa.String(500)),
    )
    op.create_index("ix_procedures_code", "procedures", ["code"])
    op.create_table(
        "procedure_aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "procedure_id",
            sa.String(120),
            sa.ForeignKey("procedures.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("alias", sa.String(500), nullable=False),
        sa.Column("folded", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False, server_default="alias"),
        sa.UniqueConstraint("procedure_id", "folded", name="uq_procedure_alias"),
    )
    op.create_index("ix_procedure_aliases_procedure_id", "procedure_aliases", ["procedure_id"])
    op.create_index("ix_procedure_aliases_folded", "procedure_aliases", ["folded"])


def downgrade() -> None:
    op.drop_index("ix_procedure_aliases_folded", table_name="procedure_aliases")
    op.drop_index("ix_procedure_aliases_procedure_id", table_name="procedure_aliases")
    op.drop_table("procedure_aliases")
    op.drop_index("ix_procedures_code", table_name="procedures")
    op.drop_table("procedures")
