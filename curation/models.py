"""Tables of curation: questions the knowledge base could not answer, and card drafts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utc_now


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


class CardDraft(Base):
    """A knowledge card written by staff in the console: the whole Markdown file (front matter
    and text), where it came from, and whether an admin published it."""

    __tablename__ = "card_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    # "gap" (an unanswered question: origin is its grouping key), "wrong" (a card marked wrong:
    # origin is that card's id) or "new"
    origin_kind: Mapped[str] = mapped_column(String(10))
    origin: Mapped[str | None] = mapped_column(String(500))
    # draft → publishing → published, or failed (back to editable, with the reason)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    published_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    problem: Mapped[str | None] = mapped_column(Text)
