"""FastAPI dependencies of the gateway, as type aliases for the routers' signatures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from channels.rasa_client import RasaClient
from core.config import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (one object per process)."""
    return request.app.state.settings


def get_rasa(request: Request) -> RasaClient:
    """The Rasa client created in the app's lifespan."""
    return request.app.state.rasa


def client_ip(request: Request) -> str:
    """The client's address: the peer's, or — when the peer is a trusted reverse proxy — the
    nearest address in X-Forwarded-For that is not itself a trusted proxy."""
    peer = request.client.host if request.client else "-"
    trusted = set(request.app.state.settings.gateway.trusted_proxies)
    if peer not in trusted:
        return peer
    forwarded = request.headers.get("x-forwarded-for", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return peer


def audit_request(request: Request, settings: Settings, **entry) -> None:
    """Writes an audit entry with the request's client address and id (``entry``: actor,
    role, action, detail); a failing audit log never breaks the reply it audits."""
    from core.access import audit

    audit.record_safely(
        settings.database.audit_url,
        ip=client_ip(request),
        request_id=getattr(request.state, "request_id", None),
        **entry,
    )


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
