"""Body-size caps (413 before the body is read), reserved sender ids, raw message length."""

from __future__ import annotations

import asyncio

from channels.limits import DEFAULT_MAX_BODY, BodySizeLimit
from tests.channels.test_chat_api import rasa_reply


def test_a_declared_oversized_body_is_refused_before_it_is_read(make_client) -> None:
    client = make_client(rasa_reply)
    body = b'{"sender_id":"u1","message":"' + b"a" * (10 * 1024 * 1024) + b'"}'
    response = client.post("/api/chat", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "quá lớn" in response.json()["error"]["message"]


def _asgi_call(app, chunks: list[bytes]) -> tuple[int, list]:
    """Runs an ASGI app on a chunked request (no Content-Length)."""
    sent: list = []
    pending = list(chunks)

    async def receive():
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending)}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/chat", "headers": []}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, sent


def test_a_chunked_body_is_counted_and_stopped_at_the_cap() -> None:
    reached = []

    async def app(scope, receive, send):
        message = await receive()
        reached.append(len(message["body"]))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guarded = BodySizeLimit(app)
    status, _ = _asgi_call(guarded, [b"x" * 40_000, b"x" * 40_000, b"x" * 40_000])
    assert status == 413 and reached == []
    status, _ = _asgi_call(guarded, [b"x" * 1000, b"x" * 1000])
    assert status == 200 and reached == [2000]
    assert DEFAULT_MAX_BODY < 80_000


def test_a_web_client_cannot_use_another_channels_sender_id(make_client) -> None:
    client = make_client(rasa_reply)
    for sender in ("zalo:123456", "ZALO:1", "zalooa:9"):
        response = client.post("/api/chat", json={"sender_id": sender, "message": "xin chào"})
        assert response.status_code == 422, sender
    assert client.post("/api/chat", json={"sender_id": "web:abc", "message": "hi"}).status_code \
        == 200


def test_a_long_message_is_refused_without_normalising_it(make_client) -> None:
    client = make_client(rasa_reply)
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "a" * 60_000})
    assert response.status_code in (413, 422)
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "a" * 9_000})
    assert response.status_code == 422


def test_security_headers_are_on_every_response(make_client) -> None:
    client = make_client(rasa_reply)
    for response in (
        client.post("/api/chat", json={"sender_id": "u1", "message": "xin chào"}),
        client.post("/api/chat", json={"sender_id": "u1"}),  # 422
        client.get("/khong-co"),  # 404
        client.get("/widget.js"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert client.post("/api/chat", json={"sender_id": "u1", "message": "hi"}).headers[
        "cache-control"] == "no-store"
