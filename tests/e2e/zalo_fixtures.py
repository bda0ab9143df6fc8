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

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.channels.fake_zalo import FakeZaloServer
from tests.e2e.conftest import E2E_TRACKER_DB

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_SECRET = "e2e-zalo-webhook-secret"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
DEV_RASA_TOKEN = "dev-rasa-token-change-me"  # what scripts/stack.py gives Rasa by default


@dataclass
class ZaloGateway:
    """A gateway with the Zalo channel on, and the fake Bot API it answers through."""

    client: httpx.Client
    zalo: FakeZaloServer
    secret: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    port = _free_port()
    env = dict(os.environ)
    env.setdefault("TROLY_RASA_TOKEN", DEV_RASA_TOKEN)
    env["PYTHONPATH"] = str(ROOT) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    env.update(
        {
            "TROLY_GATEWAY_HOST": "127.0.0.1",
            "TROLY_GATEWAY_PORT": str(port),
            "TROLY_ZALO_BOT_TOKEN": fake_zalo_api.token,
            "TROLY_ZALO_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TROLY_ZALO_API_BASE_URL": fake_zalo_api.url,
            "TROLY_ZALO_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/zalo",
            # the stack's conversations (as scripts/stack.py tells its own gateway): a Zalo
            # citizen's "xóa dữ liệu của tôi" deletes what Rasa stored too
            "TROLY_TRACKER_DATABASE_URL": f"sqlite:///{E2E_TRACKER_DB}",
        }
    )
    log_path = tmp_path_factory.mktemp("zalo-gateway") / "gateway.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv-app" / "bin" / "python"), "-m", "channels"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    handle = ZaloGateway(client, fake_zalo_api, WEBHOOK_SECRET, log_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"Zalo gateway exited ({process.returncode}):\n{handle.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get("/healthz", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"Zalo gateway not healthy after 120 s:\n{handle.log_tail()}")
            time.sleep(0.5)
        yield handle
    finally:
        client.close()
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
