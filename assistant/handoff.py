"""A citizen asks for a person: the conversation joins the staff queue with its last turns;
within working hours they learn their place, outside them when the office opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.services import Services
from handoff import texts
from handoff.hours import OfficeHours, opening_text
from handoff.queue import queue_position, request_handoff


@dataclass(frozen=True)
class HandoffReply:
    text: str
    handoff_id: int


def ask_for_person(
    services: Services,
    sender_id: str,
    channel: str,
    *,
    topic: str | None,
    last_turns: Sequence[tuple[str, str]],
    now: dt.datetime | None = None,
) -> HandoffReply:
    """Queues the conversation (or finds it queued) and says what happens next."""
    settings = services.settings
    view, _ = request_handoff(settings.database.url, sender_id, channel, topic=topic,
                              last_turns=last_turns)
    hours = OfficeHours.parse(settings.handoff.office_hours)
    moment = now or dt.datetime.now(dt.timezone.utc)
    if not hours.is_open(moment):
        return HandoffReply(texts.after_hours(opening_text(hours.next_opening(moment))), view.id)
    position = queue_position(settings.database.url, view.id)
    if position == 0:  # already held by a staff member
        return HandoffReply(texts.still_waiting(0), view.id)
    return HandoffReply(texts.queued(position), view.id)
