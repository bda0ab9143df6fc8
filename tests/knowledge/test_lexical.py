"""Coverage measures what a question asks, not where the asker lives (knowledge.lexical)."""

from __future__ import annotations

from knowledge.lexical import LexicalIndex, coverage_terms, without_places

TEXTS = [
    "Đăng ký thường trú cho vợ về nhà chồng: tờ khai CT01, giấy đăng ký kết hôn.",
    "Tỉnh Kon Tum nhập vào tỉnh Quảng Ngãi từ 1/7/2025.",
    "Cấp đổi thẻ căn cước khi hết hạn.",
]


def test_province_names_are_taken_out() -> None:
    assert without_places("nhập khẩu cho vợ về Bình Định thế nào").split() == [
        "nhập", "khẩu", "cho", "vợ", "về", "thế", "nào"
    ]
    assert without_places("nhập khẩu cho vợ thế nào") == "nhập khẩu cho vợ thế nào"


def test_a_place_the_asker_names_does_not_lower_coverage() -> None:
    index = LexicalIndex(TEXTS)
    plain = index.query_weights("đăng ký thường trú cho vợ")
    placed = index.query_weights("đăng ký thường trú cho vợ ở tỉnh Bình Định")
    assert len(plain) == 1 and len(placed) == 2
    assert index.coverage(placed, 0) == index.coverage(plain, 0) == 1.0


def test_a_question_about_the_provinces_keeps_them() -> None:
    index = LexicalIndex(TEXTS)
    weights = index.query_weights("Kon Tum nhập vào Quảng Ngãi")
    assert index.coverage(weights, 1) == 1.0
    assert index.coverage(weights, 0) < 0.5  # without the names, "nhập vào" alone is not it


def test_formulas_do_not_count_as_content() -> None:
    assert coverage_terms("Luật sư cho hỏi đăng ký thường trú") == coverage_terms(
        "cho hỏi đăng ký thường trú"
    )
