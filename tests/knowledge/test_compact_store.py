"""Compaction: the index rewritten without deleted entries' slots keeps every entry, its
vectors and its name, and a run that stopped half-way is finished or undone by the next."""

from __future__ import annotations

from pathlib import Path

import chromadb.api.models.Collection as chroma_collection
import pytest

from core.config import KnowledgeSettings
from knowledge.__main__ import main
from knowledge.ingest import ingest
from knowledge.store import (
    IndexChangedDuringCompaction,
    InterruptedCompactionConflict,
    VectorStore,
    open_store,
    reclaim_disk,
)
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


def _collections(store: VectorStore) -> set[str]:
    return {getattr(c, "name", c) for c in store.client.list_collections()}


def test_compaction_keeps_every_entry_and_its_vector(edited: VectorStore) -> None:
    before = _snapshot(edited)
    old_id = edited.collection.id
    stamp = edited.changed_stamp()

    assert edited.compact(batch_size=3) == len(before)

    assert _snapshot(edited) == before
    assert edited.collection.id != old_id
    assert edited.collection.name == edited.collection_name
    assert _collections(edited) == {edited.collection_name}
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
    assert _collections(reopened) == {reopened.collection_name}


def test_an_empty_index_made_meanwhile_under_the_name_gives_way_to_the_original(
    edited: VectorStore, settings: KnowledgeSettings
) -> None:
    """A process opened the store between the two renames and made an empty index."""
    before = _snapshot(edited)
    edited.collection.modify(name=f"{edited.collection_name}.old")
    edited.client.create_collection(edited.collection_name)

    reopened = open_store(settings)
    assert _snapshot(reopened) == before
    assert reopened.compact() == len(before)
    assert _snapshot(reopened) == before


def test_a_smaller_index_under_the_name_is_not_compacted_over_the_original(
    edited: VectorStore, settings: KnowledgeSettings
) -> None:
    """Cards synced into an index made meanwhile: which one is right is not guessed."""
    before = _snapshot(edited)
    edited.collection.modify(name=f"{edited.collection_name}.old")
    newer = edited.client.create_collection(
        edited.collection_name, embedding_function=edited.embedding_function
    )
    newer.add(**_late_entry(edited))

    with pytest.raises(InterruptedCompactionConflict):
        open_store(settings).compact()
    old = edited.client.get_collection(f"{edited.collection_name}.old")
    assert old.count() == len(before)


def _late_entry(store: VectorStore) -> dict:
    return {
        "ids": ["late#w"],
        "embeddings": [[float(x) for x in store.embedding_function(["muộn"])[0]]],
        "documents": ["muộn"],
        "metadatas": [{"source": "late.pdf", "variant": "other", "unit_id": "late"}],
    }


def test_a_write_during_the_copy_stops_the_run_and_loses_nothing(
    edited: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = _late_entry(edited)
    real_add = chroma_collection.Collection.add

    def add(self, *args, **kwargs):  # another process ingests while the copy is written
        real_add(self, *args, **kwargs)
        if self.name.endswith(".compact") and not edited.collection.get(ids=late["ids"])["ids"]:
            real_add(edited.collection, **late)

    monkeypatch.setattr(chroma_collection.Collection, "add", add)
    with pytest.raises(IndexChangedDuringCompaction):
        edited.compact(batch_size=3)
    monkeypatch.undo()

    assert edited.collection.name == edited.collection_name
    assert edited.collection.get(ids=late["ids"])["ids"] == late["ids"]
    assert _collections(edited) == {edited.collection_name}


def test_a_failed_swap_puts_the_index_back_under_its_name(
    edited: VectorStore, settings: KnowledgeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(edited)
    real_modify = chroma_collection.Collection.modify

    def modify(self, *args, **kwargs):
        if self.name.endswith(".compact") and kwargs.get("name"):
            raise RuntimeError("the server went away")
        return real_modify(self, *args, **kwargs)

    monkeypatch.setattr(chroma_collection.Collection, "modify", modify)
    with pytest.raises(RuntimeError, match="went away"):
        edited.compact()
    monkeypatch.undo()

    assert edited.collection_name in _collections(edited)  # not left to the next opening
    assert _snapshot(open_store(settings)) == before


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


def test_the_command_reclaims_a_stopped_servers_folder(
    edited: VectorStore, settings: KnowledgeSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    edited.compact()
    folders = [p for p in settings.chroma_dir.iterdir() if p.is_dir()]
    assert main(["compact", "--reclaim-only", str(settings.chroma_dir)]) == 0
    assert "Đã thu hồi dung lượng" in capsys.readouterr().out
    assert len([p for p in settings.chroma_dir.iterdir() if p.is_dir()]) < len(folders)
    assert main(["compact", "--reclaim-only", str(settings.data_dir / "none")]) == 1
