"""Vietnamese number, rank, date and period forms."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.figures.numbers import (
    find_dates,
    find_quantities,
    parse_date,
    parse_number,
    parse_quantity,
)

D = dt.date


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("1.818", 1818),
        ("6.034.335", 6034335),
        ("96,9", 96.9),
        ("100", 100),
        ("0,5", 0.5),
        ("1.234,5", 1234.5),
        ("1,234,567", 1234567),
        ("abc", None),
        ("1.81", None),
    ],
)
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize(
    ("text", "kind", "value", "extra"),
    [
        ("96,9%", "percent", 96.9, {}),
        ("đạt 100 %", "percent", 100, {}),
        ("152 phần trăm", "percent", 152, {}),
        ("1.818/1.876", "fraction", 1818, {"denominator": 1876}),
        ("198.975/ 355.605 hồ sơ", "fraction", 198975, {"denominator": 355605}),
        (
            "7.200 tài khoản/9.000 chỉ tiêu",
            "fraction",
            7200,
            {"denominator": 9000, "inner_unit": "tài khoản"},
        ),
        ("đứng thứ 15/63", "rank", 15, {"denominator": 63}),
        ("xếp thứ 3 toàn quốc", "rank", 3, {"national": True}),
        ("xếp hạng 7 cả nước", "rank", 7, {"national": True}),
        ("đứng thứ nhất", "rank", 1, {}),
        ("dẫn đầu cả nước về số hóa", "rank", 1, {"national": True}),
        ("gần 1,2 triệu", "number", 1_200_000, {"qualifier": "approx_below", "scale": "triệu"}),
        ("2,5 nghìn tỷ", "number", 2.5e12, {"scale": "nghìn tỷ"}),
        ("hơn 300 nghìn", "number", 300_000, {"qualifier": "more_than"}),
        ("khoảng 45 tỷ đồng", "number", 45e9, {"qualifier": "approx"}),
        ("có 665 dịch vụ", "number", 665, {}),
    ],
)
def test_quantities(text, kind, value, extra):
    q = parse_quantity(text)
    assert q is not None
    assert (q.kind, q.value) == (kind, value)
    for name, want in extra.items():
        assert getattr(q, name) == want
    assert text[q.start : q.end] == q.text


def test_spans_in_a_sentence():
    text = "Tỉnh đã cấp 384.500/ 300.000 tài khoản, bằng 128% chỉ tiêu, đứng thứ 21/63 tỉnh."
    qs = find_quantities(text)
    assert [(q.kind, q.value) for q in qs] == [("fraction", 384500), ("percent", 128), ("rank", 21)]
    assert [text[q.start : q.end] for q in qs] == ["384.500/ 300.000", "128%", "đứng thứ 21/63"]


@pytest.mark.parametrize(
    "text",
    [
        "Quyết định số 06/QĐ-TTg",
        "Chỉ thị số 45-CT/TU",
        "Kế hoạch số 270/KH-UBND",
        "Thông báo số 434",
        "thực hiện Đề án 06 của Chính phủ",
        "Luật số 26/2023/QH15",
        "lúc 22:13 và 0:00 / 0:00",
        "anh-chup-2024-03-06-9.56.52.png",
        "người đứng đầu cơ quan",
    ],
)
def test_identifiers_and_non_figures(text):
    assert find_quantities(text) == []


def test_list_marker_is_not_a_figure():
    assert find_quantities("2. Nhiệm vụ thời gian tới") == []


@pytest.mark.parametrize(
    ("text", "start", "end", "role"),
    [
        ("đến ngày 30/11/2023", D(2023, 11, 30), D(2023, 11, 30), "as_of"),
        ("tính đến 03/12/2023", D(2023, 12, 3), D(2023, 12, 3), "as_of"),
        ("ngày 24.1.2023", D(2023, 1, 24), D(2023, 1, 24), "point"),
        ("ngày 5 tháng 9 năm 2024", D(2024, 9, 5), D(2024, 9, 5), "point"),
        ("năm 2023", D(2023, 1, 1), D(2023, 12, 31), "point"),
        ("trong năm 2024", D(2024, 1, 1), D(2024, 12, 31), "point"),
        ("6 tháng đầu năm 2023", D(2023, 1, 1), D(2023, 6, 30), "point"),
        ("6 tháng cuối năm 2022", D(2022, 7, 1), D(2022, 12, 31), "point"),
        ("9 tháng đầu năm 2024", D(2024, 1, 1), D(2024, 9, 30), "point"),
        ("quý III/2023", D(2023, 7, 1), D(2023, 9, 30), "point"),
        ("quý 1 năm 2024", D(2024, 1, 1), D(2024, 3, 31), "point"),
        ("quý IV/2022", D(2022, 10, 1), D(2022, 12, 31), "point"),
        ("tháng 10/2023", D(2023, 10, 1), D(2023, 10, 31), "point"),
        ("tháng 2 năm 2024", D(2024, 2, 1), D(2024, 2, 29), "point"),
        ("tính đến hết tháng 6/2024", D(2024, 6, 1), D(2024, 6, 30), "as_of"),
        ("trong 2 năm 2022 - 2023", D(2022, 1, 1), D(2023, 12, 31), "point"),
        ("giai đoạn 2021–2023", D(2021, 1, 1), D(2023, 12, 31), "point"),
        ("từ năm 2021 đến năm 2023", D(2021, 1, 1), D(2023, 12, 31), "point"),
    ],
)
def test_dates_and_periods(text, start, end, role):
    ref = parse_date(text)
    assert ref is not None
    assert (ref.start, ref.end, ref.role) == (start, end, role)
    assert text[ref.span_start : ref.span_end] == ref.text


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("theo Nghị quyết số 01/NQ-CP ngày 06/01/2023", "citation"),
        ("Thông báo số 434, ngày 24.1.2023", "citation"),
        ("(Báo cáo số 99-BC/UBND ngày 14/7/2023)", "citation"),
        ("tăng 5% so với năm 2022", "comparison"),
        ("so với cùng kỳ năm 2023", "comparison"),
        ("hoàn thành chậm nhất ngày 15/8/2023", "deadline"),
        ("giai đoạn 2022-2025, tầm nhìn đến năm 2030", "title"),
    ],
)
def test_date_roles(text, role):
    assert find_dates(text)[0].role == role


def test_yearless_dates_and_completion():
    ref = parse_date("Chiều 27/3, tại trụ sở")
    assert ref is not None and ref.year_missing and ref.start is None
    assert ref.with_year(2024).start == D(2024, 3, 27)
    ref = parse_date("sơ kết 6 tháng đầu năm và")
    assert ref.year_missing and ref.with_year(2023).end == D(2023, 6, 30)
    assert parse_date("Ngày 27.6, Ủy ban").spec == ("date", 27, 6)


def test_fraction_is_not_a_date_without_context():
    assert parse_date("hoàn thành 8/12 nhiệm vụ") is None
    assert parse_quantity("hoàn thành 8/12 nhiệm vụ").kind == "fraction"
    assert parse_date("đến 8/12 vẫn chưa xong").start is None  # yearless date
