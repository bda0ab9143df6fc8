"""Document numbers, types, issuers and dates read from Vietnamese administrative text."""

from __future__ import annotations

import pytest

from knowledge.documents.metadata import extract_metadata, find_dates, find_issuer_phrase


@pytest.mark.parametrize(
    ("text", "number", "doc_type", "issuer", "date"),
    [
        (
            "Thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.",
            "06/QĐ-TTg",
            "Quyết định",
            "Thủ tướng Chính phủ",
            "2022-01-06",
        ),
        (
            "Nghị định 69/2024/NĐ-CP quy định về định danh và xác thực điện tử.",
            "69/2024/NĐ-CP",
            "Nghị định",
            "Chính phủ",
            None,
        ),
        (
            "Chỉ thị 24/CT-TTg ngày 28 tháng 12 năm 2023 yêu cầu đẩy mạnh.",
            "24/CT-TTg",
            "Chỉ thị",
            "Thủ tướng Chính phủ",
            "2023-12-28",
        ),
        (
            "Thông tư 73/2024/TT-BTC hướng dẫn mức thu lệ phí.",
            "73/2024/TT-BTC",
            "Thông tư",
            "Bộ Tài chính",
            None,
        ),
        (
            "UBND tỉnh Bình Định ban hành Kế hoạch số 153/KH-UBND ngày 6.1.2022.",
            "153/KH-UBND",
            "Kế hoạch",
            "Ủy ban nhân dân tỉnh Bình Định",
            "2022-01-06",
        ),
        (
            "Bộ Tài chính có Công văn 13578/BTC-NSNN gửi các địa phương.",
            "13578/BTC-NSNN",
            "Công văn",
            "Bộ Tài chính",
            None,
        ),
        (
            "Căn cứ QĐ 06/QĐ-TTg về Đề án 06.",
            "06/QĐ-TTg",
            "Quyết định",
            "Thủ tướng Chính phủ",
            None,
        ),
        (
            "Quyet dinh so 06/QD-TTg ngay 6 thang 1 nam 2022 cua Thu tuong Chinh phu",
            "06/QĐ-TTg",
            "Quyết định",
            "Thủ tướng Chính phủ",
            "2022-01-06",
        ),
        (
            "Nghi dinh 59/2022/ND-CP quy dinh ve dinh danh, ngay 05/9/2022.",
            "59/2022/NĐ-CP",
            "Nghị định",
            "Chính phủ",
            "2022-09-05",
        ),
        (
            "Tỉnh ủy ban hành Chỉ thị số 41-CT/TU ngày 12.9.2024 về chuyển đổi số.",
            "41-CT/TU",
            "Chỉ thị",
            "Tỉnh ủy",
            "2024-09-12",
        ),
        (
            "Luật Căn cước số 26/2023/QH15 có hiệu lực từ ngày 01/7/2024.",
            "26/2023/QH15",
            "Luật",
            "Quốc hội",
            "2024-07-01",
        ),
        (
            "Nghị quyết số 01/NQ-CP, ban hành ngày 06/01/2023, giao chỉ tiêu.",
            "01/NQ-CP",
            "Nghị quyết",
            "Chính phủ",
            "2023-01-06",
        ),
        (
            "Văn phòng Chính phủ có Thông báo 12/TB-VPCP về kết luận.",
            "12/TB-VPCP",
            "Thông báo",
            "Văn phòng Chính phủ",
            None,
        ),
        (
            "Công văn số 1234/BCA-C06 của Bộ Công an hướng dẫn.",
            "1234/BCA-C06",
            "Công văn",
            "Bộ Công an",
            None,
        ),
    ],
)
def test_number_type_issuer_and_date(
    text: str, number: str, doc_type: str, issuer: str, date: str | None
) -> None:
    meta = extract_metadata(text)
    assert (meta.number, meta.doc_type, meta.issuer) == (number, doc_type, issuer)
    if date:
        assert meta.issued_date == date
    assert meta.all_numbers == [number]


