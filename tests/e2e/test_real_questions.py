"""Real people's questions through the running stack (/api/chat → Rasa → actions).

The dev split's long question with personal context, a question that names two procedures
and a short follow-up each get a direct, correct, cited answer; a guide ingested while the
stack runs answers what only it says. Then both real-question splits are scored through the
whole path (``make eval-real`` runs just this file) — the figures go to docs/evaluation.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from assistant.realeval import (
    evaluate,
    judge,
    load_questions,
    once_cited,
    one_tap,
    repository_source_pages,
    uncited_part,
)
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.stack


def say(gateway: httpx.Client, sender: str, message: str) -> tuple[str, str]:
    """(kind, text) of the assistant's reply."""
    response = gateway.post("/api/chat", json={"sender_id": sender, "message": message})
    assert response.status_code == 200, response.text
    messages = response.json()["messages"]
    kinds = [m["kind"] for m in messages if m.get("kind")]
    return (kinds[0] if kinds else ""), "\n\n".join(m.get("text") or "" for m in messages)


def dev_question(question_id: str):
    return next(q for q in load_questions("dev") if q.id == question_id)


def test_a_long_question_with_personal_context_gets_a_direct_cited_answer(gateway) -> None:
    question = dev_question("tuoitre-vp-001")  # bought a used motorbike from another province
    kind, text = say(gateway, "e2e-real-long", question.question)
    result = judge(question, kind, text)
    assert result.outcome == "correct", (result.missing, text)
    assert "Nguồn:" in text


def test_a_question_naming_two_procedures_gets_both_answered(gateway) -> None:
    kind, text = say(
        gateway,
        "e2e-real-two",
        "Vợ tôi mới sinh bé, cho tôi hỏi đăng ký khai sinh và đăng ký thường trú cho cháu "
        "cần những giấy tờ gì?",
    )
    assert kind == "answer"
    assert "Đăng ký khai sinh" in text and "Đăng ký thường trú" in text
    assert text.count("Nguồn:") == 2 and "Hồ sơ cần chuẩn bị" in text


def test_a_short_follow_up_is_read_against_the_last_answer(gateway) -> None:
    # a long letter with context: a wrong home town printed on a chip ID card
    question = dev_question("cacv-101")
    kind, text = say(gateway, "e2e-real-follow", question.question)
    assert judge(question, kind, text).outcome == "correct", text
    kind, text = say(gateway, "e2e-real-follow", "nộp ở đâu?")
    assert kind == "answer" and "Nguồn:" in text
    assert "Nộp ở đâu" in text and "Công an cấp xã" in text


def test_a_card_chosen_where_the_assistant_was_unsure_answers_the_question_asked(
    gateway,
) -> None:
    # made a card at 24: must it be exchanged at 25? (the two-year rule; next milestone 40)
    question = dev_question("phucminh-w2b-001")
    sender = "e2e-real-choice"
    response = gateway.post("/api/chat", json={"sender_id": sender, "message": question.question})
    messages = response.json()["messages"]
    assert [m["kind"] for m in messages if m.get("kind")] == ["clarify"]
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    chosen = next(p for p in payloads if "mốc tuổi" in p)
    # the title alone asks which milestones there are, not about the asker's own card
    kind, text = say(gateway, "e2e-real-title-alone", chosen)
    assert judge(question, kind, text).outcome != "correct", text
    kind, text = say(gateway, sender, chosen)
    assert judge(question, kind, text).outcome == "correct", text
    assert "Nguồn:" in text


def test_a_guide_ingested_while_running_answers_what_only_it_says(gateway, tmp_path) -> None:
    """A province's own guide (.docx), ingested with the command line, is used at once."""
    import docx

    path = tmp_path / "huong-dan-tiep-nhan-thu-bay.docx"
    document = docx.Document()
    document.add_heading("Hướng dẫn tiếp nhận hồ sơ căn cước ngày thứ Bảy", level=1)
    document.add_paragraph(
        "Công an tỉnh Thử Nghiệm tiếp nhận hồ sơ cấp, đổi thẻ căn cước vào sáng thứ Bảy hằng "
        "tuần, từ 7 giờ 30 đến 11 giờ 30, tại bộ phận một cửa của Phòng Cảnh sát quản lý "
        "hành chính về trật tự xã hội, số 12 đường Thử Nghiệm."
    )
    document.add_paragraph(
        "Người dân mang theo thẻ căn cước hoặc giấy tờ tùy thân; trẻ em đi cùng cha hoặc mẹ."
    )
    document.save(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def ingest() -> None:
        subprocess.run(
            [sys.executable, "-m", "knowledge", "ingest", str(path)],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
        )

    ingest()
    try:
        for sender, message in (
            ("e2e-guide-1", "Thứ Bảy có tiếp nhận hồ sơ làm căn cước không, mấy giờ?"),
            ("e2e-guide-2", "thu bay co tiep nhan ho so lam can cuoc khong may gio"),
        ):
            kind, text = say(gateway, sender, message)
            assert kind == "answer", text
            assert "7 giờ 30" in text and "thứ Bảy" in text
            assert "Nguồn:" in text and "ngày thứ Bảy" in text  # cites the guide's title
    finally:
        path.unlink()
        ingest()  # a path that is gone is removed from the index


def test_real_question_sets_through_the_stack(gateway) -> None:
    """Scores both splits through /api/chat; fails below the floors in docs/evaluation.md."""
    from assistant.__main__ import over_http

    answer, choose = over_http(str(gateway.base_url))
    reports = [evaluate(split, load_questions(split), answer) for split in ("dev", "test")]
    citing = repository_source_pages()
    uncited = [
        u for u in (uncited_part(r, citing, once_cited(r.label)) for r in reports)
        if u is not None
    ]
    lines = ["Real people's questions through /api/chat:"] + [
        r.summary() for r in (*reports, *uncited)
    ] + [one_tap(r, choose) for r in reports]
    print("\n".join(lines))
    out = Path(ROOT / "var" / "log" / "eval-real.txt")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    test = reports[1]
    # regression floors a few points off the figures of 2026-12-05, eighth session (test:
    # 23.8% correct, 13.3% wrong; tenth session 22.9% / 14.3%; eleventh 24.8% / 14.3%;
    # twelfth 24.8% / 12.4%; sixteenth 22.9% / 9.5%, when the wrong-answer floor moved from
    # 0.17 to 0.13; seventeenth 22.9% / 11.4%) — far from the targets of 85% / 5%, which are
    # not met (docs/evaluation.md)
    min_correct = float(os.environ.get("EVAL_REAL_MIN_CORRECT", "0.20"))
    max_wrong = float(os.environ.get("EVAL_REAL_MAX_WRONG", "0.13"))
    assert test.share("correct") >= min_correct, test.summary()
    assert test.share("wrong") <= max_wrong, test.summary()
