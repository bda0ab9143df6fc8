"""Tables of the handoff domain: a conversation handed to staff, and what was said in it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utc_now

# waiting for staff → held by one staff member → handed back to the assistant, closed, or
# expired (nobody took it in time)
OPEN_STATES = ("waiting", "held")
END_STATES = ("returned", "closed", "expired")


class Handoff(Base):
    """One request of a citizen to talk to a person."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(80), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="waiting", index=True)
    # what the conversation was about (the last answer's source or the intent), for the queue
    topic: Mapped[str | None] = mapped_column(String(200))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    taken_by: Mapped[str | None] = mapped_column(String(64))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class HandoffMessage(Base):
    """A message of a handed-over conversation (masked): the citizen's, staff's, or the
    assistant's last turns copied when the handoff was asked for."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    author: Mapped[str] = mapped_column(String(10))  # citizen | assistant | staff
    staff: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
