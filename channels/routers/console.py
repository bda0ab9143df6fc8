"""The staff console (GET /console, /console.js, /console-charts.js, /console.css): the handoff
queue and the analytics in a page served by the gateway itself, with no external resources."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from channels.routers.widget import ASSET_CACHE, PAGE_CACHE, PAGE_CSP, serve_static

router = APIRouter(tags=["console"])


@router.get("/console", include_in_schema=False)
async def console_page(request: Request) -> Response:
    return serve_static(request, "console.html", "text/html; charset=utf-8", PAGE_CACHE,
                        {"Content-Security-Policy": PAGE_CSP, "Referrer-Policy": "same-origin"})


@router.get("/console.js", include_in_schema=False)
async def console_js(request: Request) -> Response:
    return serve_static(request, "console.js", "text/javascript; charset=utf-8", ASSET_CACHE)


@router.get("/console-charts.js", include_in_schema=False)
async def console_charts_js(request: Request) -> Response:
    return serve_static(request, "console-charts.js", "text/javascript; charset=utf-8",
                        ASSET_CACHE)


@router.get("/console.css", include_in_schema=False)
async def console_css(request: Request) -> Response:
    return serve_static(request, "console.css", "text/css; charset=utf-8", ASSET_CACHE)
