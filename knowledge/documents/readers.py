"""Readers: one file (.md, .txt, .html/.htm, .pdf, .docx) → normalised plain text.

Structure survives as plain-text conventions the chunker understands: headings become lines
starting with "#" (one per level), list items lines starting with "- ", paragraphs are
separated by a blank line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from knowledge.documents.encoding import check_unicode, decode_utf8
from knowledge.documents.errors import IngestError
from vntext import normalize

_BLANK_RUN = re.compile(r"\n{3,}")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_DOCX_HEADING = re.compile(r"^(?:heading|tiêu đề)\s*(\d)$", re.IGNORECASE)
_MAX_TITLE = 200


@dataclass(frozen=True)
class RawDocument:
    """A file's normalised text, its title and kind; ``front_matter`` only for Markdown."""

    text: str
    title: str
    kind: str
    front_matter: dict[str, Any] = field(default_factory=dict)


def normalize_text(text: str) -> str:
    """``vntext.normalize`` line by line, so lines and paragraph breaks survive.

    NFC, one tone-mark placement, tidy spaces within lines; at most one blank line in a row.
    """
    lines = [normalize(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def _one_line(exc: Exception) -> str:
    """An exception as one short line: "Type: first line of the message"."""
    message = (str(exc).strip().splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _fallback_title(text: str, path: Path) -> str:
    """The first line when it is short enough to be a title, else the file name."""
    first = text.split("\n", 1)[0].lstrip("#").strip()
    return first if 0 < len(first) <= _MAX_TITLE else path.stem


# --- plain text and Markdown ---------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"không đọc được tệp / cannot read file ({exc.strerror})", path) from exc
    if not data:
        raise IngestError("tệp rỗng / empty file", path)
    return data


def read_txt(path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """Plain UTF-8 text."""
    return decode_utf8(_read_bytes(path), path), None, {}


def split_front_matter(text: str, path: Path | None = None) -> tuple[dict[str, Any], str]:
    """YAML front matter between leading "---" lines (as in knowledge cards) and the body."""
    match = re.match(r"---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", text, re.DOTALL)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0]
        raise IngestError(f"front matter YAML lỗi / invalid front matter: {first}", path) from exc
    if not isinstance(meta, dict):
        raise IngestError("front matter không phải bảng khóa / front matter is not a mapping", path)
    return meta, text[match.end() :]


def read_markdown(path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """Markdown: front matter stripped and returned; title from it or the first heading."""
    text = decode_utf8(_read_bytes(path), path).replace("\r\n", "\n")
    meta, body = split_front_matter(text, path)
    heading = _MD_HEADING.search(body)
    title = meta.get("title") or (heading.group(1) if heading else None)
    return body, (str(title) if title else None), meta


# --- HTML ----------------------------------------------------------------------------------

# Elements whose content a reader never sees; <title> is read separately.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "title", "iframe", "object"})
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_BLOCK = frozenset(
    """address article aside blockquote dd details div dl dt fieldset figcaption figure footer
    form header main nav ol p pre section summary table tbody thead tfoot tr ul caption""".split()
)
_PARAGRAPH = frozenset({"p", "div", "section", "article", "table", "ul", "ol", "blockquote"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    """hidden, aria-hidden="true" or an inline display:none."""
    values = {name: (value or "").replace(" ", "").lower() for name, value in attrs}
    return (
        "hidden" in values
        or values.get("aria-hidden") == "true"
        or "display:none" in values.get("style", "")
    )


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, headings as "#" lines and list items as "- " lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._in_title = False
        # The element that started a hidden stretch and how deep it is nested in itself;
        # counting only that tag keeps unclosed <p>/<li> inside from breaking the count.
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = self._in_title or tag == "title"
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        if tag not in _VOID and (tag in _SKIP or _is_hidden(attrs)):
            self._skip_tag, self._skip_depth = tag, 1
        elif tag in _HEADINGS:
            self.parts.append("\n\n" + "#" * _HEADINGS[tag] + " ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in {"td", "th"}:
            self.parts.append(" | ")
        elif tag in {"br", "hr"}:
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag in _PARAGRAPH else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in _HEADINGS or tag in _PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in _BLOCK or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._skip_tag is None:
            self.parts.append(data.replace("\n", " "))


def read_html(path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """Visible text of a UTF-8 HTML page (scripts, styles and <head> dropped)."""
    parser = _TextExtractor()
    parser.feed(decode_utf8(_read_bytes(path), path))
    parser.close()
    lines = [line.strip(" |") for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    heading = _MD_HEADING.search(normalize_text(text))
    title = normalize(parser.title) or (heading.group(1) if heading else None)
    return text, title, {}


# --- PDF -----------------------------------------------------------------------------------


def read_pdf(path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """Text layer of every page (pypdf). Scanned pages without a text layer give nothing."""
    from pypdf import PdfReader

    data = _read_bytes(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("PDF có mật khẩu / password-protected PDF", path)
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise IngestError(f"PDF hỏng / corrupt PDF ({_one_line(exc)})", path) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise IngestError(
            "PDF không có lớp chữ (bản scan?), cần OCR / PDF has no text layer (scanned?), "
            "OCR it first",
            path,
        )
    return text, (str(title).strip() or None) if title else None, {}


# --- DOCX ----------------------------------------------------------------------------------


def _docx_paragraph(paragraph: Any) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = _DOCX_HEADING.match(style)
    if heading:
        return "#" * min(int(heading.group(1)), 6) + " " + text
    if style.lower() == "title":
        return "# " + text
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return "- " + text if numbered or style.lower().startswith("list") else text


def read_docx(path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """Paragraphs and tables in order (python-docx); heading styles become "#" lines."""
    import docx
    from docx.table import Table

    data = _read_bytes(path)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # not a zip, truncated zip, missing or broken XML parts
        raise IngestError(f"DOCX hỏng / corrupt DOCX ({_one_line(exc)})", path) from exc
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = (" | ".join(cell.text.strip() for cell in row.cells) for row in item.rows)
            blocks.append("\n".join(rows))
        else:
            blocks.append(_docx_paragraph(item))
    title = document.core_properties.title
    return "\n\n".join(b for b in blocks if b.strip()), title or None, {}


# --- dispatch ------------------------------------------------------------------------------

Reader = Callable[[Path], tuple[str, str | None, dict[str, Any]]]
READERS: dict[str, tuple[str, Reader]] = {
    ".md": ("markdown", read_markdown),
    ".markdown": ("markdown", read_markdown),
    ".txt": ("text", read_txt),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
    ".docx": ("docx", read_docx),
}
SUPPORTED_EXTENSIONS = tuple(READERS)


def read_text(path: str | Path) -> RawDocument:
    """Read one document into normalised text; raises IngestError with a one-line reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise IngestError(
            f"định dạng không hỗ trợ / unsupported file type '{suffix or path.name}' "
            f"(hỗ trợ / supported: {', '.join(SUPPORTED_EXTENSIONS)})",
            path,
        )
    kind, reader = READERS[suffix]
    raw, title, meta = reader(path)
    text = normalize_text(check_unicode(raw, path))
    if not text.strip():
        raise IngestError("không có nội dung chữ / no extractable text", path)
    title = normalize(title) if title else ""
    return RawDocument(text, title or _fallback_title(text, path), kind, meta)
