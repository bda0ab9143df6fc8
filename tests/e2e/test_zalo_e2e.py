"""End-to-end Zalo: signed webhook → gateway → Rasa → actions → knowledge → fake Zalo API."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.e2e.zalo_fixtures import (  # noqa: F401 - pytest fixtures used by name
    SECRET_HEADER,
    ZaloGateway,
    fake_zalo_api,
    zalo_gateway,
)

pytestmark = pytest.mark.stack


def _text_update(chat_id: str, text: str) -> dict:
    return {
        "ok": True,
        "result": {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": chat_id, "display_name": "E2E", "is_bot": False},
                "chat": {"id": chat_id, "chat_type": "PRIVATE"},
                "text": text,
                "message_id": uuid.uuid4().hex,
                "date": int(time.time() * 1000),
            },
        },
    }


def test_zalo_signed_question_gets_a_cited_answer_unsigned_is_refused(
    zalo_gateway: ZaloGateway,  # noqa: F811 - fixture
) -> None:
    client, zalo = zalo_gateway.client, zalo_gateway.zalo
    chat = f"e2e-zalo-{uuid.uuid4().hex[:12]}"

    response = client.post(
        "/webhooks/zalo",
        json=_text_update(chat, "cach kich hoat vneid"),
        headers={SECRET_HEADER: zalo_gateway.secret},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True}

    def cited(calls) -> bool:
        return any(
            c.method == "sendMessage"
            and c.params.get("chat_id") == chat
            and "Nguồn:" in c.params.get("text", "")
            for c in calls
        )

    try:
        zalo.wait_for(cited, timeout=120)
    except AssertionError:
        pytest.fail(
            f"no cited answer at the fake Zalo API; gateway log:\n{zalo_gateway.log_tail()}"
        )
    assert zalo.calls_to("sendChatAction", chat), "typing indicator not sent"

    intruder = f"e2e-zalo-{uuid.uuid4().hex[:12]}"
    refused = client.post("/webhooks/zalo", json=_text_update(intruder, "cach kich hoat vneid"))
    assert refused.status_code == 403
    assert refused.json()["error"]["message"]
    time.sleep(2)
    assert not [c for c in zalo.calls if c.params.get("chat_id") == intruder]


def test_a_zalo_citizen_is_handed_to_staff_and_back(
    zalo_gateway: ZaloGateway,  # noqa: F811 - fixture
) -> None:
    """The handoff of the widget, on Zalo: the citizen asks for a person, staff take the
    conversation through the API and reply, the reply reaches the chat at the fake Zalo API,
    the citizen's answer reaches staff (not the assistant), staff hand back, and the assistant
    answers the next question."""
    import os

    client, zalo = zalo_gateway.client, zalo_gateway.zalo
    chat = f"e2e-zalo-{uuid.uuid4().hex[:12]}"

    def say(text: str) -> None:
        response = client.post("/webhooks/zalo", json=_text_update(chat, text),
                               headers={SECRET_HEADER: zalo_gateway.secret})
        assert response.status_code == 200, response.text

    def sent(calls) -> list[str]:
        return [c.params.get("text", "") for c in calls
                if c.method == "sendMessage" and c.params.get("chat_id") == chat]

    say("cho tôi gặp cán bộ")
    zalo.wait_for(lambda calls: any("vị trí thứ" in t for t in sent(calls)), timeout=120)

    login = client.post("/api/auth/login", json={
        "username": os.environ.get("TROLY_DEMO_STAFF_USER", "motcua"),
        "password": os.environ.get("TROLY_DEMO_STAFF_PASSWORD", "DemoMotCua@2025")})
    staff = {"Authorization": f"Bearer {login.json()['access_token']}"}
    from handoff.queue import latest_handoff

    waiting = latest_handoff(os.environ["TROLY_DATABASE_URL"], f"zalo:{chat}")
    assert waiting is not None and waiting.channel == "zalo" and waiting.status == "waiting"
    mine = {"id": waiting.id}
    assert client.post(f"/api/staff/handoffs/{mine['id']}/take", headers=staff).status_code == 200
    reply = client.post(f"/api/staff/handoffs/{mine['id']}/reply", headers=staff,
                        json={"text": "Chào anh/chị, tôi là cán bộ một cửa, tôi nghe đây."})
    assert reply.status_code == 200
    zalo.wait_for(lambda calls: any("tôi nghe đây" in t for t in sent(calls)), timeout=30)

    count = len(zalo.texts(chat))
    say("Tôi muốn hỏi về đổi thẻ căn cước cho mẹ")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        transcript = client.get(f"/api/staff/handoffs/{mine['id']}/messages",
                                headers=staff).json()["messages"]
        if any("cho mẹ" in m["text"] for m in transcript):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the citizen's message did not reach staff")
    assert len(zalo.texts(chat)) == count  # the assistant stays silent while staff hold it

    assert client.post(f"/api/staff/handoffs/{mine['id']}/hand-back",
                       headers=staff).status_code == 200
    say("cach kich hoat vneid")
    zalo.wait_for(lambda calls: any("Nguồn:" in t for t in sent(calls)), timeout=120)
