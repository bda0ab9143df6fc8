"""Incoming Zalo Bot updates → one small event type the service understands.

Field names follow python-zalo-bot's models (``zalo_bot.Update``: ``event_name`` and
``message``; ``zalo_bot.Message``: ``message_id``, ``chat.id``, ``from``, ``text``,
``photo_url``, ``sticker``). Parsing is done by hand rather than with ``Update.de_json``
because the library requires fields (``date``) that webhook deliveries do not always carry,
and an update we cannot fully parse must still get a polite answer, not an exception.

Two payload shapes are accepted: the getUpdates-style envelope ``{"ok": true, "result":
{...}}`` and the bare update ``{"event_name": ..., "message": {...}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal["text", "image", "sticker", "follow", "unsupported", "ignored"]

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
STICKER_EVENT = "message.sticker.received"
UNSUPPORTED_EVENT = "message.unsupported.received"


@dataclass(frozen=True)
class ZaloEvent:
    """What happened in which chat; ``text`` only for text messages."""

    kind: EventKind
    event_name: str
    chat_id: str | None
    message_id: str | None = None
    text: str | None = None


def _as_id(value: Any) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _chat_id(update: dict[str, Any], message: dict[str, Any]) -> str | None:
    """The chat to answer: the message's chat, else whoever the event is about."""
    candidates = [
        _dict(message.get("chat")).get("id"),
        _dict(message.get("from")).get("id"),
        _dict(update.get("chat")).get("id"),
        _dict(update.get("user")).get("id"),
        _dict(update.get("follower")).get("id"),
        _dict(update.get("from")).get("id"),
        update.get("user_id"),
        update.get("chat_id"),
    ]
    for candidate in candidates:
        chat_id = _as_id(candidate)
        if chat_id:
            return chat_id
    return None


def _kind(event_name: str, message: dict[str, Any]) -> EventKind:
    name = event_name.lower()
    if name == TEXT_EVENT:
        return "text" if isinstance(message.get("text"), str) else "unsupported"
    if name == IMAGE_EVENT:
        return "image"
    if name == STICKER_EVENT:
        return "sticker"
    if "unfollow" in name:
        return "ignored"
    if "follow" in name:
        return "follow"
    if name.startswith("message."):
        return "unsupported"
    if name:
        return "ignored"
    # No event name: infer it from the message the way the library's filters do.
    if not message:
        return "ignored"
    if isinstance(message.get("text"), str):
        return "text"
    if message.get("photo_url") or message.get("photo"):
        return "image"
    if message.get("sticker"):
        return "sticker"
    return "unsupported"


def parse_update(update: Any) -> ZaloEvent | None:
    """One bare update → event; None when it is not an update at all."""
    if not isinstance(update, dict):
        return None
    message = _dict(update.get("message"))
    event_name = update.get("event_name") if isinstance(update.get("event_name"), str) else ""
    if not event_name and not message:
        return None
    kind = _kind(event_name, message)
    text = message.get("text") if kind == "text" else None
    return ZaloEvent(
        kind=kind,
        event_name=event_name,
        chat_id=_chat_id(update, message),
        message_id=_as_id(message.get("message_id")),
        text=text,
    )


def parse_updates(payload: Any) -> list[ZaloEvent]:
    """Webhook body (either shape, or a list of updates) → events, unknown parts skipped."""
    if isinstance(payload, dict) and "result" in payload and "event_name" not in payload:
        payload = payload["result"]
    updates = payload if isinstance(payload, list) else [payload]
    events = [parse_update(update) for update in updates]
    return [event for event in events if event is not None]
