"""load_document end to end, on generated files and on the real news reports in shared/seeds."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from knowledge.documents import Document, IngestError, load_document
from tests.knowledge.documents.samples import VIETNAMESE, make_docx, make_pdf
from tests.knowledge.documents.test_chunking import check

REPO_ROOT = Path(__file__).resolve().parents[3]
SEEDS = (REPO_ROOT / ".." / "shared" / "seeds").resolve()


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def test_load_markdown_with_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "de-an-06.md"
    path.write_text(
        "---\ntitle: Tóm tắt Đề án 06\nnumber: 06/QĐ-TTg\ndate: 2022-01-06\n"
        "issuer: Thủ tướng Chính phủ\n---\n# Mục tiêu\n\n" + VIETNAMESE,
        encoding="utf-8",
    )
    doc = load_document(path)
    assert isinstance(doc, Document)
    assert (doc.path, doc.title, doc.kind) == (path, "Tóm tắt Đề án 06", "markdown")
    assert doc.metadata.number == "06/QĐ-TTg"
    assert doc.metadata.issued_date == "2022-01-06"
    assert doc.metadata.issuer == "Thủ tướng Chính phủ"
    assert doc.chunks and doc.chunks[0].heading == "Mục tiêu"
    assert doc.content_hash == hashlib.sha256(doc.text.encode()).hexdigest()
    check(doc.text, list(doc.chunks), 900)


def test_metadata_read_from_the_text(tmp_path: Path) -> None:
    path = tmp_path / "kh.pdf"
    path.write_bytes(
        make_pdf([["ỦY BAN NHÂN DÂN TỈNH", "Số: 153/KH-UBND", "ngày 6 tháng 1 năm 2022"]])
    )
    meta = load_document(path).metadata
    assert (meta.number, meta.doc_type) == ("153/KH-UBND", "Kế hoạch")
    assert meta.issuer == "Ủy ban nhân dân"
    assert meta.issued_date == "2022-01-06"


def test_hash_is_of_the_normalised_text(tmp_path: Path) -> None:
    composed = tmp_path / "a.txt"
    composed.write_text("Hòa nhập. " + VIETNAMESE, encoding="utf-8")
    decomposed = tmp_path / "b.txt"
    decomposed.write_text(
        unicodedata.normalize("NFD", "Hoà   nhập. " + VIETNAMESE), encoding="utf-8"
    )
    docx_path = make_docx(tmp_path / "c.docx", [("", "Hòa nhập. " + VIETNAMESE)])
    hashes = {load_document(p).content_hash for p in (composed, decomposed, docx_path)}
    assert len(hashes) == 1


def test_chunk_size_is_passed_on(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(VIETNAMESE * 5, encoding="utf-8")
    doc = load_document(path, max_chars=200, overlap_sentences=0)
    assert len(doc.chunks) > 3 and all(len(c.text) <= 200 for c in doc.chunks)


def test_errors_pass_through(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(IngestError, match="corrupt DOCX"):
        load_document(path)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    files = seed_files()
    if not files:
        pytest.skip(f"no seed reports in {SEEDS} (the shared/ folder beside the repository)")
    return {path.name: load_document(path) for path in files}


def test_every_seed_loads_into_chunks_with_metadata(seeds: dict[str, Document]) -> None:
    assert len(seeds) >= 5
    for name, doc in seeds.items():
        assert doc.kind == "text" and doc.title, name
        assert unicodedata.is_normalized("NFC", doc.text), name
        assert len(doc.chunks) >= 2, name
        check(doc.text, list(doc.chunks), 900)
        meta = doc.metadata
        assert meta.issued_date or meta.number, f"{name}: no metadata"
        assert meta.all_dates, f"{name}: no date found"
        assert "Đề án 06" in doc.text, name
        assert len(doc.content_hash) == 64


def seed(seeds: dict[str, Document], prefix: str) -> Document:
    doc = next((d for n, d in seeds.items() if n.startswith(prefix)), None)
    if doc is None:
        pytest.skip(f"seed {prefix}_*.txt not present")
    return doc


def test_seed_facts(seeds: dict[str, Document]) -> None:
    """Short facts stated in the reports: document numbers, types and dates."""
    first = seed(seeds, "000").metadata
    assert first.number == "06/QĐ-TTg"
    assert first.doc_type == "Quyết định" and first.issuer == "Thủ tướng Chính phủ"
    assert first.issued_date == "2022-01-06"
    assert "01/NQ-CP" in first.all_numbers

    plan = seed(seeds, "002").metadata
    assert plan.number == "270/KH-UBND" and plan.doc_type == "Kế hoạch"
    assert plan.issuer == "Ủy ban nhân dân thành phố Hà Nội"

    directive = seed(seeds, "001").metadata
    assert directive.number == "32-CT/TU" and directive.issued_date == "2023-04-27"
    assert "--06-27" in directive.all_dates

    party = seed(seeds, "003").metadata
    assert "45-CT/TU" in party.all_numbers and "2023-05-03" in party.all_dates

    report = seed(seeds, "004").metadata
    assert report.issued_date == "2024-03-06"


def test_seed_chunks_carry_headings_where_the_report_has_them(seeds: dict[str, Document]) -> None:
    doc = seed(seeds, "003")
    assert any(c.heading and c.heading.startswith("1.") for c in doc.chunks)
