"""Personal data through the gateway: the notice with the first reply, "xóa dữ liệu của tôi"
answered before Rasa with a confirmation step, the erasure audited without content, the privacy
page, and an admin's export for a written request."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.auth import issue_access_token
from channels.rasa_client import RasaClient
from core.access.accounts import create_account, get_account
from core.access.audit import list_entries
from feedback.conversation import GivenAnswer
from feedback.ratings import record_rating
from privacy.export import export_conversation
from tests.analytics.tracker import user, write_tracker
from tests.channels.conftest import make_settings


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    tracker = write_tracker(tmp_path / "tracker.db", [
        user("web:abc", 1_790_000_000.0, "lệ phí hộ chiếu", "ask_procedure")])
    settings = make_settings(rasa_url="http://rasa.test", demo_accounts=False,
                             tracker_database_url=tracker)
    app = create_app(settings)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    sent: list[str] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["message"])
        return httpx.Response(200, json=[{"recipient_id": "u", "text": "Trợ lý trả lời."}])

    http = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
    app.state.rasa = RasaClient(http, "http://rasa.test", settings.secrets.rasa_token, 5.0)

    def headers(role: str, name: str) -> dict[str, str]:
        if get_account(settings.database.audit_url, name) is None:
            create_account(settings.database.audit_url, name, "mat-khau-thu-nghiem-1", role)
        return {"Authorization": f"Bearer {issue_access_token(settings, name, role, None)}"}

    yield client, settings, sent, headers
    client.__exit__(None, None, None)


def _say(client: TestClient, text: str) -> list[dict]:
    response = client.post("/api/chat", json={"sender_id": "web:abc", "message": text})
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_deletion_is_confirmed_then_done_without_asking_the_assistant(env) -> None:
    client, settings, sent, _ = env
    answer = GivenAnswer("card:x", "answer", "lệ phí hộ chiếu", "…")
    record_rating(settings.database.url, sender_id="web:abc", channel="web", answer=answer,
                  rating="helpful")
    first = _say(client, "lệ phí hộ chiếu")
    assert "xóa dữ liệu của tôi" in first[0]["text"] and len(first) == 2

    asked = _say(client, "Xóa dữ liệu của tôi")
    assert [b["payload"] for b in asked[0]["buttons"]] == ["/privacy_delete_confirm",
                                                           "/privacy_delete_cancel"]
    done = _say(client, "/privacy_delete_confirm")
    assert "Đã xóa" in done[0]["text"]
    assert sent == ["lệ phí hộ chiếu"]  # the dialogue never reached Rasa
    stored = export_conversation(settings.database.url, settings.database.tracker_database_url,
                                 "web:abc")
    assert stored["messages"] == [] and stored["ratings"] == []
    [entry] = [e for e in list_entries(settings.database.audit_url)
               if e.action == "privacy.erase"]
    assert entry.detail["events"] == 1 and "hộ chiếu" not in json.dumps(entry.detail)
    again = _say(client, "câu hỏi mới")
    assert "xóa dữ liệu của tôi" in again[0]["text"]  # a new conversation: a new notice


def test_the_privacy_page_says_what_is_kept_and_for_how_long(env) -> None:
    client, *_ = env
    page = client.get("/privacy")
    assert page.status_code == 200 and "180 ngày" in page.text and "91/2025/QH15" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_an_admin_exports_one_conversation_for_a_written_request(env) -> None:
    client, settings, _, headers = env
    admin, staff = headers("admin", "quantri"), headers("one_stop_staff", "motcua")
    url = "/api/privacy/conversations/web:abc/export"
    assert client.get(url, params={"reference": "12/YC"}, headers=staff).status_code == 403
    assert client.get(url, headers=admin).status_code == 422  # the request's number is needed
    exported = client.get(url, params={"reference": "12/YC"}, headers=admin)
    assert exported.status_code == 200 and "attachment" in exported.headers[
        "content-disposition"]
    assert exported.json()["messages"][0]["text"] == "lệ phí hộ chiếu"
    assert client.get("/api/privacy/conversations/web:none/export", params={
        "reference": "12/YC"}, headers=admin).status_code == 404
    assert any(e.action == "privacy.export" and e.detail == {"reference": "12/YC"}
               for e in list_entries(settings.database.audit_url))
