"""The queue of conversations waiting for staff: ask, take, talk, hand back or close, expire.

One open handoff per conversation (asking again returns the open one). Messages are stored
with ID and phone numbers masked, like everything else the assistant keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update

from core.db import session_scope
from handoff.models import END_STATES, OPEN_STATES, Handoff, HandoffMessage
from vntext import mask_pii

# a typed message is at most 2,000 characters (the gateway refuses more); a knowledge card
# staff send whole is up to about 2,300
MAX_TEXT = 4000


class HandoffError(RuntimeError):
    """The handoff is not in a state that allows this (taken by someone else, ended)."""


@dataclass(frozen=True)
class HandoffView:
    """A handoff as callers see it (no open session needed)."""

    id: int
    sender_id: str
    channel: str
    status: str
    topic: str | None
    requested_at: dt.datetime
    taken_by: str | None
    taken_at: dt.datetime | None
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class MessageView:
    id: int
    at: dt.datetime
    author: str
    staff: str | None
    text: str


def _view(row: Handoff) -> HandoffView:
    return HandoffView(row.id, row.sender_id, row.channel, row.status, row.topic,
                       row.requested_at, row.taken_by, row.taken_at, row.ended_at)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _clean(text: str) -> str:
    return mask_pii(text.replace("\x00", "").strip())[:MAX_TEXT]


def request_handoff(
    url: str,
    sender_id: str,
    channel: str,
    *,
    topic: str | None = None,
    last_turns: Sequence[tuple[str, str]] = (),
) -> tuple[HandoffView, bool]:
    """Puts the conversation in the queue with its last turns ((author, text) pairs); returns
    the handoff and whether it is new (an open one is returned as it is)."""
    with session_scope(url) as session:
        open_one = session.scalar(select(Handoff).where(
            Handoff.sender_id == sender_id[:80], Handoff.status.in_(OPEN_STATES)))
        if open_one is not None:
            return _view(open_one), False
        row = Handoff(sender_id=sender_id[:80], channel=channel[:20], status="waiting",
                      topic=(topic or None) and topic[:200], requested_at=_now())
        session.add(row)
        session.flush()
        for author, text in last_turns:
            if text.strip():
                session.add(HandoffMessage(handoff_id=row.id, author=author, text=_clean(text),
                                           at=_now()))
        return _view(row), True


def open_handoff(url: str, sender_id: str) -> HandoffView | None:
    """The conversation's open handoff (waiting or held), if any."""
    with session_scope(url) as session:
        row = session.scalar(select(Handoff).where(
            Handoff.sender_id == sender_id[:80], Handoff.status.in_(OPEN_STATES)))
        return _view(row) if row is not None else None


def queue_position(url: str, handoff_id: int) -> int:
    """1 for the first waiting conversation; 0 when this one is not waiting."""
    with session_scope(url) as session:
        row = session.get(Handoff, handoff_id)
        if row is None or row.status != "waiting":
            return 0
        ahead = session.scalar(select(func.count()).select_from(Handoff).where(
            Handoff.status == "waiting", Handoff.requested_at < row.requested_at))
        return int(ahead or 0) + 1


def waiting_and_held(url: str) -> list[HandoffView]:
    """The live queue: waiting ones first, oldest first, then those held."""
    with session_scope(url) as session:
        rows = session.scalars(select(Handoff).where(Handoff.status.in_(OPEN_STATES))
                               .order_by(Handoff.status.desc(), Handoff.requested_at)).all()
        return [_view(r) for r in rows]


def get_handoff(url: str, handoff_id: int) -> HandoffView | None:
    """One handoff, whatever its state."""
    with session_scope(url) as session:
        row = session.get(Handoff, handoff_id)
        return _view(row) if row is not None else None


def _open_for(session, handoff_id: int, staff: str) -> Handoff:
    """The open handoff, locked, that ``staff`` may act on (waiting, or held by them)."""
    row = session.get(Handoff, handoff_id, with_for_update=True)
    if row is None or row.status in END_STATES:
        raise HandoffError("this conversation is no longer open")
    if row.status == "held" and row.taken_by != staff:
        raise HandoffError(f"held by {row.taken_by}")
    return row


