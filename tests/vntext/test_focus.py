"""A letter's formulas are not what it asks about (vntext.focus.without_formulas)."""

from __future__ import annotations

import pytest

from vntext.focus import without_formulas


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (
            "Vậy luật sư có thể cho tôi hỏi đã bỏ sổ hộ khẩu thì nhập khẩu thế nào?",
            "Vậy cho tôi hỏi đã bỏ sổ hộ khẩu thì nhập khẩu thế nào?",
        ),
        ("Xin chân thành cảm ơn Luật sư rất nhiều!", "Xin"),
        ("vay luat su cho hoi nhap khau", "vay cho hoi nhap khau"),  # without diacritics too
        ("Bây giờ tôi tiến hành làm lại được không?", "tôi làm lại được không?"),
        (  # a Q&A column's signature
            "Tổ chức có được cấp tài khoản định danh không? - Độc giả Hoàng Long",
            "Tổ chức có được cấp tài khoản định danh không?",
        ),
    ],
)
def test_formulas_are_taken_out(text: str, left: str) -> None:
    assert without_formulas(text) == left


@pytest.mark.parametrize(
    "text",
    [
        "Tôi có thẻ căn cước chưa gắn chip",  # "có thẻ" is not "có thể"
        "toi co the can cuoc",  # folded, "co the" may be "có thẻ": kept
        "Luật Căn cước có hiệu lực khi nào?",  # "luật" alone is content
        "Lịch sử tư pháp",  # whole words only: "sử" is not "sư"
    ],
)
def test_content_words_stay(text: str) -> None:
    assert without_formulas(text) == text
