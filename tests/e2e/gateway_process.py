"""A second gateway process beside the e2e stack, for a channel pointed at a fake server.

The stack's own gateway is configured from the environment when the stack starts, usually
before a channel's fake server exists; so a channel's e2e test starts ``python -m channels``
(the same code) on a free loopback port with its settings, talking to the stack's Rasa and
action server and reading the stack's databases.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import E2E_TRACKER_DB, ROOT

DEV_RASA_TOKEN = "dev-rasa-token-change-me"  # what scripts/stack.py gives Rasa by default
HEALTHY_WITHIN_SECONDS = 120


@dataclass
class GatewayProcess:
    client: httpx.Client
    port: int
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def gateway_process(name: str, settings_for: Callable[[int], dict[str, str]],
                    log_dir: Path) -> Iterator[GatewayProcess]:
    """Starts the gateway with ``settings_for(port)`` on top of this environment, waits until
    its /healthz answers 200, and stops it afterwards (failing the test with its log if it
    exits or stays unhealthy)."""
    port = free_port()
    env = dict(os.environ)
    env.setdefault("TROLY_RASA_TOKEN", DEV_RASA_TOKEN)
    env["PYTHONPATH"] = str(ROOT) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update({
        "TROLY_GATEWAY_HOST": "127.0.0.1",
        "TROLY_GATEWAY_PORT": str(port),
        # the stack's conversations, as scripts/stack.py tells its own gateway
        "TROLY_TRACKER_DATABASE_URL": f"sqlite:///{E2E_TRACKER_DB}",
        **settings_for(port),
    })
    log_path = log_dir / "gateway.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv-app" / "bin" / "python"), "-m", "channels"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    handle = GatewayProcess(client, port, log_path)
    try:
        deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"{name} gateway exited ({process.returncode}):\n"
                            f"{handle.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get("/healthz", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"{name} gateway not healthy after {HEALTHY_WITHIN_SECONDS} s:\n"
                            f"{handle.log_tail()}")
            time.sleep(0.5)
        yield handle
    finally:
        client.close()
        _stop(process)
