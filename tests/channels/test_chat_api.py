"""Gateway API behaviour with the real Rasa client over a mocked HTTP transport."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def forwarding_client(make_client) -> tuple[TestClient, dict]:
    """A client whose Rasa answers nothing, and the body the gateway last sent it."""
    seen: dict = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(json.loads(request.content))
        return httpx.Response(200, json=[])

    return make_client(handler), seen


def rasa_reply(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    if request.url.path == "/webhooks/rest/webhook":
        return httpx.Response(
            200,
            json=[
                {
                    "recipient_id": body["sender"],
                    "text": f"echo: {body['message']}",
                    "buttons": [{"title": "VNeID", "payload": "/choose_topic"}],
                },
                {"recipient_id": body["sender"], "image": "http://img/1.png"},
            ],
        )
    return httpx.Response(404)


def test_chat_maps_rasa_messages(make_client) -> None:
    client = make_client(rasa_reply)
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "xin chào"})
    assert response.status_code == 200
    notice, *messages = response.json()["messages"]
    assert "180 ngày" in notice["text"] and "http://testserver/privacy" in notice["text"]
    assert messages[0]["text"] == "echo: xin chào"
    assert messages[0]["buttons"] == [{"title": "VNeID", "payload": "/choose_topic"}]
    assert messages[1]["image"] == "http://img/1.png"
    assert response.headers["x-request-id"]
    again = client.post("/api/chat", json={"sender_id": "u1", "message": "xin chào"})
    assert again.json()["messages"][0]["text"] == "echo: xin chào"  # the notice comes once


def test_message_is_normalised_before_forwarding(forwarding_client) -> None:
    client, seen = forwarding_client
    client.post("/api/chat", json={"sender_id": "u1", "message": "  Hoà   Bình\u200b "})
    assert seen["message"] == "Hòa Bình"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"sender_id": "u1", "message": ""}, "message"),
        ({"sender_id": "u1", "message": "   \u200b "}, "message"),
        ({"sender_id": "u1", "message": "a" * 2001}, "message"),
        ({"sender_id": "", "message": "chào"}, "sender_id"),
        ({"sender_id": "x" * 65, "message": "chào"}, "sender_id"),
        ({"sender_id": "<script>", "message": "chào"}, "sender_id"),
        ({"message": "chào"}, "sender_id"),
        ({"sender_id": "u1", "message": 42}, "message"),
    ],
)
def test_invalid_requests_get_a_clear_bilingual_422(
    payload: dict, field: str, make_client
) -> None:
    client = make_client(rasa_reply)
    response = client.post("/api/chat", json=payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["fields"]
    assert error["message"] and error["message_en"]
    assert "Traceback" not in response.text


def test_2000_characters_is_accepted(make_client) -> None:
    client = make_client(rasa_reply)
    assert (
        client.post("/api/chat", json={"sender_id": "u1", "message": "a" * 2000}).status_code == 200
    )


def test_body_that_is_not_json_gets_422(make_client) -> None:
    client = make_client(rasa_reply)
    response = client.post(
        "/api/chat", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"]


def test_rasa_down_gives_503_with_vietnamese_apology(make_client) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = make_client(down)
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "chào"})
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "reply", [httpx.Response(500, text="boom"), httpx.Response(200, text="<html>")]
)
def test_rasa_errors_give_503_not_500(reply: httpx.Response, make_client) -> None:
    client = make_client(lambda request: reply)
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "chào"})
    assert response.status_code == 503
    assert "Traceback" not in response.text


def test_an_empty_reply_from_rasa_is_a_retryable_503_not_silence(make_client) -> None:
    # Rasa answers [] when an action failed (the action server was down or restarting)
    client = make_client(lambda request: httpx.Response(200, json=[]))
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "chào"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "thử lại" in response.json()["error"]["message"]


def test_unknown_route_is_a_json_404(make_client) -> None:
    client = make_client(rasa_reply)
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["message"]


def test_logs_mask_phone_and_id_numbers(
    caplog: pytest.LogCaptureFixture, make_client
) -> None:
    client = make_client(rasa_reply)
    with caplog.at_level(logging.INFO):
        client.post(
            "/api/chat", json={"sender_id": "u1", "message": "sđt 0912345678 cccd 001203004567"}
        )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "request_id=" in logged
    assert "0912345678" not in logged and "001203004567" not in logged


def test_what_an_answer_is_and_where_it_came_from_join_its_bubble(make_client) -> None:
    """An action's ``custom`` description arrives as a message of its own; it is folded into
    the bubble before it, never shown as an empty bubble."""

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[
            {"recipient_id": "u", "text": "Lệ phí: 200.000 đồng."},
            {"recipient_id": "u", "custom": {"kind": "answer", "source": "card:passport-fee"}},
            {"recipient_id": "u", "custom": {"kind": "x" * 100}},
        ])

    client = make_client(reply)
    body = client.post("/api/chat", json={"sender_id": "u", "message": "phí hộ chiếu"}).json()
    assert body["messages"][1:] == [{
        "text": "Lệ phí: 200.000 đồng.", "buttons": [], "image": None,
        "kind": "x" * 20, "source": "card:passport-fee",
    }]


@pytest.mark.parametrize(
    "message",
    [
        "x" * 190 + " 001203004567 ở cuối",  # an ID across the 200-character cut
        "cccd của tôi là 0012 0300 4567, sđt 0912 345 678",
        "số 001.203.004.567, email nguyễn.văn@gmail.com",
    ],
)
def test_logged_messages_are_masked_before_they_are_cut(
    caplog: pytest.LogCaptureFixture, message: str, make_client
) -> None:
    client = make_client(rasa_reply)
    with caplog.at_level(logging.INFO):
        client.post("/api/chat", json={"sender_id": "u1", "message": message})
    logged = re.sub(r"\D", "", "\n".join(r.getMessage() for r in caplog.records))
    for number in ("001203004567", "0912345678", "00120300456", "20300456"):
        assert number not in logged
    assert "nguyễn.văn@" not in "\n".join(r.getMessage() for r in caplog.records)


def test_id_and_phone_numbers_are_masked_before_rasa_stores_them(forwarding_client) -> None:
    client, seen = forwarding_client
    client.post(
        "/api/chat",
        json={"sender_id": "u1", "message": "CCCD 079203004561, sđt 0987654321, đổi thẻ"},
    )
    assert "079203004561" not in seen["message"] and "0987654321" not in seen["message"]
    assert "đổi thẻ" in seen["message"]
