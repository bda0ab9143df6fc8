"""The saved units and lexical index: served while the store is unchanged, rebuilt otherwise,
and never a crash whatever is wrong with the files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from core.config import KnowledgeSettings
from knowledge import index_cache
from knowledge.ingest import ingest
from knowledge.lexical import LexicalIndex
from knowledge.retrieval import Retriever
from knowledge.service import build_retriever
from knowledge.store import VectorStore, open_store
from tests.knowledge.test_ingest import write_card

QUESTIONS = ["quên passcode vneid", "đăng ký mức 2 ở đâu", "le phi truc tuyen", "xyz"]


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    write_card(folder, "passcode", "Quên passcode VNeID", "Chọn quên passcode, nhập OTP.")
    write_card(folder, "level2", "Đăng ký mức 2", "Mang thẻ căn cước đến công an xã.")
    write_card(folder, "fees", "Nộp lệ phí trực tuyến", "Thanh toán qua cổng dịch vụ công.")
    return folder


@pytest.fixture
def cached(settings: KnowledgeSettings, cards: Path) -> KnowledgeSettings:
    """Settings whose store holds the cards and whose lexical index has been saved once."""
    settings = settings.model_copy(update={"cards_dir": cards})
    build_retriever(settings)
    return settings


def hits(retriever: Retriever) -> list[list[tuple]]:
    return [
        [
            (h.unit.id, h.score, h.coverage, h.similarity, h.lexical_rank, h.dense_rank)
            for h in retriever.search(q, mode=mode)
        ]
        for q in QUESTIONS
        for mode in ("bm25", "dense", "hybrid")
    ]


def saved_folders(settings: KnowledgeSettings) -> list[Path]:
    return [p for p in settings.lexical_dir.glob("*/*") if not p.name.startswith(".tmp-")]


def from_store_only(settings: KnowledgeSettings) -> Retriever:
    """A retriever that reads the store and builds its index (no cache), for comparison."""
    return Retriever(open_store(settings), rrf_k=settings.rrf_k, candidates=settings.candidates)


def forbid_store_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: VectorStore) -> list:
        raise AssertionError("read the store instead of the saved index")

    monkeypatch.setattr(VectorStore, "units", refuse)


def test_a_saved_index_is_loaded_and_answers_the_same(
    cached: KnowledgeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(saved_folders(cached)) == 1
    expected = from_store_only(cached)
    forbid_store_reads(monkeypatch)
    loaded = build_retriever(cached, sync=False)
    assert loaded.units == expected.units
    assert hits(loaded) == hits(expected)
    assert hits(loaded)[0][0][0] == "card:passcode"


def test_units_survive_the_round_trip_through_the_saved_copy(cached: KnowledgeSettings) -> None:
    store = open_store(cached)
    key = index_cache.store_key(store)
    assert key is not None
    saved = index_cache.load(cached.lexical_dir, key)
    assert saved is not None
    units, index = saved
    assert units == store.units()
    assert index.size == len(units) == 3


def test_an_ingestion_makes_the_saved_index_stale(
    cached: KnowledgeSettings, cards: Path
) -> None:
    old = saved_folders(cached)
    write_card(cards, "beta", "Thẻ beta", "Hướng dẫn riêng về beta.")
    ingest(open_store(cached), [cards], progress=False)
    retriever = build_retriever(cached, sync=False)
    assert "card:beta" in {u.id for u in retriever.units}
    assert retriever.search("huong dan beta")[0].unit.id == "card:beta"
    now = saved_folders(cached)
    assert len(now) == 1 and now != old  # the stale copy was replaced


def test_a_running_retriever_reloads_and_saves_after_another_ingestion(
    cached: KnowledgeSettings, cards: Path
) -> None:
    retriever = build_retriever(cached, sync=False)
    write_card(cards, "beta", "Thẻ beta", "Hướng dẫn riêng về beta.")
    ingest(open_store(cached), [cards], progress=False)
    retriever.refresh_if_changed()
    assert retriever.search("huong dan beta")[0].unit.id == "card:beta"
    key = index_cache.store_key(open_store(cached))
    assert key is not None and index_cache.folder_for(cached.lexical_dir, key).is_dir()


def test_a_marker_rewritten_with_the_same_content_is_still_a_change(
    cached: KnowledgeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(cached)
    key = index_cache.store_key(store)
    assert store.marker is not None and key is not None
    store.marker.write_text(store.marker.read_text(encoding="utf-8"), encoding="utf-8")
    stat = store.marker.stat()
    os.utime(store.marker, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert index_cache.store_key(store) != key


@pytest.mark.parametrize(
    "damage",
    [
        "units truncated",
        "units missing",
        "key.json of another store",
        "key.json not JSON",
        "a byte of the BM25 scores changed",
        "syllable rows garbage",
        "syllable rows out of range",
        "bm25 folder missing",
        "bm25 vocabulary not JSON",
        "fewer units than the index",
        "a file added",
    ],
)
def test_a_damaged_saved_index_is_rebuilt_never_a_crash(
    cached: KnowledgeSettings, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    expected = hits(from_store_only(cached))
    (folder,) = saved_folders(cached)
    lexical = folder / "lexical"
    units = folder / "units.jsonl"
    if damage == "units truncated":
        data = units.read_bytes()
        units.write_bytes(data[: len(data) // 2])
    elif damage == "units missing":
        units.unlink()
    elif damage == "key.json of another store":
        saved = json.loads((folder / "key.json").read_text(encoding="utf-8"))
        saved["key"]["entries"] = 1
        (folder / "key.json").write_text(json.dumps(saved), encoding="utf-8")
    elif damage == "key.json not JSON":
        (folder / "key.json").write_text("{", encoding="utf-8")
    elif damage == "a byte of the BM25 scores changed":
        scores = lexical / "bm25" / "data.csc.index.npy"
        data = bytearray(scores.read_bytes())
        data[-1] ^= 0xFF
        scores.write_bytes(bytes(data))
    elif damage == "syllable rows garbage":
        (lexical / "syllable_rows.npy").write_bytes(b"\x93NUMPY not really")
    elif damage == "syllable rows out of range":
        rows = np.load(lexical / "syllable_rows.npy")
        np.save(lexical / "syllable_rows.npy", rows + 10_000)
    elif damage == "bm25 folder missing":
        for path in (lexical / "bm25").iterdir():
            path.unlink()
        (lexical / "bm25").rmdir()
    elif damage == "bm25 vocabulary not JSON":
        (lexical / "bm25" / "vocab.index.json").write_text("{", encoding="utf-8")
    elif damage == "fewer units than the index":
        lines = units.read_text(encoding="utf-8").splitlines(keepends=True)
        units.write_text("".join(lines[:2]), encoding="utf-8")
    elif damage == "a file added":
        (lexical / "stray.npy").write_bytes(b"")
    retriever = build_retriever(cached, sync=False)
    assert "unreadable" in caplog.text
    assert hits(retriever) == expected
    # the damaged copy was replaced by a good one, which the next process loads
    (again,) = saved_folders(cached)
    key = index_cache.store_key(retriever.store)
    assert key is not None and index_cache.load(cached.lexical_dir, key) is not None


def test_no_marker_means_no_saved_index(settings: KnowledgeSettings, cards: Path) -> None:
    settings = settings.model_copy(update={"cards_dir": cards})
    store = open_store(settings)
    ingest(store, [cards], progress=False)
    store.marker = None
    retriever = Retriever(store, cache_dir=settings.lexical_dir)
    assert len(retriever.units) == 3
    assert not settings.lexical_dir.exists()


def test_an_unwritable_cache_folder_only_costs_the_save(
    settings: KnowledgeSettings, cards: Path
) -> None:
    settings = settings.model_copy(update={"cards_dir": cards})
    blocked = settings.data_dir / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    store = open_store(settings)
    ingest(store, [cards], progress=False)
    retriever = Retriever(store, cache_dir=blocked)
    assert retriever.search("quên passcode")[0].unit.id == "card:passcode"


def test_a_copy_saved_by_another_process_first_is_kept(cached: KnowledgeSettings) -> None:
    store = open_store(cached)
    key = index_cache.store_key(store)
    assert key is not None
    (folder,) = saved_folders(cached)
    before = (folder / "units.jsonl").stat().st_mtime_ns
    index_cache.save(cached.lexical_dir, key, store.units(), LexicalIndex([]))
    assert saved_folders(cached) == [folder]
    assert (folder / "units.jsonl").stat().st_mtime_ns == before


def test_an_abandoned_temporary_folder_is_removed_a_fresh_one_kept(
    cached: KnowledgeSettings, cards: Path
) -> None:
    (folder,) = saved_folders(cached)
    fresh = folder.parent / ".tmp-fresh"
    abandoned = folder.parent / ".tmp-abandoned"
    fresh.mkdir()
    abandoned.mkdir()
    old = index_cache.STALE_TEMPORARY_SECONDS + 60
    stat = abandoned.stat()
    os.utime(abandoned, (stat.st_atime - old, stat.st_mtime - old))
    write_card(cards, "beta", "Thẻ beta", "Hướng dẫn riêng về beta.")
    ingest(open_store(cached), [cards], progress=False)
    build_retriever(cached, sync=False)
    assert fresh.exists() and not abandoned.exists()


@pytest.mark.parametrize("mmap", [False, True])
def test_lexical_index_round_trip(tmp_path: Path, mmap: bool) -> None:
    texts = ["Quên passcode VNeID", "Đăng ký tài khoản định danh mức 2", "hoà giải ở cơ sở"]
    built = LexicalIndex(texts)
    built.save(tmp_path / "index")
    loaded = LexicalIndex.load(tmp_path / "index", mmap=mmap)
    for query in ["quen passcode", "định danh mức 2", "hòa giải", "không có gì"]:
        assert [(h.index, h.score, h.coverage) for h in loaded.search(query)] == [
            (h.index, h.score, h.coverage) for h in built.search(query)
        ]
        weights = built.weights(query)
        assert loaded.weights(query) == weights
        assert [loaded.coverage(weights, i) for i in range(3)] == [
            built.coverage(weights, i) for i in range(3)
        ]


def test_an_inconsistent_syllable_table_is_refused_when_read_into_memory(tmp_path: Path) -> None:
    LexicalIndex(["Quên passcode VNeID", "hoà giải"]).save(tmp_path / "index")
    rows = np.load(tmp_path / "index" / "syllable_rows.npy")
    np.save(tmp_path / "index" / "syllable_rows.npy", rows + 10_000)
    with pytest.raises(ValueError):
        LexicalIndex.load(tmp_path / "index")


def test_empty_lexical_index_round_trip(tmp_path: Path) -> None:
    LexicalIndex([]).save(tmp_path / "empty")
    loaded = LexicalIndex.load(tmp_path / "empty")
    assert loaded.size == 0 and loaded.search("quên passcode") == []


def test_ingestion_leaves_a_saved_index_for_the_next_start(
    settings: KnowledgeSettings, cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowledge.service import save_lexical_index

    settings = settings.model_copy(update={"cards_dir": cards})
    store = open_store(settings)
    ingest(store, [cards], progress=False)
    save_lexical_index(store, settings)  # as `python -m knowledge ingest` does after ingesting
    assert len(saved_folders(settings)) == 1
    forbid_store_reads(monkeypatch)
    save_lexical_index(store, settings)  # already saved: nothing read, nothing built
    assert len(build_retriever(settings, sync=False).units) == 3


def test_a_write_from_another_machine_makes_the_saved_index_stale(
    cached: KnowledgeSettings, cards: Path
) -> None:
    """A process elsewhere writing to a shared chromadb server does not touch this machine's
    marker file; the time recorded in the collection itself still changes the key."""
    elsewhere = open_store(cached)
    elsewhere.marker = None
    write_card(cards, "fees", "Nộp lệ phí trực tuyến", "Chuyển khoản qua ngân hàng điện tử.")
    before = elsewhere.collection.count()
    ingest(elsewhere, [cards], progress=False)
    assert elsewhere.collection.count() == before  # same number of entries, other content
    retriever = build_retriever(cached, sync=False)
    fees = next(u for u in retriever.units if u.id == "card:fees")
    assert "ngân hàng điện tử" in fees.body
