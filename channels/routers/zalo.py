"""POST /webhooks/zalo: Zalo Bot deliveries, verified, acknowledged at once, answered later."""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from channels.errors import error_response
from channels.schemas import ErrorResponse
from channels.zalo.updates import parse_updates

logger = logging.getLogger("channels.zalo")
router = APIRouter(tags=["zalo"])

SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 256 * 1024


@router.post(
    "/webhooks/zalo",
    responses={
        400: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        413: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def zalo_webhook(request: Request) -> JSONResponse:
    """Checks the secret header, queues the update and answers ``{"ok": true}``."""
    secret = request.app.state.settings.gateway.zalo_webhook_secret
    service = getattr(request.app.state, "zalo", None)
    if not secret or service is None:
        return error_response(
            request,
            503,
            "zalo_not_configured",
            "Kênh Zalo của trợ lý chưa cấu hình. Anh/chị vui lòng liên hệ quản trị viên.",
            "The Zalo channel is not configured "
            "(set TROLY_ZALO_BOT_TOKEN and TROLY_ZALO_WEBHOOK_SECRET).",
        )
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        logger.warning(
            "request_id=%s zalo webhook rejected: %s secret token",
            request.state.request_id,
            "wrong" if given else "missing",
        )
        return error_response(
            request,
            403,
            "forbidden",
            "Yêu cầu bị từ chối: mã xác thực webhook không đúng hoặc bị thiếu.",
            f"Missing or wrong {SECRET_HEADER} header.",
        )
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return error_response(
            request,
            413,
            "payload_too_large",
            "Dữ liệu gửi lên quá lớn.",
            f"Webhook body larger than {MAX_BODY_BYTES} bytes.",
        )
    try:
        payload = json.loads(body)
    except ValueError:
        return error_response(
            request,
            400,
            "invalid_json",
            "Dữ liệu gửi lên không phải JSON hợp lệ.",
            "The webhook body is not valid JSON.",
        )
    events = parse_updates(payload)
    if any(service.is_full(e.chat_id or "") for e in events):
        logger.warning("request_id=%s zalo queue full; delivery refused for a retry",
                       request.state.request_id)
        response = error_response(
            request, 503, "busy",
            "Trợ lý đang quá tải, tin nhắn sẽ được gửi lại sau ít giây.",
            "Too much background work; retry the delivery.",
        )
        response.headers["Retry-After"] = "5"
        return response
    for event in events:
        service.accept(event, request.app.state.zalo_rasa)
    return JSONResponse({"ok": True})
