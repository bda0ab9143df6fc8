"""Knowledge-base benchmarks: ingestion throughput and hybrid query latency at 1k/10k/100k chunks.

    make bench-kb     (or: python bench/knowledge_bench.py [--sizes 1000 10000 100000])

* Ingestion: real documents (the seed reports when ../shared/seeds exists, and the cards)
  through ``ingest`` with the real e5 model: files/s and chunks/s, embedding included.
* Scale: the index is filled with synthetic chunks up to each size. Texts are built from real
  sentences of the cards; vectors are real e5 vectors of the base passages with small noise
  (embedding 100k passages here would take hours, and the query cost does not depend on
  where the stored vectors came from). Queries are real questions, embedded by e5 each time.
  Prints p50/p95 of the hybrid search (BM25 + e5 query + chromadb) and of each side, and the
  start-up of a retriever two ways: cold (every unit read from chromadb, the lexical index
  built and saved) in this process, and warm (the saved index loaded) in a fresh process, as
  an action server restarting on an unchanged index, with that process's resident memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import KnowledgeSettings  # noqa: E402
from knowledge.cards import load_cards  # noqa: E402
from knowledge.embedding.encoder import E5EmbeddingFunction  # noqa: E402
from knowledge.evaluation import load_questions  # noqa: E402
from knowledge.ingest import ingest  # noqa: E402
from knowledge.lexical import terms  # noqa: E402
from knowledge.retrieval import Retriever  # noqa: E402
from knowledge.store import VectorStore, make_client, open_store  # noqa: E402
from knowledge.units import Unit  # noqa: E402
from vntext import fold_accents  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def rss_mib() -> float:
    """Peak resident memory of this process (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    """Resident memory of this process now (MiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return rss_mib()


def pct(samples: list[float]) -> str:
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return f"p50 {q[49] * 1000:7.1f} ms  p95 {q[94] * 1000:7.1f} ms"


class LookupEmbedding(E5EmbeddingFunction):
    """Passages: precomputed vectors by text; queries: the real e5 model."""

    def __init__(self, model: str, table: dict[str, np.ndarray]) -> None:
        super().__init__(model, threads=1)
        self.table = table

    def __call__(self, input: Any) -> Any:  # noqa: A002 (chromadb's parameter name)
        return [self.table[t] for t in input]


def bench_ingestion(settings: KnowledgeSettings) -> None:
    """Real files through the real pipeline, into an empty index."""
    paths = [settings.cards_dir] + ([SEEDS] if SEEDS.is_dir() else [])
    with tempfile.TemporaryDirectory() as tmp:
        local = settings.model_copy(update={"data_dir": Path(tmp), "embedding_threads": 2})
        store = open_store(local)
        started = time.perf_counter()
        report = ingest(store, paths, progress=False)
        elapsed = time.perf_counter() - started
        files = len(report.added)
        entries = store.collection.count()
        print(
            f"ingestion (e5, 2 threads): {files} files, {report.units_written} units, "
            f"{entries} vectors in {elapsed:.1f} s -> {files / elapsed:.2f} files/s, "
            f"{report.units_written / elapsed:.2f} units/s, {entries / elapsed:.1f} vectors/s"
        )


def base_material(settings: KnowledgeSettings) -> tuple[list[str], list[np.ndarray]]:
    """Real sentences (from the cards) and real e5 passage vectors to build synthetic chunks."""
    cards = load_cards(settings.cards_dir)
    sentences = [
        s.strip()
        for c in cards
        for s in c.body.replace("\n", ". ").split(". ")
        if len(s.strip()) > 30
    ]
    encoder = E5EmbeddingFunction(settings.model_name, threads=2)
    vectors = encoder([f"{c.title}\n{c.body}" for c in cards])
    return sentences, [np.asarray(v) for v in vectors]


def synthetic_units(
    n: int, sentences: list[str], vectors: list[np.ndarray], rng: random.Random
) -> tuple[list[Unit], dict[str, np.ndarray]]:
    """``n`` chunks of 3–6 real sentences with noisy copies of real vectors.

    BM25 terms are computed once per sentence (underthesea segments about 100 chunks/s here,
    which the ingestion figure already includes) and joined per chunk.
    """
    sentence_terms = {s: " ".join(terms(s)) for s in sentences}
    units, table = [], {}
    gen = np.random.default_rng(rng.randrange(1 << 30))
    for i in range(n):
        chosen = rng.sample(sentences, rng.randint(3, 6))
        text = f"Tài liệu {i}. " + " ".join(chosen)
        base = vectors[rng.randrange(len(vectors))]
        vec = base + gen.normal(0, 0.02, base.shape)
        vec = (vec / np.linalg.norm(vec)).astype(np.float32)
        table[text] = vec
        table[fold_accents(text)] = vec
        units.append(
            Unit(
                id=f"doc:synthetic:{i}",
                kind="chunk",
                source=f"synthetic/{i // 100}.txt",
                source_hash="synthetic",
                title=f"Tài liệu {i}",
                passage=text,
                body=text,
                lexical=f"tai lieu {i} " + " ".join(sentence_terms[c] for c in chosen),
            )
        )
    return units, table


def bench_scale(settings: KnowledgeSettings, sizes: list[int], queries: int) -> None:
    rng = random.Random(6)
    sentences, vectors = base_material(settings)
    questions = [q.text for q in load_questions()]
    rng.shuffle(questions)
    questions = questions[:queries]
    biggest = max(sizes)
    print(f"building {biggest} synthetic chunks ...", flush=True)
    units, table = synthetic_units(biggest, sentences, vectors, rng)
    with tempfile.TemporaryDirectory() as tmp:
        local = settings.model_copy(update={"data_dir": Path(tmp)})
        store = VectorStore(
            make_client(local),
            LookupEmbedding(settings.model_name, table),
            "bench",
            marker=local.data_dir / "index-changed",
        )
        done = 0
        for size in sorted(sizes):
            started = time.perf_counter()
            store.add_units(units[done:size], batch_size=500)
            add_rate = (size - done) / (time.perf_counter() - started)
            done = size
            started = time.perf_counter()
            retriever = Retriever(
                store,
                rrf_k=settings.rrf_k,
                candidates=settings.candidates,
                cache_dir=local.lexical_dir,
            )
            load_s = time.perf_counter() - started
            warm = subprocess.run(
                [sys.executable, __file__, "--warm-start", tmp],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            retriever.search(questions[0])  # warm-up (model load)
            timings: dict[str, list[float]] = {"hybrid": [], "bm25": [], "dense": []}
            for q in questions:
                for mode in timings:
                    t0 = time.perf_counter()
                    retriever.search(q, mode=mode)
                    timings[mode].append(time.perf_counter() - t0)
            print(
                f"{size:>7} chunks: add {add_rate:6.0f} chunks/s (precomputed vectors), "
                f"cold start (read + BM25 build + save) {load_s:5.1f} s, "
                f"peak RSS of this process {rss_mib():6.0f} MiB"
            )
            print(f"          warm start in a fresh process: {warm}")
            for mode, samples in timings.items():
                print(f"          {mode:<6} {pct(samples)}  ({len(samples)} queries)")


def warm_start(data_dir: Path) -> None:
    """A fresh process opening the bench index: retriever load time, RSS, then with e5."""
    settings = KnowledgeSettings()
    local = settings.model_copy(update={"data_dir": data_dir})
    before = current_rss_mib()
    started = time.perf_counter()
    store = VectorStore(
        make_client(local),
        E5EmbeddingFunction(settings.model_name),
        "bench",
        marker=local.data_dir / "index-changed",
    )
    retriever = Retriever(store, cache_dir=local.lexical_dir)
    load_s = time.perf_counter() - started
    after_load = current_rss_mib()
    retriever.search("cách kích hoạt tài khoản định danh điện tử")
    print(
        f"retriever ready in {load_s:.1f} s ({len(retriever.units)} units); RSS {before:.0f} MiB "
        f"after imports, {after_load:.0f} MiB with the retriever, "
        f"{current_rss_mib():.0f} MiB after a first hybrid query (e5 loaded)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--skip-ingestion", action="store_true")
    parser.add_argument("--warm-start", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_start:
        warm_start(args.warm_start)
        return 0
    settings = KnowledgeSettings()
    if not args.skip_ingestion:
        bench_ingestion(settings)
    bench_scale(settings, args.sizes, args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
