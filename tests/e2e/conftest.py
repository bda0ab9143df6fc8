"""Starts the real stack (action server, Rasa, gateway) once for all end-to-end tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack  # noqa: E402  (scripts/ is not a package)


@pytest.fixture(scope="session")
def gateway() -> Iterator[httpx.Client]:
    """An HTTP client for the gateway of a freshly started stack."""
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        pytest.fail("no trained model: run `make train` (make e2e does this)")
    stack = Stack(str(model), gateway_port=8765)
    stack.start()
    try:
        with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
            yield client
    finally:
        stack.stop()


class Chat:
    """A conversation with one sender id."""

    def __init__(self, client: httpx.Client, sender: str) -> None:
        self.client = client
        self.sender = sender

    def say(self, message: str) -> list[dict]:
        response = self.client.post(
            "/api/chat", json={"sender_id": self.sender, "message": message}
        )
        assert response.status_code == 200, response.text
        return response.json()["messages"]


@pytest.fixture
def chat(gateway: httpx.Client, request: pytest.FixtureRequest) -> Chat:
    """A new conversation per test."""
    return Chat(gateway, f"e2e-{request.node.name[:40]}".replace("[", "-").replace("]", ""))