def _update_open_for(session, handoff_id: int, staff: str, **values: object) -> Handoff:
    """Sets ``values`` on the handoff if it is open to ``staff`` (waiting, or held by them),
    in one conditional UPDATE — SQLite ignores SELECT … FOR UPDATE, so the UPDATE's condition
    decides between staff acting at the same moment; raises ``HandoffError`` with the reason
    otherwise. Returns the row as written."""
    changed = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id,
               or_(Handoff.status == "waiting",
                   and_(Handoff.status == "held", Handoff.taken_by == staff)))
        .values(**values)
    ).rowcount
    if not changed:
        _open_for(session, handoff_id, staff)  # raises with the reason
        raise HandoffError("this conversation is no longer open")
    row = session.get(Handoff, handoff_id)
    session.refresh(row)
    return row


def take(url: str, handoff_id: int, staff: str) -> HandoffView:
    """``staff`` holds the conversation from now on (a waiting one, or one they hold).

    One conditional UPDATE decides, so of two staff members taking it at the same moment
    exactly one gets it, on SQLite (which ignores SELECT … FOR UPDATE) as on PostgreSQL.
    """
    staff = staff[:64]
    with session_scope(url) as session:
        return _view(_update_open_for(session, handoff_id, staff, status="held",
                                      taken_by=staff,
                                      taken_at=func.coalesce(Handoff.taken_at, _now())))


def add_message(url: str, handoff_id: int, author: str, text: str,
                staff: str | None = None) -> MessageView:
    """Stores one message of an open handoff; a staff message only from its holder."""
    if author not in ("citizen", "staff", "assistant"):
        raise ValueError(f"unknown author {author!r}")
    with session_scope(url) as session:
        row = session.get(Handoff, handoff_id)
        if row is None or row.status in END_STATES:
            raise HandoffError("this conversation is no longer open")
        if author == "staff" and (row.status != "held" or row.taken_by != staff):
            raise HandoffError("only the staff member holding the conversation may reply")
        message = HandoffMessage(handoff_id=handoff_id, author=author, text=_clean(text),
                                 staff=staff, at=_now())
        session.add(message)
        session.flush()
        return MessageView(message.id, message.at, message.author, message.staff, message.text)


def messages(url: str, handoff_id: int, *, after: int = 0) -> list[MessageView]:
    """The handoff's messages with an id above ``after``, oldest first."""
    with session_scope(url) as session:
        rows = session.scalars(select(HandoffMessage).where(
            HandoffMessage.handoff_id == handoff_id, HandoffMessage.id > after)
            .order_by(HandoffMessage.id)).all()
        return [MessageView(m.id, m.at, m.author, m.staff, m.text) for m in rows]


def end(url: str, handoff_id: int, staff: str, status: str) -> HandoffView:
    """The holder hands the conversation back to the assistant ("returned") or closes it."""
    if status not in ("returned", "closed"):
        raise ValueError("status must be 'returned' or 'closed'")
    staff = staff[:64]
    with session_scope(url) as session:
        # conditional, as in ``take``: a colleague taking a waiting conversation at the same
        # moment is not overwritten
        return _view(_update_open_for(session, handoff_id, staff, status=status,
                                      ended_at=_now(),
                                      taken_by=func.coalesce(Handoff.taken_by, staff)))


def expire_waiting(url: str, older_than: dt.timedelta, now: dt.datetime | None = None,
                   farewell: str | None = None) -> list[HandoffView]:
    """Ends the handoffs nobody took within ``older_than``, leaving ``farewell`` as the
    assistant's last message in each (the caller delivers it); returns them."""
    moment = now or _now()
    with session_scope(url) as session:
        expired = []
        for handoff_id in _waiting_before(session, moment - older_than):
            # still waiting: one taken since the query above stays with its staff member
            if not session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.status == "waiting")
                .values(status="expired", ended_at=moment)
            ).rowcount:
                continue
            if farewell:
                session.add(HandoffMessage(handoff_id=handoff_id, author="assistant",
                                           text=farewell, at=moment))
            expired.append(handoff_id)
        rows = [session.get(Handoff, i) for i in expired]
        for row in rows:
            session.refresh(row)
        return [_view(r) for r in rows]


def _waiting_before(session, cutoff: dt.datetime) -> list[int]:
    """Ids of the handoffs waiting since before ``cutoff``."""
    return list(session.scalars(select(Handoff.id).where(
        Handoff.status == "waiting", Handoff.requested_at < cutoff)))


def latest_handoff(url: str, sender_id: str) -> HandoffView | None:
    """The conversation's most recent handoff, open or ended."""
    with session_scope(url) as session:
        row = session.scalar(select(Handoff).where(Handoff.sender_id == sender_id[:80])
                             .order_by(Handoff.id.desc()).limit(1))
        return _view(row) if row is not None else None
