"""Document loading for the knowledge base: read a file, read its metadata, chunk it.

``load_document(path)`` gives a ``Document`` with normalised text (NFC, one tone-mark
placement), the metadata of the administrative document it is or reports on, sentence-
aligned chunks and a content hash; files that cannot be used raise ``IngestError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from knowledge.documents.chunking import Chunk, chunk
from knowledge.documents.errors import IngestError
from knowledge.documents.metadata import DocMetadata, extract_metadata
from knowledge.documents.readers import SUPPORTED_EXTENSIONS, RawDocument, read_text

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Chunk",
    "DocMetadata",
    "Document",
    "IngestError",
    "RawDocument",
    "chunk",
    "content_hash",
    "extract_metadata",
    "load_document",
    "read_text",
]

# Front matter keys of a Markdown file that override what is read from its text.
_FRONT_MATTER_KEYS = {
    "number": "number",
    "doc_type": "doc_type",
    "type": "doc_type",
    "issuer": "issuer",
    "issued_date": "issued_date",
    "date": "issued_date",
}


@dataclass(frozen=True)
class Document:
    """A loaded document, ready for indexing."""

    path: Path
    title: str
    kind: str
    text: str
    metadata: DocMetadata
    chunks: tuple[Chunk, ...]
    content_hash: str
    front_matter: dict[str, Any]


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: the same content always gives the same hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _with_front_matter(metadata: DocMetadata, front_matter: dict[str, Any]) -> DocMetadata:
    """Metadata given in front matter (number, type, issuer, date) wins over the text's."""
    given = {
        field: _as_text(front_matter[key])
        for key, field in _FRONT_MATTER_KEYS.items()
        if front_matter.get(key) not in (None, "")
    }
    return replace(metadata, **given) if given else metadata


def load_document(
    path: str | Path, *, max_chars: int = 900, overlap_sentences: int = 1
) -> Document:
    """Read, describe and chunk one file; raises IngestError when it cannot be used."""
    path = Path(path)
    raw = read_text(path)
    metadata = _with_front_matter(extract_metadata(raw.text), raw.front_matter)
    return Document(
        path=path,
        title=raw.title,
        kind=raw.kind,
        text=raw.text,
        metadata=metadata,
        chunks=tuple(chunk(raw.text, max_chars=max_chars, overlap_sentences=overlap_sentences)),
        content_hash=content_hash(raw.text),
        front_matter=raw.front_matter,
    )
