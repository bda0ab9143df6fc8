"""GET /healthz: the gateway and every component behind it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from channels.dependencies import RasaDep, SettingsDep
from channels.rasa_client import RasaClient, RasaUnavailable
from channels.schemas import ComponentHealth, HealthResponse

router = APIRouter(tags=["health"])


async def _rasa_health(rasa: RasaClient, base: str, timeout: float) -> ComponentHealth:
    try:
        status = await rasa.replica_status(base, timeout)
    except RasaUnavailable as exc:
        return ComponentHealth(status="down", detail=str(exc))
    if not status.get("model_file"):
        return ComponentHealth(status="down", detail="no model loaded")
    return ComponentHealth(status="ok", detail=str(status.get("model_file")))


async def _actions_health(
    http: httpx.AsyncClient, url: str, timeout: float
) -> dict[str, ComponentHealth]:
    """Action server liveness and the stores it reports (knowledge base)."""
    try:
        response = await http.get(f"{url.rstrip('/')}/health/stores", timeout=timeout)
        response.raise_for_status()
        stores = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        down = ComponentHealth(status="down", detail=f"unreachable: {type(exc).__name__}")
        return {"action_server": down, "knowledge": down}
    result = {"action_server": ComponentHealth(status="ok")}
    for name, info in stores.items():
        state = "ok" if info.get("status") == "ok" else "down"
        result[name] = ComponentHealth(status=state, detail=info.get("detail"))
    return result


# the supervisor rewrites its status every second; an older file is from one that has gone
SUPERVISOR_STATUS_MAX_AGE = 30.0


def _supervisor_status(path: Path) -> dict[str, dict[str, Any]] | None:
    """The supervisor's view of its children (restarts, crash loops), when it runs."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh = time.time() - float(data["updated"]) <= SUPERVISOR_STATUS_MAX_AGE
    except (OSError, ValueError, TypeError, KeyError):
        return None
    children = data.get("children")
    return children if fresh and isinstance(children, dict) else None


def _named(component: str, urls: list[str]) -> list[tuple[str, str]]:
    """Each server's name in /healthz: the component's own name when there is one, numbered
    in the configured order when there are several ("rasa-1", "rasa-2")."""
    if len(urls) == 1:
        return [(component, urls[0])]
    return [(f"{component}-{i}", url) for i, url in enumerate(urls, 1)]


@router.get("/healthz", response_model=HealthResponse)
async def healthz(
    request: Request,
    rasa: RasaDep,
    settings: SettingsDep,
) -> JSONResponse:
    """200 when every component is up, 503 (same body) when any is down."""
    timeout = settings.gateway.health_timeout_seconds
    components = {"gateway": ComponentHealth(status="ok")}
    for name, base in _named("rasa", rasa.replicas):
        components[name] = await _rasa_health(rasa, base, timeout)
    for i, (name, url) in enumerate(_named("action_server", settings.gateway.action_servers)):
        found = await _actions_health(request.app.state.http, url, timeout)
        components[name] = found.pop("action_server")
        if i == 0:  # the stores, as the first action server sees them
            components.update(found)
    healthy = all(c.status == "ok" for c in components.values())
    body = HealthResponse(
        status="ok" if healthy else "degraded",
        components=components,
        supervisor=_supervisor_status(settings.gateway.supervisor_status_file),
    )
    return JSONResponse(status_code=200 if healthy else 503, content=body.model_dump())
