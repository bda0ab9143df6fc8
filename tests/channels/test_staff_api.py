"""/api/staff: one-stop staff take a waiting conversation, reply, and hand it back to the
assistant (resumed in Rasa); officials and citizens cannot; every action is audited."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import issue_access_token
from channels.rasa_client import RESUME, RasaClient
from core.access.accounts import create_account, get_account
from core.access.audit import list_entries
from handoff.queue import messages, open_handoff, request_handoff
from tests.channels.conftest import make_settings


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    settings = make_settings(rasa_url="http://rasa.test", demo_accounts=False)
    app = create_app(settings)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    rasa_events: list[tuple[str, dict]] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        sender = request.url.path.split("/")[2]
        rasa_events.append((sender, json.loads(request.content)))
        return httpx.Response(200, json={"events": []})

    http = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
    app.state.rasa = RasaClient(http, "http://rasa.test", settings.secrets.rasa_token, 5.0)

    def headers(role: str, name: str) -> dict[str, str]:
        if get_account(settings.database.audit_url, name) is None:
            create_account(settings.database.audit_url, name, "mat-khau-thu-nghiem-1", role,
                           province="ha-giang" if role == "official" else None)
        return {"Authorization": f"Bearer {issue_access_token(settings, name, role, None)}"}

    return client, settings, headers, rasa_events


def test_staff_take_reply_and_hand_back(env) -> None:
    client, settings, headers, rasa_events = env
    url = settings.database.url
    first, _ = request_handoff(url, "web-1", "web", topic="procedure:passport",
                               last_turns=[("citizen", "lệ phí hộ chiếu?")])
    request_handoff(url, "web-2", "web")
    staff, other = headers("one_stop_staff", "motcua1"), headers("one_stop_staff", "motcua2")
    queue = client.get("/api/staff/handoffs", headers=staff).json()["items"]
    assert [(i["id"], i["position"], i["status"]) for i in queue][0] == (first.id, 1, "waiting")

    taken = client.post(f"/api/staff/handoffs/{first.id}/take", headers=staff)
    assert taken.status_code == 200
    assert [m["text"] for m in taken.json()["messages"]] == ["lệ phí hộ chiếu?"]
    assert client.post(f"/api/staff/handoffs/{first.id}/take", headers=other).status_code == 409
    assert client.get(f"/api/staff/handoffs/{first.id}/messages",
                      headers=other).status_code == 404  # only the holder reads it
    assert client.get(f"/api/staff/handoffs/{first.id}/messages",
                      headers=staff).status_code == 200
    sent = client.post(f"/api/staff/handoffs/{first.id}/reply", headers=staff,
                       json={"text": "Chào anh/chị, lệ phí là 200.000 đồng."})
    assert sent.status_code == 200
    assert messages(url, first.id)[-1].author == "staff"
    assert client.post(f"/api/staff/handoffs/{first.id}/reply", headers=staff,
                       json={"text": ""}).status_code == 422

    back = client.post(f"/api/staff/handoffs/{first.id}/hand-back", headers=staff)
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert rasa_events == [("web-1", RESUME)]
    assert open_handoff(url, "web-1") is None
    actions = [e.action for e in list_entries(settings.database.audit_url)
               if e.actor == "motcua1"]
    assert {"handoff.take", "handoff.view", "handoff.reply", "handoff.returned"} <= set(actions)


def test_officials_and_citizens_cannot_use_the_queue(env) -> None:
    client, _, headers, _ = env
    assert client.get("/api/staff/handoffs").status_code == 401
    official = client.get("/api/staff/handoffs", headers=headers("official", "canbo.hg"))
    assert official.status_code == 403 and "một cửa" in official.json()["error"]["message"]


def test_rasa_down_on_hand_back_changes_nothing(env) -> None:
    client, settings, headers, _ = env
    url = settings.database.url
    handoff, _ = request_handoff(url, "web-1", "web")
    staff = headers("admin", "quantri.test")
    client.post(f"/api/staff/handoffs/{handoff.id}/take", headers=staff)

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(down))
    client.app.state.rasa = RasaClient(http, "http://rasa.test", "t", 5.0)
    response = client.post(f"/api/staff/handoffs/{handoff.id}/close", headers=staff)
    assert response.status_code == 503
    assert open_handoff(url, "web-1").status == "held"  # still held: staff can try again


def test_staff_send_a_knowledge_card_to_the_citizen(env) -> None:
    client, settings, headers, _ = env
    url = settings.database.url
    view, _ = request_handoff(url, "web-card", "web")
    staff, other = headers("one_stop_staff", "motcua1"), headers("one_stop_staff", "motcua2")
    client.post(f"/api/staff/handoffs/{view.id}/take", headers=staff)

    sent = client.post(f"/api/staff/handoffs/{view.id}/card", headers=staff,
                       json={"card": "card:residence-foreigner-temporary-declaration"})
    assert sent.status_code == 200, sent.text
    text = sent.json()["text"]
    assert text.startswith("Cho người nước ngoài ở nhờ") and len(text) > 2000  # whole
    assert "Nguồn:" in text and "**" not in text and "---" not in text
    assert messages(url, view.id)[-1].text == text
    assert client.post(f"/api/staff/handoffs/{view.id}/card", headers=other,
                       json={"card": "vneid-activate"}).status_code == 409  # not theirs
    assert client.post(f"/api/staff/handoffs/{view.id}/card", headers=staff,
                       json={"card": "no-such-card"}).status_code == 404
    assert "handoff.card" in {e.action for e in list_entries(settings.database.audit_url)}
