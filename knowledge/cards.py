"""Knowledge cards: Markdown files with YAML front matter, editable by staff."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from vntext.citations import names_number, short_title
from vntext.dates import date_phrase_vi


class CardError(ValueError):
    """A card file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Source:
    """Where a card's facts come from."""

    title: str
    url: str | None = None
    number: str | None = None
    date: str | None = None

    def cite(self) -> str:
        """Vietnamese citation for a reader: "06/QĐ-TTg, ngày 06/01/2022 (short title)", or
        the short title alone when it already names the document and its date."""
        title = short_title(self.title)
        date = date_phrase_vi(self.date) if self.date else None
        if self.number and not names_number(title, self.number):
            text = ", ".join(p for p in (self.number, date) if p)
            return f"{text} ({title})" if title and title != self.number else text
        text = title or self.number or ""
        return f"{text}, {date}" if date and not _DATED.search(text) else text


_DATED = re.compile(r"\bngày\s+\d")


@dataclass(frozen=True)
class Card:
    """One guide article answering one thing."""

    id: str
    title: str
    topic: str
    body: str
    audience: tuple[str, ...] = ("citizen",)
    sources: tuple[Source, ...] = ()
    questions: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None
    # What applied before this rule took effect (said in answers when facts changed).
    supersedes: str | None = None
    last_reviewed: str | None = None
    confidence: str = "confirmed"
    path: Path | None = field(default=None, compare=False)


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def parse_card(text: str, path: Path | None = None) -> Card:
    """Parses one card file's text; raises CardError when it is not a valid card."""
    if not text.startswith("---"):
        raise CardError("missing front matter (the file must start with ---)")
    try:
        _, header, body = text.split("---", 2)
        meta = yaml.safe_load(header) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise CardError(f"front matter is not valid YAML: {exc}") from exc
    for key in ("id", "title", "topic"):
        if not meta.get(key):
            raise CardError(f"front matter lacks '{key}'")
    if not body.strip():
        raise CardError("the card has no text")
    sources = tuple(
        Source(
            title=str(s.get("title") or s.get("number") or "").strip(),
            url=_text(s.get("url")),
            number=_text(s.get("number")),
            date=_text(s.get("date")),
        )
        for s in meta.get("sources") or []
        if isinstance(s, dict)
    )
    return Card(
        id=str(meta["id"]),
        title=str(meta["title"]),
        topic=str(meta["topic"]),
        body=body.strip(),
        audience=tuple(meta.get("audience") or ("citizen",)),
        sources=sources,
        questions=tuple(str(q) for q in meta.get("questions") or ()),
        valid_from=_text(meta.get("valid_from")),
        valid_to=_text(meta.get("valid_to")),
        supersedes=_text(meta.get("supersedes")),
        last_reviewed=_text(meta.get("last_reviewed")),
        confidence=str(meta.get("confidence") or "confirmed"),
        path=path,
    )


def load_cards(directory: Path) -> list[Card]:
    """Loads every card under ``directory``; a broken card raises CardError naming the file."""
    cards = []
    for path in sorted(directory.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            cards.append(parse_card(path.read_text(encoding="utf-8"), path))
        except CardError as exc:
            raise CardError(f"{path}: {exc}") from exc
    ids = [c.id for c in cards]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise CardError(f"duplicate card ids: {', '.join(sorted(duplicates))}")
    return cards
