"""Judging a reply against the facts a correct answer must contain."""

from __future__ import annotations

import dataclasses

from assistant.realeval import RealQuestion, Report, judge, load_questions, one_tap

Q = RealQuestion(
    id="x-1", site="example.vn", url="https://example.vn/1", question="Làm hộ chiếu bao lâu?",
    facts=(("8 ngày làm việc", "08 ngày làm việc"), ("Công an cấp tỉnh",)),
)


def test_an_answer_with_every_fact_is_correct_whatever_the_case_and_diacritics() -> None:
    result = judge(Q, "answer", "Khoảng 8 NGAY LAM VIEC tại công an cấp tỉnh. Nguồn: …")
    assert result.outcome == "correct" and result.missing == ()


def test_an_answer_missing_a_fact_is_wrong() -> None:
    result = judge(Q, "answer", "Khoảng 8 ngày làm việc.")
    assert result.outcome == "wrong" and result.missing == ("Công an cấp tỉnh",)


def test_a_fact_must_stand_as_whole_words() -> None:
    assert judge(Q, "answer", "18 ngày làm việc, Công an cấp tỉnh").outcome == "wrong"


FINE = RealQuestion(
    id="x-2", site="example.vn", url="https://example.vn/2", question="Phạt bao nhiêu?",
    facts=(("500.000 đồng",), ("1.000.000 đồng",)),
)


def test_a_range_states_both_of_its_bounds() -> None:
    for reply in ("Phạt 500.000–1.000.000 đồng.", "Phạt từ 500.000 đến 1.000.000 đồng."):
        assert judge(FINE, "answer", reply).outcome == "correct"
    # a range written in a fact matches the same range in the reply
    ranged = dataclasses.replace(FINE, facts=(("2.000.000–3.000.000 đồng",),))
    assert judge(ranged, "answer", "Phạt 2.000.000–3.000.000 đồng.").outcome == "correct"
    # and a bound is not a different amount
    assert judge(FINE, "answer", "Phạt 1.500.000–2.000.000 đồng.").outcome == "wrong"


def test_saying_it_is_not_known_is_an_honest_fallback() -> None:
    for kind in ("fallback", "clarify", "partial"):
        assert judge(Q, kind, "Xin lỗi…").outcome == "fallback"


def test_both_splits_load() -> None:
    assert len(load_questions("dev")) >= 40 and len(load_questions("test")) >= 100


def test_a_choice_that_answers_counts_as_one_tap_away_never_as_correct() -> None:
    right = "8 ngày làm việc, nộp ở Công an cấp tỉnh."
    replies = {"Hộ chiếu": ("answer", right), "Căn cước": ("answer", "7 ngày làm việc.")}
    other = dataclasses.replace(Q, id="x-3")
    report = Report("dev", (
        judge(Q, "clarify", "Có phải…?", ("Căn cước", "Hộ chiếu")),
        judge(other, "clarify", "Có phải…?", ("Căn cước",)),
        judge(dataclasses.replace(Q, id="x-4"), "fallback", "Xin lỗi…"),
    ))
    tried: list[str] = []

    def choose(question: RealQuestion, payload: str) -> tuple[str, str]:
        tried.append(payload)
        return replies[payload]

    line = one_tap(report, choose)
    assert report.counts["fallback"] == 3 and report.counts["correct"] == 0
    assert "replies 2:" in line and "one tap away in 1 (the first choice in 0)" in line
    assert tried == ["Căn cước", "Hộ chiếu", "Căn cước"]
