"""How far chromadb's approximate search is from exact, and whether two builds agree.

    .venv-app/bin/python bench/hnsw_exactness.py [--queries 300] [--k 160]

Reads the vectors of the configured knowledge index (``var/chroma`` by default, built by
``make ingest`` or the first start), builds throw-away collections from them — twice with
chromadb's default HNSW settings and twice with the ones ``knowledge.store.HNSW`` sets — and
asks each the same queries (mixtures of two stored vectors, so no model is loaded). Prints,
per setting: for how many queries the ``k`` nearest entries (the dense side asks for 8 × 20)
differ from the exact ones, how many exact neighbours are missed in all, for how many the two
builds disagree, the build time and the query latency (p50 / p95). Writes nothing to the index.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
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
from knowledge.store import HNSW, collection_name, make_client  # noqa: E402

DEFAULT = {"space": "cosine"}


def stored_vectors() -> tuple[list[str], np.ndarray]:
    settings = get_settings().knowledge
    collection = make_client(settings).get_collection(
        collection_name(settings), embedding_function=None
    )
    found = collection.get(include=["embeddings"])
    return list(found["ids"]), np.asarray(found["embeddings"], dtype=np.float32)


def build(conf: dict[str, Any], ids: list[str], vectors: np.ndarray) -> tuple[Any, float]:
    folder = tempfile.mkdtemp(prefix="hnsw-bench-")
    atexit.register(shutil.rmtree, folder, True)  # a copy of the whole index per configuration
    client = chromadb.PersistentClient(
        path=folder,
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    collection = client.create_collection(
        "bench", configuration={"hnsw": dict(conf)}, embedding_function=None
    )
    start = time.perf_counter()
    for at in range(0, len(ids), 512):
        collection.add(ids=ids[at : at + 512], embeddings=vectors[at : at + 512].tolist())
    return collection, time.perf_counter() - start


def nearest(
    collection: Any, queries: list[np.ndarray], k: int
) -> tuple[list[set[str]], list[float]]:
    found, took = [], []
    for query in queries:
        start = time.perf_counter()
        result = collection.query(query_embeddings=[query.tolist()], n_results=k)
        took.append(time.perf_counter() - start)
        found.append(set(result["ids"][0]))
    return found, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--k", type=int, default=160)
    args = parser.parse_args()

    ids, vectors = stored_vectors()
    rng = np.random.default_rng(0)
    queries = [
        vectors[rng.integers(len(ids))] + 0.3 * vectors[rng.integers(len(ids))]
        for _ in range(args.queries)
    ]
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = []
    for query in queries:
        similarity = unit @ (query / np.linalg.norm(query))
        exact.append({ids[i] for i in np.argsort(-similarity)[: args.k]})

    print(f"{len(ids)} stored entries, {args.queries} queries, k = {args.k}")
    for label, conf in (("chromadb default", DEFAULT), ("knowledge.store.HNSW", HNSW)):
        first, build_s = build(conf, ids, vectors)
        second, _ = build(conf, ids, vectors)
        found, took = nearest(first, queries, args.k)
        again, _ = nearest(second, queries, args.k)
        differ = sum(f != e for f, e in zip(found, exact, strict=True))
        missed = sum(len(e - f) for f, e in zip(found, exact, strict=True))
        unstable = sum(f != a for f, a in zip(found, again, strict=True))
        ms = np.asarray(took) * 1000
        print(
            f"{label:22} {conf}\n"
            f"  differ from exact: {differ} queries ({missed} neighbours missed); "
            f"two builds disagree: {unstable}; build {build_s:.1f} s; "
            f"query p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms"
        )


if __name__ == "__main__":
    main()
