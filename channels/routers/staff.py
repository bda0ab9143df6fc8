"""/api/staff: the handoff queue for one-stop staff — list, take, read, reply, hand back, close.

Every action is audited. Only the staff member holding a conversation reads its transcript,
replies, hands it back or closes it; handing back or closing resumes the assistant in Rasa
(the conversation was paused there when the citizen asked for a person).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from channels.auth import CurrentUser, Identity
from channels.dependencies import RasaDep, SettingsDep, audit_request
from channels.errors import error_response
from channels.handoffs import Pushers, deliver
from channels.rasa_client import RESUME
from channels.schemas import (
    ErrorResponse,
    HandoffItem,
    HandoffMessageOut,
    HandoffQueue,
    HandoffTranscript,
    StaffCard,
    StaffReply,
)
from core.config import Settings
from core.db.base import as_utc
from curation.card_text import card_message, find_card_text
from handoff import queue, texts
from handoff.models import OPEN_STATES
from handoff.queue import HandoffError, HandoffView

router = APIRouter(prefix="/api/staff", tags=["staff"])
STAFF_ROLES = ("one_stop_staff", "admin")
ERRORS = {401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
          404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}}


class NotStaff(Exception):
    """A logged-in account whose role does not take handoffs (an official)."""


def staff_identity(identity: CurrentUser) -> Identity:
    if identity.role not in STAFF_ROLES:
        raise NotStaff
    return identity


StaffUser = Annotated[Identity, Depends(staff_identity)]


async def _not_staff(request: Request, exc: NotStaff) -> JSONResponse:
    return error_response(request, 403, "forbidden",
                          "Chức năng này dành cho cán bộ một cửa.", "Staff only.")


async def _audit(request: Request, settings: Settings, staff: Identity, action: str,
                 handoff_id: int) -> None:
    """The staff action in the audit log, written off the event loop."""
    await asyncio.to_thread(audit_request, request, settings, actor=staff.username,
                            role=staff.role, action=action, detail={"handoff": handoff_id})


def _conflict(request: Request, exc: HandoffError) -> JSONResponse:
    return error_response(request, 409, "handoff_conflict",
                          "Cuộc trò chuyện này đang do cán bộ khác phụ trách hoặc đã kết thúc.",
                          str(exc))


def pushers(request: Request) -> Pushers:
    """Who pushes a message to a Zalo (Bot or OA) citizen, for the channels that run."""
    return getattr(request.app.state, "pushers", {})


def _item(view: HandoffView, position: int, now: dt.datetime) -> HandoffItem:
    requested = as_utc(view.requested_at)
    return HandoffItem(id=view.id, channel=view.channel, status=view.status, topic=view.topic,
                       waiting_seconds=max(0, int((now - requested).total_seconds())),
                       position=position, taken_by=view.taken_by)


@router.get("/handoffs", response_model=HandoffQueue, responses=ERRORS)
async def list_queue(staff: StaffUser, settings: SettingsDep) -> HandoffQueue:
    """The live queue: waiting conversations (oldest first) and those held."""
    views = await asyncio.to_thread(queue.waiting_and_held, settings.database.url)
    now = dt.datetime.now(dt.timezone.utc)
    # waiting ones come first, oldest first: their place is their position in the list
    items = [_item(v, place if v.status == "waiting" else 0, now)
             for place, v in enumerate(views, 1)]
    return HandoffQueue(items=items)


@router.post("/handoffs/{handoff_id}/take", response_model=HandoffTranscript, responses=ERRORS)
async def take(handoff_id: int, request: Request, staff: StaffUser,
               settings: SettingsDep) -> HandoffTranscript | JSONResponse:
    try:
        await asyncio.to_thread(queue.take, settings.database.url, handoff_id, staff.username)
    except HandoffError as exc:
        return _conflict(request, exc)
    await _audit(request, settings, staff, "handoff.take", handoff_id)
    return await _transcript(request, staff, settings, handoff_id, audit=False)


@router.get("/handoffs/{handoff_id}/messages", response_model=HandoffTranscript,
            responses=ERRORS)
async def transcript(handoff_id: int, request: Request, staff: StaffUser,
                     settings: SettingsDep) -> HandoffTranscript | JSONResponse:
    """The conversation's messages, for the staff member holding it (every view audited)."""
    return await _transcript(request, staff, settings, handoff_id, audit=True)


