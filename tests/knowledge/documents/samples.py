"""Sample files for the document tests, made on the fly: PDF, DOCX, legacy encodings."""

from __future__ import annotations

import unicodedata
from pathlib import Path

# TCVN3 (TCVN 5712:1993, "ABC") byte of each Vietnamese letter, from the published table.
# Upper-case toned letters had no code of their own: the same bytes were shown in the
# upper-case font (.VnTimeH), so they are mapped to the lower-case codes here.
TCVN3_TABLE: dict[str, int] = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip

# Vietnamese typed with the VNI-Times font, read back as Windows-1252 (a realistic sample:
# "Cộng hòa xã hội chủ nghĩa Việt Nam / Độc lập - Tự do - Hạnh phúc / Đề án 06").
VNI_SAMPLE = (
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\nÑeà aùn 06"
)

# Short Vietnamese prose written for these tests.
VIETNAMESE = (
    "Người dân có thể đăng ký tài khoản định danh điện tử mức độ 2 tại công an cấp xã. "
    "Hồ sơ được xử lý trong vòng mười lăm ngày làm việc, kể từ khi nhận đủ giấy tờ hợp lệ. "
    "Sau khi được kích hoạt, tài khoản dùng được trên ứng dụng VNeID và Cổng dịch vụ công."
)


def tcvn3_bytes(text: str) -> bytes:
    """Encode Vietnamese text to TCVN3 bytes (ASCII passes through, other signs become "?")."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = TCVN3_TABLE.get(ch, TCVN3_TABLE.get(ch.lower()))
        if code is not None:
            out.append(code)
        else:
            out.extend(ch.encode("ascii", "replace"))
    return bytes(out)


def tcvn3_mojibake(text: str) -> str:
    """What TCVN3 text looks like once read as Latin-1 and saved as Unicode."""
    return tcvn3_bytes(text).decode("latin-1")


def cp1258_bytes(text: str) -> bytes:
    """Encode Vietnamese in Windows-1258: base letter (with its hat or horn), then tone mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tone)
    return "".join(out).encode("cp1258")


# --- PDF -------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A small valid PDF with one text line per list item, pages as given.

    Each character gets a one-byte code in a simple font whose ToUnicode map gives the
    Vietnamese letter back, as PDFs made by word processors do.
    """
    chars = sorted({ch for page in pages for line in page for ch in line})
    if len(chars) > 255:
        raise ValueError("too many distinct characters for a one-byte font")
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    entries = [f"<{code[ch]:02X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch in chars]
    blocks = []
    for i in range(0, len(entries), 100):
        part = entries[i : i + 100]
        blocks.append(f"{len(part)} beginbfchar\n" + "\n".join(part) + "\nendbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /defineresource pop\nend\nend\n"
    ).encode()

    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    tounicode = add(stream(cmap))
    widths = " ".join("500" for _ in chars).encode()
    font = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1 /LastChar %d "
        b"/Widths [%s] /ToUnicode %d 0 R >>" % (max(len(chars), 1), widths, tounicode)
    )
    kids = []
    for page in pages:
        ops = [b"BT /F1 11 Tf 14 TL 56 780 Td"]
        for line in page:
            hexed = "".join(f"{code[ch]:02X}" for ch in line).encode()
            ops.append(b"<" + hexed + b"> Tj T*")
        ops.append(b"ET")
        content = add(stream(b"\n".join(ops) if page else b""))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))
    info = add(b"<< /Title " + _pdf_string(title) + b" >>") if title else None

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    trailer += b" /Info %d 0 R >>" % info if info else b" >>"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def make_docx(path: Path, paragraphs: list[tuple[str, str]], title: str | None = None) -> Path:
    """A DOCX with python-docx; each item is (style, text), style "h1".."h3", "bullet",
    "number", "table:a|b;c|d" (text ignored) or "" for a plain paragraph."""
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1:]))
        elif style == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif style == "number":
            document.add_paragraph(text, style="List Number")
        elif style.startswith("table:"):
            rows = [row.split("|") for row in style[len("table:") :].split(";")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        else:
            document.add_paragraph(text)
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path
