"""The console's analytics in Chromium against the real stack: a citizen marks an answer from a
card "Chưa đúng" in the widget; a one-stop staff member opens "Thống kê" and finds that card
under the answers marked wrong, with the chart, the tables and a CSV download; the demo official
(the province this deployment serves in dev mode) sees the analytics and no queue. No WCAG 2.1
A/AA violation (axe-core) on the analytics at desktop and phone sizes."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.browser_support import SHOTS, assert_accessible, base_url_of

pytestmark = pytest.mark.stack
STAFF = (os.environ.get("TROLY_DEMO_STAFF_USER", "motcua"),
         os.environ.get("TROLY_DEMO_STAFF_PASSWORD", "DemoMotCua@2025"))
OFFICIAL = (os.environ.get("TROLY_DEMO_OFFICIAL_USER", "canbo.hagiang"),
            os.environ.get("TROLY_DEMO_OFFICIAL_PASSWORD", "DemoHaGiang@2025"))
ANSWER_TIMEOUT_MS = 60_000
LAUNCHER = re.compile(r"^Hỏi trợ lý")
QUESTION = "cach kich hoat vneid"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def mark_an_answer_wrong(page: Any, base: str) -> str:
    """A citizen asks, gets an answer from a card and marks it "Chưa đúng" (wrong
    information); returns the card's source as stored with the rating."""
    from playwright.sync_api import expect

    page.goto(f"{base}/")
    page.get_by_role("button", name=LAUNCHER).click()
    log = page.get_by_role("log")
    expect(log).to_contain_text("Xin chào", timeout=ANSWER_TIMEOUT_MS)
    box = page.get_by_label("Nhập câu hỏi")
    box.fill(QUESTION)
    box.press("Enter")
    rating = page.get_by_role("group", name="Câu trả lời này có đúng điều anh/chị cần không?")
    expect(rating.last.get_by_role("button", name="Chưa đúng")).to_be_visible(
        timeout=ANSWER_TIMEOUT_MS)
    rating.last.get_by_role("button", name="Chưa đúng").click()
    page.get_by_role("group", name="Chưa đúng ở điểm nào?").get_by_role(
        "button", name="Thông tin sai").click()
    expect(page.locator(".troly-rated").last).to_contain_text("Cảm ơn anh/chị đã góp ý")
    sender = page.evaluate("() => localStorage.getItem('troly06.sender_id')")
    with create_engine(os.environ["TROLY_DATABASE_URL"]).connect() as conn:
        return conn.execute(text("select source from answer_ratings where sender_id = :s "
                                 "and rating = 'wrong'"), {"s": sender}).scalar_one()


def log_in(page: Any, base: str, account: tuple[str, str]) -> None:
    page.goto(f"{base}/console")
    page.get_by_label("Tên đăng nhập").fill(account[0])
    page.get_by_label("Mật khẩu").fill(account[1])
    page.get_by_role("button", name="Đăng nhập").click()


def wrong_answers_table(page: Any) -> Any:
    return page.get_by_role("table", name="Theo thẻ hoặc thủ tục, kèm lý do người dân chọn")


def test_a_card_marked_wrong_shows_in_the_console_analytics(browser, gateway,
                                                            tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base = base_url_of(gateway)
    options = {"locale": "vi-VN", "bypass_csp": True}
    citizen_ctx = browser.new_context(viewport=DESKTOP, **options)
    staff_ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True, **options)
    official_ctx = browser.new_context(viewport=PHONE, **options)
    try:
        source = mark_an_answer_wrong(citizen_ctx.new_page(), base)

        staff = staff_ctx.new_page()
        log_in(staff, base, STAFF)
        queue_title = "Hàng chờ người dân cần gặp cán bộ"
        expect(staff.get_by_role("heading", name=queue_title)).to_be_visible()
        staff.get_by_role("button", name="Thống kê", exact=True).click()
        expect(staff.get_by_role("heading", name="Thống kê", exact=True)).to_be_focused()
        wrong = wrong_answers_table(staff)
        expect(wrong).to_contain_text(source)
        expect(wrong.get_by_role("row").filter(has_text=source)).to_contain_text("Thông tin sai")
        expect(staff.get_by_role("img", name=re.compile("đánh giá chưa đúng"))).to_be_visible()
        expect(staff.get_by_role("img", name=re.compile("tin nhắn của người dân mỗi ngày"))
               ).to_be_visible()
        expect(staff.get_by_role("table", name="Số lần mỗi thẻ hoặc thủ tục được dùng để trả lời")
               ).to_contain_text(source)  # read from the stored conversations
        assert_accessible(staff, "console, analytics (desktop)")
        staff.screenshot(path=str(SHOTS / "14-console-analytics.png"), full_page=True)

        with staff.expect_download() as caught:
            staff.get_by_role("button", name="Tải CSV câu trả lời chưa đúng").click()
        saved = tmp_path / "wrong.csv"
        caught.value.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"\xef\xbb\xbf")
        assert source in content.decode("utf-8-sig")

        staff.get_by_label("Từ ngày").fill("2020-01-01")
        staff.get_by_label("Đến ngày").fill("2020-01-31")
        staff.get_by_role("button", name="Xem thống kê").click()
        expect(wrong).to_contain_text("Chưa có câu trả lời nào bị đánh giá chưa đúng")

        official = official_ctx.new_page()
        log_in(official, base, OFFICIAL)
        expect(wrong_answers_table(official)).to_contain_text(source)
        expect(official.get_by_role("button", name="Hàng chờ", exact=True)).to_be_hidden()
        expect(official.get_by_role("heading", name=queue_title)).to_be_hidden()
        assert_accessible(official, "console, analytics (phone, official)")
        official.screenshot(path=str(SHOTS / "15-console-analytics-phone.png"), full_page=True)
    finally:
        citizen_ctx.close()
        staff_ctx.close()
        official_ctx.close()
