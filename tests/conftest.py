"""Shared fixtures: services on an offline knowledge base (hashing embedder, throw-away data
dir), passed to the actions under test rather than swapped into module caches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SEEDS_DIR = Path(
    os.environ.get("TROLY_SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds")
)


# The app environment's modules are imported inside the fixtures: this file is also loaded
# by the Rasa environment's tests (tests/rasa_env), which have neither pydantic-settings nor
# the knowledge base.


def offline_settings(data_dir: Path):
    """Settings for tests: hashing embedder, every file and database under ``data_dir``.

    The real e5 model is exercised by ``make eval-kb`` and the end-to-end tests; unit tests
    only need deterministic vectors.
    """
    from core.config import DatabaseSettings, KnowledgeSettings, Settings

    return Settings(
        knowledge=KnowledgeSettings(data_dir=data_dir, embedder="hashing"),
        database=DatabaseSettings(data_dir=data_dir, database_url="", accounts_database_url=""),
    )


@pytest.fixture(scope="session")
def offline_services(tmp_path_factory: pytest.TempPathFactory):
    """Services over every card and procedure record, built once per test session — before
    the first test uses them, as the action server warms up before it serves (a cold build
    would count against the actions' deadline)."""
    from assistant.services import Services

    built = Services(offline_settings(tmp_path_factory.mktemp("knowledge-data")))
    assert built.knowledge.retriever.units and built.procedures().procedures
    return built
