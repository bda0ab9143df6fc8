"""The web widget (GET /widget.js, /widget.css) and its demo page (GET /)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request, Response

router = APIRouter(tags=["widget"])

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

# Embedders use the fixed URL /widget.js, so caches keep it briefly and revalidate (ETag).
ASSET_CACHE = "public, max-age=300"
PAGE_CACHE = "no-cache"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@lru_cache(maxsize=8)
def _load(name: str, mtime_ns: int) -> tuple[bytes, str]:
    """File bytes and a strong ETag; cached until the file changes (mtime in the key)."""
    data = (STATIC_DIR / name).read_bytes()
    return data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def serve_static(
    request: Request, name: str, media_type: str, cache: str, extra: dict[str, str] | None = None
) -> Response:
    path = STATIC_DIR / name
    data, etag = _load(name, path.stat().st_mtime_ns)
    headers = {
        "Cache-Control": cache,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        **(extra or {}),
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type=media_type, headers=headers)


@router.get("/widget.js", include_in_schema=False)
async def widget_js(request: Request) -> Response:
    """The embeddable widget script (no dependencies)."""
    return serve_static(request, "widget.js", "text/javascript; charset=utf-8", ASSET_CACHE)


@router.get("/widget.css", include_in_schema=False)
async def widget_css(request: Request) -> Response:
    """The widget's stylesheet (loaded by widget.js)."""
    return serve_static(request, "widget.css", "text/css; charset=utf-8", ASSET_CACHE)


@router.get("/", include_in_schema=False)
async def demo_page(request: Request) -> Response:
    """A demo page of a fictional provincial public-administration centre embedding the widget."""
    return serve_static(
        request,
        "index.html",
        "text/html; charset=utf-8",
        PAGE_CACHE,
        {"Content-Security-Policy": PAGE_CSP, "Referrer-Policy": "same-origin"},
    )
