"""Request-body caps enforced before the body is read: 413 in the common error shape.

A declared ``Content-Length`` over the cap is refused at once; a body without one (chunked)
is read up to the cap and refused as soon as it passes it, so no route ever receives more.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY = 64 * 1024  # a chat message or a login is a few KB at most
IMPORT_MAX_BODY = 5 * 1024 * 1024
PATH_LIMITS: Mapping[str, int] = {"/api/indicators/import": IMPORT_MAX_BODY}


def limit_for(path: str) -> int:
    return PATH_LIMITS.get(path, DEFAULT_MAX_BODY)


class BodySizeLimit:
    """ASGI middleware: bodies over the path's cap get 413 without reaching the app."""

    def __init__(self, app: ASGIApp, limits: Callable[[str], int] = limit_for) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        cap = self.limits(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > cap:
                await _too_large(send, cap)
                return
            await self.app(scope, receive, send)
            return
        body = bytearray()  # no length declared: read up to the cap, then replay
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > cap:
                await _too_large(send, cap)
                return
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send: Send, cap: int) -> None:
    size = f"{cap // (1024 * 1024)} MB" if cap >= 1024 * 1024 else f"{cap // 1024} KB"
    body = json.dumps({
        "error": {
            "code": "body_too_large",
            "message": f"Nội dung gửi lên quá lớn (tối đa {size}). Anh/chị rút gọn rồi gửi lại.",
            "message_en": f"Request body larger than {size}.",
            "fields": [],
        },
        "request_id": None,
    }, ensure_ascii=False).encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})
