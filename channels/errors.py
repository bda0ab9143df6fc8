"""Exception handlers: every error is JSON in Vietnamese and English, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from channels.rasa_client import RasaUnavailable
from channels.schemas import ErrorBody, ErrorResponse

logger = logging.getLogger("channels")

FIELD_HINTS_VI = {
    "message": "Tin nhắn phải có từ 1 đến 2000 ký tự.",
    "sender_id": (
        "Mã hội thoại (sender_id) chỉ gồm chữ, số và các ký tự _ . : @ -, tối đa 64 ký tự."
    ),
}


def error_response(
    request: Request, status: int, code: str, vi: str, en: str, fields: list[str] | None = None
) -> JSONResponse:
    """Builds the common error body with the request id."""
    body = ErrorResponse(
        error=ErrorBody(code=code, message=vi, message_en=en, fields=fields or []),
        request_id=getattr(request.state, "request_id", None),
    )
    return JSONResponse(status_code=status, content=body.model_dump())


def too_many_requests(request: Request, code: str, vi: str, en: str, wait: int) -> JSONResponse:
    """429 in the common error shape, with ``Retry-After`` in seconds."""
    response = error_response(request, 429, code, vi, en)
    response.headers["Retry-After"] = str(wait)
    return response


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields = sorted({str(err["loc"][-1]) for err in exc.errors() if err.get("loc")})
    hints = [FIELD_HINTS_VI[f] for f in fields if f in FIELD_HINTS_VI]
    vi = " ".join(hints) or "Yêu cầu không hợp lệ. Vui lòng gửi JSON có sender_id và message."
    en = "Invalid request: " + "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )
    return error_response(request, 422, "invalid_request", vi, en[:500], fields)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    vi = {
        404: "Không tìm thấy địa chỉ này.",
        405: "Phương thức không được hỗ trợ cho địa chỉ này.",
        429: "Anh/chị gửi quá nhanh, vui lòng đợi một chút rồi thử lại.",
    }.get(exc.status_code, "Yêu cầu không thực hiện được.")
    return error_response(request, exc.status_code, "http_error", vi, str(exc.detail))


# a restarting action server is back within seconds; clients may send the message again then
RETRY_AFTER_UNAVAILABLE = 5


async def _rasa_unavailable(request: Request, exc: RasaUnavailable) -> JSONResponse:
    logger.warning("request_id=%s upstream unavailable: %s", request.state.request_id, exc)
    response = error_response(
        request,
        503,
        "assistant_unavailable",
        "Xin lỗi anh/chị, trợ lý đang tạm thời gián đoạn. Anh/chị vui lòng thử lại sau ít phút "
        "hoặc gọi tổng đài 1900 0368 để được hỗ trợ.",
        "The assistant backend is unavailable.",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("request_id=%s unexpected error", getattr(request.state, "request_id", "-"))
    return error_response(
        request,
        503,
        "internal_error",
        "Xin lỗi anh/chị, hệ thống gặp sự cố ngoài dự kiến. Anh/chị vui lòng thử lại sau ít phút.",
        "Unexpected error; see the gateway log with this request id.",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Registers all handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RasaUnavailable, _rasa_unavailable)
    app.add_exception_handler(Exception, _unexpected)
