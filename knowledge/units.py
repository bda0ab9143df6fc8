"""Retrieval units: a card or a document chunk, with everything an answer needs to cite it.

A unit is stored in chromadb as two entries (the passage as written and accent-folded, for the
dense side); its metadata carries the display text, sources and validity so that answers need
nothing but the index.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from core.config import REPO_ROOT
from knowledge.cards import Card, Source
from knowledge.documents import Document
from knowledge.lexical import terms
from vntext import fold_accents


@dataclass(frozen=True)
class DenseEntry:
    """One vector of a unit: its id, text, and whether it is embedded as a query."""

    id: str
    text: str
    is_query: bool = False


def card_sections(body: str, max_chars: int = 500) -> list[str]:
    """A card body cut at blank lines into sections of at most about ``max_chars``."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    sections: list[str] = []
    current = ""
    for part in parts:
        if current and len(current) + len(part) >= max_chars:
            sections.append(current)
            current = part
        else:
            current = f"{current}\n{part}".strip()
    if current:
        sections.append(current)
    return sections


@dataclass(frozen=True)
class Unit:
    """One retrievable passage and where it comes from."""

    id: str
    kind: str  # "card" | "chunk"
    source: str  # file the unit was read from (repo-relative when inside the repo)
    source_hash: str
    title: str
    passage: str  # what is embedded and searched
    body: str  # what an answer shows
    lexical: str = ""  # precomputed BM25 terms, space-separated
    topic: str = ""
    heading: str = ""
    card_id: str = ""
    sources: tuple[Source, ...] = ()
    questions: tuple[str, ...] = ()
    valid_from: str = ""
    valid_to: str = ""
    supersedes: str = ""
    confidence: str = "confirmed"
    audience: tuple[str, ...] = ("citizen",)
    extra: dict[str, str] = field(default_factory=dict)

    def folded_passage(self) -> str:
        """The passage without diacritics (the dense side indexes both forms)."""
        return fold_accents(self.passage)

    def dense_entries(self) -> list[DenseEntry]:
        """What the dense side embeds for this unit, each as written and accent-folded.

        A chunk is one passage. A card is its title with the body, its title with each
        section (long cards), and its example questions (embedded as queries, since
        question-to-question similarity is what e5 is trained for).
        """
        if self.kind != "card":
            texts = [("p", self.passage, False)]
        else:
            texts = [("b", f"{self.title}\n{self.body}", False)]
            sections = card_sections(self.body)
            if len(sections) > 1:
                texts += [(f"s{i}", f"{self.title}\n{s}", False) for i, s in enumerate(sections)]
            texts += [(f"q{i}", q, True) for i, q in enumerate(self.questions)]
        entries = []
        for key, text, is_query in texts:
            entries.append(DenseEntry(f"{self.id}#{key}", text, is_query))
            entries.append(DenseEntry(f"{self.id}#{key}~", fold_accents(text), is_query))
        return entries

    def to_metadata(self) -> dict[str, Any]:
        """Flat chromadb metadata (strings and numbers only)."""
        # a shallow copy: asdict copies every field recursively (a third of the time it took
        # to save 100k units in the retriever's saved index)
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["sources"] = json.dumps([asdict(s) for s in self.sources], ensure_ascii=False)
        data["questions"] = json.dumps(list(self.questions), ensure_ascii=False)
        data["audience"] = ",".join(self.audience)
        data["extra"] = json.dumps(self.extra, ensure_ascii=False)
        data["unit_id"] = data.pop("id")
        data.pop("passage")
        return data

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any], passage: str) -> Unit:
        """Rebuilds a unit from its chromadb entry."""
        data = dict(metadata)
        data.pop("variant", None)
        data["id"] = data.pop("unit_id")
        data["sources"] = tuple(Source(**s) for s in json.loads(data.get("sources") or "[]"))
        data["questions"] = tuple(json.loads(data.get("questions") or "[]"))
        data["audience"] = tuple(a for a in str(data.get("audience", "")).split(",") if a)
        data["extra"] = json.loads(data.get("extra") or "{}")
        known = set(cls.__dataclass_fields__)
        return cls(passage=passage, **{k: v for k, v in data.items() if k in known})


def source_key(path: Path) -> str:
    """Stable name for a file: repo-relative inside the repo, absolute elsewhere."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()


def card_passage(card: Card) -> str:
    """Searchable text of a card: title, example questions, body."""
    return "\n".join([card.title, *card.questions, card.body])


def unit_from_card(card: Card, source: str, source_hash: str) -> Unit:
    """A card as one unit (cards are short and answer one thing)."""
    passage = card_passage(card)
    return Unit(
        id=f"card:{card.id}",
        kind="card",
        source=source,
        source_hash=source_hash,
        title=card.title,
        passage=passage,
        body=card.body,
        lexical=" ".join(terms(card.title) + terms(passage)),  # the title counts twice
        topic=card.topic,
        card_id=card.id,
        sources=card.sources,
        questions=card.questions,
        valid_from=card.valid_from or "",
        valid_to=card.valid_to or "",
        supersedes=card.supersedes or "",
        confidence=card.confidence,
        audience=card.audience,
    )


def _document_source(document: Document) -> Source:
    meta = document.metadata
    return Source(
        title=document.title,
        number=meta.number,
        date=meta.issued_date,
        url=str(document.front_matter.get("url") or "") or None,
    )


def units_from_document(document: Document, source: str) -> list[Unit]:
    """One unit per chunk; the heading and document title are searchable with the chunk."""
    prefix = hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]
    cited = _document_source(document)
    units = []
    for piece in document.chunks:
        heading = piece.heading or ""
        passage = "\n".join(p for p in (document.title, heading, piece.text) if p)
        units.append(
            Unit(
                id=f"doc:{prefix}:{piece.index}",
                kind="chunk",
                source=source,
                source_hash=document.content_hash,
                title=document.title,
                passage=passage,
                body=piece.text,
                lexical=" ".join(terms(passage)),
                heading=heading,
                sources=(cited,),
                topic=str(document.front_matter.get("topic") or ""),
                valid_from=str(document.front_matter.get("valid_from") or ""),
                valid_to=str(document.front_matter.get("valid_to") or ""),
            )
        )
    return units
