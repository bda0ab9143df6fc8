"""Sources as cited to a reader: the title without the editor's notes; dates in words."""

from __future__ import annotations

from vntext.citations import MAX_CITED_TITLE, names_number, short_title
from vntext.dates import date_phrase_vi


def test_the_title_stops_at_the_editors_first_note() -> None:
    assert short_title("Luật Cư trú 2020 — Điều 25 (tách hộ: khoản 1)") == (
        "Luật Cư trú 2020 — Điều 25"
    )
    assert short_title("Công an tỉnh Phú Thọ — thủ tục Tách hộ (Công an cấp xã): tờ khai") == (
        "Công an tỉnh Phú Thọ — thủ tục Tách hộ"
    )
    # a colon introduces what was read, which is the citation
    assert short_title("Bộ pháp điển, đề mục Hộ tịch: Điều 9 Luật Hộ tịch (nộp…)") == (
        "Bộ pháp điển, đề mục Hộ tịch: Điều 9 Luật Hộ tịch"
    )
    assert short_title("Báo A — bài B; đọc qua bản chép") == "Báo A — bài B"
    # a time is no note, an opening bracket is part of the title
    assert short_title("Tiếp dân từ 7:30 thứ Bảy") == "Tiếp dân từ 7:30 thứ Bảy"
    assert short_title("(Bản dịch) Nghị định 69 (đọc qua…)") == "(Bản dịch) Nghị định 69"


def test_a_long_title_is_cut_at_a_word() -> None:
    cut = short_title("Tiêu đề rất dài " * 30)
    assert len(cut) <= MAX_CITED_TITLE + 1 and cut.endswith("…") and " …" not in cut


def test_a_title_names_a_number_written_with_or_without_its_kind() -> None:
    assert names_number("Quyết định 759/QĐ-TTg ngày 14/4/2025", "QĐ 759/QĐ-TTg")
    assert not names_number("Luật Cư trú 2020", "68/2020/QH14")


def test_a_date_a_month_or_a_year_in_words() -> None:
    assert date_phrase_vi("2024-06-25") == "ngày 25/06/2024"
    assert date_phrase_vi("2025-04") == "tháng 4/2025"
    assert date_phrase_vi("2025") == "năm 2025"