async def _transcript(request: Request, staff: Identity, settings: Settings, handoff_id: int,
                      *, audit: bool) -> HandoffTranscript | JSONResponse:
    url = settings.database.url
    view = await asyncio.to_thread(queue.get_handoff, url, handoff_id)
    if view is None or view.status != "held" or view.taken_by != staff.username:
        return error_response(request, 404, "not_held",
                              "Anh/chị chưa nhận cuộc trò chuyện này.", "Not held by you.")
    if audit:
        await _audit(request, settings, staff, "handoff.view", handoff_id)
    rows = await asyncio.to_thread(queue.messages, url, handoff_id)
    return HandoffTranscript(
        id=view.id, status=view.status, taken_by=view.taken_by,
        messages=[HandoffMessageOut(id=m.id, at=m.at.isoformat(), author=m.author,
                                    staff=m.staff, text=m.text) for m in rows],
    )


@router.post("/handoffs/{handoff_id}/reply", response_model=HandoffMessageOut,
             responses=ERRORS)
async def reply(handoff_id: int, body: StaffReply, request: Request, staff: StaffUser,
                settings: SettingsDep) -> HandoffMessageOut | JSONResponse:
    return await _send(handoff_id, body.text, "handoff.reply", request, staff, settings)


async def _send(handoff_id: int, text: str, action: str, request: Request, staff: Identity,
                settings: Settings) -> HandoffMessageOut | JSONResponse:
    """Stores a staff message of a held conversation, audits it, delivers it."""
    try:
        message = await asyncio.to_thread(queue.add_message, settings.database.url, handoff_id,
                                          "staff", text, staff.username)
    except HandoffError as exc:
        return _conflict(request, exc)
    await _audit(request, settings, staff, action, handoff_id)
    view = await asyncio.to_thread(queue.get_handoff, settings.database.url, handoff_id)
    if view is not None:
        await deliver(view, message.text, pushers(request))
    return HandoffMessageOut(id=message.id, at=message.at.isoformat(), author="staff",
                             staff=message.staff, text=message.text)


@router.post("/handoffs/{handoff_id}/card", response_model=HandoffMessageOut,
             responses=ERRORS)
async def send_card(handoff_id: int, body: StaffCard, request: Request, staff: StaffUser,
                    settings: SettingsDep) -> HandoffMessageOut | JSONResponse:
    """Sends a knowledge card (its title, answer and sources) to the citizen as a reply."""
    card_id = body.card.strip().removeprefix("card:")
    folders = [settings.knowledge.published_cards_dir, settings.knowledge.cards_dir]
    text = await asyncio.to_thread(find_card_text, card_id, folders)
    message_text = card_message(text) if text is not None else None
    if message_text is None:
        return error_response(request, 404, "card_not_found",
                              f"Không tìm thấy thẻ kiến thức mã {card_id}.", "Card not found.")
    return await _send(handoff_id, message_text, "handoff.card", request, staff, settings)


async def _end(handoff_id: int, status: str, request: Request, staff: Identity,
               settings: Settings, rasa) -> HandoffTranscript | JSONResponse:
    url = settings.database.url
    held = await asyncio.to_thread(queue.get_handoff, url, handoff_id)
    if held is None or held.status not in OPEN_STATES or held.taken_by not in (
            None, staff.username):
        return _conflict(request, HandoffError("not open or held by someone else"))
    # Rasa first: if it cannot be resumed nothing changes (503) and staff can try again,
    # rather than a handoff marked ended in a conversation Rasa keeps paused
    await rasa.append_events(held.sender_id, RESUME)
    farewell = texts.RETURNED if status == "returned" else texts.CLOSED
    try:
        await asyncio.to_thread(queue.add_message, url, handoff_id, "assistant", farewell)
        view = await asyncio.to_thread(queue.end, url, handoff_id, staff.username, status)
    except HandoffError as exc:
        return _conflict(request, exc)
    await deliver(view, farewell, pushers(request))
    await _audit(request, settings, staff, f"handoff.{status}", handoff_id)
    return HandoffTranscript(id=view.id, status=view.status, taken_by=view.taken_by,
                             messages=[])


@router.post("/handoffs/{handoff_id}/hand-back", response_model=HandoffTranscript,
             responses=ERRORS)
async def hand_back(handoff_id: int, request: Request, staff: StaffUser, settings: SettingsDep,
                    rasa: RasaDep) -> HandoffTranscript | JSONResponse:
    """The assistant answers the citizen again."""
    return await _end(handoff_id, "returned", request, staff, settings, rasa)


@router.post("/handoffs/{handoff_id}/close", response_model=HandoffTranscript,
             responses=ERRORS)
async def close(handoff_id: int, request: Request, staff: StaffUser, settings: SettingsDep,
                rasa: RasaDep) -> HandoffTranscript | JSONResponse:
    """The matter is settled; the assistant answers the citizen's next question."""
    return await _end(handoff_id, "closed", request, staff, settings, rasa)


def install_staff_handlers(app) -> None:
    app.add_exception_handler(NotStaff, _not_staff)