def test_header_number_is_the_documents_own_and_others_are_listed() -> None:
    text = (
        "BỘ CÔNG AN\nSố: 15/2024/TT-BCA\nHà Nội, ngày 15 tháng 3 năm 2024\n\nTHÔNG TƯ\n"
        "Căn cứ Nghị định số 59/2022/NĐ-CP ngày 05/9/2022 của Chính phủ;\n"
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022;"
    )
    meta = extract_metadata(text)
    assert meta.number == "15/2024/TT-BCA"
    assert meta.doc_type == "Thông tư"
    assert meta.issuer == "Bộ Công an"
    assert meta.issued_date == "2024-03-15"
    assert meta.all_numbers == ["15/2024/TT-BCA", "59/2022/NĐ-CP", "06/QĐ-TTg"]
    assert [r.issued_date for r in meta.references] == [None, "2022-09-05", "2022-01-06"]
    assert text[meta.references[1].start : meta.references[1].end] == "59/2022/NĐ-CP"


def test_numbers_are_listed_once_in_order_of_appearance() -> None:
    meta = extract_metadata(
        "Theo Kế hoạch 270/KH-UBND và Quyết định 06/QĐ-TTg; Kế hoạch 270/KH-UBND nêu rõ."
    )
    assert meta.all_numbers == ["270/KH-UBND", "06/QĐ-TTg"]
    assert meta.number == "270/KH-UBND"


def test_type_from_a_header_line_when_there_is_no_number() -> None:
    meta = extract_metadata("ỦY BAN NHÂN DÂN\n\nKẾ HOẠCH\nTriển khai Đề án 06 năm 2024")
    assert meta.number is None and meta.doc_type == "Kế hoạch"


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("ngày 06/01/2022", ["2022-01-06"]),
        ("Hà Nội, ngày 6 tháng 1 năm 2022", ["2022-01-06"]),
        ("ký ngày 06 tháng 01, năm 2022", ["2022-01-06"]),
        ("vào 06.01.2022 và 2024-06-25", ["2022-01-06", "2024-06-25"]),
        ("Ngày 27.6, tỉnh họp", ["--06-27"]),
        ("Chiều 27/3, tại Hà Nội", ["--03-27"]),
        ("ngay 24.1.2023", ["2023-01-24"]),
    ],
)
def test_dates(text: str, dates: list[str]) -> None:
    assert [iso for _, _, iso in find_dates(text)] == dates


@pytest.mark.parametrize(
    "text",
    [
        "Hoàn thành 17/17 nhiệm vụ, đạt 96,9% chỉ tiêu",
        "mỗi ngày 1.818 hồ sơ",
        "ngày 31.2 không có thật",
        "giai đoạn 2022-2025, tầm nhìn 2030",
        "chuyển sang 2/3 số xã",
        "xem https://vi.example.vn/2024/06/25/xac-thuc",
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Đạt 17/17 nhiệm vụ, 5/người, tỷ lệ 1/3",
        "Đề án 06/Chính phủ được triển khai",
        "Tổ công tác Đề án 06/CP của tỉnh",  # the programme's name, not a document number
        "xem https://vi.example.vn/2024/06/25/QD-ttg",
    ],
)
def test_things_that_are_not_document_numbers(text: str) -> None:
    assert extract_metadata(text).all_numbers == []


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("Ngày 27.6, UBND tỉnh ban hành Thông báo kết luận.", "Ủy ban nhân dân tỉnh"),
        ("UBND TP Hà Nội đã ban hành kế hoạch.", "Ủy ban nhân dân thành phố Hà Nội"),
        (
            "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu vừa ban hành",
            "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
        ),
        ("Bộ Công an đã ban hành hướng dẫn", "Bộ Công an"),
        ("chính phủ ban hành nghị định", "Chính phủ"),
    ],
)
def test_issuer_phrases(text: str, issuer: str) -> None:
    assert find_issuer_phrase(text) == issuer
    assert extract_metadata(text).issuer == issuer


def test_issuer_phrase_refines_the_number_suffix_but_does_not_contradict_it() -> None:
    refined = extract_metadata("UBND huyện Mỹ Đức ban hành Kế hoạch số 5/KH-UBND.")
    assert refined.issuer == "Ủy ban nhân dân huyện Mỹ Đức"
    other = extract_metadata("UBND tỉnh ban hành văn bản theo Nghị định 59/2022/NĐ-CP.")
    assert other.issuer == "Chính phủ"


def test_text_without_metadata() -> None:
    meta = extract_metadata("Người dân cài ứng dụng và đăng nhập.")
    assert meta.number is None and meta.issued_date is None and meta.all_numbers == []
