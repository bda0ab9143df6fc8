"""Hybrid retrieval: BM25 over folded syllables fused with dense e5 results (reciprocal rank).

The lexical index is built from the vector store's units, so both sides always search the
same passages; a running service notices a newer ingestion and reloads. With a cache folder the
units and lexical index are saved there and loaded by the next process while the store is
unchanged (``knowledge.index_cache``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge import index_cache
from knowledge.lexical import LexicalIndex
from knowledge.store import VectorStore
from knowledge.units import Unit
from vntext import normalize_for_matching

logger = logging.getLogger(__name__)

MODES = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Hit:
    """A retrieved unit with the evidence for it."""

    unit: Unit
    score: float
    coverage: float  # share of the question's content words the unit contains
    similarity: float  # dense cosine similarity (0 when the dense side did not return it)
    lexical_rank: int | None = None
    dense_rank: int | None = None


class Retriever:
    """Searches the store's units with BM25, e5, or both fused."""

    def __init__(
        self,
        store: VectorStore,
        *,
        rrf_k: int = 5,
        candidates: int = 20,
        on_change: Callable[[VectorStore], None] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self.on_change = on_change
        self.rrf_k = rrf_k
        self.candidates = candidates
        self._lock = threading.Lock()
        self._loaded_marker: float | None = None
        self.reload()

    def reload(self) -> None:
        """Loads the units and lexical index saved for the store as it is now, or reads every
        unit from the store, builds the index and saves both (with a cache folder)."""
        started = time.perf_counter()
        # the marker before reading: an ingestion during the read is noticed on the next refresh
        marker = _marker_time(self.store.marker)
        key = index_cache.store_key(self.store) if self.cache_dir is not None else None
        saved = index_cache.load(self.cache_dir, key) if self.cache_dir and key else None
        if saved is not None:
            units, lexical = saved
            how = "loaded from the saved index"
        else:
            units = self.store.units()
            lexical = lexical_index(units)
            how = "read from the store, lexical index built"
            # saved only when nothing was written to the store while it was read
            if self.cache_dir and key and index_cache.store_key(self.store) == key:
                index_cache.save(self.cache_dir, key, units, lexical)
        self._take(units, lexical)
        self._loaded_marker = marker
        logger.info(
            "retriever: %d units %s in %.1f s", len(units), how, time.perf_counter() - started
        )

    def use_units(self, units: list[Unit], lexical: LexicalIndex | None = None) -> None:
        """Searches ``units`` from now on (the word index built for them unless given; the
        meaning index is the store's): for probes that take a card out of both indexes."""
        with self._lock:
            self._take(units, lexical or lexical_index(units))

    def _take(self, units: list[Unit], lexical: LexicalIndex) -> None:
        self.units = units
        self._position = {u.id: i for i, u in enumerate(units)}
        self.lexical = lexical

    def refresh_if_changed(self) -> None:
        """Reloads when another process ingested since the last load."""
        current = _marker_time(self.store.marker)
        if current is not None and current != self._loaded_marker:
            with self._lock:
                if current != self._loaded_marker:
                    if self.on_change is not None:
                        self.on_change(self.store)
                    self.reload()

    def search(
        self,
        query: str,
        *,
        mode: str = "hybrid",
        k: int = 10,
        boost: frozenset[str] = frozenset(),
        boost_factor: float = 1.0,
    ) -> list[Hit]:
        """Best units for ``query``; ``boost`` topics get their fused score multiplied."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if not self.units or not query.strip():
            return []
        lexical = self.lexical.search(query, k=self.candidates) if mode != "dense" else []
        dense = (
            self.store.dense_search(normalize_for_matching(query), k=self.candidates)
            if mode != "bm25"
            else []
        )
        lexical_rank = {self.units[h.index].id: r for r, h in enumerate(lexical, 1)}
        coverage = {self.units[h.index].id: h.coverage for h in lexical}
        dense_rank = {h.unit_id: r for r, h in enumerate(dense, 1)}
        similarity = {h.unit_id: h.similarity for h in dense}

        scores: dict[str, float] = {}
        if mode == "bm25":
            scores = {self.units[h.index].id: h.score for h in lexical}
        elif mode == "dense":
            scores = dict(similarity)
        else:
            for unit_id, rank in lexical_rank.items():
                scores[unit_id] = scores.get(unit_id, 0.0) + 1.0 / (self.rrf_k + rank)
            for unit_id, rank in dense_rank.items():
                scores[unit_id] = scores.get(unit_id, 0.0) + 1.0 / (self.rrf_k + rank)

        weights: dict[str, float] | None = None  # for units only the dense side found
        hits = []
        for unit_id, score in scores.items():
            position = self._position.get(unit_id)
            if position is None:  # ingested after our last reload
                continue
            unit = self.units[position]
            # an ingested document without a topic is never pushed down by the intent's
            # topics: it may be on any of them
            if unit.topic in boost or (boost and unit.kind == "chunk" and not unit.topic):
                score *= boost_factor
            cov = coverage.get(unit_id)
            if cov is None:
                if weights is None:
                    weights = self.lexical.weights(query)
                cov = self.lexical.coverage(weights, position)
            hits.append(
                Hit(
                    unit,
                    score,
                    cov,
                    similarity.get(unit_id, 0.0),
                    lexical_rank.get(unit_id),
                    dense_rank.get(unit_id),
                )
            )
        return best_first(hits)[:k]


def lexical_index(units: Sequence[Unit]) -> LexicalIndex:
    """The word index over ``units`` (their syllables segmented once, at indexing)."""
    return LexicalIndex([u.passage for u in units], doc_terms=[u.lexical.split() for u in units])


def best_first(hits: list[Hit]) -> list[Hit]:
    """Hits by fused score; equal scores (first on one side and second on the other is a
    common tie) go to the passage closer in meaning, then to the one holding more of the
    question — not to the alphabetically first card id."""
    return sorted(hits, key=lambda h: (-h.score, -h.similarity, -h.coverage, h.unit.id))


def _marker_time(marker: Path | None) -> float | None:
    if marker is None:
        return None
    try:
        return marker.stat().st_mtime
    except OSError:
        return None
