"""Storing and summarising ratings: one per answer per conversation (a second rating of the
same answer replaces the first); questions and answers are stored masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select

from core.db import session_scope
from feedback.conversation import EXCERPT_CHARS, GivenAnswer
from feedback.models import RATINGS, REASONS, AnswerRating
from vntext import mask_pii, matching_key

# what the citizen is told after rating (widget and Zalo)
THANKS = {
    "helpful": "Cảm ơn anh/chị đã cho biết câu trả lời hữu ích.",
    "wrong": "Cảm ơn anh/chị đã góp ý. Cán bộ sẽ xem lại câu trả lời này để sửa cho đúng.",
}
# a chat reply that is a rating of the answer just given (Zalo has no buttons under answers)
_THUMBS = {"\U0001f44d": "helpful", "\U0001f44e": "wrong"}
_RATING_WORDS = {"huu ich": "helpful", "chua dung": "wrong"}


def rating_in_reply(text: str) -> str | None:
    """"helpful"/"wrong" when the whole message is 👍/👎 (any skin tone) or "hữu ích" /
    "chưa đúng"; None for anything else (it is a message for the assistant)."""
    stripped = "".join(ch for ch in text.strip() if not 0x1F3FB <= ord(ch) <= 0x1F3FF)
    stripped = stripped.replace("\ufe0f", "")
    if stripped and set(stripped) <= set(_THUMBS) and len(set(stripped)) == 1:
        return _THUMBS[stripped[0]]
    return _RATING_WORDS.get(matching_key(text, expand=False))


@dataclass(frozen=True)
class SourceRatings:
    """How one card or procedure was rated."""

    source: str
    helpful: int
    wrong: int
    last_rated: dt.datetime


def record_rating(
    url: str,
    *,
    sender_id: str,
    channel: str,
    answer: GivenAnswer,
    rating: str,
    reason: str | None = None,
) -> int:
    """Stores (or replaces) the rating of ``answer`` in conversation ``sender_id``."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}")
    if reason is not None and reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    with session_scope(url) as session:
        row = session.scalar(
            select(AnswerRating).where(
                AnswerRating.sender_id == sender_id[:80], AnswerRating.source == answer.source
            )
        ) or AnswerRating(sender_id=sender_id[:80], source=answer.source[:200])
        row.channel = channel[:20]
        row.kind = answer.kind[:20]
        row.rating = rating
        row.reason = reason if rating == "wrong" else None
        row.question = mask_pii(answer.question.replace("\x00", ""))[:2000]
        row.answer_excerpt = mask_pii(answer.text.replace("\x00", ""))[:EXCERPT_CHARS]
        row.rated_at = dt.datetime.now(dt.timezone.utc)
        session.add(row)
        session.flush()
        return row.id


def _rated_between(query, since: dt.datetime | None, until: dt.datetime | None):
    """``query`` limited to ratings given from ``since`` (included) to ``until`` (excluded)."""
    if since is not None:
        query = query.where(AnswerRating.rated_at >= since)
    if until is not None:
        query = query.where(AnswerRating.rated_at < until)
    return query


def ratings_by_source(
    url: str, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[SourceRatings]:
    """Cards and procedures by how often they were marked wrong, then rated at all."""
    with session_scope(url) as session:
        wrong = func.sum(case((AnswerRating.rating == "wrong", 1), else_=0))
        helpful = func.sum(case((AnswerRating.rating == "helpful", 1), else_=0))
        query = _rated_between(
            select(AnswerRating.source, helpful, wrong, func.max(AnswerRating.rated_at)),
            since, until)
        rows = session.execute(
            query.group_by(AnswerRating.source).order_by(wrong.desc(), func.count().desc())
        ).all()
    return [SourceRatings(s, int(h or 0), int(w or 0), at) for s, h, w, at in rows]


@dataclass(frozen=True)
class WrongAnswer:
    """One "Chưa đúng": what was asked, why it was wrong, what the answer began with."""

    rated_at: dt.datetime
    source: str
    reason: str | None
    question: str
    answer_excerpt: str
    channel: str


def wrong_answers(
    url: str,
    *,
    source: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
) -> list[WrongAnswer]:
    """The latest answers marked "Chưa đúng" (of one source, or all), newest first."""
    with session_scope(url) as session:
        query = _rated_between(
            select(AnswerRating).where(AnswerRating.rating == "wrong"), since, until)
        if source is not None:
            query = query.where(AnswerRating.source == source)
        rows = session.scalars(query.order_by(AnswerRating.rated_at.desc()).limit(limit)).all()
        return [WrongAnswer(r.rated_at, r.source, r.reason, r.question, r.answer_excerpt,
                            r.channel) for r in rows]


def wrong_reasons(
    url: str, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> dict[str, dict[str, int]]:
    """Why each source was marked "Chưa đúng": source → reason → how often (a rating without
    a reason counts under "")."""
    with session_scope(url) as session:
        rows = session.execute(_rated_between(
            select(AnswerRating.source, AnswerRating.reason, func.count())
            .where(AnswerRating.rating == "wrong")
            .group_by(AnswerRating.source, AnswerRating.reason), since, until)).all()
    found: dict[str, dict[str, int]] = {}
    for source, reason, count in rows:
        found.setdefault(source, {})[reason or ""] = int(count)
    return found
