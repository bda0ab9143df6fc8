"""Reads Rasa's SQL tracker store (table ``events``, one row per event of every conversation):
conversations and messages per day and channel, the intents of typed messages, the cards that
answered and the honest fallbacks. The table is Rasa's, so it is declared here as Rasa 3.6
creates it and never reflected or changed."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    func,
    inspect,
    select,
)

from analytics.period import Period, local_date
from core.db import get_engine
from handoff.channels import SENDER_PREFIXES

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
# answers that came from a card or procedure record (as feedback.conversation rates them)
ANSWER_KINDS = ("answer", "partial")
FALLBACK_KIND = "fallback"
OTHER_CHANNEL = "other"
# button payloads ("/greet", "/ask_vneid{…}") are stored by Rasa's json.dumps as
# "text": "/…"; they are clicks, not questions, and stay out of the topics
_SLASH_PAYLOAD = '%"text": "/%'
# an action describes its answer in a bot event of its own: {"custom": {"kind": …, "source": …}}
_DESCRIBED = '%"custom": {%'
STREAM_ROWS = 5000


def channel_of(sender_id: str) -> str:
    """The channel a conversation came in by, from its id's prefix."""
    return next((channel for channel, prefix in SENDER_PREFIXES.items()
                 if sender_id.startswith(prefix)), OTHER_CHANNEL)


@dataclass
class Activity:
    """What the tracker store holds for a range of dates."""

    # (local date, channel) → distinct conversations with a user message that day
    conversations: dict[tuple[dt.date, str], int] = field(default_factory=dict)
    # (local date, channel) → user messages
    messages: dict[tuple[dt.date, str], int] = field(default_factory=dict)
    total_conversations: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    cards: Counter[str] = field(default_factory=Counter)
    fallbacks: int = 0


def tracker_exists(url: str) -> bool:
    """Whether the tracker store is there to be read (a SQLite file is never created here)."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    return inspect(get_engine(url)).has_table("events")


def _between(period: Period):
    return and_(EVENTS.c.timestamp >= period.since.timestamp(),
                EVENTS.c.timestamp < period.until.timestamp())


def read_activity(url: str, period: Period) -> Activity:
    """Counts the range's conversations, messages, topics, cards and fallbacks (an absent
    tracker store counts nothing)."""
    activity = Activity()
    if not tracker_exists(url):
        return activity
    in_range = _between(period)
    with get_engine(url).connect() as conn:
        _count_messages(conn, in_range, activity)
        topics = conn.execute(
            select(EVENTS.c.intent_name, func.count())
            .where(EVENTS.c.type_name == "user", in_range, EVENTS.c.intent_name.is_not(None),
                   EVENTS.c.data.not_like(_SLASH_PAYLOAD))
            .group_by(EVENTS.c.intent_name)
        ).all()
        activity.topics.update({name: int(n) for name, n in topics})
        described = conn.execute(
            select(EVENTS.c.data)
            .where(EVENTS.c.type_name == "bot", in_range, EVENTS.c.data.like(_DESCRIBED))
        ).scalars()
        for data in described:
            _count_answer(data, activity)
    return activity


def _count_messages(conn, in_range, activity: Activity) -> None:
    """One pass over the user messages (two short columns, streamed)."""
    seen_days: set[tuple[dt.date, str, str]] = set()
    senders: set[str] = set()
    rows = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(
        select(EVENTS.c.sender_id, EVENTS.c.timestamp)
        .where(EVENTS.c.type_name == "user", in_range)
    )
    for sender, timestamp in rows:
        key = (local_date(timestamp), channel_of(sender))
        activity.messages[key] = activity.messages.get(key, 0) + 1
        if (*key, sender) not in seen_days:
            seen_days.add((*key, sender))
            activity.conversations[key] = activity.conversations.get(key, 0) + 1
        senders.add(sender)
    activity.total_conversations = len(senders)


def _count_answer(data: str | None, activity: Activity) -> None:
    try:
        custom = (json.loads(data or "{}").get("data") or {}).get("custom")
    except (ValueError, AttributeError):
        return
    if not isinstance(custom, dict):
        return
    if custom.get("kind") in ANSWER_KINDS and custom.get("source"):
        activity.cards[str(custom["source"])] += 1
    elif custom.get("kind") == FALLBACK_KIND:
        activity.fallbacks += 1
