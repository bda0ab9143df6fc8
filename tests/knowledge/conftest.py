"""Knowledge fixtures: settings on a temporary data dir and a service over every card."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import DatabaseSettings, KnowledgeSettings
from knowledge.answers import KnowledgeService
from knowledge.service import build_service


def hashing_settings(data_dir: Path, **overrides) -> KnowledgeSettings:
    """Settings for tests: hashing embedder, everything under ``data_dir``."""
    return KnowledgeSettings(data_dir=data_dir, embedder="hashing", **overrides)


def database_url(settings: KnowledgeSettings) -> str:
    """The SQLite database beside the test's knowledge data."""
    return DatabaseSettings(data_dir=settings.data_dir).url


@pytest.fixture
def settings(tmp_path: Path) -> KnowledgeSettings:
    return hashing_settings(tmp_path)


@pytest.fixture(scope="session")
def card_service(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeService:
    """Every card in a hashing-embedder index (built once per test session)."""
    return build_service(hashing_settings(tmp_path_factory.mktemp("cards-index")))
