"""Starts the real stack (action server, Rasa, gateway) once for all end-to-end tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack  # noqa: E402  (scripts/ is not a package)

from tests.e2e.browser_support import browser  # noqa: E402, F401  (the browser tests' fixture)

E2E_DB = ROOT / "var" / "e2e" / "troly06.db"
E2E_TRACKER_DB = ROOT / "var" / "e2e" / "tracker.db"  # Rasa's SQL tracker store
E2E_SUPERVISOR_STATUS = ROOT / "var" / "e2e" / "supervisor.json"  # read by /healthz
LOG_DIR = ROOT / "var" / "log"
_LOG_OFFSETS: dict[str, int] = {}


def log_offsets() -> dict[str, int]:
    """Where each service log ended when this run's stack started (earlier runs append)."""
    return dict(_LOG_OFFSETS)
FIXTURE_FIGURES = Path(__file__).with_name("data") / "figures.csv"


def prepare_database() -> str:
    """A fresh database for the stack under test (figures, procedures, accounts, gaps), so the
    tests neither depend on nor change the one `make run` uses. Figures come from the seed
    reports through the extractor, or — where the seeds are absent — from a small test file
    whose source says it is test data."""
    from indicators.importer import import_file
    from indicators.observations import load_seed_figures
    from tests.conftest import SEEDS_DIR

    E2E_DB.unlink(missing_ok=True)
    url = f"sqlite:///{E2E_DB}"
    os.environ["TROLY_DATABASE_URL"] = url
    os.environ.pop("TROLY_ACCOUNTS_DATABASE_URL", None)
    if (SEEDS_DIR / "000_956fdc6dbb6455d8.txt").exists():
        load_seed_figures(url, SEEDS_DIR, by="e2e")
    else:
        import_file(url, FIXTURE_FIGURES, by="e2e")
    return url


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """A freshly started stack on its own databases (application and conversations)."""
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        pytest.fail("no trained model: run `make train` (make e2e does this)")
    names = ("TROLY_DATABASE_URL", "TROLY_ACCOUNTS_DATABASE_URL", "TROLY_TRACKER_DB",
             "TROLY_SUPERVISOR_STATUS_FILE", "TROLY_OFFICE_HOURS")
    saved = {k: os.environ.get(k) for k in names}
    prepare_database()
    E2E_TRACKER_DB.unlink(missing_ok=True)
    os.environ["TROLY_TRACKER_DB"] = str(E2E_TRACKER_DB)
    os.environ["TROLY_SUPERVISOR_STATUS_FILE"] = str(E2E_SUPERVISOR_STATUS)
    # staff "work" around the clock in the tests: a handoff is answered whatever the hour
    os.environ["TROLY_OFFICE_HOURS"] = "T2-CN 00:00-23:59"
    _LOG_OFFSETS.update({p.name: p.stat().st_size for p in LOG_DIR.glob("*.log")})
    running = Stack(str(model), gateway_port=8765)
    running.start()
    running.supervise()  # as under `make run`: a child that dies is started again
    try:
        yield running
    finally:
        running.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client for the gateway of the running stack."""
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        yield client


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
