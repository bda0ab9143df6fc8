"""/api/curation: closing the gap loop from the console.

Staff (one-stop staff and admins) see the questions the assistant could not answer, start a
card from one of them or from a card citizens marked wrong, preview and save drafts; an admin
publishes a draft, which is written to the published cards folder and ingested in the
background (the draft's status says when it is live). Every change is audited.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from channels.auth import Identity
from channels.dependencies import SettingsDep, audit_request
from channels.errors import error_response
from channels.routers.staff import ERRORS, StaffUser
from channels.schemas import (
    CardPreview,
    DraftIn,
    DraftList,
    DraftOut,
    DraftStart,
    GapList,
    GapOut,
)
from core.config import Settings
from curation import drafts, gaps, publishing
from curation.card_text import CardCheck, check_card, find_card_text, starting_text, topics_in
from curation.drafts import DraftError, DraftView

router = APIRouter(prefix="/api/curation", tags=["curation"])
CARD_SOURCE_PREFIX = "card:"


class NotAdmin(Exception):
    """Publishing is an admin's decision."""


def admin_identity(identity: StaffUser) -> Identity:
    if identity.role != "admin":
        raise NotAdmin
    return identity


AdminUser = Annotated[Identity, Depends(admin_identity)]


async def _not_admin(request: Request, exc: NotAdmin) -> JSONResponse:
    return error_response(request, 403, "forbidden",
                          "Chỉ quản trị viên được đăng thẻ kiến thức.", "Admins only.")


def install_curation_handlers(app) -> None:
    app.add_exception_handler(NotAdmin, _not_admin)


async def _audit(request: Request, settings: Settings, who: Identity, action: str,
                 **detail: object) -> None:
    await asyncio.to_thread(audit_request, request, settings, actor=who.username,
                            role=who.role, action=action, detail=detail)


def _check(settings: Settings, text: str) -> CardCheck:
    return check_card(text, topics_in(settings.knowledge.cards_dir))


def _preview(check: CardCheck) -> CardPreview:
    return CardPreview(card_id=check.card_id, title=check.title, topic=check.topic,
                       questions=list(check.questions), body=check.body,
                       sources=[{"title": s.title, "url": s.url, "date": s.date}
                                for s in check.sources],
                       problems=list(check.problems))


def _out(view: DraftView, settings: Settings) -> DraftOut:
    return DraftOut(id=view.id, card_id=view.card_id, title=view.title, text=view.text,
                    origin_kind=view.origin_kind, origin=view.origin, status=view.status,
                    author=view.author, updated_at=view.updated_at.isoformat(),
                    published_by=view.published_by,
                    published_at=view.published_at.isoformat() if view.published_at else None,
                    problem=view.problem, preview=_preview(_check(settings, view.text)))


def _not_found(request: Request) -> JSONResponse:
    return error_response(request, 404, "not_found", "Không tìm thấy.", "Not found.")


def _refused(request: Request, exc: DraftError) -> JSONResponse:
    return error_response(request, 409, "draft_conflict", str(exc), "Draft not editable now.")


@router.get("/gaps", response_model=GapList, responses=ERRORS)
async def open_gaps(staff: StaffUser, settings: SettingsDep,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50) -> GapList:
    """Unanswered questions, grouped by wording, most asked first (numbers masked)."""
    rows = await asyncio.to_thread(gaps.list_gaps, settings.database.url, limit=limit)
    return GapList(items=[GapOut(key=g.normalized, example=g.example, count=g.count,
                                 last_asked=g.last_asked.isoformat()) for g in rows])


@router.get("/start", response_model=DraftStart, responses=ERRORS)
async def start(request: Request, staff: StaffUser, settings: SettingsDep,
                gap: str | None = None, card: str | None = None) -> DraftStart | JSONResponse:
    """The text a draft starts from: a template with the unanswered question, or the card to
    correct (`card` is an answer's source such as ``card:vneid-activate``, or a card id)."""
    if card:
        card_id = card.removeprefix(CARD_SOURCE_PREFIX)
        folders = [settings.knowledge.published_cards_dir, settings.knowledge.cards_dir]
        text = await asyncio.to_thread(find_card_text, card_id, folders)
        if text is None:
            return _not_found(request)
        return DraftStart(text=text, origin_kind="wrong", origin=card_id)
    today = dt.date.today()
    if gap:
        found = await asyncio.to_thread(gaps.list_gaps, settings.database.url,
                                        normalized=gap, limit=1)
        if not found:
            return _not_found(request)
        match = found[0]
        return DraftStart(text=starting_text(match.example, today), origin_kind="gap",
                          origin=gap)
    return DraftStart(text=starting_text("", today), origin_kind="new", origin=None)


