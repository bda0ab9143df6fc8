"""Session fixtures for the Zalo end-to-end test: a fake Zalo Bot API and a gateway using it.

Import the fixtures into a test module (``from tests.e2e.zalo_fixtures import ...``).

The stack's own gateway (started by ``conftest.gateway``) is configured from the environment
at the moment the stack starts, which is usually before this module's fixtures run (other
stack tests come first), so it cannot be pointed at a fake server started here. Instead a
second gateway process (``python -m channels``, the same code) is started on a free port with
``TROLY_ZALO_*`` pointing at the fake Bot API; it talks to the stack's Rasa and action
server, which the ``gateway`` fixture has already started and checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.channels.fake_zalo import FakeZaloServer
from tests.e2e.gateway_process import GatewayProcess, gateway_process

WEBHOOK_SECRET = "e2e-zalo-webhook-secret"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


@dataclass
class ZaloGateway:
    """A gateway with the Zalo channel on, and the fake Bot API it answers through."""

    client: httpx.Client
    zalo: FakeZaloServer
    secret: str
    process: GatewayProcess

    def log_tail(self, lines: int = 40) -> str:
        return self.process.log_tail(lines)


@pytest.fixture(scope="session")
def fake_zalo_api() -> Iterator[FakeZaloServer]:
    """The fake Zalo Bot API on a free loopback port, for the whole session."""
    with FakeZaloServer() as server:
        yield server


@pytest.fixture(scope="session")
def zalo_gateway(
    gateway: httpx.Client,
    fake_zalo_api: FakeZaloServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ZaloGateway]:
    """A gateway process whose Zalo client talks to ``fake_zalo_api`` (stack must be up)."""

    def settings_for(port: int) -> dict[str, str]:
        return {
            "TROLY_ZALO_BOT_TOKEN": fake_zalo_api.token,
            "TROLY_ZALO_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TROLY_ZALO_API_BASE_URL": fake_zalo_api.url,
            "TROLY_ZALO_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/zalo",
        }

    with gateway_process("Zalo", settings_for, tmp_path_factory.mktemp("zalo-gateway")) as proc:
        yield ZaloGateway(proc.client, fake_zalo_api, WEBHOOK_SECRET, proc)
