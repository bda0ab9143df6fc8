"""POST /api/chat: one user message in, the assistant's messages out."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from channels.auth import OptionalUser
from channels.dependencies import RasaDep, SettingsDep, client_ip
from channels.errors import too_many_requests
from channels.handoffs import relay_to_staff
from channels.privacy import deletion_reply, with_notice
from channels.rasa_client import NoReply
from channels.schemas import (
    RESERVED_SENDER_PREFIXES,
    SENDER_PATTERN,
    BotMessage,
    Button,
    ChatRequest,
    ChatResponse,
    ChatUpdates,
    ErrorResponse,
    HandoffUpdate,
)
from core.access.claims import sign_claim
from handoff.queue import latest_handoff
from handoff.queue import messages as handoff_messages
from vntext import mask_pii

logger = logging.getLogger("channels.chat")
router = APIRouter(prefix="/api", tags=["chat"])


def to_bot_message(raw: dict[str, Any]) -> BotMessage:
    """Maps one Rasa REST message to the public shape (unknown keys dropped)."""
    buttons = [
        Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
        for b in raw.get("buttons") or []
        if isinstance(b, dict)
    ]
    return BotMessage(text=raw.get("text"), buttons=buttons, image=raw.get("image"))


def to_bot_messages(raw: list[Any]) -> list[BotMessage]:
    """Rasa's messages in order; an action's ``custom`` description (``kind``, ``source``)
    arrives as a message of its own and is folded into the bubble before it."""
    out: list[BotMessage] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        custom = item.get("custom")
        if isinstance(custom, dict) and not item.get("text") and not item.get("image"):
            if out:
                kind, source = custom.get("kind"), custom.get("source")
                out[-1].kind = str(kind)[:20] if kind else out[-1].kind
                out[-1].source = str(source)[:200] if source else out[-1].source
            continue
        out.append(to_bot_message(item))
    return out


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        401: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        429: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    rasa: RasaDep,
    identity: OptionalUser,
    settings: SettingsDep,
) -> ChatResponse | JSONResponse:
    """Forwards the message to Rasa and returns its reply (429 when a sender floods).

    With a valid ``Authorization: Bearer`` login token the message carries a signed identity
    claim in Rasa metadata (``identity_claim``) for the action server; a bad or expired token
    is a 401, no token means a citizen (no metadata).
    """
    ip = client_ip(request)
    wait = request.app.state.ip_rate_limiter.check(ip) or request.app.state.rate_limiter.check(
        body.sender_id
    )
    if wait:
        logger.warning(
            "request_id=%s sender=%s rate limited for %d s",
            request.state.request_id,
            mask_pii(body.sender_id),
            wait,
        )
        return too_many_requests(
            request,
            "rate_limited",
            f"Anh/chị đã gửi nhiều tin nhắn liên tiếp. Vui lòng đợi khoảng {wait} giây "
            "rồi gửi lại; tin nhắn vừa rồi chưa được xử lý.",
            f"Too many messages from this sender; retry after {wait} s.",
            wait,
        )
    logger.info(
        "request_id=%s sender=%s message=%r",
        request.state.request_id,
        mask_pii(body.sender_id),
        mask_pii(body.message)[:200],  # masked before cut
    )
    step = await deletion_reply(settings, body.sender_id, "web", body.message)
    if step is not None:  # "xóa dữ liệu của tôi" and its confirmation: not the assistant's
        return ChatResponse(messages=to_bot_messages(step))
    metadata = None
    if identity is not None:
        claim = sign_claim(
            settings.secrets.claim_secret,
            identity.username,
            identity.role,
            identity.province,
            settings.gateway.claim_ttl_seconds,
            sender=body.sender_id,
        )
        metadata = {"identity_claim": claim}
    try:
        raw = await rasa.send(body.sender_id, body.message, metadata=metadata)
    except NoReply:
        # paused in Rasa while staff hold the conversation: the message goes to them
        ack = await relay_to_staff(settings.database.url, body.sender_id, body.message)
        if ack is None:
            raise  # no handoff: an action failed (503)
        return ChatResponse(messages=[BotMessage(text=ack, kind="handoff")] if ack else [])
    raw = await with_notice(settings, body.sender_id, "web", raw, str(request.base_url))
    return ChatResponse(messages=to_bot_messages(raw))


@router.get("/chat/updates", response_model=ChatUpdates, responses={422: {"model": ErrorResponse}})
async def chat_updates(
    settings: SettingsDep,
    sender_id: Annotated[str, Query(pattern=SENDER_PATTERN)],
    after: Annotated[int, Query(ge=0)] = 0,
) -> ChatUpdates:
    """What staff (and the assistant, when the handoff ends) said in the conversation's latest
    handoff since message ``after``: the widget asks every few seconds while staff hold it."""
    view = await asyncio.to_thread(latest_handoff, settings.database.url, sender_id)
    if view is None or view.sender_id.lower().startswith(RESERVED_SENDER_PREFIXES):
        return ChatUpdates(status="none", messages=[])
    rows = await asyncio.to_thread(handoff_messages, settings.database.url, view.id, after=after)
    return ChatUpdates(
        status=view.status,
        messages=[HandoffUpdate(id=m.id, author=m.author, text=m.text)
                  for m in rows if m.author != "citizen"],
        last_id=rows[-1].id if rows else after,
    )