@router.post("/preview", response_model=CardPreview, responses=ERRORS)
async def preview(body: DraftIn, staff: StaffUser, settings: SettingsDep) -> CardPreview:
    """How the card reads, and what must change before it can be published."""
    return _preview(_check(settings, body.text))


@router.get("/drafts", response_model=DraftList, responses=ERRORS)
async def list_drafts(staff: StaffUser, settings: SettingsDep) -> DraftList:
    rows = await asyncio.to_thread(drafts.list_drafts, settings.database.url)
    return DraftList(items=[_out(v, settings) for v in rows])


@router.post("/drafts", response_model=DraftOut, status_code=201, responses=ERRORS)
async def create(body: DraftIn, request: Request, staff: StaffUser,
                 settings: SettingsDep) -> DraftOut:
    """Saves a draft as it is (problems are shown, not refused: staff may finish it later)."""
    check = _check(settings, body.text)
    view = await asyncio.to_thread(
        drafts.create_draft, settings.database.url, check, body.text, author=staff.username,
        origin_kind=body.origin_kind, origin=body.origin)
    await _audit(request, settings, staff, "card.draft", draft=view.id, card=view.card_id)
    return _out(view, settings)


@router.get("/drafts/{draft_id}", response_model=DraftOut, responses=ERRORS)
async def read(draft_id: int, request: Request, staff: StaffUser,
               settings: SettingsDep) -> DraftOut | JSONResponse:
    view = await asyncio.to_thread(drafts.get_draft, settings.database.url, draft_id)
    return _out(view, settings) if view is not None else _not_found(request)


@router.put("/drafts/{draft_id}", response_model=DraftOut, responses=ERRORS)
async def edit(draft_id: int, body: DraftIn, request: Request, staff: StaffUser,
               settings: SettingsDep) -> DraftOut | JSONResponse:
    """The author, or an admin, changes a draft not yet published."""
    current = await asyncio.to_thread(drafts.get_draft, settings.database.url, draft_id)
    if current is None:
        return _not_found(request)
    if current.author != staff.username and staff.role != "admin":
        return error_response(request, 403, "forbidden",
                              "Chỉ người soạn hoặc quản trị viên được sửa bản thảo này.",
                              "Not your draft.")
    try:
        view = await asyncio.to_thread(drafts.update_draft, settings.database.url, draft_id,
                                       _check(settings, body.text), body.text)
    except DraftError as exc:
        return _refused(request, exc)
    await _audit(request, settings, staff, "card.edit", draft=draft_id, card=view.card_id)
    return _out(view, settings)


@router.post("/drafts/{draft_id}/publish", response_model=DraftOut, status_code=202,
             responses={**ERRORS, 422: {"model": ERRORS[409]["model"]}})
async def publish(draft_id: int, request: Request, admin: AdminUser,
                  settings: SettingsDep) -> DraftOut | JSONResponse:
    """Starts the publication; the draft reads "publishing" until the card is live."""
    url = settings.database.url
    current = await asyncio.to_thread(drafts.get_draft, url, draft_id)
    if current is None:
        return _not_found(request)
    check = _check(settings, current.text)
    if not check.ok:
        return error_response(request, 422, "card_invalid",
                              "Thẻ chưa đăng được: " + " ".join(check.problems),
                              "The card has problems.", fields=list(check.problems))
    if current.origin_kind != "wrong" and await asyncio.to_thread(
            find_card_text, check.card_id, [settings.knowledge.cards_dir]):
        return error_response(request, 409, "card_exists",
                              f"Đã có thẻ mã {check.card_id}; hãy đặt mã khác, hoặc soạn bản "
                              "sửa từ chính thẻ đó.", "A card with this id exists.")
    try:
        view = await asyncio.to_thread(drafts.begin_publishing, url, draft_id, admin.username)
    except DraftError as exc:
        return _refused(request, exc)
    await _audit(request, settings, admin, "card.publish", draft=draft_id, card=check.card_id)
    task = asyncio.create_task(publishing.publish(
        url, draft_id, check, current.text, settings.knowledge.published_cards_dir))
    request.app.state.publications.add(task)  # kept referenced until it ends
    task.add_done_callback(request.app.state.publications.discard)
    return _out(view, settings)
