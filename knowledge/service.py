"""Builds the knowledge service from settings: store, cards ingested, retriever, answers."""

from __future__ import annotations

import logging

from core.config import KnowledgeSettings
from knowledge import index_cache
from knowledge.answers import KnowledgeService
from knowledge.ingest import IngestReport, ingest
from knowledge.retrieval import Retriever
from knowledge.store import VectorStore, open_store, reopen_store

logger = logging.getLogger(__name__)


def sync_cards(store: VectorStore, settings: KnowledgeSettings) -> IngestReport:
    """Ingests the cards folder (a no-op when no card changed)."""
    report = ingest(store, [settings.cards_dir], progress=False)
    for name, reason in report.skipped:
        logger.error("card not loaded: %s — %s", name, reason)
    logger.info("cards: %s", report.summary())
    return report


def build_retriever(settings: KnowledgeSettings, *, sync: bool = True) -> Retriever:
    """The configured store (cards synced first) behind a hybrid retriever."""
    store = open_store(settings)
    if sync:
        sync_cards(store, settings)
    return Retriever(
        store,
        rrf_k=settings.rrf_k,
        candidates=settings.candidates,
        on_change=lambda s: reopen_store(s, settings),
        cache_dir=settings.lexical_dir,
    )


def save_lexical_index(store: VectorStore, settings: KnowledgeSettings) -> None:
    """Builds and saves the lexical index of the store as it is now, unless already saved, so
    that the next process to start (the action server after `make ingest`) loads it."""
    key = index_cache.store_key(store)
    if key is not None and not index_cache.folder_for(settings.lexical_dir, key).is_dir():
        Retriever(store, cache_dir=settings.lexical_dir)


def build_service(settings: KnowledgeSettings, *, sync: bool = True) -> KnowledgeService:
    """The knowledge service used by the action server and the CLI."""
    return KnowledgeService(
        build_retriever(settings, sync=sync),
        min_coverage=settings.min_coverage,
        min_similarity=settings.min_similarity,
        min_support=settings.min_support,
        # the hashing embedder (tests only) has no meaning to agree with
        agreement_rank=settings.agreement_rank if settings.embedder != "hashing" else 0,
        agreement_words=settings.agreement_words,
        max_related=settings.max_related,
    )
