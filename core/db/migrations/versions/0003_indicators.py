"""indicators: provinces, province aliases, indicator catalogue and versioned observations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provinces",
        # unique unit code from knowledge/geo ("tuyen-quang", "old:ha-giang")
        sa.Column("slug", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date()),
        sa.Column("valid_to", sa.Date()),
        sa.Column("merged_into", sa.String(80), sa.ForeignKey("provinces.slug")),
    )
    op.create_table(
        "province_aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "province_slug",
            sa.String(80),
            sa.ForeignKey("provinces.slug", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("alias", sa.String(200), nullable=False),
        sa.Column("folded", sa.String(200), nullable=False),
        sa.UniqueConstraint("province_slug", "folded", name="uq_province_alias"),
    )
    op.create_index("ix_province_aliases_folded", "province_aliases", ["folded"])
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("unit", sa.String(40)),
        sa.Column("group", sa.String(80)),
        sa.Column("synonyms", sa.JSON(), nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "province_slug", sa.String(80), sa.ForeignKey("provinces.slug"), nullable=False
        ),
        sa.Column(
            "indicator_code", sa.String(80), sa.ForeignKey("indicators.code"), nullable=False
        ),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(40)),
        sa.Column("numerator", sa.Float()),
        sa.Column("denominator", sa.Float()),
        sa.Column("target", sa.Float()),
        sa.Column("rank", sa.Integer()),
        sa.Column("rank_out_of", sa.Integer()),
        sa.Column("as_of", sa.Date()),
        sa.Column("period_start", sa.Date()),
        sa.Column("period_end", sa.Date()),
        sa.Column("period_label", sa.Text(), nullable=False, server_default=""),
        sa.Column("source_title", sa.Text()),
        sa.Column("source_number", sa.String(200)),
        sa.Column("source_date", sa.Date()),
        sa.Column("source_url", sa.Text()),
        sa.Column("quoted_span", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("status", sa.String(20), nullable=False, server_default="proposed"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("supersedes_id", sa.Integer(), sa.ForeignKey("observations.id")),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(100)),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'rejected')", name="ck_observation_status"
        ),
        sa.UniqueConstraint(
            "province_slug", "indicator_code", "period_label", "version",
            name="uq_observation_version",
        ),
    )
    op.create_index(
        "ix_observations_key", "observations", ["province_slug", "indicator_code", "period_label"]
    )
    op.create_index("ix_observations_indicator", "observations", ["indicator_code"])


def downgrade() -> None:
    op.drop_index("ix_observations_indicator", table_name="observations")
    op.drop_index("ix_observations_key", table_name="observations")
    op.drop_table("observations")
    op.drop_table("indicators")
    op.drop_index("ix_province_aliases_folded", table_name="province_aliases")
    op.drop_table("province_aliases")
    op.drop_table("provinces")
