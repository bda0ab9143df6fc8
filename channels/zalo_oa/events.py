"""Incoming OA webhook events → one small event type the service understands.

The Open API v3 posts one JSON object per event: ``event_name`` (``user_send_text``,
``user_send_image``, …, ``follow``, ``oa_send_text`` for the OA's own messages), ``app_id``,
``sender.id`` (the citizen's id for this OA), ``recipient.id`` (the OA), ``message`` (``text``,
``msg_id``, ``attachments``) and ``timestamp`` in milliseconds, as a string. Anything that is
not a citizen writing to the OA is ignored (and acknowledged): answering the OA's own messages
would loop, and an anonymous visitor cannot be answered with a customer-service message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal["text", "image", "sticker", "file", "location", "unsupported", "ignored"]

TEXT_EVENT = "user_send_text"
_KINDS: dict[str, EventKind] = {
    "user_send_text": "text",
    "user_send_image": "image",
    "user_send_gif": "image",
    "user_send_sticker": "sticker",
    "user_send_file": "file",
    "user_send_location": "location",
    "user_send_audio": "unsupported",
    "user_send_video": "unsupported",
    "user_send_link": "unsupported",
    "user_send_business_card": "unsupported",
}


@dataclass(frozen=True)
class OAEvent:
    """What a citizen sent; ``text`` only for text messages, ``timestamp_ms`` when known."""

    kind: EventKind
    event_name: str
    user_id: str | None
    msg_id: str | None = None
    text: str | None = None
    timestamp_ms: int | None = None
    app_id: str | None = None

    @property
    def dedup_key(self) -> str | None:
        """What identifies a redelivery of this event (Zalo retries until it gets a 200)."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        if self.user_id and self.timestamp_ms is not None:
            return f"{self.event_name}:{self.user_id}:{self.timestamp_ms}"
        return None


def _as_id(value: Any) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _millis(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number * 1000 if number < 10**11 else number


def _kind(event_name: str, message: dict[str, Any]) -> EventKind:
    kind = _KINDS.get(event_name)
    if kind is None:
        return "unsupported" if event_name.startswith("user_send_") else "ignored"
    if kind == "text" and not isinstance(message.get("text"), str):
        return "unsupported"
    return kind


def parse_event(payload: Any) -> OAEvent | None:
    """One webhook body → event; None when it is not an OA event at all (no event name)."""
    if not isinstance(payload, dict):
        return None
    event_name = payload.get("event_name")
    if not isinstance(event_name, str) or not event_name.strip():
        return None
    event_name = event_name.strip().lower()
    message = _dict(payload.get("message"))
    kind = _kind(event_name, message)
    return OAEvent(
        kind=kind,
        event_name=event_name,
        user_id=_as_id(_dict(payload.get("sender")).get("id")),
        msg_id=_as_id(message.get("msg_id")),
        text=message.get("text") if kind == "text" else None,
        timestamp_ms=_millis(payload.get("timestamp")),
        app_id=_as_id(payload.get("app_id")),
    )
