"""Session fixtures for the Zalo OA end-to-end test: a fake OA API/OAuth server and a gateway
using it, beside the stack (the same approach as ``zalo_fixtures`` for the Bot channel: the
stack's own gateway was configured before this fake existed, so a second gateway process on a
free port serves the OA channel and talks to the stack's Rasa and action server).

The initial token pair is stored encrypted in the stack's database before that gateway
starts, as an operator does with ``troly zalo-oa set-tokens``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from oa_tokens import TokenCipher, TokenPair, generate_key, save_tokens
from tests.channels.fake_zalo_oa import APP_ID, OA_SECRET_KEY, FakeZaloOA
from tests.e2e.conftest import E2E_TRACKER_DB
from tests.e2e.zalo_fixtures import DEV_RASA_TOKEN, ROOT, _free_port


@dataclass
class OAGateway:
    """A gateway with the OA channel on, and the fake OA API it answers through."""

    client: httpx.Client
    oa: FakeZaloOA
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


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


@pytest.fixture(scope="session")
def oa_gateway(
    gateway: httpx.Client, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OAGateway]:
    """A gateway process whose OA client talks to a fake OA server (stack must be up)."""
    with FakeZaloOA() as oa:
        key = generate_key()
        access, refresh = oa.issue_tokens()
        now = dt.datetime.now(dt.timezone.utc)
        # the stack's database (tests/e2e/conftest.py prepare_database set it)
        save_tokens(os.environ["TROLY_DATABASE_URL"], APP_ID,
                    TokenPair(access, refresh, now + dt.timedelta(hours=25)), TokenCipher(key))
        port = _free_port()
        env = dict(os.environ)
        env.setdefault("TROLY_RASA_TOKEN", DEV_RASA_TOKEN)
        env["PYTHONPATH"] = str(ROOT) + (
            os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.update({
            "TROLY_GATEWAY_HOST": "127.0.0.1",
            "TROLY_GATEWAY_PORT": str(port),
            "TROLY_ZALO_OA_APP_ID": APP_ID,
            "TROLY_ZALO_OA_SECRET_KEY": OA_SECRET_KEY,
            "TROLY_ZALO_OA_APP_SECRET": oa.app_secret,
            "TROLY_ZALO_OA_TOKEN_KEY": key,
            "TROLY_ZALO_OA_API_BASE_URL": oa.url,
            "TROLY_ZALO_OA_OAUTH_BASE_URL": oa.url,
            # the stack's conversations, as scripts/stack.py tells its own gateway
            "TROLY_TRACKER_DATABASE_URL": f"sqlite:///{E2E_TRACKER_DB}",
        })
        log_path = tmp_path_factory.mktemp("zalo-oa-gateway") / "gateway.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [str(ROOT / ".venv-app" / "bin" / "python"), "-m", "channels"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        handle = OAGateway(client, oa, log_path)
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    pytest.fail(f"OA gateway exited ({process.returncode}):\n"
                                f"{handle.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get("/healthz", timeout=5).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    pytest.fail(f"OA gateway not healthy after 120 s:\n{handle.log_tail()}")
                time.sleep(0.5)
            yield handle
        finally:
            client.close()
            _stop(process)
