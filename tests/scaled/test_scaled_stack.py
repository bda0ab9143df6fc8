"""The scaled topology on one machine (`make e2e-scaled`): two Rasa replicas and two action
servers sharing PostgreSQL (Rasa's tracker store and the application's tables), Redis (Rasa's
lock store) and the chromadb server. A conversation whose replica dies continues on the other;
a guide ingested once is answered by both action servers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from stack import CHROMA_PORT, Stack  # noqa: E402  (scripts/ is not a package)

from channels.rasa_client import replica_order  # noqa: E402

pytestmark = pytest.mark.scaled
ADMIN = (
    os.environ.get("TROLY_DEMO_ADMIN_USER", "quantri"),
    os.environ.get("TROLY_DEMO_ADMIN_PASSWORD", "DemoQuanTri@2025"),
)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    if not os.environ.get("TROLY_DATABASE_URL", "").startswith("postgresql"):
        pytest.fail("run through `make e2e-scaled` (it starts PostgreSQL and sets the URL)")
    running = Stack(str(ROOT / "models" / "current.tar.gz"), gateway_port=8766,
                    profile="scaled")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        yield client


def say(gateway: httpx.Client, sender: str, text: str, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = gateway.post(
        "/api/chat", json={"sender_id": sender, "message": text}, headers=headers
    )
    assert response.status_code == 200, response.text
    return "\n".join(m.get("text") or "" for m in response.json()["messages"])


RUN = uuid.uuid4().hex[:8]  # the tracker store outlives a run: new conversations each time


def sender_on(stack: Stack, replica: int, prefix: str) -> str:
    """A sender id whose conversation the gateway sends to replica ``replica`` (1 or 2)."""
    urls = [f"http://127.0.0.1:{p}" for p in (5005, 5006)]
    return next(
        f"{prefix}-{RUN}-{i}" for i in range(1000)
        if replica_order(f"{prefix}-{RUN}-{i}", urls)[0] == urls[replica - 1]
    )


def test_health_reports_both_replicas_and_action_servers(gateway) -> None:
    body = gateway.get("/healthz").json()
    assert body["components"]["rasa-1"]["status"] == "ok"
    assert body["components"]["rasa-2"]["status"] == "ok"
    assert body["components"]["action_server-1"]["status"] == "ok"
    assert body["components"]["action_server-2"]["status"] == "ok"


def test_a_guide_ingested_once_is_answered_by_both_action_servers(stack, gateway, tmp_path):
    path = tmp_path / "huong-dan-tiep-nhan-chu-nhat.md"
    path.write_text(
        "# Hướng dẫn tiếp nhận hồ sơ căn cước ngày Chủ nhật\n\n"
        "Công an tỉnh Thử Nghiệm tiếp nhận hồ sơ cấp, đổi thẻ căn cước vào sáng Chủ nhật "
        "đầu tiên của mỗi tháng, từ 8 giờ đến 11 giờ, tại trụ sở Công an phường Thử Nghiệm.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "TROLY_CHROMA_URL": f"http://127.0.0.1:{CHROMA_PORT}"}

    def ingest() -> None:
        subprocess.run([sys.executable, "-m", "knowledge", "ingest", str(path)], cwd=ROOT,
                       env=env, check=True, capture_output=True, timeout=300)

    ingest()
    try:
        for replica in (1, 2):  # rasa-1 → actions-1, rasa-2 → actions-2
            text = say(gateway, sender_on(stack, replica, "scaled-guide"),
                       "Chủ nhật có tiếp nhận hồ sơ làm căn cước không, mấy giờ?")
            assert "8 giờ đến 11 giờ" in text and "Nguồn:" in text, (replica, text)
    finally:
        path.unlink()
        ingest()


def test_a_conversation_continues_on_the_other_replica_when_its_own_dies(stack, gateway):
    """Runs last: it kills rasa-1 (no supervisor restarts it here)."""
    login = gateway.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    token = login.json()["access_token"]
    sender = sender_on(stack, 1, "scaled-form")
    assert "tỉnh, thành phố nào" in say(gateway, sender, "tỷ lệ kích hoạt định danh điện tử",
                                         token)
    replica = next(s for s in stack.services if s.name == "rasa-1")
    os.killpg(replica.process.pid, signal.SIGKILL)  # the replica holding the conversation
    replica.process.wait(timeout=30)
    reply = say(gateway, sender, "Hà Giang", token)  # state is in the shared tracker store
    assert "83,7%" in reply and "30/06/2023" in reply
