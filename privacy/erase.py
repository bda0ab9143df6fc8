"""Deleting one conversation's records everywhere they are kept: the conversation Rasa stored
(tracker store), ratings, handed-over conversations with their messages, the notice record and
any pending deletion request. Unanswered questions are stored without the conversation's id
(masked, grouped by wording), so they cannot be traced back and are left to retention."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from analytics.conversations import EVENTS, tracker_exists
from core.db import get_engine, session_scope
from feedback.models import AnswerRating
from handoff.models import Handoff, HandoffMessage
from privacy.models import DeletionRequest, NoticeShown


@dataclass(frozen=True)
class Erased:
    """How many records were deleted, by kind (what the audit log keeps: no content)."""

    events: int
    ratings: int
    handoffs: int
    handoff_messages: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def erase_conversation(url: str, tracker_url: str, sender_id: str) -> Erased:
    """Deletes every record of ``sender_id``; the tracker part is skipped when there is none."""
    events = 0
    if tracker_url and tracker_exists(tracker_url):
        with get_engine(tracker_url).begin() as conn:
            events = conn.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount
    with session_scope(url) as session:
        handoff_ids = list(session.scalars(select(Handoff.id).where(
            Handoff.sender_id == sender_id)))
        messages = session.execute(delete(HandoffMessage).where(
            HandoffMessage.handoff_id.in_(handoff_ids))).rowcount if handoff_ids else 0
        handoffs = session.execute(delete(Handoff).where(
            Handoff.sender_id == sender_id)).rowcount
        ratings = session.execute(delete(AnswerRating).where(
            AnswerRating.sender_id == sender_id)).rowcount
        session.execute(delete(NoticeShown).where(NoticeShown.sender_id == sender_id))
        session.execute(delete(DeletionRequest).where(DeletionRequest.sender_id == sender_id))
    return Erased(events, ratings, handoffs, messages)
