"""Handoffs asked for in a range of dates: how each ended (or that it is still open) and how
long citizens waited until a staff member took the conversation."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from analytics.period import Period
from core.db import session_scope
from core.db.base import as_utc
from handoff.models import Handoff


@dataclass(frozen=True)
class HandoffStats:
    """Counts by state (waiting, held, returned, closed, expired) and waits of those taken."""

    by_status: dict[str, int]
    taken: int
    median_wait_seconds: int | None
    max_wait_seconds: int | None

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def handoff_stats(url: str, period: Period) -> HandoffStats:
    """The range's handoffs (by the time they were asked for)."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Handoff.status, Handoff.requested_at, Handoff.taken_at)
            .where(Handoff.requested_at >= period.since, Handoff.requested_at < period.until)
        ).all()
    by_status = Counter(status for status, _, _ in rows)
    waits = [max(0.0, (as_utc(taken) - as_utc(asked)).total_seconds())
             for _, asked, taken in rows if taken is not None]
    return HandoffStats(
        by_status=dict(by_status),
        taken=len(waits),
        median_wait_seconds=round(statistics.median(waits)) if waits else None,
        max_wait_seconds=round(max(waits)) if waits else None,
    )
