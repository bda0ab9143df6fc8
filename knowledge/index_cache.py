"""The retriever's units and lexical index saved beside the vector store.

Rebuilding them means reading every unit from chromadb and computing each passage's syllables
and the BM25 index (100k units: over a minute); loading a saved copy takes seconds.

A saved copy is keyed by what identifies the store's content — the collection (name and id),
its number of entries, the time of its last write as recorded in the collection itself (seen by
every client of a chromadb server) and in the ingestion marker file (every write to the store
rewrites both) — and by the code that builds the index. A copy under another key is never
read, so a changed index is never served stale; a copy whose files do not match the checksums
saved with it, or that cannot be read, is removed and rebuilt. Copies are written to a
temporary folder and renamed into place, so several processes can share one data directory.
The index's large arrays are mapped from the files: a process holds only the pages its
searches read, and processes on one machine share them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s

from knowledge.lexical import LexicalIndex
from knowledge.store import VectorStore
from knowledge.units import Unit

logger = logging.getLogger(__name__)

FORMAT = 2  # bump when the saved layout changes
STALE_TEMPORARY_SECONDS = 3600.0  # a writer's temporary folder older than this was abandoned


# the shared text code a unit's stored terms and embedded text are made with
TEXT_MODULES = ("vntext.normalize", "vntext.abbreviations", "vntext.segment")


def _modules_digest(names: tuple[str, ...], extra: bytes = b"") -> str:
    """Short hash of the modules' source files (and ``extra``)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(Path(importlib.import_module(name).__file__ or "").read_bytes())
    digest.update(extra)
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the code that turns passages into the index (syllables, normalisation, word
    segmentation, BM25)."""
    return _modules_digest(("knowledge.lexical", *TEXT_MODULES), bm25s.__version__.encode())


@lru_cache(maxsize=1)
def text_fingerprint() -> str:
    """Hash of the shared text code only: a unit ingested under another one holds terms (and
    an embedded text) that today's code would not make, so its file is ingested again."""
    return _modules_digest(TEXT_MODULES)


def store_key(store: VectorStore) -> dict[str, Any] | None:
    """What a saved copy must match to be served; None when the store has no marker file."""
    if store.marker is None:
        return None
    try:
        modified = store.marker.stat().st_mtime_ns
        marker = store.marker.read_text(encoding="utf-8").strip()
        collection_id, entries = str(store.collection.id), store.collection.count()
        changed = store.changed_stamp()  # also seen by processes on other machines
    except Exception as exc:  # a marker or a store we cannot read: build from the store
        logger.warning("lexical index: no cache key (%s)", exc)
        return None
    return {
        "format": FORMAT,
        "code": code_fingerprint(),
        "collection": store.collection_name,
        "collection_id": collection_id,
        "entries": entries,
        "changed": changed,
        "marker": marker,
        "marker_mtime_ns": modified,
    }


def folder_for(cache_dir: Path, key: dict[str, Any]) -> Path:
    """Where the copy for ``key`` lives: one folder per collection, one sub-folder per key."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]
    return _collection_dir(cache_dir, key) / digest


def _collection_dir(cache_dir: Path, key: dict[str, Any]) -> Path:
    return cache_dir / re.sub(r"[^A-Za-z0-9_.-]", "_", str(key["collection"]))


def load(cache_dir: Path, key: dict[str, Any]) -> tuple[list[Unit], LexicalIndex] | None:
    """The saved units and index for ``key``, or None (nothing saved, or unreadable)."""
    folder = folder_for(cache_dir, key)
    if not folder.is_dir():
        return None
    try:
        saved = json.loads((folder / "key.json").read_text(encoding="utf-8"))
        if saved.get("key") != key:
            raise ValueError("saved for another key")
        if _checksums(folder) != saved.get("files"):
            raise ValueError("its files are not the ones saved")
        with (folder / "units.jsonl").open(encoding="utf-8") as lines:
            units = [Unit.from_metadata(*json.loads(line)) for line in lines]
        index = LexicalIndex.load(folder / "lexical", mmap=True)  # contents verified above
        if index.size != len(units):
            raise ValueError(f"{len(units)} units but an index of {index.size}")
    except Exception as exc:  # whatever is wrong with the files, the store can rebuild them
        logger.warning("lexical index: saved copy %s unreadable (%s), rebuilding", folder, exc)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return units, index


def save(cache_dir: Path, key: dict[str, Any], units: list[Unit], index: LexicalIndex) -> None:
    """Saves ``units`` and ``index`` under ``key``; removes copies saved under other keys.

    Never raises: a process that cannot save (read-only or full disk) still serves.
    """
    final = folder_for(cache_dir, key)
    if final.exists():
        return
    parent = final.parent
    temporary: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
        with (temporary / "units.jsonl").open("w", encoding="utf-8") as out:
            for unit in units:  # one line a unit: loading never holds them all as JSON
                out.write(json.dumps([unit.to_metadata(), unit.passage], ensure_ascii=False))
                out.write("\n")
        index.save(temporary / "lexical")
        saved = {"key": key, "files": _checksums(temporary)}
        (temporary / "key.json").write_text(json.dumps(saved), encoding="utf-8")
        os.rename(temporary, final)  # atomic; fails when another process saved it first
    except OSError as exc:
        if not final.is_dir():
            logger.warning("lexical index: not saved to %s (%s)", final, exc)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        return
    _prune(parent, keep=final)


def _checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` but key.json, by relative path."""
    sums = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "key.json":
            digest = hashlib.sha256()
            with path.open("rb") as data:
                while chunk := data.read(1 << 20):
                    digest.update(chunk)
            sums[path.relative_to(folder).as_posix()] = digest.hexdigest()
    return sums


def _prune(parent: Path, keep: Path) -> None:
    """Removes copies saved under older keys and temporary folders abandoned by writers."""
    now = time.time()
    for folder in parent.iterdir():
        if folder == keep or not folder.is_dir():
            continue
        if folder.name.startswith(".tmp-"):
            try:
                if now - folder.stat().st_mtime < STALE_TEMPORARY_SECONDS:
                    continue  # another process may be writing it
            except OSError:
                continue
        shutil.rmtree(folder, ignore_errors=True)
