"""Handing a conversation to a person, end to end in two Chromium contexts: a citizen asks for
staff in the widget, a one-stop staff member takes the conversation in the console and replies,
the citizen sees the reply and answers, staff hand it back, and the assistant answers the
citizen's next question. The assistant stays silent while staff hold the conversation."""

from __future__ import annotations

import os
import re

import pytest

from tests.e2e.browser_support import SHOTS, assert_accessible, base_url_of

pytestmark = pytest.mark.stack
STAFF = (os.environ.get("TROLY_DEMO_STAFF_USER", "motcua"),
         os.environ.get("TROLY_DEMO_STAFF_PASSWORD", "DemoMotCua@2025"))
REPLY_TIMEOUT_MS = 60_000
LAUNCHER = re.compile(r"^Hỏi trợ lý")


def test_citizen_asks_for_a_person_staff_answer_and_hand_back(browser, gateway) -> None:
    from playwright.sync_api import expect

    base = base_url_of(gateway)
    citizen_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                      bypass_csp=True)
    staff_ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                    bypass_csp=True)
    try:
        citizen = citizen_ctx.new_page()
        citizen.goto(f"{base}/")
        citizen.get_by_role("button", name=LAUNCHER).click()
        log = citizen.get_by_role("log")
        expect(log).to_contain_text("Xin chào", timeout=REPLY_TIMEOUT_MS)
        box = citizen.get_by_label("Nhập câu hỏi")
        box.fill("cho tôi gặp cán bộ")
        box.press("Enter")
        expect(log).to_contain_text("vị trí thứ", timeout=REPLY_TIMEOUT_MS)
        box.fill("Tôi muốn hỏi về việc đổi thẻ căn cước cho mẹ tôi")
        box.press("Enter")
        expect(citizen.locator(".troly-msg--bot").last).to_contain_text(
            "chuyển tới cán bộ", timeout=REPLY_TIMEOUT_MS)  # staff's queue, not the assistant

        staff = staff_ctx.new_page()
        staff.goto(f"{base}/console")
        staff.get_by_label("Tên đăng nhập").fill(STAFF[0])
        staff.get_by_label("Mật khẩu").fill(STAFF[1])
        staff.get_by_role("button", name="Đăng nhập").click()
        staff.get_by_role("table").get_by_role("button", name=re.compile("^Nhận")).first.click()
        transcript = staff.get_by_role("list", name="Nội dung cuộc trò chuyện")
        expect(transcript).to_contain_text("đổi thẻ căn cước cho mẹ tôi")
        staff.get_by_label("Trả lời người dân").fill(
            "Chào anh/chị, mẹ anh/chị có thể đổi thẻ tại Công an xã nơi cư trú.")
        staff.get_by_role("button", name="Gửi trả lời").click()

        expect(log).to_contain_text("Cán bộ: Chào anh/chị, mẹ anh/chị có thể đổi thẻ",
                                    timeout=REPLY_TIMEOUT_MS)
        assert_accessible(citizen, "widget, a staff reply")
        citizen.screenshot(path=str(SHOTS / "12-handoff-citizen.png"))
        box.fill("Cảm ơn cán bộ, cần mang theo gì ạ?")
        box.press("Enter")
        expect(transcript).to_contain_text("cần mang theo gì", timeout=REPLY_TIMEOUT_MS)
        staff.screenshot(path=str(SHOTS / "13-handoff-staff.png"))

        staff.get_by_role("button", name="Trả lại cho trợ lý").click()
        expect(log).to_contain_text("chuyển cuộc trò chuyện lại cho trợ lý",
                                    timeout=REPLY_TIMEOUT_MS)
        box.fill("lệ phí cấp hộ chiếu phổ thông là bao nhiêu")
        box.press("Enter")
        expect(citizen.locator(".troly-msg--bot").last).to_contain_text(
            "Nguồn", timeout=REPLY_TIMEOUT_MS)  # the assistant answers again
    finally:
        citizen_ctx.close()
        staff_ctx.close()
