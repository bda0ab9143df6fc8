"""Several Rasa replicas: each conversation stays on one, a refused connection moves it to the
next, a message that may have been processed is never sent twice."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from channels.rasa_client import RasaClient, RasaUnavailable, replica_order

REPLICAS = ["http://rasa-a.test", "http://rasa-b.test", "http://rasa-c.test"]


def client_with(handler) -> RasaClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return RasaClient(http, REPLICAS, "token", 5.0)


def test_a_conversation_stays_on_one_replica_and_senders_spread() -> None:
    seen: dict[str, set[str]] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        sender = json.loads(request.content)["sender"]
        seen.setdefault(sender, set()).add(request.url.host)
        return httpx.Response(200, json=[{"text": "ok"}])

    rasa = client_with(handler)

    async def chat() -> None:
        for i in range(60):
            for _ in range(3):
                await rasa.send(f"user-{i}", "xin chào")

    asyncio.run(chat())
    assert all(len(hosts) == 1 for hosts in seen.values())  # sticky by sender
    used = {next(iter(h)) for h in seen.values()}
    assert used == {"rasa-a.test", "rasa-b.test", "rasa-c.test"}  # spread over all


def test_removing_a_replica_moves_only_its_own_conversations() -> None:
    senders = [f"user-{i}" for i in range(200)]
    before = {s: replica_order(s, REPLICAS)[0] for s in senders}
    after = {s: replica_order(s, REPLICAS[:2])[0] for s in senders}
    moved = [s for s in senders if before[s] != after[s]]
    assert moved and all(before[s] == REPLICAS[2] for s in moved)


def test_a_refused_replica_fails_over_to_the_next_in_the_senders_order() -> None:
    first = replica_order("user-1", REPLICAS)[0]
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"http://{request.url.host}")
        if calls[-1] == first:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json=[{"text": "từ bản sao khác"}])

    messages = asyncio.run(client_with(handler).send("user-1", "xin chào"))
    assert messages == [{"text": "từ bản sao khác"}]
    assert calls == replica_order("user-1", REPLICAS)[:2]


@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut off")]
)
def test_a_message_that_may_have_been_processed_is_not_sent_again(error) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        error.request = request
        raise error

    with pytest.raises(RasaUnavailable):
        asyncio.run(client_with(handler).send("user-1", "xin chào"))
    assert len(calls) == 1


def test_every_replica_refusing_is_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(RasaUnavailable, match="3 replica"):
        asyncio.run(client_with(handler).send("user-1", "xin chào"))


def test_health_reports_each_replica_and_action_server() -> None:
    from fastapi.testclient import TestClient

    from channels.app import create_app
    from tests.channels.conftest import make_settings

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/status":
            if request.url.host == "rasa-b.test":
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(200, json={"model_file": "m.tar.gz"})
        if request.url.path == "/health/stores":
            return httpx.Response(200, json={"knowledge": {"status": "ok"}})
        return httpx.Response(404)

    settings = make_settings(
        rasa_urls=REPLICAS[:2],
        action_server_urls=["http://actions-1.test", "http://actions-2.test"],
    )
    with TestClient(create_app(settings, transport=httpx.MockTransport(handler))) as client:
        body = client.get("/healthz").json()
    assert body["components"]["rasa-1"]["status"] == "ok"
    assert body["components"]["rasa-2"]["status"] == "down"
    assert body["components"]["action_server-1"]["status"] == "ok"
    assert body["components"]["action_server-2"]["status"] == "ok"
    assert body["components"]["knowledge"]["status"] == "ok"
    assert body["status"] == "degraded"


def test_a_replica_that_is_not_ready_is_tried_last_until_it_is_again() -> None:
    """A restarted replica accepts connections long before its model is loaded; its
    conversations go to a ready replica meanwhile, and come back when it is ready."""
    first = replica_order("user-1", REPLICAS)[0]
    loading = {"yes": True}
    chats: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        host = f"http://{request.url.host}"
        if request.url.path == "/status":
            if host == first and loading["yes"]:
                raise httpx.ReadTimeout("still loading", request=request)
            return httpx.Response(200, json={"model_file": "m.tar.gz"})
        chats.append(host)
        return httpx.Response(200, json=[{"text": "ok"}])

    rasa = client_with(handler)

    async def scenario() -> None:
        await rasa.probe(1.0)
        assert rasa.readiness.is_ready(first)  # one slow probe is not enough
        await rasa.probe(1.0)
        assert not rasa.readiness.is_ready(first)
        await rasa.send("user-1", "xin chào")
        loading["yes"] = False
        await rasa.probe(1.0)
        await rasa.send("user-1", "xin chào")

    asyncio.run(scenario())
    assert chats[0] != first and chats[0] == replica_order("user-1", REPLICAS)[1]
    assert chats[1] == first


def test_a_refused_status_probe_marks_the_replica_down_at_once() -> None:
    first = replica_order("user-1", REPLICAS)[0]

    def handler(request: httpx.Request) -> httpx.Response:
        if f"http://{request.url.host}" == first:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"model_file": "m.tar.gz"})

    rasa = client_with(handler)
    asyncio.run(rasa.probe(1.0))
    assert not rasa.readiness.is_ready(first)
    assert rasa.readiness.order("user-1", REPLICAS)[-1] == first


def test_when_no_replica_is_ready_each_is_still_tried() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/status":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json=[{"text": "vẫn trả lời"}])

    rasa = client_with(handler)
    asyncio.run(rasa.probe(1.0))
    assert not any(rasa.readiness.is_ready(r) for r in REPLICAS)
    assert asyncio.run(rasa.send("user-1", "xin chào"))[0]["text"] == "vẫn trả lời"
