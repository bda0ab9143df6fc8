"""Closing the gap loop through the running stack, in Chromium: a question the assistant cannot
answer is listed in the console, a one-stop staff member drafts a card from it (preview, the
problems named), an admin publishes it on a phone (written, then ingested by `python -m
knowledge sync` in its own process), and the same question asked again through /api/chat is
answered from that card, citing it; axe finds no WCAG 2.1 A/AA violation on the way.

The published card is test data in the stack's data folder: it is removed (and the index
synced again) when the test ends, so later tests and `make run` never see it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from core.config import KnowledgeSettings
from tests.e2e.browser_support import SHOTS, assert_accessible, base_url_of

pytestmark = pytest.mark.stack
QUESTION = "Gia đình tôi muốn đăng ký nuôi chim yến trong nhà ở thì làm thủ tục ở đâu?"
STAFF = (os.environ.get("TROLY_DEMO_STAFF_USER", "motcua"),
         os.environ.get("TROLY_DEMO_STAFF_PASSWORD", "DemoMotCua@2025"))
ADMIN = (os.environ.get("TROLY_DEMO_ADMIN_USER", "quantri"),
         os.environ.get("TROLY_DEMO_ADMIN_PASSWORD", "DemoQuanTri@2025"))
PUBLISH_TIMEOUT_SECONDS = 600


def log_in(page: Any, base: str, account: tuple[str, str]) -> None:
    page.goto(f"{base}/console")
    page.get_by_label("Tên đăng nhập").fill(account[0])
    page.get_by_label("Mật khẩu").fill(account[1])
    page.get_by_role("button", name="Đăng nhập").click()


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


def test_a_card_drafted_from_a_gap_and_published_answers_the_question(
        gateway, chat, card_id, browser) -> None:
    from playwright.sync_api import expect

    first = chat.say(QUESTION)
    assert "1900 0368" in " ".join(m.get("text") or "" for m in first)  # the honest fallback
    base = base_url_of(gateway)
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                    bypass_csp=True)  # axe is injected as a script
    admin_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                    bypass_csp=True)  # axe is injected as a script
    try:
        # a one-stop staff member drafts the card from the question in the console
        staff = staff_ctx.new_page()
        log_in(staff, base, STAFF)
        staff.get_by_role("button", name="Bổ sung kiến thức").click()
        staff.get_by_role("button", name=f"Soạn thẻ cho câu hỏi: {QUESTION}").click()
        editor = staff.get_by_label("Nội dung thẻ", exact=False)
        expect(editor).to_have_value(re.compile("nuôi chim yến"))
        staff.get_by_role("button", name="Xem trước").click()
        expect(staff.locator("#preview-problems")).to_contain_text("nguồn")  # template: unfinished
        editor.fill(_card(card_id, QUESTION))
        staff.get_by_role("button", name="Xem trước").click()
        expect(staff.locator("#preview-verdict")).to_have_text("Thẻ đủ điều kiện để đăng.")
        staff.get_by_role("button", name="Lưu bản thảo").click()
        expect(staff.get_by_role("status")).to_have_text("Đã lưu bản thảo.")
        assert staff.get_by_role("button", name="Đăng thẻ").is_hidden()  # admins publish
        assert_accessible(staff, "console, drafting a card")

        # an admin (on a phone) opens the draft and publishes it
        admin = admin_ctx.new_page()
        log_in(admin, base, ADMIN)
        admin.get_by_role("button", name="Bổ sung kiến thức").click()
        admin.get_by_role("button", name=re.compile("^Mở bản thảo Đăng ký nuôi chim yến")).click()
        admin.get_by_role("button", name="Đăng thẻ").click()
        expect(admin.get_by_role("status")).to_contain_text(
            "Đã đăng thẻ", timeout=PUBLISH_TIMEOUT_SECONDS * 1000)
        assert_accessible(admin, "console, a published card (phone)")
        admin.screenshot(path=str(SHOTS / "14-card-published.png"), full_page=True)
    finally:
        staff_ctx.close()
        admin_ctx.close()

    answer = chat.say(QUESTION)
    text = " ".join(m.get("text") or "" for m in answer)
    assert "UBND xã, phường nơi có nhà" in text and "Thẻ thử nghiệm của bộ kiểm thử e2e" in text
    listed = gateway.post("/api/auth/login", json={"username": STAFF[0], "password": STAFF[1]})
    token = {"Authorization": f"Bearer {listed.json()['access_token']}"}
    gaps = gateway.get("/api/curation/gaps", params={"limit": 200}, headers=token).json()
    assert all(g["example"] != QUESTION for g in gaps["items"])  # closed by the publication
