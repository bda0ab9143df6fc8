"""Readers: every supported format gives normalised text, a title and a kind."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from knowledge.documents.readers import SUPPORTED_EXTENSIONS, normalize_text, read_text
from tests.knowledge.documents.samples import VIETNAMESE, make_docx, make_pdf


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_txt_is_read_and_normalised(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Hoà nhập   cộng đồng\tsố.\r\n\r\n\r\n\r\nKhoẻ mạnh.")
    raw = read_text(write(tmp_path, "ghi-chu.txt", nfd))
    assert raw.kind == "text"
    assert raw.text == "Hòa nhập cộng đồng số.\n\nKhỏe mạnh."  # NFC, new-style tones
    assert unicodedata.is_normalized("NFC", raw.text)
    assert raw.title == "Hòa nhập cộng đồng số."


def test_txt_title_falls_back_to_file_name_for_a_long_first_line(tmp_path: Path) -> None:
    raw = read_text(write(tmp_path, "bao-cao.TXT", VIETNAMESE * 2))
    assert raw.title == "bao-cao"
    assert raw.kind == "text"


def test_utf8_bom_and_utf16_are_accepted(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "a.txt", "\ufeffĐề án 06".encode())).text == "Đề án 06"
    assert read_text(write(tmp_path, "b.txt", "Đề án 06".encode("utf-16"))).text == "Đề án 06"


def test_markdown_front_matter_is_stripped_and_kept(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Hướng dẫn VNeID\nnumber: 06/QĐ-TTg\ndate: 2022-01-06\n---\n"
        "# Đăng ký tài khoản\n\nBước một: tải ứng dụng.\n"
    )
    raw = read_text(write(tmp_path, "huong-dan.md", text))
    assert raw.kind == "markdown"
    assert raw.title == "Hướng dẫn VNeID"
    assert raw.text.startswith("# Đăng ký tài khoản")
    assert "---" not in raw.text and "number:" not in raw.text
    assert raw.front_matter["number"] == "06/QĐ-TTg"


def test_markdown_with_windows_line_endings(tmp_path: Path) -> None:
    text = "---\r\ntitle: Tiêu đề\r\n---\r\nDòng một.\r\nDòng hai.\r\n"
    raw = read_text(write(tmp_path, "crlf.md", text))
    assert (raw.title, raw.text) == ("Tiêu đề", "Dòng một.\nDòng hai.")


def test_markdown_without_front_matter_takes_its_first_heading(tmp_path: Path) -> None:
    raw = read_text(write(tmp_path, "a.md", "Mở đầu.\n\n## Thủ tục cấp căn cước\n\nNội dung."))
    assert raw.title == "Thủ tục cấp căn cước"
    assert raw.front_matter == {}


def test_html_keeps_visible_text_and_headings(tmp_path: Path) -> None:
    html = """<!doctype html><html><head><title>Cổng &amp; dịch vụ</title>
    <style>p { color: red }</style><script>var x = "ẩn đi";</script></head>
    <body><nav>Trang chủ</nav>
    <h1>Đề án   06</h1><p>Người dân làm thủ tục<br>trực tuyến.</p>
    <h2>Các bước</h2><ul><li>Đăng nhập</li><li>Nộp hồ sơ</li></ul>
    <div hidden><p>Không hiện</p></div><span style="display: none">Ẩn</span>
    <i aria-hidden="true">icon</i>
    <table><tr><td>Chỉ tiêu</td><td>96,9%</td></tr></table>
    <noscript>Bật JavaScript</noscript><p>Hết.</p></body></html>"""
    raw = read_text(write(tmp_path, "trang.html", html))
    assert raw.kind == "html"
    assert raw.title == "Cổng & dịch vụ"
    lines = raw.text.split("\n")
    assert "# Đề án 06" in lines
    assert "## Các bước" in lines
    assert "- Đăng nhập" in lines and "- Nộp hồ sơ" in lines
    assert "Người dân làm thủ tục" in lines and "trực tuyến." in lines
    assert "Chỉ tiêu | 96,9%" in lines
    for hidden in ("color", "ẩn đi", "Không hiện", "Ẩn", "icon", "JavaScript", "Cổng & dịch vụ"):
        assert hidden not in raw.text
    assert "\n\n\n" not in raw.text


def test_htm_title_falls_back_to_first_heading(tmp_path: Path) -> None:
    raw = read_text(
        write(tmp_path, "a.htm", "<body><h2>Thanh toán không dùng tiền mặt</h2>x</body>")
    )
    assert raw.title == "Thanh toán không dùng tiền mặt"


def test_pdf_text_layer_of_every_page(tmp_path: Path) -> None:
    pdf = make_pdf(
        [["Quyết định số 06/QĐ-TTg", "phê duyệt Đề án 06."], ["Trang hai có chữ ký số."]],
        title="Đề án 06",
    )
    raw = read_text(write(tmp_path, "qd.pdf", pdf))
    assert raw.kind == "pdf"
    assert raw.title == "Đề án 06"
    assert raw.text == "Quyết định số 06/QĐ-TTg\nphê duyệt Đề án 06.\n\nTrang hai có chữ ký số."


def test_pdf_without_title_uses_first_line(tmp_path: Path) -> None:
    raw = read_text(write(tmp_path, "x.pdf", make_pdf([["Kế hoạch năm 2024", "Nội dung."]])))
    assert raw.title == "Kế hoạch năm 2024"


def test_docx_headings_lists_and_tables(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "kh.docx",
        [
            ("h1", "Kế hoạch triển khai"),
            ("", "Mục tiêu của kế hoạch."),
            ("h2", "Nhiệm vụ"),
            ("bullet", "Làm sạch dữ liệu dân cư"),
            ("number", "Cấp tài khoản định danh"),
            ("table:Chỉ tiêu|Tỷ lệ;Dịch vụ công|96,9%", ""),
            ("", "   "),
        ],
        title="KH Đề án 06",
    )
    raw = read_text(path)
    assert raw.kind == "docx"
    assert raw.title == "KH Đề án 06"
    assert raw.text.split("\n\n") == [
        "# Kế hoạch triển khai",
        "Mục tiêu của kế hoạch.",
        "## Nhiệm vụ",
        "- Làm sạch dữ liệu dân cư",
        "- Cấp tài khoản định danh",
        "Chỉ tiêu | Tỷ lệ\nDịch vụ công | 96,9%",
    ]


def test_docx_title_falls_back_to_first_heading(tmp_path: Path) -> None:
    raw = read_text(make_docx(tmp_path / "a.docx", [("h1", "Hướng dẫn"), ("", "Chữ.")]))
    assert raw.title == "Hướng dẫn"


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) >= {".md", ".txt", ".html", ".htm", ".pdf", ".docx"}


def test_normalize_text_keeps_lines_and_one_blank_line() -> None:
    assert normalize_text("  a  b \n\n\n\n c\u200b\n") == "a b\n\nc"
