"""Request ids and one masked access-log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi import FastAPI, Request

from vntext import mask_pii

logger = logging.getLogger("channels.access")
# on every response (the demo page adds its own Content-Security-Policy)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


_CHART = re.compile(r"^/api/charts/[^/]+$")


def loggable_path(path: str) -> str:
    """The path for the access log: chart ids are capabilities, personal data is masked."""
    return "/api/charts/<id>" if _CHART.match(path) else mask_pii(path)


def install_request_logging(app: FastAPI) -> None:
    """Adds X-Request-ID handling and access logging to ``app``."""

    @app.middleware("http")
    async def _request_id(request: Request, call_next):
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        request.state.request_id = request_id
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["X-Request-ID"] = request_id
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/") and "cache-control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"  # replies may carry staff data
        logger.info(
            "request_id=%s %s %s status=%s ms=%.1f",
            request_id,
            request.method,
            loggable_path(request.url.path),
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response
