"""Files that cannot be ingested raise IngestError with one clear Vietnamese / English line."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.documents import IngestError, load_document, read_text
from knowledge.documents.encoding import looks_like_legacy_font
from tests.knowledge.documents.samples import (
    TCVN3_TABLE,
    VIETNAMESE,
    VNI_SAMPLE,
    cp1258_bytes,
    make_docx,
    make_pdf,
    tcvn3_bytes,
    tcvn3_mojibake,
)


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def raises(path: Path, *fragments: str) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_text(path)
    message = str(info.value)
    assert "\n" not in message, "the reason must be one line"
    assert " / " in message, "the reason must be given in Vietnamese and English"
    assert message.startswith(path.name + ": ")
    for fragment in fragments:
        assert fragment.lower() in message.lower()
    return info.value


@pytest.mark.parametrize("name", ["setup.exe", "anh.jpg", "bang.xlsx", "khong-duoi"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    error = raises(write(tmp_path, name, b"MZ\x90\x00"), "unsupported", "không hỗ trợ")
    assert error.path == tmp_path / name


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.pdf", "a.docx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    raises(write(tmp_path, name, b""), "empty file", "tệp rỗng")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.txt", b"  \n\t\r\n  \xc2\xa0 \n"),
        ("a.md", "---\ntitle: Chỉ có tiêu đề\n---\n\n".encode()),
        ("a.html", b"<html><head><script>x()</script></head><body> </body></html>"),
    ],
)
def test_whitespace_only(tmp_path: Path, name: str, content: bytes) -> None:
    raises(write(tmp_path, name, content), "no extractable text")


def test_missing_file(tmp_path: Path) -> None:
    raises(tmp_path / "khong-co.txt", "cannot read")


def test_corrupt_pdf_bytes(tmp_path: Path) -> None:
    raises(write(tmp_path, "x.pdf", b"%PDF-1.4\n\x00\x01 not really a pdf"), "corrupt PDF")


def test_truncated_pdf(tmp_path: Path) -> None:
    good = make_pdf([["Nội dung đầy đủ."]])
    raises(write(tmp_path, "x.pdf", good[: len(good) // 2]), "corrupt PDF")


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    raises(write(tmp_path, "scan.pdf", make_pdf([[], []])), "no text layer", "OCR")


def test_truncated_docx(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", [("", "Nội dung đầy đủ.")]).read_bytes()
    raises(write(tmp_path, "x.docx", good[: len(good) // 2]), "corrupt DOCX")


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    raises(write(tmp_path, "x.docx", "chỉ là chữ".encode()), "corrupt DOCX")


def test_invalid_front_matter(tmp_path: Path) -> None:
    raises(write(tmp_path, "a.md", b"---\ntitle: [unclosed\n---\nText."), "front matter")


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html"])
def test_windows_1258_bytes(tmp_path: Path, name: str) -> None:
    data = cp1258_bytes(VIETNAMESE)
    raises(write(tmp_path, name, data), "not valid UTF-8", "Windows-1258", "TCVN3", "VNI", "UTF-8")


def test_raw_tcvn3_bytes(tmp_path: Path) -> None:
    raises(write(tmp_path, "a.txt", tcvn3_bytes(VIETNAMESE)), "not valid UTF-8", "TCVN3")


def test_tcvn3_table_gives_the_well_known_samples() -> None:
    assert tcvn3_mojibake("Cộng hoà xã hội chủ nghĩa Việt Nam") == (
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    )
    assert tcvn3_mojibake("Độc lập - Tự do - Hạnh phúc") == "§éc lËp - Tù do - H¹nh phóc"
    assert len(set(TCVN3_TABLE.values())) == len(TCVN3_TABLE)  # one byte per letter


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_tcvn3_mojibake_saved_as_utf8(tmp_path: Path, name: str) -> None:
    text = tcvn3_mojibake(VIETNAMESE)
    raises(write(tmp_path, name, text.encode()), "garbled", "lỗi phông", "TCVN3", "Unicode")


def test_vni_mojibake_saved_as_utf8(tmp_path: Path) -> None:
    raises(write(tmp_path, "a.txt", VNI_SAMPLE.encode()), "garbled", "VNI")


def test_tcvn3_mojibake_inside_docx(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "vntime.docx", [("", tcvn3_mojibake(VIETNAMESE))])
    raises(path, "garbled")


def test_tcvn3_mojibake_inside_html(tmp_path: Path) -> None:
    html = f"<p>{tcvn3_mojibake(VIETNAMESE)}</p>".encode()
    raises(write(tmp_path, "a.html", html), "garbled")


def test_load_document_raises_the_same_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="unsupported"):
        load_document(write(tmp_path, "a.exe", b"MZ"))


@pytest.mark.parametrize(
    "text",
    [
        VIETNAMESE,
        "Khong dau: dang ky tai khoan dinh danh dien tu muc do 2.",
        "Chương trình «Đề án 06» đạt 96,9% · nhiệt độ 30°C · © 2024 · giá 10.000 ₫",
        "A report on Schröder, Müller and Gödel, with résumé and café, in plain English text.",
        "Đề án 06 " + "ö" * 2 + " tiếng Việt có dấu đầy đủ ở đây và ở kia nữa.",
    ],
)
def test_real_text_is_not_taken_for_mojibake(text: str) -> None:
    assert not looks_like_legacy_font(text)


@pytest.mark.parametrize("text", [tcvn3_mojibake(VIETNAMESE), VNI_SAMPLE])
def test_mojibake_is_detected_even_with_unicode_around(text: str) -> None:
    assert looks_like_legacy_font(text)
    assert looks_like_legacy_font(text + " Trang 1.")
