"""Daily counts of what retention is about to purge, kept in ``analytics_daily_counts``:
per local day and channel, the conversations and messages, the intents of typed messages, the
answers by source, the fallbacks; ratings by source, unanswered questions and handoffs by
outcome. One pass over each kind of record older than the cutoff (a local midnight, so every
archived day is whole and no day is both archived and live)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from sqlalchemy import select

from analytics.conversations import (
    ANSWER_KINDS,
    EVENTS,
    FALLBACK_KIND,
    STREAM_ROWS,
    channel_of,
    tracker_exists,
)
from analytics.models import DailyCount
from analytics.period import local_date
from core.db import get_engine, session_scope
from curation.models import KnowledgeGap
from feedback.models import AnswerRating
from handoff.models import Handoff

Key = tuple[dt.date, str, str, str]  # day, channel, measure, key


def _conversation_counts(tracker_url: str, cutoff: dt.datetime, counts: Counter[Key]) -> None:
    if not tracker_url or not tracker_exists(tracker_url):
        return
    seen: set[tuple[dt.date, str]] = set()
    query = (select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp,
                    EVENTS.c.intent_name, EVENTS.c.data)
             .where(EVENTS.c.type_name.in_(("user", "bot")),
                    EVENTS.c.timestamp < cutoff.timestamp()))
    with get_engine(tracker_url).connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(query)
        for sender, kind, timestamp, intent, data in rows:
            day, channel = local_date(timestamp or 0), channel_of(sender)
            try:
                body = json.loads(data or "{}")
            except ValueError:
                body = {}
            if kind == "user":
                counts[(day, channel, "messages", "")] += 1
                if (day, sender) not in seen:
                    seen.add((day, sender))
                    counts[(day, channel, "conversations", "")] += 1
                if intent and not str(body.get("text") or "").startswith("/"):
                    counts[(day, channel, "topic", intent[:200])] += 1
                continue
            custom = (body.get("data") or {}).get("custom") if isinstance(body, dict) else None
            if not isinstance(custom, dict):
                continue
            if custom.get("kind") in ANSWER_KINDS and custom.get("source"):
                counts[(day, channel, "card", str(custom["source"])[:200])] += 1
            elif custom.get("kind") == FALLBACK_KIND:
                counts[(day, channel, "fallbacks", "")] += 1


def _record_counts(url: str, cutoff: dt.datetime, counts: Counter[Key]) -> None:
    with session_scope(url) as session:
        for rated_at, channel, source, rating in session.execute(
                select(AnswerRating.rated_at, AnswerRating.channel, AnswerRating.source,
                       AnswerRating.rating).where(AnswerRating.rated_at < cutoff)):
            counts[(local_date(rated_at), channel[:20], f"rated_{rating}"[:20], source)] += 1
        for asked_at, channel in session.execute(
                select(KnowledgeGap.asked_at, KnowledgeGap.channel)
                .where(KnowledgeGap.asked_at < cutoff)):
            counts[(local_date(asked_at), (channel or "other")[:20], "unanswered", "")] += 1
        for requested_at, channel, status in session.execute(
                select(Handoff.requested_at, Handoff.channel, Handoff.status)
                .where(Handoff.requested_at < cutoff)):
            counts[(local_date(requested_at), channel[:20], "handoffs", status)] += 1


def archive_before(url: str, tracker_url: str, cutoff: dt.datetime, *,
                   dry_run: bool = False) -> int:
    """Adds the counts of everything older than ``cutoff``; returns how many days they span."""
    counts: Counter[Key] = Counter()
    _conversation_counts(tracker_url, cutoff, counts)
    _record_counts(url, cutoff, counts)
    if not dry_run:
        with session_scope(url) as session:
            for (day, channel, measure, key), value in counts.items():
                row = session.get(DailyCount, (day, channel, measure, key))
                if row is None:
                    session.add(DailyCount(day=day, channel=channel, measure=measure, key=key,
                                           value=value))
                else:
                    row.value += value
    return len({day for day, *_ in counts})


def archived_counts(url: str, start: dt.date, end: dt.date) -> list[DailyCount]:
    """The kept counts of the days from ``start`` to ``end`` (inclusive)."""
    with session_scope(url) as session:
        rows = session.scalars(select(DailyCount).where(
            DailyCount.day >= start, DailyCount.day <= end)).all()
        session.expunge_all()
        return list(rows)
