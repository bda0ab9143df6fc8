"""The staff console in Chromium against the real stack: a one-stop staff member logs in, sees a
conversation waiting, takes it, reads its last turns, replies and hands it back; the page has
no WCAG 2.1 A/AA violation (axe-core) at each step."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from handoff.queue import request_handoff
from tests.e2e.browser_support import SHOTS, assert_accessible, base_url_of

pytestmark = pytest.mark.stack
STAFF = (os.environ.get("TROLY_DEMO_STAFF_USER", "motcua"),
         os.environ.get("TROLY_DEMO_STAFF_PASSWORD", "DemoMotCua@2025"))


def test_staff_take_reply_and_hand_back_in_the_console(browser, gateway) -> None:
    from playwright.sync_api import expect

    url = os.environ["TROLY_DATABASE_URL"]
    sender = f"web:console-{uuid.uuid4().hex[:8]}"
    handoff, _ = request_handoff(url, sender, "web", topic="procedure:passport",
                                 last_turns=[("citizen", "Tôi muốn hỏi cán bộ về lệ phí hộ chiếu"),
                                             ("assistant", "Anh/chị vui lòng chờ cán bộ.")])
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{base_url_of(gateway)}/console")
        expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
        assert_accessible(page, "console, login")
        page.get_by_label("Tên đăng nhập").fill(STAFF[0])
        page.get_by_label("Mật khẩu").fill(STAFF[1])
        page.get_by_role("button", name="Đăng nhập").click()

        queue = page.get_by_role("table")
        expect(queue).to_contain_text("procedure:passport")
        expect(page.get_by_role("caption")).to_contain_text("đang chờ cán bộ")
        assert_accessible(page, "console, queue")
        page.screenshot(path=str(SHOTS / "10-console-queue.png"))
        row = queue.get_by_role("row").filter(has_text="procedure:passport")
        row.get_by_role("button", name="Nhận").click()

        transcript = page.get_by_role("list", name="Nội dung cuộc trò chuyện")
        expect(transcript).to_contain_text("lệ phí hộ chiếu")
        reply = page.get_by_label("Trả lời người dân")
        expect(reply).to_be_focused()
        reply.fill("Chào anh/chị, lệ phí cấp hộ chiếu nộp trực tuyến là 100.000 đồng.")
        page.get_by_role("button", name="Gửi trả lời").click()
        expect(transcript).to_contain_text("100.000 đồng")
        page.get_by_label("Gửi thẻ kiến thức", exact=False).fill("vneid-activate")
        page.get_by_role("button", name="Gửi thẻ").click()
        expect(transcript).to_contain_text("Nguồn:")  # the card, with its sources
        assert_accessible(page, "console, a held conversation")
        page.screenshot(path=str(SHOTS / "11-console-conversation.png"))

        page.get_by_role("button", name="Trả lại cho trợ lý").click()
        expect(page.get_by_role("status")).to_contain_text("trả cuộc trò chuyện lại cho trợ lý")
    finally:
        context.close()
    with create_engine(url).connect() as conn:
        status = conn.execute(text("select status, taken_by from handoffs where id = :i"),
                              {"i": handoff.id}).one()
    assert tuple(status) == ("returned", STAFF[0])
