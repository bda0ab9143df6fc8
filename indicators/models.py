"""Tables of the officials' mode: provinces, indicators and versioned observations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utc_now


class ProvinceRow(Base):
    """A provincial unit (current or pre-merger); ``slug`` holds the unique geo code."""

    __tablename__ = "provinces"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    merged_into: Mapped[str | None] = mapped_column(String(80), ForeignKey("provinces.slug"))


class ProvinceAliasRow(Base):
    """A name or alias of a provincial unit with its accent-folded matching form."""

    __tablename__ = "province_aliases"
    __table_args__ = (UniqueConstraint("province_slug", "folded", name="uq_province_alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_slug: Mapped[str] = mapped_column(
        String(80), ForeignKey("provinces.slug", ondelete="CASCADE")
    )
    alias: Mapped[str] = mapped_column(String(200))
    folded: Mapped[str] = mapped_column(String(200), index=True)


class IndicatorRow(Base):
    """An indicator of the Đề án 06 catalogue."""

    __tablename__ = "indicators"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(40))
    group: Mapped[str | None] = mapped_column(String(80))
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)


class Observation(Base):
    """One version of a figure for a province, indicator and period (never overwritten)."""

    __tablename__ = "observations"
    __table_args__ = (
        CheckConstraint(
            "status IN ('proposed', 'approved', 'rejected')", name="ck_observation_status"
        ),
        UniqueConstraint(
            "province_slug",
            "indicator_code",
            "period_label",
            "version",
            name="uq_observation_version",
        ),
        Index("ix_observations_key", "province_slug", "indicator_code", "period_label"),
        Index("ix_observations_indicator", "indicator_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_slug: Mapped[str] = mapped_column(String(80), ForeignKey("provinces.slug"))
    indicator_code: Mapped[str] = mapped_column(String(80), ForeignKey("indicators.code"))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(40))
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    rank_out_of: Mapped[int | None] = mapped_column(Integer)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(Text, default="")
    source_title: Mapped[str | None] = mapped_column(Text)
    source_number: Mapped[str | None] = mapped_column(String(200))
    source_date: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    quoted_span: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("observations.id"))
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def reference_date(self) -> dt.date | None:
        """The day the figure holds for: ``as_of`` or the end of its period."""
        return self.as_of or self.period_end
