"""ORM models. Every schema change goes through a migration in ``migrations/versions``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of the project's tables."""


class KnowledgeGap(Base):
    """A question the knowledge base could not answer confidently (PII masked)."""

    __tablename__ = "knowledge_gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    question: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(String(500), index=True)
    intent: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(50))
    best_unit: Mapped[str | None] = mapped_column(String(200))
    best_coverage: Mapped[float | None] = mapped_column(Float)
    best_similarity: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open")


# --------------------------------------------------------------- procedure catalogue
# Imports used only by the procedure tables below (kept here so the classes above stay as is).
from sqlalchemy import JSON, Date, ForeignKey, UniqueConstraint  # noqa: E402
from sqlalchemy.orm import relationship  # noqa: E402


class ProcedureRecord(Base):
    """One validated procedure record (knowledge/procedures schema) stored as a row.

    ``record`` holds the full record as JSON (``procedure_to_dict``); the other columns are
    copies of its main fields for listing and filtering. ``content_hash`` (SHA-256 of the
    canonical JSON) makes a re-import of an identical record a no-op.
    """

    __tablename__ = "procedures"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(500))
    field: Mapped[str] = mapped_column(String(200))
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    online_level: Mapped[str | None] = mapped_column(String(20))
    province: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    record: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    imported_by: Mapped[str] = mapped_column(String(100))
    source_file: Mapped[str | None] = mapped_column(String(500))

    aliases: Mapped[list[ProcedureAlias]] = relationship(
        back_populates="procedure", cascade="all, delete-orphan", passive_deletes=True
    )


class ProcedureAlias(Base):
    """A name or colloquial alias of a procedure with its folded matching form."""

    __tablename__ = "procedure_aliases"
    __table_args__ = (UniqueConstraint("procedure_id", "folded", name="uq_procedure_alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[str] = mapped_column(
        String(120), ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(500))
    folded: Mapped[str] = mapped_column(String(500), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="alias")  # "name" or "alias"

    procedure: Mapped[ProcedureRecord] = relationship(back_populates="aliases")


# --------------------------------------------------------------- indicators (migration 0003)
from sqlalchemy import CheckConstraint, Index  # noqa: E402


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


# --------------------------------------------------------------- accounts and audit log
# Imports used only by the access tables below (kept here so the classes above stay as is).
from sqlalchemy import Boolean  # noqa: E402

ACCOUNT_ROLES = ("official", "admin", "one_stop_staff")


class Account(Base):
    """A staff account (officials, administrators, one-stop-shop staff); citizens have none.

    ``password_hash`` is an argon2id hash (argon2-cffi); ``province`` is a slug or unit code
    from ``knowledge/geo`` (required for officials, the province they may write for).
    """

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    province: Mapped[str | None] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class AuditEntry(Base):
    """One audited action (logins, imports, approvals); ``detail`` has PII masked."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(50), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
