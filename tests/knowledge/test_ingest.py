"""Ingestion: idempotent by content hash, bad files reported and skipped, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import REPO_ROOT, KnowledgeSettings
from knowledge.ingest import ingest
from knowledge.store import VectorStore, open_store
from tests.conftest import SEEDS_DIR
from tests.knowledge.documents.samples import VIETNAMESE, cp1258_bytes, make_docx, make_pdf

CARD = """---
id: {id}
title: "{title}"
topic: vneid
sources:
  - title: "Hướng dẫn thử nghiệm"
    number: "01/HD-TEST"
    date: 2025-01-02
questions:
  - "{question}"
---

{body}
"""


def write_card(folder: Path, card_id: str, title: str, body: str, question: str = "hỏi gì") -> Path:
    path = folder / f"{card_id}.md"
    path.write_text(
        CARD.format(id=card_id, title=title, body=body, question=question), encoding="utf-8"
    )
    return path


@pytest.fixture
def store(settings: KnowledgeSettings) -> VectorStore:
    return open_store(settings)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_card(folder, "test-passcode", "Quên passcode", "Đặt lại passcode trong ứng dụng.")
    write_card(folder, "test-level2", "Tài khoản mức 2", "Đăng ký mức 2 tại công an xã.")
    (folder / "huong-dan.txt").write_text(VIETNAMESE, encoding="utf-8")
    (folder / "quyet-dinh.pdf").write_bytes(make_pdf([["QUYẾT ĐỊNH", "Số: 06/QĐ-TTg", VIETNAMESE]]))
    make_docx(folder / "ke-hoach.docx", [("Heading 1", "Kế hoạch"), ("Normal", VIETNAMESE)])
    return folder


def test_ingest_indexes_cards_and_documents(store: VectorStore, corpus: Path) -> None:
    report = ingest(store, [corpus], progress=False)
    assert report.ok, report.skipped
    assert len(report.added) == 5
    assert report.units_total == store.count_units() >= 5
    kinds = {u.kind for u in store.units()}
    assert kinds == {"card", "chunk"}
    assert "5 tệp mới" in report.summary()


def test_second_run_changes_nothing(store: VectorStore, corpus: Path) -> None:
    ingest(store, [corpus], progress=False)
    before = {u.id: u for u in store.units()}
    report = ingest(store, [corpus], progress=False)
    assert len(report.unchanged) == 5
    assert report.units_written == 0 and not report.added and not report.replaced
    assert {u.id: u for u in store.units()} == before


def test_files_are_ingested_again_when_the_text_code_changes(
    store: VectorStore, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored terms made by older segmentation or normalisation code are not served on."""
    ingest(store, [corpus], progress=False)
    monkeypatch.setattr("knowledge.ingest.text_fingerprint", lambda: "other-text-code")
    report = ingest(store, [corpus], progress=False)
    assert len(report.replaced) == 5 and not report.unchanged


def test_changed_file_is_replaced_and_removed_file_deleted(
    store: VectorStore, corpus: Path
) -> None:
    ingest(store, [corpus], progress=False)
    write_card(corpus, "test-passcode", "Quên passcode", "Nội dung mới: gọi 1900 0368.")
    (corpus / "huong-dan.txt").unlink()
    report = ingest(store, [corpus], progress=False)
    assert [Path(p).name for p in report.replaced] == ["test-passcode.md"]
    assert [Path(p).name for p in report.removed] == ["huong-dan.txt"]
    units = {u.id: u for u in store.units()}
    assert "1900 0368" in units["card:test-passcode"].body
    assert not any(u.source.endswith("huong-dan.txt") for u in units.values())


def test_bad_files_are_reported_and_the_rest_ingests(store: VectorStore, corpus: Path) -> None:
    ingest(store, [corpus], progress=False)
    kept = {u.id for u in store.units()}
    (corpus / "rong.txt").write_text("", encoding="utf-8")
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (corpus / "cu.txt").write_bytes(cp1258_bytes(VIETNAMESE))
    (corpus / "bang.xyz").write_bytes(b"\x00\x01")
    (corpus / "the-loi.md").write_text("---\nid: broken\ntopic: vneid\n---\n", encoding="utf-8")
    # a file that was fine before and is now broken keeps its previous version
    (corpus / "huong-dan.txt").write_bytes(b"")
    write_card(corpus, "test-new", "Thẻ mới", "Nội dung thẻ mới.")
    skipped_lines: list[str] = []
    report = ingest(
        store, [corpus], progress=False, on_skip=lambda n, r: skipped_lines.append(f"{n}: {r}")
    )
    names = sorted(Path(name).name for name, _ in report.skipped)
    assert names == ["bang.xyz", "cu.txt", "hong.pdf", "huong-dan.txt", "rong.txt", "the-loi.md"]
    assert all("\n" not in line for line in skipped_lines)
    assert [Path(p).name for p in report.added] == ["test-new.md"]
    after = {u.id for u in store.units()}
    assert kept | {"card:test-new"} == after


def test_missing_path_is_reported(store: VectorStore, tmp_path: Path) -> None:
    report = ingest(store, [tmp_path / "khong-co"], progress=False)
    assert len(report.skipped) == 1 and "not found" in report.skipped[0][1]


def test_a_card_id_used_by_another_file_is_refused(store: VectorStore, corpus: Path) -> None:
    ingest(store, [corpus], progress=False)
    other = corpus / "khac"
    other.mkdir()
    write_card(other, "copy", "Bản sao", "Nội dung.")
    (other / "copy.md").write_text(
        (other / "copy.md").read_text(encoding="utf-8").replace("id: copy", "id: test-passcode"),
        encoding="utf-8",
    )
    report = ingest(store, [other / "copy.md"], progress=False)
    assert report.skipped and "test-passcode" in report.skipped[0][1]


def test_every_card_of_the_repository_ingests(store: VectorStore) -> None:
    report = ingest(store, [REPO_ROOT / "knowledge" / "cards"], progress=False)
    assert report.ok, report.skipped
    assert report.units_total >= 60


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed reports not found at {SEEDS_DIR}")
def test_seed_reports_ingest_with_their_metadata(store: VectorStore) -> None:
    report = ingest(store, [SEEDS_DIR], progress=False)
    assert report.ok, report.skipped
    assert len(report.added) == len(list(SEEDS_DIR.glob("*.txt")))
    units = store.units()
    assert all(u.kind == "chunk" and u.body.strip() for u in units)
    assert len({u.source for u in units}) == len(report.added)


def test_the_index_searches_wide_enough_even_when_built_before(settings: KnowledgeSettings) -> None:
    """A collection made with chromadb's defaults (an index built before) gets the wider search
    when the store opens it, and keeps it for the next process."""
    import chromadb

    from knowledge.store import HNSW, collection_name, make_client

    name = collection_name(settings)
    make_client(settings).create_collection(
        name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    open_store(settings)
    chromadb.api.shared_system_client.SharedSystemClient.clear_system_cache()
    reopened = make_client(settings).get_collection(name, embedding_function=None)
    assert reopened.configuration_json["hnsw"]["ef_search"] == HNSW["ef_search"]
