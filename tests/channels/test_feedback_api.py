"""POST /api/feedback: a rating refers to an answer Rasa stored for that conversation."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.rasa_client import RasaClient
from feedback.ratings import ratings_by_source
from tests.channels.conftest import make_settings
from tests.feedback.test_conversation import EVENTS


@pytest.fixture
def setup(tmp_path) -> tuple[TestClient, str, list[str]]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    settings = make_settings(rasa_url="http://rasa.test", database_url=url)
    app = create_app(settings)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path == "/conversations/web-1/tracker":
            return httpx.Response(200, json={"sender_id": "web-1", "events": EVENTS})
        if request.url.path.endswith("/tracker"):
            return httpx.Response(200, json={"events": []})
        return httpx.Response(404)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    app.state.rasa = RasaClient(http, "http://rasa.test", settings.secrets.rasa_token, 5.0)
    return client, url, asked


def test_an_answer_of_the_conversation_is_rated(setup) -> None:
    client, url, _ = setup
    response = client.post("/api/feedback", json={
        "sender_id": "web-1", "source": "procedure:passport", "rating": "wrong",
        "reason": "not_what_i_asked"})
    assert response.status_code == 200 and "góp ý" in response.json()["message"]
    [summary] = ratings_by_source(url)
    assert (summary.source, summary.wrong) == ("procedure:passport", 1)


def test_an_answer_another_conversation_got_cannot_be_rated(setup) -> None:
    client, url, _ = setup
    response = client.post("/api/feedback", json={
        "sender_id": "web-2", "source": "procedure:passport", "rating": "helpful"})
    assert response.status_code == 404
    assert "Không tìm thấy câu trả lời" in response.json()["error"]["message"]
    assert ratings_by_source(url) == []


@pytest.mark.parametrize("body", [
    {"sender_id": "web-1", "source": "procedure:passport", "rating": "great"},
    {"sender_id": "web-1", "source": "procedure:passport", "rating": "wrong", "reason": "x"},
    {"sender_id": "zalo:123", "source": "procedure:passport", "rating": "helpful"},
    {"sender_id": "web-1", "source": "", "rating": "helpful"},
])
def test_bad_ratings_get_a_clear_422(setup, body) -> None:
    client, _, asked = setup
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422 and response.json()["error"]["message"]
    assert asked == []  # refused before anything reached Rasa


def test_rasa_down_is_the_503_apology(tmp_path) -> None:
    settings = make_settings(rasa_url="http://rasa.test",
                             database_url=f"sqlite:///{tmp_path / 'a.db'}")
    app = create_app(settings)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(down))
    app.state.rasa = RasaClient(http, "http://rasa.test", settings.secrets.rasa_token, 5.0)
    response = client.post("/api/feedback", json={
        "sender_id": "web-1", "source": "procedure:passport", "rating": "helpful"})
    assert response.status_code == 503 and "Traceback" not in response.text
