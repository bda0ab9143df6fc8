"""Rasa replies → Zalo text: numbered buttons, choice mapping and splitting long texts.

The Zalo Bot API has no inline buttons, so buttons become a numbered list under the text
and the user answers with the number (or the button's title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vntext import matching_key

# The Bot API rejects texts of 2,000 characters or more.
ZALO_TEXT_LIMIT = 2000
MAX_CHUNK_CHARS = ZALO_TEXT_LIMIT - 1
CHOICE_HINT = "Anh/chị trả lời bằng số (ví dụ: 1) để chọn mục tương ứng."

_CHOICE = re.compile(r"^\s*(?:số\s*)?(\d{1,3})\s*[.)]?\s*$", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
_SEPARATORS = ("\n\n", "\n", " ")


@dataclass(frozen=True)
class MenuItem:
    """One rendered button: its number is its position in the chat's menu, from 1."""

    title: str
    payload: str


@dataclass(frozen=True)
class Outgoing:
    """One message to send: text, or a photo URL."""

    text: str | None = None
    photo: str | None = None


def _buttons(raw: dict[str, Any]) -> list[MenuItem]:
    items = []
    for button in raw.get("buttons") or []:
        if not isinstance(button, dict):
            continue
        payload = str(button.get("payload") or "").strip()
        title = str(button.get("title") or "").strip() or payload
        if payload:
            items.append(MenuItem(title=title, payload=payload))
    return items


def absolute_image_url(image: str, public_url: str) -> str | None:
    """Zalo fetches photos itself: a gateway path ("/api/charts/…") needs the public URL."""
    image = image.strip()
    if image.startswith(("https://", "http://")):
        return image
    if image.startswith("/") and public_url:
        return public_url.rstrip("/") + image
    return None


def render_reply(
    messages: list[Any], public_url: str = ""
) -> tuple[list[Outgoing], list[MenuItem]]:
    """Rasa messages → what to send, and the menu (all buttons numbered across the reply)."""
    outgoing: list[Outgoing] = []
    menu: list[MenuItem] = []
    last_with_buttons = -1
    for raw in messages:
        if not isinstance(raw, dict):
            continue
        text = str(raw.get("text") or "").strip()
        buttons = _buttons(raw)
        if buttons:
            lines = [f"{len(menu) + i}. {b.title}" for i, b in enumerate(buttons, start=1)]
            menu.extend(buttons)
            text = "\n\n".join(part for part in (text, "\n".join(lines)) if part)
        if text:
            outgoing.append(Outgoing(text=text))
            if buttons:
                last_with_buttons = len(outgoing) - 1
        image = raw.get("image")
        if isinstance(image, str) and (url := absolute_image_url(image, public_url)):
            outgoing.append(Outgoing(photo=url))
    if last_with_buttons >= 0:
        body = outgoing[last_with_buttons].text
        outgoing[last_with_buttons] = Outgoing(text=f"{body}\n\n{CHOICE_HINT}")
    return outgoing, menu


def _fold(text: str) -> str:
    return matching_key(text, expand=False)


def resolve_choice(text: str, menu: list[MenuItem] | None) -> str | None:
    """The payload chosen by ``text`` ("2", "2.", "số 2" or a title), or None."""
    if not menu:
        return None
    match = _CHOICE.match(text)
    if match:
        number = int(match.group(1))
        return menu[number - 1].payload if 1 <= number <= len(menu) else None
    folded = _fold(text)
    for item in menu:
        if folded and _fold(item.title) == folded:
            return item.payload
    return None


def _units(text: str, max_chars: int, level: int = 0) -> list[tuple[str, str]]:
    """(separator before it, piece) pairs, every piece at most ``max_chars`` long.

    Pieces are paragraphs; a paragraph too long is cut into lines, a line into words and a
    word into fixed-size slices, so cuts happen at the largest boundary that fits.
    """
    if level == len(_SEPARATORS):
        return [("", text[i : i + max_chars]) for i in range(0, len(text), max_chars)]
    separator = _SEPARATORS[level]
    parts = _PARAGRAPH_BREAK.split(text) if level == 0 else text.split(separator)
    units: list[tuple[str, str]] = []
    for part in parts:
        if level == 0:
            part = part.strip()
        if not part.strip():
            continue
        if len(part) <= max_chars:
            units.append((separator, part))
            continue
        sub = _units(part, max_chars, level + 1)
        if sub:
            units.append((separator, sub[0][1]))
            units.extend(sub[1:])
    return units


def split_text(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[str]:
    """Splits ``text`` into messages of at most ``max_chars``, at paragraph boundaries."""
    chunks: list[str] = []
    current = ""
    for separator, piece in _units(text.strip(), max_chars):
        if not current:
            current = piece
        elif len(current) + len(separator) + len(piece) <= max_chars:
            current += separator + piece
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks
