"""Shared fixtures: an offline knowledge base (hashing embedder, throw-away data dir)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SEEDS_DIR = Path(
    os.environ.get("TROLY_SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds")
)


@pytest.fixture(scope="session")
def offline_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Points the knowledge settings at a temporary data dir and the hashing embedder.

    The real e5 model is exercised by ``make eval-kb`` and the end-to-end tests; unit tests
    only need deterministic vectors. Caches built on other settings are cleared.
    """
    from actions.knowledge import knowledge_service
    from actions.procedures import procedure_lookup
    from knowledge.settings import get_settings

    data_dir = tmp_path_factory.mktemp("knowledge-data")
    saved = {k: os.environ.get(k) for k in ("TROLY_DATA_DIR", "TROLY_EMBEDDER")}
    os.environ["TROLY_DATA_DIR"] = str(data_dir)
    os.environ["TROLY_EMBEDDER"] = "hashing"
    get_settings.cache_clear()
    knowledge_service.cache_clear()
    procedure_lookup.cache_clear()
    yield data_dir
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()
    knowledge_service.cache_clear()
    procedure_lookup.cache_clear()
