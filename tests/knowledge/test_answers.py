"""Knowledge answers: the right card, a source line, related questions, honest fallback."""

from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge.answers import FALLBACK_TEXT, KnowledgeService, render_body
from knowledge.cards import load_cards
from knowledge.settings import REPO_ROOT


@lru_cache(maxsize=1)
def service() -> KnowledgeService:
    return KnowledgeService(load_cards(REPO_ROOT / "knowledge" / "cards"))


@pytest.mark.parametrize(
    ("question", "intent", "card_id"),
    [
        ("quen passcode vneid", "ask_vneid_account_issue", "vneid-forgot-passcode"),
        ("Dịch vụ công trực tuyến toàn trình là gì?", "ask_public_services", "dvc-full-vs-partial"),
        (
            "nhận tiền an sinh xã hội qua tài khoản ngân hàng thế nào",
            "ask_cashless_payment",
            "vneid-welfare-bank-account",
        ),
        ("cach kich hoat vneid", "ask_vneid_activate", "vneid-activate"),
        ("làm giấy khai sinh cần gì", "ask_procedure", "proc-birth-registration"),
        ("Hà Giang bây giờ thuộc tỉnh nào", "ask_policy_info", "merger-old-to-new-lookup"),
        ("QUÊN   MK vneid", None, "vneid-forgot-password"),
    ],
)
def test_questions_find_their_card(question: str, intent: str | None, card_id: str) -> None:
    answer = service().answer(question, intent)
    assert answer.confident
    assert answer.card_id == card_id
    assert "Nguồn:" in answer.text


def test_answer_offers_related_questions_from_other_cards() -> None:
    answer = service().answer("quen passcode vneid", "ask_vneid_account_issue")
    assert 1 <= len(answer.buttons) <= 3
    assert all(b["payload"] and b["title"] for b in answer.buttons)


@pytest.mark.parametrize("question", ["mua vé máy bay giá rẻ", "công thức nấu phở bò", "", "???"])
def test_unrelated_question_gets_the_honest_fallback(question: str) -> None:
    answer = service().answer(question, "ask_procedure")
    assert not answer.confident
    assert answer.text == FALLBACK_TEXT
    assert "1900 0368" in answer.text


def test_changed_rules_say_from_when_they_apply() -> None:
    answer = service().answer("CMND còn dùng được không", "ask_policy_info")
    assert "Quy định áp dụng từ" in answer.text or "2024" in answer.text


def test_render_body_strips_markdown_emphasis() -> None:
    assert render_body("## Tiêu đề\n**đậm** và `mã`\n\n\n\nhết") == "Tiêu đề\nđậm và mã\n\nhết"
