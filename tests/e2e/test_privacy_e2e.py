"""Citizens' personal data through the running stack: the notice opens a conversation in the
widget and on Zalo; "Xóa dữ liệu của tôi" (the widget's button, a Zalo message) asks for
confirmation and then deletes everything stored of the conversation — what Rasa kept, ratings —
while other conversations stay; an admin exports a conversation for a written request first."""

from __future__ import annotations

import os
import re
import sqlite3
import time
import uuid

import pytest

from tests.e2e.browser_support import assert_accessible, base_url_of
from tests.e2e.conftest import E2E_TRACKER_DB
from tests.e2e.zalo_fixtures import (  # noqa: F401 - pytest fixtures used by name
    SECRET_HEADER,
    ZaloGateway,
    fake_zalo_api,
    zalo_gateway,
)

pytestmark = pytest.mark.stack
ANSWER_TIMEOUT_MS = 60_000
LAUNCHER = re.compile(r"^Hỏi trợ lý")
ADMIN = (os.environ.get("TROLY_DEMO_ADMIN_USER", "quantri"),
         os.environ.get("TROLY_DEMO_ADMIN_PASSWORD", "DemoQuanTri@2025"))


def stored_events(sender: str) -> int:
    with sqlite3.connect(E2E_TRACKER_DB) as conn:
        return conn.execute("select count(*) from events where sender_id = ?",
                            (sender,)).fetchone()[0]


def test_the_widget_shows_the_notice_and_deletes_the_conversation(browser, gateway,
                                                                  chat) -> None:
    from playwright.sync_api import expect

    other = chat.say("cach kich hoat vneid")  # someone else's conversation, kept
    assert "xóa dữ liệu của tôi" in other[0]["text"]
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN",
                            bypass_csp=True)  # axe is injected as a script
    try:
        page.goto(f"{base_url_of(gateway)}/")
        page.get_by_role("button", name=LAUNCHER).click()
        log = page.get_by_role("log")
        expect(log).to_contain_text("Xin chào", timeout=ANSWER_TIMEOUT_MS)
        expect(log).to_contain_text("xóa dữ liệu của tôi")
        expect(log.get_by_role("link", name=re.compile(r"privacy$"))).to_be_visible()
        box = page.get_by_label("Nhập câu hỏi")
        box.fill("cach kich hoat vneid")
        box.press("Enter")
        expect(log).to_contain_text("Nguồn:", timeout=ANSWER_TIMEOUT_MS)
        sender = page.evaluate("() => localStorage.getItem('troly06.sender_id')")
        assert stored_events(sender) > 0

        page.get_by_role("button", name="Xóa dữ liệu của tôi").click()
        expect(log).to_contain_text("không khôi phục được", timeout=ANSWER_TIMEOUT_MS)
        assert_accessible(page, "widget, the deletion confirmation (phone)")
        page.get_by_role("button", name="Xác nhận xóa").click()
        expect(log).to_contain_text("Đã xóa toàn bộ dữ liệu", timeout=ANSWER_TIMEOUT_MS)
        assert stored_events(sender) == 0
        assert stored_events(chat.sender) > 0
    finally:
        page.close()


def test_zalo_notice_export_and_deletion(zalo_gateway: ZaloGateway,  # noqa: F811 - fixture
                                         gateway) -> None:
    client, zalo = zalo_gateway.client, zalo_gateway.zalo
    chat_id = f"e2e-zalo-{uuid.uuid4().hex[:12]}"
    sender = f"zalo:{chat_id}"

    def say(text: str) -> None:
        update = {"ok": True, "result": {"event_name": "message.text.received", "message": {
            "from": {"id": chat_id, "display_name": "E2E", "is_bot": False},
            "chat": {"id": chat_id, "chat_type": "PRIVATE"}, "text": text,
            "message_id": uuid.uuid4().hex, "date": int(time.time() * 1000)}}}
        response = client.post("/webhooks/zalo", json=update,
                               headers={SECRET_HEADER: zalo_gateway.secret})
        assert response.status_code == 200, response.text

    def texts(calls=None) -> list[str]:
        """What the chat was sent; inside ``wait_for`` from the calls it hands over (it holds
        the fake server's lock, which ``zalo.texts`` would take again)."""
        if calls is None:
            return zalo.texts(chat_id)
        return [c.params.get("text", "") for c in calls
                if c.method == "sendMessage" and c.params.get("chat_id") == chat_id]

    say("cach kich hoat vneid")
    zalo.wait_for(lambda calls: any("Nguồn:" in t for t in texts(calls)), timeout=120)
    assert "xóa dữ liệu của tôi" in texts()[0]  # the notice comes first

    login = gateway.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
    exported = gateway.get(f"/api/privacy/conversations/{sender}/export",
                           params={"reference": "E2E-01/YC"}, headers=admin)
    assert exported.status_code == 200
    assert "cach kich hoat vneid" in [m["text"] for m in exported.json()["messages"]]

    count = len(texts())
    say("Xóa dữ liệu của tôi")
    zalo.wait_for(lambda calls: len(texts(calls)) > count, timeout=60)
    assert "1. Xác nhận xóa" in texts()[-1]
    say("1")
    zalo.wait_for(lambda calls: any("Đã xóa toàn bộ dữ liệu" in t for t in texts(calls)),
                  timeout=60)
    assert stored_events(sender) == 0
