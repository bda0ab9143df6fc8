"""Tables of the privacy domain: when a conversation was shown the notice, and deletion
requests waiting for the citizen's confirmation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utc_now


class NoticeShown(Base):
    """The conversation was told what is stored, why, for how long and how to delete it."""

    __tablename__ = "privacy_notices"

    sender_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    shown_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class DeletionRequest(Base):
    """A citizen asked to delete their conversation and has not confirmed yet."""

    __tablename__ = "privacy_deletion_requests"

    sender_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

