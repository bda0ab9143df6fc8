"""Card drafts: written by staff, published by an admin.

A draft is editable while it is a draft (or after a failed publication); publishing moves it to
"publishing" in one conditional update, so two admins cannot publish it twice, and then to
"published" (the questions it came from are closed) or back to "failed" with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from core.db import session_scope
from core.db.base import utc_now
from curation.card_text import CardCheck
from curation.gaps import close_gaps_in
from curation.models import CardDraft

ORIGIN_KINDS = ("gap", "wrong", "new")
EDITABLE = ("draft", "failed")


class DraftError(Exception):
    """A draft that cannot be changed or published now, with the reason for staff."""


@dataclass(frozen=True)
class DraftView:
    id: int
    card_id: str
    title: str
    text: str
    origin_kind: str
    origin: str | None
    status: str
    author: str
    updated_at: dt.datetime
    published_by: str | None
    published_at: dt.datetime | None
    problem: str | None


def _view(row: CardDraft) -> DraftView:
    return DraftView(row.id, row.card_id, row.title, row.text, row.origin_kind, row.origin,
                     row.status, row.author, row.updated_at, row.published_by, row.published_at,
                     row.problem)


def create_draft(url: str, check: CardCheck, text: str, *, author: str, origin_kind: str,
                 origin: str | None) -> DraftView:
    if origin_kind not in ORIGIN_KINDS:
        raise ValueError(f"unknown origin {origin_kind!r}")
    with session_scope(url) as session:
        row = CardDraft(card_id=check.card_id[:100], title=check.title[:300], text=text,
                        origin_kind=origin_kind, origin=(origin or None) and origin[:500],
                        status="draft", author=author)
        session.add(row)
        session.flush()
        return _view(row)


def get_draft(url: str, draft_id: int) -> DraftView | None:
    with session_scope(url) as session:
        row = session.get(CardDraft, draft_id)
        return _view(row) if row is not None else None


def list_drafts(url: str, *, limit: int = 100) -> list[DraftView]:
    """Newest first."""
    with session_scope(url) as session:
        rows = session.scalars(
            select(CardDraft).order_by(CardDraft.updated_at.desc(), CardDraft.id.desc())
            .limit(limit)
        ).all()
        return [_view(row) for row in rows]


def update_draft(url: str, draft_id: int, check: CardCheck, text: str) -> DraftView:
    with session_scope(url) as session:
        row = session.get(CardDraft, draft_id)
        if row is None:
            raise DraftError("Không tìm thấy bản thảo.")
        if row.status not in EDITABLE:
            raise DraftError("Bản thảo đang hoặc đã được đăng, không sửa được nữa.")
        row.text, row.card_id, row.title = text, check.card_id[:100], check.title[:300]
        row.updated_at = utc_now()
        return _view(row)


def begin_publishing(url: str, draft_id: int, admin: str) -> DraftView:
    """Claims the draft for publication (once, whoever asks at the same time)."""
    with session_scope(url) as session:
        claimed = session.execute(
            update(CardDraft)
            .where(CardDraft.id == draft_id, CardDraft.status.in_(EDITABLE))
            .values(status="publishing", published_by=admin, problem=None)
        ).rowcount
        row = session.get(CardDraft, draft_id)
        if row is None:
            raise DraftError("Không tìm thấy bản thảo.")
        if not claimed:
            raise DraftError("Bản thảo đang hoặc đã được đăng.")
        return _view(row)


def finish_publishing(url: str, draft_id: int, problem: str | None) -> DraftView:
    """Published (closing the unanswered question it came from), or failed with the reason."""
    with session_scope(url) as session:
        row = session.get(CardDraft, draft_id)
        if row is None:
            raise DraftError("Không tìm thấy bản thảo.")
        row.status = "failed" if problem else "published"
        row.problem = problem
        if not problem:
            row.published_at = utc_now()
        if not problem and row.origin_kind == "gap" and row.origin:
            close_gaps_in(session, row.origin)
        return _view(row)


def write_card_file(folder: Path, check: CardCheck, text: str) -> Path:
    """Writes the card under its topic, whole or not at all (a reader never sees half)."""
    target = folder / check.topic / f"{check.card_id}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    for other in folder.rglob(f"{check.card_id}.md"):  # its topic changed since last time
        if other != target:
            other.unlink()
    temporary = target.with_name(f".{target.name}.tmp")  # ingestion skips hidden files
    temporary.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    os.replace(temporary, target)
    return target
