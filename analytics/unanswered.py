"""Questions the assistant could not answer (the knowledge gaps curation keeps), asked within a
range of dates and still open, grouped by wording as staff see them in ``curation``."""

from __future__ import annotations

from dataclasses import replace

from analytics.period import Period
from curation.gaps import GapSummary, list_gaps
from vntext import mask_pii


def unanswered_questions(url: str, period: Period, *, limit: int = 50) -> list[GapSummary]:
    """Most asked first, then most recent; each with a masked example wording."""
    gaps = list_gaps(url, since=period.since, until=period.until, limit=limit)
    # stored masked; masked again on the way out in case a row predates the masking
    return [replace(gap, example=mask_pii(gap.example)) for gap in gaps]
