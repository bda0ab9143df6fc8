"""Gateway tests keep their databases in temporary folders, not in var/, and build their
clients (``make_client``) on a mocked Rasa."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.rasa_client import RasaClient
from core.config import (
    DatabaseSettings,
    GatewaySettings,
    HandoffSettings,
    KnowledgeSettings,
    SecretSettings,
    Settings,
)

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True, scope="session")
def _accounts_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    path = tmp_path_factory.mktemp("gateway-db") / "accounts.db"
    saved = os.environ.get("TROLY_ACCOUNTS_DATABASE_URL")
    os.environ["TROLY_ACCOUNTS_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    if saved is None:
        os.environ.pop("TROLY_ACCOUNTS_DATABASE_URL", None)
    else:
        os.environ["TROLY_ACCOUNTS_DATABASE_URL"] = saved


def make_settings(**fields) -> Settings:
    """``Settings`` with each given field put in the section that owns it (dev mode unless
    said otherwise: the tests use the development secrets)."""
    fields.setdefault("dev_mode", True)
    sections = {}
    for name, cls in (("gateway", GatewaySettings), ("secrets", SecretSettings),
                      ("database", DatabaseSettings), ("knowledge", KnowledgeSettings),
                      ("handoff", HandoffSettings)):
        sections[name] = cls(**{k: v for k, v in fields.items() if k in cls.model_fields})
    unknown = set(fields) - {f for s in sections.values() for f in type(s).model_fields}
    assert not unknown, f"no section has {unknown}"
    return Settings(**sections)


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[[Handler], TestClient]]:
    """Builds TestClients whose upstream HTTP calls go to a handler (no sockets), each on a
    database of its own under ``tmp_path`` (the handoff queue is read when Rasa answers nothing,
    and pytest prunes old ``tmp_path`` folders); closed when the test ends."""
    clients: list[TestClient] = []

    def build(handler: Handler) -> TestClient:
        database = tmp_path / f"app-{len(clients)}.db"
        settings = make_settings(
            rasa_url="http://rasa.test", action_server_url="http://actions.test",
            database_url=f"sqlite:///{database}",
        )
        app = create_app(settings)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        app.state.http = http
        app.state.rasa = RasaClient(
            http, settings.gateway.rasa_url, settings.secrets.rasa_token, 5.0
        )
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
