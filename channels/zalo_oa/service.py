"""Handles OA events in the background: Rasa in, customer-service messages out, never an
exception.

Zalo lets an OA send customer-service messages free of charge only within a window after the
citizen's last message (48 hours by Zalo's documents): a reply is sent only inside it, and
what could not be sent is logged, not queued (the citizen's next message opens a new window).
Each reply costs one message of the window's allowance, so there is no greeting before the
answer and long answers are split only where they must be.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx

from channels.cache import TTLCache
from channels.handoffs import relay_to_staff
from channels.ordered import OrderedWork
from channels.privacy import deletion_reply, with_notice
from channels.rasa_client import NoReply, RasaClient, RasaUnavailable
from channels.zalo.render import MenuItem, render_reply, resolve_choice, split_text
from channels.zalo.service import (
    APOLOGY,
    IMAGE_REPLY,
    MAX_USER_TEXT,
    NO_ANSWER,
    STICKER_REPLY,
    UNSUPPORTED_REPLY,
)
from channels.zalo_oa.client import ACCESS_TOKEN_INVALID, OAClient, OAError
from channels.zalo_oa.events import OAEvent
from channels.zalo_oa.tokens import TokenManager, TokenUnavailable
from core.config import Settings
from feedback.conversation import last_reply_answer
from feedback.ratings import THANKS, rating_in_reply, record_rating
from handoff.channels import SENDER_PREFIXES
from oa_tokens import InvalidTokenKey
from vntext import mask_pii, normalize

logger = logging.getLogger("channels.zalo_oa")

SENDER_PREFIX = SENDER_PREFIXES["zalooa"]
CHANNEL = "zalooa"
FILE_REPLY = (
    "Cảm ơn anh/chị đã gửi tệp. Trợ lý chưa mở được tệp đính kèm, anh/chị vui lòng nhập "
    "câu hỏi bằng chữ để được hỗ trợ ạ."
)
LOCATION_REPLY = (
    "Cảm ơn anh/chị đã chia sẻ vị trí. Trợ lý chưa dùng được thông tin vị trí, anh/chị vui "
    "lòng nhập câu hỏi bằng chữ (ví dụ: tên xã, phường nơi anh/chị cần làm thủ tục) ạ."
)
_FIXED_REPLIES = {
    "image": IMAGE_REPLY,
    "sticker": STICKER_REPLY,
    "file": FILE_REPLY,
    "location": LOCATION_REPLY,
    "unsupported": UNSUPPORTED_REPLY,
}


def _safe(value: object, limit: int = 200) -> str:
    """Loggable form: no phone/ID numbers, bounded length."""
    return mask_pii(str(value))[:limit]


class ZaloOAService:
    """Deduplicates deliveries and answers each citizen in order, in background tasks."""

    def __init__(
        self,
        client: OAClient,
        tokens: TokenManager,
        *,
        http: httpx.AsyncClient | None = None,
        public_url: str = "",
        database_url: str | None = None,
        reply_window_hours: float = 48.0,
        dedup_ttl: float = 24 * 3600.0,
        dedup_size: int = 50_000,
        menu_ttl: float = 3600.0,
        user_size: int = 50_000,
        max_pending: int = 500,
        max_pending_per_user: int = 20,
        clock: Callable[[], float] = time.time,
        settings: Settings | None = None,
    ) -> None:
        self.client = client
        # the privacy notice and the deletion dialogue (channels/privacy.py); None: neither
        self.settings = settings
        self.tokens = tokens
        self._http = http  # closed with the service when it owns it
        self.public_url = public_url
        # where 👍/👎 after an answer are stored and handed-over conversations are queued
        self.database_url = database_url
        self.reply_window_seconds = reply_window_hours * 3600.0
        self._clock = clock
        self._seen: TTLCache[str, bool] = TTLCache(dedup_size, dedup_ttl)
        self._menus: TTLCache[str, list[MenuItem]] = TTLCache(user_size, menu_ttl)
        # when each citizen last wrote (seconds since the epoch): the reply window's start
        self._last_message: TTLCache[str, float] = TTLCache(
            user_size, max(self.reply_window_seconds, 1.0)
        )
        self._work = OrderedWork(max_pending, max_pending_per_user)

    # ----------------------------------------------------------------- scheduling

    def is_full(self, user_id: str) -> bool:
        """Whether the background work (all, or this citizen's) is at its bound: the webhook
        then answers 503 so that Zalo retries the delivery later."""
        return self._work.is_full(user_id)

    def accept(self, event: OAEvent, rasa: RasaClient) -> bool:
        """Schedules ``event``; False when it is ignored or a redelivery."""
        if event.kind == "ignored" or not event.user_id:
            logger.info("zalo oa event=%s ignored", _safe(event.event_name))
            return False
        key = event.dedup_key
        if key and not self._seen.add(key, True):
            logger.info("zalo oa duplicate msg_id=%s user=%s dropped",
                        _safe(event.msg_id), _safe(event.user_id))
            return False
        self._work.start(event.user_id or "", lambda: self.handle(event, rasa))
        return True

    async def drain(self, timeout: float = 30.0) -> None:
        """Waits until every scheduled event has been handled (tests, shutdown)."""
        await self._work.drain(timeout)

    async def aclose(self, timeout: float = 10.0) -> None:
        """Lets running work finish (bounded), cancels the rest, closes the HTTP client."""
        await self._work.stop(timeout)
        if self._http is not None:
            await self._http.aclose()

    # ----------------------------------------------------------------- handling

    async def handle(self, event: OAEvent, rasa: RasaClient) -> None:
        """Answers one event; every failure is logged, none is raised."""
        user_id = event.user_id
        if not user_id:
            return
        logger.info("zalo oa event=%s user=%s msg_id=%s text=%r", _safe(event.event_name),
                    _safe(user_id), _safe(event.msg_id), _safe(event.text or ""))
        sent_at = (event.timestamp_ms / 1000.0) if event.timestamp_ms else self._clock()
        if self._clock() - sent_at > self.reply_window_seconds:
            logger.warning("zalo oa user=%s message outside the reply window; not answered",
                           _safe(user_id))
            return
        previous = self._last_message.get(user_id)
        if previous is None or sent_at > previous:
            self._last_message.set(user_id, sent_at)
        try:
            await self._handle(event, user_id, rasa)
        except Exception as exc:  # background task: log, never raise
            logger.error("zalo oa handling failed user=%s error=%s: %s",
                         _safe(user_id), type(exc).__name__, _safe(exc))
            logger.debug("zalo oa handling traceback", exc_info=True)

    async def _handle(self, event: OAEvent, user_id: str, rasa: RasaClient) -> None:
        sender = SENDER_PREFIX + user_id
        if event.kind != "text":
            await self.send_text(user_id, _FIXED_REPLIES.get(event.kind, UNSUPPORTED_REPLY))
            return
        text = normalize(event.text or "")[:MAX_USER_TEXT]
        if not text:
            return
        if await self._rate(user_id, sender, text, rasa):
            return
        choice = resolve_choice(text, self._menus.get(user_id))
        await self._converse(user_id, sender, choice or text, rasa)

    async def _rate(self, user_id: str, sender: str, text: str, rasa: RasaClient) -> bool:
        """A 👍/👎 (or "hữu ích"/"chưa đúng") right after an answer rates it; True when it did."""
        rating = rating_in_reply(text)
        if rating is None or not self.database_url:
            return False
        try:
            answer = last_reply_answer(await rasa.conversation_events(sender))
        except RasaUnavailable:
            return False
        if answer is None:
            return False
        await asyncio.to_thread(record_rating, self.database_url, sender_id=sender,
                                channel=CHANNEL, answer=answer, rating=rating)
        await self.send_text(user_id, THANKS[rating])
        return True

    async def _converse(self, user_id: str, sender: str, text: str, rasa: RasaClient) -> None:
        """One Rasa turn; the apology when Rasa is down."""
        messages: list[Any] | None
        if self.settings is not None:
            step = await deletion_reply(self.settings, sender, CHANNEL, text)
            if step is not None:
                await self._send_messages(user_id, step)
                return
        try:
            messages = await rasa.send(sender, text)
            if self.settings is not None:
                messages = await with_notice(self.settings, sender, CHANNEL, messages)
        except NoReply as exc:
            # paused while staff hold the conversation: the message goes to them
            ack = (await relay_to_staff(self.database_url, sender, text)
                   if self.database_url else None)
            if ack is None:
                logger.warning("zalo oa user=%s no reply: %s", _safe(user_id), _safe(exc))
            if ack == "":
                return  # staff hold it and answer themselves
            messages = None if ack is None else [{"text": ack}]
        except RasaUnavailable as exc:
            logger.warning("zalo oa user=%s rasa unavailable: %s", _safe(user_id), _safe(exc))
            messages = None
        if messages is None:
            await self.send_text(user_id, APOLOGY)
            return
        await self._send_messages(user_id, messages)

    async def _send_messages(self, user_id: str, messages: list[Any]) -> None:
        """Rasa-shaped messages as OA texts (buttons as a numbered list, remembered)."""
        outgoing, menu = render_reply(messages, self.public_url)
        if menu:
            self._menus.set(user_id, menu)
        if not outgoing:
            await self.send_text(user_id, NO_ANSWER)
            return
        for item in outgoing:
            # the OA sends images only as uploaded attachments: a chart goes as its link
            for chunk in split_text(item.text or item.photo or ""):
                if not await self.send_text(user_id, chunk):
                    return

    # ----------------------------------------------------------------- sending

    def within_window(self, user_id: str) -> bool | None:
        """Whether a free reply may still be sent (None: this process has not seen the
        citizen write, e.g. after a restart; Zalo then decides)."""
        last = self._last_message.get(user_id)
        if last is None:
            return None
        return self._clock() - last <= self.reply_window_seconds

    async def send_text(self, user_id: str, text: str) -> bool:
        """One customer-service text; refreshes the token once when Zalo says it is invalid.
        False (logged) when it was not sent."""
        if self.within_window(user_id) is False:
            logger.warning("zalo oa user=%s outside the reply window; message not sent",
                           _safe(user_id))
            return False
        try:
            token = await self.tokens.access_token()
            result = await self.client.send_text(token, user_id, text)
            if result.error == ACCESS_TOKEN_INVALID:
                logger.info("zalo oa access token rejected (%d); refreshing", result.error)
                pair = await self.tokens.refresh(token)
                result = await self.client.send_text(pair.access_token, user_id, text)
        except (OAError, TokenUnavailable, InvalidTokenKey) as exc:
            logger.warning("zalo oa send failed user=%s error=%s: %s",
                           _safe(user_id), type(exc).__name__, _safe(exc))
            return False
        if not result.ok:
            logger.warning("zalo oa send refused user=%s error=%d: %s",
                           _safe(user_id), result.error, _safe(result.message))
            return False
        return True
