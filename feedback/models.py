"""Tables of the feedback domain: one rating per answer per conversation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utc_now

RATINGS = ("helpful", "wrong")
# why an answer was marked "Chưa đúng" (optional)
REASONS = ("wrong_info", "not_what_i_asked", "hard_to_understand")


class AnswerRating(Base):
    """A citizen's rating of one answer (the question and the answer's opening, masked)."""

    __tablename__ = "answer_ratings"
    __table_args__ = (
        UniqueConstraint("sender_id", "source", name="uq_rating_answer"),
        CheckConstraint("rating IN ('helpful', 'wrong')", name="ck_rating_value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # the conversation id (needed to delete a conversation's records on request)
    sender_id: Mapped[str] = mapped_column(String(80), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    # the card unit or procedure that answered, and what kind of answer it was
    source: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    rating: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(30))
    question: Mapped[str] = mapped_column(Text)
    answer_excerpt: Mapped[str] = mapped_column(Text)
