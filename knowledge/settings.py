"""Settings of the knowledge layer, read from the environment (prefix TROLY_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class KnowledgeSettings(BaseSettings):
    """Where the knowledge lives and how retrieval answers."""

    model_config = SettingsConfigDict(env_prefix="TROLY_", extra="ignore")

    cards_dir: Path = REPO_ROOT / "knowledge" / "cards"
    data_dir: Path = REPO_ROOT / "var"
    # Minimum share of the question's content words found in the best card.
    min_coverage: float = 0.5
    max_related: int = 3


@lru_cache(maxsize=1)
def get_settings() -> KnowledgeSettings:
    """Settings singleton (cached; tests build their own instances)."""
    return KnowledgeSettings()
