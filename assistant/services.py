"""The services an action-server process builds once: knowledge base, procedure catalogue.

Actions receive them from ``services()``; tests build ``Services`` on their own settings.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from core.config import Settings, get_settings
from knowledge.answers import KnowledgeService
from knowledge.service import build_service
from procedures.cache import CatalogueCache
from procedures.lookup import ProcedureLookup

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """Lazily built, process-wide services on one ``Settings``."""

    settings: Settings
    _knowledge: KnowledgeService | None = field(default=None, init=False)
    _catalogue: CatalogueCache | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    @property
    def knowledge(self) -> KnowledgeService:
        """The knowledge service (cards are synced into the index on first use)."""
        with self._lock:
            if self._knowledge is None:
                self._knowledge = build_service(self.settings.knowledge)
                self._knowledge.warm_up()  # loaded now, not on the first question
                logger.info(
                    "knowledge: %d units indexed", self._knowledge.retriever.store.count_units()
                )
            return self._knowledge

    @property
    def catalogue(self) -> CatalogueCache:
        with self._lock:
            if self._catalogue is None:
                self._catalogue = CatalogueCache(self.settings.database.url)
            return self._catalogue

    def procedures(self) -> ProcedureLookup:
        """The procedure catalogue as stored now."""
        return self.catalogue.lookup()


_services: Services | None = None
_services_lock = threading.Lock()


def services() -> Services:
    """The process's services, on the process's settings (actions take others in tests)."""
    global _services
    with _services_lock:
        if _services is None:
            _services = Services(get_settings())
        return _services
