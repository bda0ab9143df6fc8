"""Retention: records of conversations older than the retention period (default 180 days) are
deleted — what Rasa stored, ratings, unanswered questions, handed-over conversations that
ended, notice records — after their days were summed into the analytics' daily counts, which
are kept (numbers only: no text, no conversation id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import and_, delete, select, text

from analytics.archive import archive_before
from analytics.conversations import EVENTS, tracker_exists
from analytics.period import local_time
from core.db import get_engine, session_scope
from curation.models import KnowledgeGap
from feedback.models import AnswerRating
from handoff.models import END_STATES, Handoff, HandoffMessage
from privacy.models import DeletionRequest, NoticeShown


@dataclass(frozen=True)
class Purged:
    """How many records were deleted, by kind, and how many day counts were kept."""

    events: int
    ratings: int
    gaps: int
    handoffs: int
    handoff_messages: int
    notices: int
    days_archived: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def cutoff_for(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The local midnight ``days`` days ago (whole days are purged and archived)."""
    if days < 1:
        raise ValueError("the retention period is at least one day")
    moment = local_time(now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(
        dt.timezone.utc)


# PostgreSQL advisory lock key held while purging: two gateways purging at once would both
# count the same old records into the kept daily counts
PURGE_LOCK_KEY = 602026


@contextmanager
def purge_lock(url: str) -> Iterator[bool]:
    """True when this process may purge now (always on SQLite: one gateway per file)."""
    engine = get_engine(url)
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                           {"key": PURGE_LOCK_KEY}).scalar_one()
        try:
            yield bool(got)
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PURGE_LOCK_KEY})


def purge(url: str, tracker_url: str, cutoff: dt.datetime, *, dry_run: bool = False) -> Purged:
    """Deletes what is older than ``cutoff`` (counts kept first); ``dry_run`` only counts.
    The caller holds ``purge_lock`` when other processes may purge the same databases."""
    days = archive_before(url, tracker_url, cutoff, dry_run=dry_run)
    events = 0
    if tracker_url and tracker_exists(tracker_url):
        old = EVENTS.c.timestamp < cutoff.timestamp()
        with get_engine(tracker_url).begin() as conn:
            if dry_run:
                events = len(conn.execute(select(EVENTS.c.id).where(old)).all())
            else:
                events = conn.execute(delete(EVENTS).where(old)).rowcount
    with session_scope(url) as session:
        ended_old = and_(Handoff.status.in_(END_STATES), Handoff.requested_at < cutoff)
        handoff_ids = list(session.scalars(select(Handoff.id).where(ended_old)))
        counts = {
            "ratings": (AnswerRating, AnswerRating.rated_at < cutoff),
            "gaps": (KnowledgeGap, KnowledgeGap.asked_at < cutoff),
            "handoff_messages": (HandoffMessage, HandoffMessage.handoff_id.in_(handoff_ids)),
            "handoffs": (Handoff, Handoff.id.in_(handoff_ids)),
            "notices": (NoticeShown, NoticeShown.shown_at < cutoff),
            "requests": (DeletionRequest, DeletionRequest.asked_at < cutoff),
        }
        removed = {}
        for name, (model, condition) in counts.items():
            if dry_run:
                removed[name] = len(session.scalars(select(model).where(condition)).all())
            else:
                removed[name] = session.execute(delete(model).where(condition)).rowcount
        if dry_run:
            session.rollback()
    return Purged(events, removed["ratings"], removed["gaps"], removed["handoffs"],
                  removed["handoff_messages"], removed["notices"], days)
