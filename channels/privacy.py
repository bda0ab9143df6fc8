"""The privacy steps every channel takes around the assistant's turn (widget, Zalo Bot, Zalo
OA): the deletion dialogue answered before Rasa is asked, and the notice put in front of a
conversation's first reply. Messages are in Rasa's REST shape (``text``, ``buttons``)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from core.access import audit
from core.config import Settings
from privacy.dialogue import deletion_step
from privacy.notice import first_contact, notice_text
from vntext import mask_pii

logger = logging.getLogger("channels.privacy")
PRIVACY_PATH = "/privacy"


def privacy_url(settings: Settings, base_url: str = "") -> str:
    """Where the privacy page is read: the public URL when set, else the request's base;
    "" when neither is known (a Zalo reply cannot link a relative address)."""
    base = (settings.gateway.public_url or base_url).rstrip("/")
    return f"{base}{PRIVACY_PATH}" if base else ""


async def deletion_reply(settings: Settings, sender_id: str, channel: str,
                         text: str) -> list[dict[str, Any]] | None:
    """The reply when ``text`` belongs to the deletion dialogue, else None (ask Rasa). An
    erasure is audited with what was deleted, not what it said."""
    step = await asyncio.to_thread(
        deletion_step, settings.database.url, settings.database.tracker_database_url,
        sender_id, text)
    if step is None:
        return None
    if step.erased is not None:
        logger.info("conversation %s erased on request: %s", mask_pii(sender_id)[:12],
                    step.erased.as_dict())
        await asyncio.to_thread(
            audit.record_safely, settings.database.audit_url, "citizen", None,
            "privacy.erase", {"channel": channel, **step.erased.as_dict()})
    buttons = [{"title": title, "payload": payload} for title, payload in step.buttons]
    return [{"text": step.text, **({"buttons": buttons} if buttons else {})}]


async def with_notice(settings: Settings, sender_id: str, channel: str,
                      messages: list[dict[str, Any]], base_url: str = "") -> list[dict[str, Any]]:
    """``messages`` with the notice in front when this is the conversation's first reply."""
    if not messages:
        return messages
    try:
        first = await asyncio.to_thread(first_contact, settings.database.url, sender_id, channel)
    except Exception:  # the answer matters more than the record; the next reply tries again
        logger.exception("could not record the privacy notice")
        return messages
    if not first:
        return messages
    notice = notice_text(privacy_url(settings, base_url), settings.privacy.retention_days)
    return [{"text": notice}, *messages]


async def retention_sweep(settings: Settings) -> None:
    """Purges expired records a while after start-up, then every ``retention_sweep_hours``
    (one gateway at a time on PostgreSQL); a failure is logged and tried again next time."""
    from privacy.retention import cutoff_for, purge, purge_lock

    hours = settings.privacy.retention_sweep_hours
    if hours <= 0:
        return
    db = settings.database

    def run() -> dict[str, int] | None:
        with purge_lock(db.url) as mine:
            if not mine:
                return None
            cutoff = cutoff_for(settings.privacy.retention_days)
            return purge(db.url, db.tracker_database_url, cutoff).as_dict()

    await asyncio.sleep(settings.privacy.retention_first_sweep_seconds)
    while True:
        try:
            counts = await asyncio.to_thread(run)
            if counts and any(counts.values()):
                logger.info("retention purge: %s", counts)
                await asyncio.to_thread(audit.record_safely, db.audit_url, "gateway", None,
                                        "privacy.purge", counts)
        except Exception:
            logger.exception("retention purge failed; trying again in %.0f h", hours)
        await asyncio.sleep(hours * 3600)
