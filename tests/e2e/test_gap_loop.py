"""Closing the gap loop through the running stack: a question the assistant cannot answer is
listed for staff, a staff member drafts a card from it, an admin publishes it (written, then
ingested by `python -m knowledge sync` in its own process), and the same question asked again
through /api/chat is answered from that card, citing it.

The published card is test data in the stack's data folder: it is removed (and the index
synced again) when the test ends, so later tests and `make run` never see it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from core.config import KnowledgeSettings

pytestmark = pytest.mark.stack
QUESTION = "Gia đình tôi muốn đăng ký nuôi chim yến trong nhà ở thì làm thủ tục ở đâu?"
PUBLISH_TIMEOUT_SECONDS = 600


def _login(gateway: httpx.Client, user_var: str, user: str, pass_var: str,
           password: str) -> dict[str, str]:
    response = gateway.post("/api/auth/login", json={
        "username": os.environ.get(user_var, user),
        "password": os.environ.get(pass_var, password)})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def card_id() -> Iterator[str]:
    """The test card's id; afterwards its file is removed and the index synced without it."""
    card = f"e2e-swiftlet-{uuid.uuid4().hex[:8]}"
    yield card
    for path in KnowledgeSettings().published_cards_dir.rglob(f"{card}.md"):
        path.unlink()
    subprocess.run([sys.executable, "-m", "knowledge", "sync"], check=True, timeout=600,
                   capture_output=True)


def _card(card_id: str, question: str) -> str:
    return f"""---
id: {card_id}
title: "Đăng ký nuôi chim yến trong nhà ở (thẻ thử nghiệm e2e)"
topic: residence
audience: [citizen]
sources:
  - title: "Thẻ thử nghiệm của bộ kiểm thử e2e"
    url: "https://example.invalid/e2e-swiftlet"
last_reviewed: {dt.date.today().isoformat()}
confidence: uncertain
questions:
  - "{question}"
  - "đăng ký nuôi chim yến ở đâu"
---

Thẻ thử nghiệm: việc nuôi chim yến trong nhà ở được khai báo với UBND xã, phường nơi có nhà.
"""


def test_a_card_drafted_from_a_gap_and_published_answers_the_question(gateway, chat,
                                                                     card_id) -> None:
    first = chat.say(QUESTION)
    assert "1900 0368" in " ".join(m.get("text") or "" for m in first)  # the honest fallback

    staff = _login(gateway, "TROLY_DEMO_STAFF_USER", "motcua", "TROLY_DEMO_STAFF_PASSWORD",
                   "DemoMotCua@2025")
    admin = _login(gateway, "TROLY_DEMO_ADMIN_USER", "quantri", "TROLY_DEMO_ADMIN_PASSWORD",
                   "DemoQuanTri@2025")
    listed = gateway.get("/api/curation/gaps", params={"limit": 200}, headers=staff).json()
    gap = next(g for g in listed["items"] if g["example"] == QUESTION)
    start = gateway.get("/api/curation/start", params={"gap": gap["key"]}, headers=staff).json()
    assert QUESTION in start["text"]

    created = gateway.post("/api/curation/drafts", headers=staff, json={
        "text": _card(card_id, QUESTION), "origin_kind": "gap", "origin": gap["key"]})
    assert created.status_code == 201 and created.json()["preview"]["problems"] == []
    draft_id = created.json()["id"]
    started = gateway.post(f"/api/curation/drafts/{draft_id}/publish", headers=admin)
    assert started.status_code == 202, started.text

    deadline = time.monotonic() + PUBLISH_TIMEOUT_SECONDS
    while (draft := gateway.get(f"/api/curation/drafts/{draft_id}", headers=admin).json())[
            "status"] == "publishing" and time.monotonic() < deadline:
        time.sleep(1)
    assert draft["status"] == "published", draft["problem"]

    answer = chat.say(QUESTION)
    text = " ".join(m.get("text") or "" for m in answer)
    assert "UBND xã, phường nơi có nhà" in text and "Thẻ thử nghiệm của bộ kiểm thử e2e" in text
    again = gateway.get("/api/curation/gaps", params={"limit": 200}, headers=staff).json()
    assert all(g["key"] != gap["key"] for g in again["items"])  # closed by the publication
