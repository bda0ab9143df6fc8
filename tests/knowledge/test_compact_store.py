"""Compaction: the index rewritten without deleted entries' slots keeps every entry, its
vectors and its name, and a run that stopped half-way is finished or undone by the next."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import KnowledgeSettings
from knowledge.__main__ import main
from knowledge.ingest import ingest
from knowledge.store import VectorStore, open_store, reclaim_disk
from tests.knowledge.test_ingest import write_card


@pytest.fixture
def edited(settings: KnowledgeSettings, tmp_path: Path) -> VectorStore:
    """A store whose cards were edited and ingested again (deleted entries inside)."""
    folder = tmp_path / "cards"
    folder.mkdir()
    store = open_store(settings)
    for version in range(3):
        for n in range(4):
            write_card(
                folder, f"test-card-{n}", f"Thẻ số {n}", f"Nội dung lần {version} của thẻ {n}."
            )
        assert ingest(store, [folder], progress=False).ok
    return store


def _snapshot(store: VectorStore) -> dict[str, tuple[str, dict, list[float]]]:
    got = store.collection.get(include=["documents", "metadatas", "embeddings"])
    return {
        i: (d, m, [round(float(x), 6) for x in e])
        for i, d, m, e in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
        )
    }


def test_compaction_keeps_every_entry_and_its_vector(edited: VectorStore) -> None:
    before = _snapshot(edited)
    old_id = edited.collection.id
    stamp = edited.changed_stamp()

    assert edited.compact(batch_size=3) == len(before)

    assert _snapshot(edited) == before
    assert edited.collection.id != old_id
    assert edited.collection.name == edited.collection_name
    names = {getattr(c, "name", c) for c in edited.client.list_collections()}
    assert names == {edited.collection_name}
    assert edited.changed_stamp() != stamp  # running services reload
    hits = edited.dense_search("nội dung lần 2 của thẻ 3", k=1)
    assert hits and hits[0].unit_id == "card:test-card-3"


def test_a_leftover_copy_is_dropped_and_made_again(edited: VectorStore) -> None:
    before = _snapshot(edited)
    edited.client.create_collection(f"{edited.collection_name}.compact")
    assert edited.compact() == len(before)
    assert _snapshot(edited) == before


def test_a_run_stopped_between_its_renames_is_undone_by_the_next_opening(
    edited: VectorStore, settings: KnowledgeSettings
) -> None:
    before = _snapshot(edited)
    partial = edited.client.create_collection(f"{edited.collection_name}.compact")
    partial.add(ids=["x"], embeddings=[[0.0] * 8], documents=["x"])
    edited.collection.modify(name=f"{edited.collection_name}.old")  # the stop

    reopened = open_store(settings)  # e.g. the action server starting
    assert _snapshot(reopened) == before
    assert reopened.compact() == len(before)
    assert _snapshot(reopened) == before
    names = {getattr(c, "name", c) for c in reopened.client.list_collections()}
    assert names == {reopened.collection_name}


def test_the_command_reports_the_entries_kept(
    edited: VectorStore, settings: KnowledgeSettings, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    entries = edited.collection.count()
    monkeypatch.setenv("TROLY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TROLY_EMBEDDER", "hashing")
    assert main(["compact"]) == 0
    out = capsys.readouterr().out
    assert f"giữ đủ {entries} mục" in out and "MB →" in out


def test_the_dropped_index_folder_is_removed_and_nothing_else(
    edited: VectorStore, settings: KnowledgeSettings
) -> None:
    chroma = settings.chroma_dir
    own = chroma / "not-a-segment"
    own.mkdir()
    folders = {p.name for p in chroma.iterdir() if p.is_dir()}
    edited.compact()

    assert reclaim_disk(chroma) > 0

    left = {p.name for p in chroma.iterdir() if p.is_dir()} - {"not-a-segment"}
    assert own.is_dir()
    assert len(left) == 1 and not left & folders  # the old collection's folder is gone
    assert reclaim_disk(chroma) == 0
    reopened = open_store(settings)
    assert reopened.collection.count() == edited.collection.count()
    assert reopened.dense_search("nội dung lần 2 của thẻ 1", k=1)[0].unit_id == "card:test-card-1"


def test_without_a_readable_catalogue_nothing_is_removed(tmp_path: Path) -> None:
    segment = tmp_path / "5d00ec1b-06e9-4667-a0e3-88a09cc3762d"
    segment.mkdir()
    (segment / "data_level0.bin").write_bytes(b"x")
    (tmp_path / "chroma.sqlite3").write_bytes(b"not a database")
    assert reclaim_disk(tmp_path) == 0
    assert segment.is_dir()
