"""Knowledge gaps: questions answered with the honest fallback, for staff to fill.

Questions are stored with ID and phone numbers masked; repeats are grouped by their
normalised (accent-folded) form when listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import session_scope
from curation.models import KnowledgeGap
from vntext import mask_pii, matching_key

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class GapSummary:
    """One open question as staff see it: how often, when last, an example wording."""

    normalized: str
    example: str
    count: int
    last_asked: dt.datetime
    best_unit: str | None


def gap_key(question: str) -> str:
    """Grouping key: masked, normalised, accent-folded, at most 500 characters."""
    return matching_key(mask_pii(question))[:500]


def _clip(value: str | None, length: int) -> str | None:
    return value.replace("\x00", "")[:length] if value is not None else None


def record_gap(
    url: str,
    question: str,
    *,
    intent: str | None = None,
    channel: str | None = None,
    best_unit: str | None = None,
    best_coverage: float | None = None,
    best_similarity: float | None = None,
) -> int:
    """Stores an unanswered question (PII masked); returns its row id.

    NUL characters are dropped and the short columns cut to their declared length
    (PostgreSQL refuses both; SQLite would store them as given).
    """
    question = question.replace("\x00", "")
    masked = mask_pii(question.strip())[:MAX_QUESTION_CHARS]
    with session_scope(url) as session:
        gap = KnowledgeGap(
            question=masked,
            normalized=gap_key(question),
            intent=_clip(intent, 100),
            channel=_clip(channel, 50),
            best_unit=_clip(best_unit, 200),
            best_coverage=best_coverage,
            best_similarity=best_similarity,
        )
        session.add(gap)
        session.flush()
        return gap.id


def list_gaps(
    url: str, *, since: dt.datetime | None = None, until: dt.datetime | None = None,
    normalized: str | None = None, limit: int = 50, status: str = "open",
) -> list[GapSummary]:
    """Open questions grouped by wording, most asked first, then most recent; asked from
    ``since`` and before ``until``, or only the group with the key ``normalized``."""
    with session_scope(url) as session:
        count = func.count(KnowledgeGap.id)
        last = func.max(KnowledgeGap.asked_at)
        query = (
            select(
                KnowledgeGap.normalized,
                func.min(KnowledgeGap.question),
                count,
                last,
                func.max(KnowledgeGap.best_unit),
            )
            .where(KnowledgeGap.status == status)
            .group_by(KnowledgeGap.normalized)
            .order_by(count.desc(), last.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(KnowledgeGap.asked_at >= since)
        if until is not None:
            query = query.where(KnowledgeGap.asked_at < until)
        if normalized is not None:
            query = query.where(KnowledgeGap.normalized == normalized)
        rows = session.execute(query).all()
    return [GapSummary(n, q, c, last_at, unit) for n, q, c, last_at, unit in rows]


def close_gaps(url: str, normalized: str) -> int:
    """Marks every open gap with this grouping key as answered; returns how many."""
    with session_scope(url) as session:
        return close_gaps_in(session, normalized)


def close_gaps_in(session: Session, normalized: str) -> int:
    """``close_gaps`` within a caller's transaction (a draft published and the question it
    came from closed are one change: no reader sees one without the other)."""
    gaps = session.scalars(
        select(KnowledgeGap).where(
            KnowledgeGap.normalized == normalized, KnowledgeGap.status == "open"
        )
    ).all()
    for gap in gaps:
        gap.status = "closed"
    return len(gaps)
