"""Tables of the procedure catalogue: records and their aliases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db.base import Base, utc_now


class ProcedureRecord(Base):
    """One validated procedure record (procedures.schema) stored as a row.

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
