"""Questions the assistant could not answer (the knowledge gaps curation keeps), asked within a
range of dates and still open, grouped by wording as staff see them in ``curation``.

``curation.gaps.list_gaps`` has a lower bound only; a report of past dates needs the upper
one too, so the same grouping is read here with both bounds."""

from __future__ import annotations

from sqlalchemy import func, select

from analytics.period import Period
from core.db import session_scope
from curation.gaps import GapSummary
from curation.models import KnowledgeGap
from vntext import mask_pii


def unanswered_questions(url: str, period: Period, *, limit: int = 50) -> list[GapSummary]:
    """Most asked first, then most recent; each with a masked example wording."""
    with session_scope(url) as session:
        count = func.count(KnowledgeGap.id)
        last = func.max(KnowledgeGap.asked_at)
        rows = session.execute(
            select(KnowledgeGap.normalized, func.min(KnowledgeGap.question), count, last,
                   func.max(KnowledgeGap.best_unit))
            .where(KnowledgeGap.status == "open", KnowledgeGap.asked_at >= period.since,
                   KnowledgeGap.asked_at < period.until)
            .group_by(KnowledgeGap.normalized)
            .order_by(count.desc(), last.desc())
            .limit(limit)
        ).all()
    # stored masked; masked again on the way out in case a row predates the masking
    return [GapSummary(n, mask_pii(q), int(c), at, unit) for n, q, c, at, unit in rows]
