"""The one matching key and the one sentence splitter."""

from __future__ import annotations

import pytest

from vntext import aligned_key, matching_key, split_sentences


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Thôi, không cần nữa!", "thoi khong can nua"),
        ("TP. Hà Giang", "thanh pho ha giang"),
        ("  THÔI  ", "thoi"),
        ("Đăng ký tạm trú?", "dang ky tam tru"),
        ("hoà bình", "hoa binh"),  # old-style tone placement
        ("Hòa Bình", "hoa binh"),
    ],
)
def test_matching_key(text: str, key: str) -> None:
    assert matching_key(text) == key


def test_matching_key_expands_teencode_unless_asked_not_to() -> None:
    assert matching_key("ko dc") == "khong duoc"
    assert matching_key("ko dc", expand=False) == "ko dc"
    assert matching_key("TP. Hà Giang", expand=False) == "tp ha giang"


def test_matching_key_keeps_what_it_is_told_to() -> None:
    assert matching_key("đạt 96,9% (1.818/1.876)", keep="%/") == "dat 96 9% 1 818/1 876"


def test_aligned_key_maps_matches_back_to_the_original() -> None:
    text = "Tỉnh  Hà Giang, năm 2023"
    mapped = aligned_key(text)
    start = mapped.text.index("ha giang")
    s, e = mapped.source_span(start, start + len("ha giang"))
    assert text[s:e] == "Hà Giang"


def test_split_sentences() -> None:
    text = "Nộp trực tuyến trên VNeID. Thời hạn 7 ngày làm việc! Lệ phí: miễn phí?"
    assert split_sentences(text) == [
        "Nộp trực tuyến trên VNeID.",
        "Thời hạn 7 ngày làm việc!",
        "Lệ phí: miễn phí?",
    ]
    assert split_sentences("   ") == []
