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
