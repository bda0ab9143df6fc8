"""One conversation's data as JSON, for a citizen's written request (the right of access):
what Rasa stored of the conversation, the ratings, the handed-over conversations with their
messages, and when the notice was shown. Texts are as stored, that is masked."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from analytics.conversations import EVENTS, tracker_exists
from core.db import get_engine, session_scope
from core.db.base import as_utc
from feedback.models import AnswerRating
from handoff.models import Handoff, HandoffMessage
from privacy.models import NoticeShown

_KEPT_EVENTS = ("user", "bot")


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat()


def _messages(tracker_url: str, sender_id: str) -> list[dict[str, Any]]:
    if not tracker_url or not tracker_exists(tracker_url):
        return []
    query = (select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.intent_name,
                    EVENTS.c.data)
             .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(_KEPT_EVENTS))
             .order_by(EVENTS.c.id))
    out = []
    with get_engine(tracker_url).connect() as conn:
        for kind, timestamp, intent, data in conn.execute(query):
            text = (json.loads(data or "{}") or {}).get("text")
            if not text:
                continue  # an answer's description, not a message
            out.append({
                "at": dt.datetime.fromtimestamp(timestamp or 0, dt.timezone.utc).isoformat(),
                "from": "citizen" if kind == "user" else "assistant",
                "text": text,
                **({"intent": intent} if kind == "user" and intent else {}),
            })
    return out


def export_conversation(url: str, tracker_url: str, sender_id: str) -> dict[str, Any]:
    """Everything stored about ``sender_id``, oldest first."""
    with session_scope(url) as session:
        notice = session.get(NoticeShown, sender_id[:80])
        ratings = session.scalars(select(AnswerRating).where(
            AnswerRating.sender_id == sender_id).order_by(AnswerRating.id)).all()
        handoffs = session.scalars(select(Handoff).where(
            Handoff.sender_id == sender_id).order_by(Handoff.id)).all()
        handed = []
        for handoff in handoffs:
            messages = session.scalars(select(HandoffMessage).where(
                HandoffMessage.handoff_id == handoff.id).order_by(HandoffMessage.id)).all()
            handed.append({
                "requested_at": _iso(handoff.requested_at), "status": handoff.status,
                "topic": handoff.topic, "taken_by": handoff.taken_by,
                "ended_at": _iso(handoff.ended_at),
                "messages": [{"at": _iso(m.at), "from": m.author, "text": m.text}
                             for m in messages],
            })
        body = {
            "conversation": sender_id,
            "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "notice_shown_at": _iso(notice.shown_at) if notice else None,
            "ratings": [{"at": _iso(r.rated_at), "answer": r.source, "rating": r.rating,
                         "reason": r.reason, "question": r.question} for r in ratings],
            "handoffs": handed,
        }
    body["messages"] = _messages(tracker_url, sender_id)
    return body
