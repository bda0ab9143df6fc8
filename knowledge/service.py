"""Builds the knowledge service from settings: store, cards ingested, retriever, answers."""

from __future__ import annotations

import logging
from pathlib import Path

from core.config import KnowledgeSettings
from knowledge import index_cache
from knowledge.answers import MIN_COVERED_INFORMATION, MIN_TITLE_SHARE, KnowledgeService
from knowledge.asking import asking_texts
from knowledge.cards import CardError, load_cards, parse_card
from knowledge.ingest import IngestReport, ingest
from knowledge.retrieval import Retriever
from knowledge.store import VectorStore, open_store, reopen_store

logger = logging.getLogger(__name__)


def overridden_cards(settings: KnowledgeSettings) -> list[Path]:
    """Cards of the cards folder replaced by a published card with the same id."""
    published = settings.published_cards_dir
    if not published.is_dir():
        return []
    published_ids = set()
    for path in sorted(published.rglob("*.md")):
        try:
            published_ids.add(parse_card(path.read_text(encoding="utf-8"), path).id)
        except (CardError, OSError, UnicodeDecodeError) as exc:  # ingest skips it and says why
            logger.error("published card not readable: %s — %s", path, exc)
    return [card.path for card in load_cards(settings.cards_dir)
            if card.id in published_ids and card.path is not None]


def sync_cards(store: VectorStore, settings: KnowledgeSettings) -> IngestReport:
    """Ingests the cards folder and the cards staff published (a no-op when none changed).

    The published folder is left alone where it does not exist (an action server on another
    host than the gateway that publishes): its cards stay indexed as they are.
    """
    folders = [settings.cards_dir]
    if settings.published_cards_dir.is_dir():
        folders.append(settings.published_cards_dir)
    report = ingest(store, folders, progress=False, exclude=overridden_cards(settings))
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
        # nor a meaning side to answer a short question that coverage alone may not
        min_information=MIN_COVERED_INFORMATION if settings.embedder != "hashing" else 0.0,
        # nor ranks that tell a card both sides put first
        min_title_share=MIN_TITLE_SHARE if settings.embedder != "hashing" else 0.0,
        max_related=settings.max_related,
        asking_texts=asking_texts(settings.nlu_dir),
    )
