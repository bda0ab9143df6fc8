"""How the meaning index grows with card edits, and what ``python -m knowledge compact`` gives back.

    .venv-app/bin/python bench/index_growth.py [--rounds 6] [--share 1.0] [--queries 200]

Copies the entries of the configured knowledge index (``var/chroma`` by default, built by
``make ingest`` or the first start) into a throw-away store, then edits it ``--rounds`` times
the way re-ingesting a changed card does: the entries of ``--share`` of the sources are deleted
and added again (same vectors, so no model is loaded). Prints after each round the store's
size on disk and its HNSW ``data_level0.bin``; then compacts it as the command does
(``VectorStore.compact`` and ``reclaim_disk``) and prints the time, the sizes, and the resident
memory (and its peak) of a fresh process that opens the store and runs ``--queries`` searches,
before and after. Writes nothing to the configured index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
import numpy as np  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402

from core.config import get_settings  # noqa: E402
from knowledge.embedding.encoder import HashingEmbeddingFunction  # noqa: E402
from knowledge.store import (  # noqa: E402
    VectorStore,
    collection_name,
    folder_bytes,
    make_client,
    reclaim_disk,
)

PAGE = 1000
NAME = "bench"

# A fresh process opening the store and searching it: its resident memory is what an action
# server pays for the index's mapped files.
PROBE = """
import json, sys
import chromadb, numpy as np
from chromadb.config import Settings
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
collection = client.get_collection(sys.argv[2], embedding_function=None)
found = collection.get(include=["embeddings"], limit=int(sys.argv[3]))
for vector in np.asarray(found["embeddings"], dtype=np.float32):
    collection.query(query_embeddings=[vector.tolist()], n_results=160, include=["distances"])
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
kib = {name: int(status[name].split()[0]) for name in ("VmRSS", "VmHWM")}
print(json.dumps({"rss_mib": kib["VmRSS"] / 1024, "peak_mib": kib["VmHWM"] / 1024}))
"""


def stored_entries() -> dict[str, Any]:
    settings = get_settings().knowledge
    collection = make_client(settings).get_collection(
        collection_name(settings), embedding_function=None
    )
    return collection.get(include=["embeddings", "documents", "metadatas"])


def level0_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("data_level0.bin"))


def add(store: VectorStore, entries: dict[str, Any], positions: list[int]) -> None:
    for at in range(0, len(positions), PAGE):
        page = positions[at : at + PAGE]
        store.collection.add(
            ids=[entries["ids"][i] for i in page],
            embeddings=[entries["embeddings"][i] for i in page],
            documents=[entries["documents"][i] for i in page],
            metadatas=[entries["metadatas"][i] for i in page],
        )


def probe_rss(folder: Path, queries: int) -> str:
    """Resident memory after the searches, and its peak, of a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder), NAME, str(queries)],
        check=True, capture_output=True, text=True,
    ).stdout
    memory = json.loads(out.strip().splitlines()[-1])
    return f"{memory['rss_mib']:.0f} MiB (peak {memory['peak_mib']:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--share", type=float, default=1.0, help="share of sources edited a round")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    entries = stored_entries()
    entries["embeddings"] = [
        np.asarray(v, dtype=np.float32).tolist() for v in entries["embeddings"]
    ]
    sources = sorted({str(m["source"]) for m in entries["metadatas"]})
    by_source: dict[str, list[int]] = {}
    for i, meta in enumerate(entries["metadatas"]):
        by_source.setdefault(str(meta["source"]), []).append(i)
    edited = sources[: max(1, round(len(sources) * args.share))]

    folder = Path(tempfile.mkdtemp(prefix="index-growth-"))
    try:
        client = chromadb.PersistentClient(
            path=str(folder), settings=ChromaSettings(anonymized_telemetry=False)
        )
        store = VectorStore(client, HashingEmbeddingFunction(), collection=NAME)
        add(store, entries, list(range(len(entries["ids"]))))
        print(
            f"{len(entries['ids'])} entries from {len(sources)} sources; each round re-adds "
            f"{len(edited)} sources' entries"
        )
        print(f"round 0 (built afresh): {folder_bytes(folder) / 1e6:.1f} MB on disk, "
              f"data_level0.bin {level0_bytes(folder) / 1e6:.1f} MB")
        fresh_rss = probe_rss(folder, args.queries)
        for round_number in range(1, args.rounds + 1):
            for source in edited:
                store.collection.delete(where={"source": source})
                add(store, entries, by_source[source])
            print(f"round {round_number}: {folder_bytes(folder) / 1e6:.1f} MB on disk, "
                  f"data_level0.bin {level0_bytes(folder) / 1e6:.1f} MB")
        grown_rss = probe_rss(folder, args.queries)
        started = time.perf_counter()
        kept = store.compact()
        compacted_in = time.perf_counter() - started
        started = time.perf_counter()
        freed = reclaim_disk(folder)
        reclaimed_in = time.perf_counter() - started
        print(f"compacted: {kept} entries in {compacted_in:.1f} s, disk reclaimed "
              f"({freed / 1e6:.1f} MB) in {reclaimed_in:.1f} s: "
              f"{folder_bytes(folder) / 1e6:.1f} MB on disk, "
              f"data_level0.bin {level0_bytes(folder) / 1e6:.1f} MB")
        compact_rss = probe_rss(folder, args.queries)
        print(f"a process that opens it and searches ({args.queries} queries) holds: built "
              f"afresh {fresh_rss}; after {args.rounds} rounds {grown_rss}; "
              f"compacted {compact_rss}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
