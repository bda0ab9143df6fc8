"""The web widget in a real browser (Debian's Chromium via Playwright) against the real stack
(browser and axe-core: tests/e2e/browser_support.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser_support import SHOTS, assert_accessible, base_url_of

pytestmark = pytest.mark.stack

ANSWER_TIMEOUT_MS = 60_000
LAUNCHER = re.compile(r"^Hỏi trợ lý: mở cửa sổ trò chuyện")
# The demo official created at start-up (TROLY_DEMO_ACCOUNTS); the same variables override it.
OFFICIAL_USER = os.environ.get("TROLY_DEMO_OFFICIAL_USER", "canbo.hagiang")
OFFICIAL_PASSWORD = os.environ.get("TROLY_DEMO_OFFICIAL_PASSWORD", "DemoHaGiang@2025")
UNKNOWN_USER = "khong.ton.tai"  # wrong logins use another name: the limit is per user + IP
INDICATOR_QUESTION = "Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?"


def rate_the_last_answer_wrong(page: Any, shots: Path) -> None:
    """"Chưa đúng" with a reason under an answer: thanked, and stored for staff."""
    from playwright.sync_api import expect
    from sqlalchemy import create_engine, text

    rating = page.get_by_role("group", name="Câu trả lời này có đúng điều anh/chị cần không?")
    expect(rating.last.get_by_role("button", name="Hữu ích")).to_be_visible()
    rating.last.get_by_role("button", name="Chưa đúng").click()
    reasons = page.get_by_role("group", name="Chưa đúng ở điểm nào?")
    expect(reasons.get_by_role("button", name="Thông tin sai")).to_be_focused()
    reasons.get_by_role("button", name="Thông tin sai").click()
    expect(page.locator(".troly-rated").last).to_contain_text("Cảm ơn anh/chị đã góp ý")
    page.screenshot(path=str(shots / "03b-rated.png"))
    sender = page.evaluate("() => localStorage.getItem('troly06.sender_id')")
    with create_engine(os.environ["TROLY_DATABASE_URL"]).connect() as conn:
        row = conn.execute(text(
            "select rating, reason, channel, question from answer_ratings where sender_id = :s"
        ), {"s": sender}).one()
    assert tuple(row) == ("wrong", "wrong_info", "web", "cach kich hoat vneid")


def check_conversation(page: Any, base_url: str, shots: Path) -> None:
    """Desktop: open, greeting, menu button, sub-menu, typed question with a cited answer."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/")
    launcher = page.get_by_role("button", name=LAUNCHER)
    expect(launcher).to_be_visible()
    assert_accessible(page, "desktop, widget closed")
    launcher.click()
    log = page.get_by_role("log")
    expect(log).to_be_visible()
    expect(log).to_have_attribute("aria-live", "polite")
    question_box = page.get_by_label("Nhập câu hỏi")
    expect(question_box).to_be_focused()
    expect(question_box).to_have_attribute("placeholder", "Nhập câu hỏi…")

    expect(log).to_contain_text("Xin chào", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(".troly-msg--user")).to_have_count(0)  # /greet is not shown
    page.screenshot(path=str(shots / "01-greeting.png"))
    assert_accessible(page, "desktop, greeting")

    log.get_by_role("button", name="VNeID", exact=True).click()
    expect(page.locator(".troly-msg--user").last).to_have_text("VNeID")
    expect(log.get_by_role("button", name="Kích hoạt tài khoản")).to_be_visible(
        timeout=ANSWER_TIMEOUT_MS
    )
    page.screenshot(path=str(shots / "02-vneid-menu.png"))

    question_box.fill("cach kich hoat vneid")
    question_box.press("Enter")
    answer = page.locator(
        "xpath=//div[contains(@class,'troly-msg--user')][.='cach kich hoat vneid']"
        "/following-sibling::div[contains(@class,'troly-msg--bot')][contains(., 'Nguồn:')]"
    )
    expect(answer.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(question_box).to_have_value("")
    expect(page.get_by_text("Trợ lý đang trả lời…")).to_be_hidden()
    page.screenshot(path=str(shots / "03-answer.png"))
    assert_accessible(page, "desktop, an answer with its rating buttons")
    rate_the_last_answer_wrong(page, shots)

    # text is shown as text: markup typed by a user (or sent back) never becomes HTML
    markup = "<b>the</b> can cuoc <img src=x>"
    question_box.fill(markup)
    question_box.press("Enter")
    expect(page.locator(".troly-msg--user").last).to_have_text(markup)
    assert page.locator(".troly-panel b, .troly-panel img[src='x']").count() == 0

    sender = page.evaluate("() => localStorage.getItem('troly06.sender_id')")
    assert re.fullmatch(r"web:[A-Za-z0-9_.:@-]{1,60}", sender or ""), sender

    page.keyboard.press("Escape")
    expect(log).to_be_hidden()
    expect(launcher).to_be_focused()


def check_phone(page: Any, base_url: str, shots: Path) -> None:
    """Phone-sized screen: the open panel fills the viewport and the log is a role=log."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/")
    page.get_by_role("button", name=LAUNCHER).click()
    log = page.get_by_role("log")
    expect(log).to_be_visible()
    expect(log).to_contain_text("Xin chào", timeout=ANSWER_TIMEOUT_MS)
    # the panel slides in (0.15 s): measure it once its opening animation has finished
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running')"
    )
    box = page.locator(".troly-panel").bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] <= 1 and box["y"] <= 1, box
    assert box["width"] >= viewport["width"] - 1, (box, viewport)
    assert box["height"] >= viewport["height"] - 1, (box, viewport)
    expect(page.get_by_role("button", name="Gửi")).to_be_visible()
    page.screenshot(path=str(shots / "04-phone.png"))
    assert_accessible(page, "phone, greeting")


def bot_replies_to(page: Any, question: str) -> Any:
    """The assistant's bubbles after the last user bubble showing ``question``."""
    if "'" in question:
        raise ValueError("question must not contain an apostrophe (XPath literal)")
    return page.locator(
        f"xpath=//div[contains(@class,'troly-msg--user')][.='{question}'][last()]"
        "/following-sibling::div[contains(@class,'troly-msg--bot')]"
    )


def check_official_mode(page: Any, base_url: str, shots: Path) -> None:
    """Officials' mode: a wrong login, the demo official's login, an indicator answer, log-out.

    Two real login attempts at most (one of them with an unknown user name), so the demo
    account's login rate limit is not used up; the expired-token case fakes the login reply.
    """
    from playwright.sync_api import expect

    page.goto(f"{base_url}/")
    page.get_by_role("button", name=LAUNCHER).click()
    log = page.get_by_role("log")
    expect(log).to_contain_text("Xin chào", timeout=ANSWER_TIMEOUT_MS)
    badge = page.locator(".troly-badge")
    expect(badge).to_be_hidden()

    toggle = page.get_by_role("button", name="Cán bộ đăng nhập")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    form = page.get_by_role("form", name="Đăng nhập dành cho cán bộ")
    expect(form).to_be_visible()
    username = form.get_by_label("Tên đăng nhập")
    password = form.get_by_label("Mật khẩu")
    expect(username).to_be_focused()
    expect(username).to_have_attribute("autocomplete", "username")
    expect(password).to_have_attribute("type", "password")
    expect(password).to_have_attribute("autocomplete", "current-password")

    # 1st login attempt: wrong credentials -> the gateway's Vietnamese message, in the form
    username.fill(UNKNOWN_USER)
    password.fill("sai-mat-khau-123")
    form.get_by_role("button", name="Đăng nhập").click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("không đúng", timeout=ANSWER_TIMEOUT_MS)
    expect(username).to_have_value(UNKNOWN_USER)
    expect(password).to_have_value("")
    expect(badge).to_be_hidden()
    page.screenshot(path=str(shots / "05-login-error.png"))
    assert_accessible(page, "desktop, officials' login form with an error")

    # 2nd login attempt: the demo official
    username.fill(OFFICIAL_USER)
    password.fill(OFFICIAL_PASSWORD)
    password.press("Enter")
    expect(badge).to_have_text(f"Chế độ cán bộ: {OFFICIAL_USER}", timeout=ANSWER_TIMEOUT_MS)
    expect(form).to_be_hidden()
    announced = page.get_by_role("status").filter(has_text="Đã đăng nhập chế độ cán bộ")
    expect(announced).to_have_count(1)
    logout = page.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_visible()
    question_box = page.get_by_label("Nhập câu hỏi")
    expect(question_box).to_be_focused()
    stored = page.evaluate(
        "() => [Object.keys(localStorage), Object.keys(sessionStorage), document.cookie]"
    )
    assert stored == [["troly06.sender_id"], [], ""], stored  # the token stays in memory
    exported = page.evaluate("() => Object.keys(window.TroLy06Widget || {}).join(' ')")
    assert "token" not in exported.lower() and "session" not in exported.lower(), exported

    question_box.fill(INDICATOR_QUESTION)
    question_box.press("Enter")
    replies = bot_replies_to(page, INDICATOR_QUESTION)
    figure = replies.filter(has_text="96,9")
    expect(figure.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(figure.first).to_contain_text("96,9%")
    expect(replies.filter(has_text=re.compile("nguồn", re.IGNORECASE)).first).to_be_visible()
    expect(question_box).to_have_value("")
    for image in page.locator(".troly-image").all():
        assert image.get_attribute("alt"), "every image needs a Vietnamese alt text"
    page.screenshot(path=str(shots / "06-official-answer.png"))

    logout.click()
    # what was shown in officials' mode leaves the screen with the session
    expect(page.locator(".troly-msg--staff")).to_have_count(0)
    expect(log).not_to_contain_text("96,9")
    expect(badge).to_be_hidden()
    expect(logout).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="Đã đăng xuất")).to_have_count(1)

    # A token the gateway rejects (faked login reply, no real attempt): 401 -> citizen mode,
    # a request to log in again, and the question still in the input.
    def fake_login(route: Any) -> None:
        route.fulfill(
            status=200,
            content_type="application/json",
            body='{"access_token": "not.a.valid-token", "token_type": "bearer", '
            '"expires_in": 900, "role": "official", "province": "ha-giang"}',
        )

    page.route("**/api/auth/login", fake_login)
    toggle.click()
    expect(alert).to_have_text("")
    expect(username).to_have_value(OFFICIAL_USER)
    password.fill("khong-quan-trong")
    password.press("Enter")
    expect(badge).to_have_text(f"Chế độ cán bộ: {OFFICIAL_USER}")
    page.unroute("**/api/auth/login")
    question_box.fill(INDICATOR_QUESTION)
    question_box.press("Enter")
    expect(page.locator(".troly-msg--error").last).to_contain_text(
        "đăng nhập lại", timeout=ANSWER_TIMEOUT_MS
    )
    expect(badge).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(question_box).to_have_value(INDICATOR_QUESTION)
    page.screenshot(path=str(shots / "07-token-rejected.png"))


def test_widget_conversation_in_chromium(browser, gateway) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  bypass_csp=True)
    try:
        check_conversation(context.new_page(), base_url_of(gateway), SHOTS)
    finally:
        context.close()


def test_widget_on_a_phone_sized_screen(browser, gateway) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN",
        bypass_csp=True,
    )
    try:
        check_phone(context.new_page(), base_url_of(gateway), SHOTS)
    finally:
        context.close()


def test_widget_official_mode_in_chromium(browser, gateway) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  bypass_csp=True)
    try:
        check_official_mode(context.new_page(), base_url_of(gateway), SHOTS)
    finally:
        context.close()
