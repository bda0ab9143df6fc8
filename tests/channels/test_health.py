"""GET /healthz reports every component and answers 503 when one is down."""

from __future__ import annotations

import httpx


def healthy(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/status":
        return httpx.Response(200, json={"model_file": "troly06-x.tar.gz"})
    if request.url.path == "/health/stores":
        return httpx.Response(200, json={"knowledge": {"status": "ok", "detail": "64 cards"}})
    return httpx.Response(404)


def test_all_components_ok(make_client) -> None:
    response = make_client(healthy).get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["components"]) == {"gateway", "rasa", "action_server", "knowledge"}


def test_rasa_without_model_is_down(make_client) -> None:
    def no_model(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": None})
        return healthy(request)

    response = make_client(no_model).get("/healthz")
    assert response.status_code == 503
    assert response.json()["components"]["rasa"]["status"] == "down"


def test_action_server_down_marks_knowledge_down_too(make_client) -> None:
    def actions_down(request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions.test":
            raise httpx.ConnectError("refused", request=request)
        return healthy(request)

    body = make_client(actions_down).get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["components"]["action_server"]["status"] == "down"
    assert body["components"]["knowledge"]["status"] == "down"


def test_the_supervisors_children_are_shown_while_it_runs(tmp_path) -> None:
    import json
    import time

    from channels.routers.health import SUPERVISOR_STATUS_MAX_AGE, _supervisor_status

    path = tmp_path / "supervisor.json"
    assert _supervisor_status(path) is None  # not run under the supervisor
    children = {"rasa": {"state": "running", "restarts": 2, "crash_loop": False}}
    path.write_text(json.dumps({"updated": time.time(), "children": children}))
    assert _supervisor_status(path) == children
    stale = time.time() - SUPERVISOR_STATUS_MAX_AGE - 1
    path.write_text(json.dumps({"updated": stale, "children": children}))
    assert _supervisor_status(path) is None  # left behind by a supervisor that has gone
    path.write_text("{not json")
    assert _supervisor_status(path) is None
