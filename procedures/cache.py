"""The procedure catalogue as the actions see it: the repository's records imported into the
database once, then reloaded when a province imports its own (checked at most every 30 s)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from core.db import session_scope
from procedures.catalogue import import_records
from procedures.lookup import ProcedureLookup
from procedures.models import ProcedureRecord
from procedures.schema import RECORDS_DIR

logger = logging.getLogger(__name__)
RECHECK_SECONDS = 30.0


def catalogue_version(url: str) -> tuple:
    """Changes whenever a record is added, changed (imported_at is renewed) or removed."""
    with session_scope(url) as session:
        row = session.execute(
            select(func.count(), func.max(ProcedureRecord.imported_at))
        ).one()
    return tuple(row)


class CatalogueCache:
    """One ``ProcedureLookup`` per process, rebuilt when the stored catalogue changes."""

    def __init__(
        self, url: str, records_dir: Path = RECORDS_DIR, recheck: float = RECHECK_SECONDS
    ) -> None:
        self.url = url
        self.records_dir = records_dir
        self.recheck = recheck
        self._lock = threading.Lock()
        self._lookup: ProcedureLookup | None = None
        self._version: tuple | None = None
        self._checked = 0.0

    def _load(self) -> ProcedureLookup:
        if self._lookup is None:
            report = import_records(self.url, self.records_dir, by="system")
            logger.info("procedures: %s", report)
        self._version = catalogue_version(self.url)
        self._checked = time.monotonic()
        self._lookup = ProcedureLookup.from_db(self.url)
        return self._lookup

    def lookup(self) -> ProcedureLookup:
        """The current catalogue (imported on first use, reloaded after a change)."""
        with self._lock:
            if self._lookup is None:
                return self._load()
            if time.monotonic() - self._checked < self.recheck:
                return self._lookup
            self._checked = time.monotonic()
            try:
                changed = catalogue_version(self.url) != self._version
            except Exception:
                logger.exception("could not check the procedure catalogue for changes")
                changed = False
            if changed:
                logger.info("procedures: catalogue changed in the database, reloading")
                return self._load()
            return self._lookup
