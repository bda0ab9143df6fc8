"""POST /webhooks/zalo-oa: Zalo OA events, verified, acknowledged at once, answered later.

Zalo expects a 200 within about two seconds and otherwise redelivers, so nothing here waits
for Rasa. A signed event that is too old or already seen is acknowledged (a non-200 would only
bring it back) and not answered again.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from channels.errors import error_response
from channels.schemas import ErrorResponse
from channels.zalo_oa.build import missing_settings
from channels.zalo_oa.events import parse_event
from channels.zalo_oa.signature import check_delivery

logger = logging.getLogger("channels.zalo_oa")
router = APIRouter(tags=["zalo-oa"])

SIGNATURE_HEADER = "X-ZEvent-Signature"
TIMESTAMP_HEADER = "X-ZEvent-Timestamp"
MAX_BODY_BYTES = 256 * 1024


def _payload(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


@router.post(
    "/webhooks/zalo-oa",
    responses={
        400: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        413: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def zalo_oa_webhook(request: Request) -> JSONResponse:
    """Checks the signature and the event's age, queues the event, answers ``{"ok": true}``."""
    settings = request.app.state.settings
    service = getattr(request.app.state, "zalo_oa", None)
    if service is None:
        missing = ", ".join(missing_settings(settings)) or "a valid TROLY_ZALO_OA_TOKEN_KEY"
        return error_response(
            request, 503, "zalo_oa_not_configured",
            "Kênh Zalo OA của trợ lý chưa được cấu hình. Anh/chị vui lòng liên hệ quản trị viên.",
            f"The Zalo OA channel is not configured (set {missing}).",
        )
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return error_response(
            request, 413, "payload_too_large", "Dữ liệu gửi lên quá lớn.",
            f"Webhook body larger than {MAX_BODY_BYTES} bytes.",
        )
    payload = _payload(body)
    gw = settings.gateway
    verdict = check_delivery(
        body,
        request.headers.get(SIGNATURE_HEADER, ""),
        app_id=gw.zalo_oa_app_id,
        secret=gw.zalo_oa_secret_key,
        timestamps=[
            payload.get("timestamp") if isinstance(payload, dict) else None,
            request.headers.get(TIMESTAMP_HEADER),
        ],
        max_age_seconds=gw.zalo_oa_max_event_age_seconds,
    )
    if verdict == "forged":
        logger.warning("request_id=%s zalo oa webhook rejected: %s signature",
                       request.state.request_id,
                       "wrong" if request.headers.get(SIGNATURE_HEADER) else "missing")
        return error_response(
            request, 403, "forbidden",
            "Yêu cầu bị từ chối: chữ ký xác thực của Zalo không đúng hoặc bị thiếu.",
            f"Missing or wrong {SIGNATURE_HEADER} header.",
        )
    if not isinstance(payload, dict):
        return error_response(
            request, 400, "invalid_json", "Dữ liệu gửi lên không phải JSON hợp lệ.",
            "The webhook body is not a JSON object.",
        )
    event = parse_event(payload)
    if event is None:
        return error_response(
            request, 400, "invalid_event", "Dữ liệu gửi lên không phải sự kiện Zalo OA hợp lệ.",
            "The webhook body has no event_name.",
        )
    if verdict == "stale":
        logger.warning("request_id=%s zalo oa event=%s too old or ahead; acknowledged, "
                       "not answered", request.state.request_id, event.event_name[:40])
        return JSONResponse({"ok": True})
    if event.user_id and service.is_full(event.user_id):
        logger.warning("request_id=%s zalo oa queue full; delivery refused for a retry",
                       request.state.request_id)
        response = error_response(
            request, 503, "busy", "Trợ lý đang quá tải, tin nhắn sẽ được gửi lại sau ít giây.",
            "Too much background work; retry the delivery.",
        )
        response.headers["Retry-After"] = "5"
        return response
    service.accept(event, request.app.state.zalo_rasa)
    return JSONResponse({"ok": True})
