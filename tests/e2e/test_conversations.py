"""End-to-end: gateway → Rasa → action server → knowledge, over real HTTP on loopback."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.stack

MENU = [
    "VNeID",
    "Dịch vụ công",
    "Thanh toán không dùng tiền mặt",
    "Thủ tục một cửa",
    "Cán bộ tra cứu chỉ số",
]


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_health_reports_every_component(gateway) -> None:
    body = gateway.get("/healthz").json()
    assert body["status"] == "ok"
    assert {"gateway", "rasa", "action_server", "knowledge"} <= set(body["components"])


def test_greeting_shows_the_menu(chat) -> None:
    messages = chat.say("xin chào")
    assert "Xin chào" in texts(messages)
    assert [b["title"] for b in messages[-1]["buttons"]] == MENU


def test_menu_button_opens_the_topic_menu(chat) -> None:
    chat.say("xin chào")
    messages = chat.say('/choose_topic{"topic":"vneid"}')
    titles = [b["title"] for m in messages for b in m["buttons"]]
    assert "Kích hoạt tài khoản" in titles


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("cach kich hoat vneid", ["kích hoạt", "OTP"]),
        ("quen passcode vneid", ["passcode", "OTP"]),
        ("Dịch vụ công trực tuyến toàn trình là gì?", ["toàn trình", "một phần"]),
        (
            "nhận tiền an sinh xã hội qua tài khoản ngân hàng thế nào",
            ["An sinh xã hội", "ngân hàng"],
        ),
    ],
)
def test_knowledge_questions_get_cited_answers(chat, question: str, expected: list[str]) -> None:
    reply = texts(chat.say(question))
    for word in expected:
        assert word.lower() in reply.lower(), (word, reply)
    assert "Nguồn:" in reply


def test_button_payload_question_from_a_topic_menu_is_answered(chat) -> None:
    reply = texts(chat.say("Tôi quên mật khẩu VNeID thì làm sao?"))
    assert "Quên mật khẩu" in reply and "Nguồn:" in reply


def test_out_of_scope_says_what_the_assistant_does(chat) -> None:
    messages = chat.say("thời tiết hôm nay thế nào")
    reply = texts(messages)
    assert "ngoài phạm vi" in reply and "1900 0368" in reply
    assert "Nguồn:" not in reply
    assert [b["title"] for b in messages[-1]["buttons"]] == MENU


def test_unrelated_question_lands_in_the_gaps_list(chat) -> None:
    import subprocess
    import sys

    from core.config import DatabaseSettings
    from curation.gaps import gap_key, list_gaps

    question = "công thức nấu bún bò Huế thế nào"
    url = DatabaseSettings().url  # the stack's database (conftest.prepare_database)

    def asked() -> int:
        return sum(g.count for g in list_gaps(url, limit=1000) if g.normalized == gap_key(question))

    before = asked()
    reply = texts(chat.say(question))
    assert "Nguồn:" not in reply and "1900 0368" in reply
    assert asked() == before + 1
    listed = subprocess.run(
        [sys.executable, "-m", "curation", "gaps", "--limit", "1000"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert question in listed


def test_document_passages_and_changed_rules_are_cited(chat) -> None:
    reply = texts(chat.say("CMND còn dùng được không"))
    assert "Nguồn:" in reply
    assert "01/01/2025" in reply


@pytest.mark.parametrize(
    "message",
    [
        "qwxzk plmn vbtr",
        "asdfghjkl",
        "giá vàng hôm nay bao nhiêu",
        "mật khẩu wifi nhà tôi là gì",
        "hmm 123 ???",
    ],
)
def test_off_topic_and_gibberish_are_not_answered_confidently(chat, message: str) -> None:
    reply = texts(chat.say(message))
    assert "Nguồn:" not in reply
    assert any(
        phrase in reply
        for phrase in ("ngoài phạm vi", "diễn đạt lại", "Có phải anh/chị", "chưa hiểu")
    ), reply


def test_indicator_question_from_a_citizen_explains_the_officials_mode(chat) -> None:
    reply = texts(chat.say("Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?"))
    assert "cán bộ" in reply and "đăng nhập" in reply
    assert "%" not in reply


def test_thanks_and_goodbye(chat) -> None:
    assert "không có gì" in texts(chat.say("cảm ơn nhiều nhé")).lower()
    assert "Cảm ơn anh/chị đã trò chuyện" in texts(chat.say("tạm biệt"))


def test_bad_input_gets_a_clear_error_and_the_conversation_goes_on(gateway, chat) -> None:
    too_long = gateway.post("/api/chat", json={"sender_id": chat.sender, "message": "a" * 2001})
    assert too_long.status_code == 422
    assert "2000" in too_long.json()["error"]["message"]
    empty = gateway.post("/api/chat", json={"sender_id": chat.sender, "message": "   "})
    assert empty.status_code == 422
    assert "Nguồn:" in texts(chat.say("cach kich hoat vneid"))


def test_sql_and_markup_are_just_text(chat) -> None:
    reply = texts(chat.say("'; DROP TABLE users; -- <script>alert(1)</script>"))
    assert reply
    assert "<script>" not in reply


def test_procedure_checklist_then_follow_up(chat) -> None:
    reply = texts(chat.say("làm giấy khai sinh cần gì"))
    assert "Hồ sơ cần chuẩn bị" in reply and "Nguồn:" in reply
    follow = texts(chat.say("còn lệ phí thì sao?"))
    assert "Đăng ký khai sinh" in follow and "Lệ phí" in follow


def test_procedure_by_portal_code(chat) -> None:
    reply = texts(chat.say("thủ tục 1.007073"))
    assert "1.007073" in reply and "Nguồn:" in reply
