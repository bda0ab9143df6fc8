"""The gateway's side of a handoff: a citizen's message while staff hold the conversation,
delivering what staff and the assistant say meanwhile, and ending requests nobody took."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping

from channels.rasa_client import RESUME, RasaClient, RasaUnavailable
from core.config import Settings
from handoff import queue, texts
from handoff.channels import PUSH_PREFIXES, channel_of_sender
from handoff.hours import OfficeHours

logger = logging.getLogger("channels.handoffs")

# sends a text to one citizen of a channel that pushes messages (Zalo Bot, Zalo OA)
PushSend = Callable[[str, str], Awaitable[object]]
Pushers = Mapping[str, PushSend]  # by channel (handoff.channels)


async def relay_to_staff(url: str, sender_id: str, text: str) -> str | None:
    """Stores the citizen's message in their open handoff; returns what to tell them ("" when
    staff hold it: they answer), or None when no handoff is open."""
    view = await asyncio.to_thread(queue.open_handoff, url, sender_id)
    if view is None:
        return None
    if not text.startswith("/"):  # a button's payload ("/greet") is no message for staff
        await asyncio.to_thread(queue.add_message, url, view.id, "citizen", text)
    if view.status == "held":
        return ""
    return texts.still_waiting(await asyncio.to_thread(queue.queue_position, url, view.id))


async def deliver(view: queue.HandoffView, text: str, pushers: Pushers) -> None:
    """Pushes a message to a Zalo (Bot or OA) citizen now; web citizens fetch theirs."""
    channel = channel_of_sender(view.sender_id)
    send = pushers.get(channel)
    if send is None:
        return
    try:
        await send(view.sender_id.removeprefix(PUSH_PREFIXES[channel]), text)
    except Exception:  # the message stays in the transcript
        logger.exception("handoff %d: could not deliver to %s", view.id, channel)


async def expire_unanswered(settings: Settings, rasa: RasaClient, pushers: Pushers,
                            now: dt.datetime | None = None) -> list[queue.HandoffView]:
    """Ends the requests nobody took within the timeout of office time (outside working hours
    they wait for the opening): the assistant resumes and the citizen gets the hotline."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    hours = OfficeHours.parse(settings.handoff.office_hours)
    opened = hours.open_since(moment)
    timeout = dt.timedelta(minutes=settings.handoff.handoff_timeout_minutes)
    if opened is None or moment - opened < timeout:
        return []
    expired = await asyncio.to_thread(queue.expire_waiting, settings.database.url, timeout,
                                      moment, texts.EXPIRED)
    for view in expired:
        try:
            await rasa.append_events(view.sender_id, RESUME)
        except RasaUnavailable:
            logger.warning("handoff %d expired but Rasa could not be resumed", view.id)
        await deliver(view, texts.EXPIRED, pushers)
    return expired


async def sweep(settings: Settings, rasa: RasaClient, pushers: Pushers) -> None:
    """``expire_unanswered`` every few seconds until cancelled (the gateway's lifespan)."""
    while True:
        await asyncio.sleep(settings.handoff.handoff_sweep_seconds)
        try:
            await expire_unanswered(settings, rasa, pushers)
        except Exception:
            logger.exception("handoff sweep failed")
