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
