"""Handles Zalo events in the background: Rasa in, Zalo messages out, never an exception."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from channels.cache import TTLCache
from channels.handoffs import relay_to_staff
from channels.ordered import OrderedWork
from channels.privacy import deletion_reply, with_notice
from channels.rasa_client import NoReply, RasaClient, RasaUnavailable
from channels.zalo.bot import ZaloBot, redact_token
from channels.zalo.render import MenuItem, render_reply, resolve_choice, split_text
from channels.zalo.updates import ZaloEvent
from core.config import Settings
from feedback.conversation import last_reply_answer
from feedback.ratings import THANKS, rating_in_reply, record_rating
from handoff.channels import SENDER_PREFIXES
from vntext import mask_pii, matching_key, normalize

logger = logging.getLogger("channels.zalo")

GREET = "/greet"
MAX_USER_TEXT = 2000

APOLOGY = (
    "Xin lỗi anh/chị, trợ lý đang tạm thời gián đoạn. Anh/chị vui lòng thử lại sau ít phút "
    "hoặc gọi tổng đài 1900 0368 để được hỗ trợ."
)
NO_ANSWER = (
    "Xin lỗi anh/chị, trợ lý chưa có câu trả lời phù hợp. "
    "Anh/chị vui lòng diễn đạt lại câu hỏi giúp em nhé."
)
IMAGE_REPLY = (
    "Cảm ơn anh/chị đã gửi ảnh. Hiện trợ lý chưa đọc được nội dung hình ảnh, "
    "anh/chị vui lòng nhập câu hỏi bằng chữ để được hỗ trợ ạ."
)
STICKER_REPLY = (
    "Cảm ơn anh/chị! Anh/chị cần hỗ trợ về VNeID, dịch vụ công hay thủ tục hành chính, "
    "vui lòng nhập câu hỏi bằng chữ để trợ lý giải đáp ạ."
)
UNSUPPORTED_REPLY = (
    "Xin lỗi anh/chị, trợ lý hiện chỉ đọc được tin nhắn dạng chữ. "
    "Anh/chị vui lòng nhập câu hỏi bằng chữ để được hỗ trợ ạ."
)
# First messages that only say hello: the /greet reply already answers them.
_PLAIN_GREETINGS = {
    "alo",
    "chao",
    "chao ban",
    "chao em",
    "chao tro ly",
    "hello",
    "hi",
    "xin chao",
}


def _safe(value: object, limit: int = 200) -> str:
    """Loggable form: no phone/ID numbers, no bot token, bounded length."""
    return redact_token(mask_pii(str(value)))[:limit]


def _is_plain_greeting(text: str) -> bool:
    return matching_key(text, expand=False) in _PLAIN_GREETINGS


class ZaloService:
    """Deduplicates deliveries and answers each chat in order, in background tasks."""

    def __init__(
        self,
        bot: ZaloBot,
        *,
        dedup_ttl: float = 3600.0,
        dedup_size: int = 20_000,
        menu_ttl: float = 3600.0,
        chat_ttl: float = 24 * 3600.0,
        chat_size: int = 50_000,
        typing_interval: float = 4.0,
        public_url: str = "",
        max_pending: int = 500,
        max_pending_per_chat: int = 20,
        database_url: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.bot = bot
        self.public_url = public_url
        # where 👍/👎 after an answer are stored and handed-over conversations are queued
        self.database_url = database_url
        # the privacy notice and the deletion dialogue (channels/privacy.py); None: neither
        self.settings = settings
        self._seen_messages: TTLCache[str, bool] = TTLCache(dedup_size, dedup_ttl)
        self._menus: TTLCache[str, list[MenuItem]] = TTLCache(chat_size, menu_ttl)
        self._known_chats: TTLCache[str, bool] = TTLCache(chat_size, chat_ttl)
        self._typing_interval = typing_interval
        self._work = OrderedWork(max_pending, max_pending_per_chat)

    @property
    def max_pending_per_chat(self) -> int:
        return self._work.max_pending_per_key

    @max_pending_per_chat.setter
    def max_pending_per_chat(self, value: int) -> None:
        self._work.max_pending_per_key = value

    def is_full(self, chat_id: str) -> bool:
        """Whether the background work (all chats, or this chat) is at its bound: the webhook
        then answers 503 so that the delivery is retried, never queued without end."""
        return self._work.is_full(chat_id)

    # ----------------------------------------------------------------- scheduling

    def accept(self, event: ZaloEvent, rasa: RasaClient) -> bool:
        """Schedules ``event``; False when it is a redelivery or there is nothing to do."""
        if event.kind == "ignored" or not event.chat_id:
            logger.info(
                "zalo event=%s ignored chat=%s", _safe(event.event_name), _safe(event.chat_id)
            )
            return False
        if event.message_id and not self._seen_messages.add(
            f"{event.chat_id}:{event.message_id}", True
        ):
            logger.info(
                "zalo duplicate message_id=%s chat=%s dropped",
                _safe(event.message_id),
                _safe(event.chat_id),
            )
            return False
        self._work.start(event.chat_id or "", lambda: self.handle(event, rasa))
        return True

    async def drain(self, timeout: float = 30.0) -> None:
        """Waits until every scheduled event has been handled (tests, shutdown)."""
        await self._work.drain(timeout)

    async def aclose(self, timeout: float = 10.0) -> None:
        """Lets running work finish (bounded), cancels the rest, closes the bot's clients."""
        await self._work.stop(timeout)
        await self.bot.aclose()

    # ----------------------------------------------------------------- handling

    async def handle(self, event: ZaloEvent, rasa: RasaClient) -> None:
        """Answers one event; every failure is logged, none is raised."""
        chat_id = event.chat_id
        if not chat_id:
            return
        logger.info(
            "zalo event=%s chat=%s message_id=%s text=%r",
            _safe(event.event_name or event.kind),
            _safe(chat_id),
            _safe(event.message_id),
            _safe(event.text or ""),
        )
        try:
            await self._handle(event, chat_id, rasa)
        except Exception as exc:  # background task: log, never raise
            logger.error(
                "zalo handling failed chat=%s error=%s: %s",
                _safe(chat_id),
                type(exc).__name__,
                _safe(exc),
            )
            logger.debug("zalo handling traceback", exc_info=True)

    async def _handle(self, event: ZaloEvent, chat_id: str, rasa: RasaClient) -> None:
        sender = SENDER_PREFIXES["zalo"] + chat_id
        if event.kind == "follow":
            await self._greet(chat_id, sender, rasa)
            return
        if chat_id not in self._known_chats:
            if not await self._greet(chat_id, sender, rasa):
                return
            if event.kind == "text" and _is_plain_greeting(event.text or ""):
                return
        if event.kind == "text":
            text = normalize(event.text or "")[:MAX_USER_TEXT]
            if not text:
                return
            if await self._rate(chat_id, sender, text, rasa):
                return
            choice = resolve_choice(text, self._menus.get(chat_id))
            await self._converse(chat_id, sender, choice or text, rasa)
        elif event.kind == "image":
            await self._send_text(chat_id, IMAGE_REPLY)
        elif event.kind == "sticker":
            await self._send_text(chat_id, STICKER_REPLY)
        else:
            await self._send_text(chat_id, UNSUPPORTED_REPLY)

    async def _rate(self, chat_id: str, sender: str, text: str, rasa: RasaClient) -> bool:
        """A 👍/👎 (or "hữu ích"/"chưa đúng") right after an answer rates it; True when it
        did (anything else, or a thumb after a reply that was no answer, goes to Rasa)."""
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
                                channel="zalo", answer=answer, rating=rating)
        logger.info("zalo chat=%s rated %s %s", _safe(chat_id), answer.source, rating)
        await self._send_text(chat_id, THANKS[rating])
        return True

    async def _greet(self, chat_id: str, sender: str, rasa: RasaClient) -> bool:
        """Opens the conversation; True when Rasa answered."""
        if await self._converse(chat_id, sender, GREET, rasa):
            self._known_chats.set(chat_id, True)
            return True
        return False

    async def _converse(self, chat_id: str, sender: str, text: str, rasa: RasaClient) -> bool:
        """One Rasa turn with the typing indicator on; the apology when Rasa is down."""
        if self.settings is not None and text != GREET:
            step = await deletion_reply(self.settings, sender, "zalo", text)
            if step is not None:
                await self._deliver(chat_id, step)
                return True
        done = asyncio.Event()
        typing = asyncio.create_task(self._keep_typing(chat_id, done))
        try:
            messages = await rasa.send(sender, text)
            if self.settings is not None:
                messages = await with_notice(self.settings, sender, "zalo", messages)
        except NoReply as exc:
            # paused while staff hold the conversation: the message goes to them
            ack = (await relay_to_staff(self.database_url, sender, text)
                   if self.database_url else None)
            if ack is None:
                logger.warning("zalo chat=%s no reply: %s", _safe(chat_id), _safe(exc))
            messages = None if ack is None else ([{"text": ack}] if ack else [])
        except RasaUnavailable as exc:
            logger.warning("zalo chat=%s rasa unavailable: %s", _safe(chat_id), _safe(exc))
            messages = None
        finally:
            done.set()
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(typing, timeout=self._typing_interval)
        if messages is None:
            await self._send_text(chat_id, APOLOGY)
            return False
        if messages:  # nothing when staff hold the conversation: they answer themselves
            await self._deliver(chat_id, messages)
        return True

    async def _keep_typing(self, chat_id: str, done: asyncio.Event) -> None:
        """Shows "typing…" at once and renews it (it lasts ~5 s) until Rasa has answered."""
        while True:
            try:
                await self.bot.send_chat_action(chat_id, "typing")
            except Exception as exc:  # cosmetic: never fail the turn
                logger.debug("zalo typing failed: %s", _safe(exc))
            if done.is_set():
                return
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=self._typing_interval)
            if done.is_set():
                return

    async def _deliver(self, chat_id: str, messages: list[Any]) -> None:
        outgoing, menu = render_reply(messages, self.public_url)
        if menu:
            self._menus.set(chat_id, menu)
        if not outgoing:
            await self._send_text(chat_id, NO_ANSWER)
            return
        for item in outgoing:
            if item.photo:
                if not await self._send_photo(chat_id, item.photo):
                    await self._send_text(chat_id, item.photo)
            elif item.text:
                for chunk in split_text(item.text):
                    await self._send_text(chat_id, chunk)

    async def send_text(self, chat_id: str, text: str) -> bool:
        """Sends one text to the chat (staff replies during a handoff); False on failure."""
        return await self._send_text(chat_id, text)

    async def _send_text(self, chat_id: str, text: str) -> bool:
        try:
            await self.bot.send_message(chat_id, text)
        except Exception as exc:  # the Bot API or network failed
            logger.warning(
                "zalo sendMessage failed chat=%s error=%s: %s",
                _safe(chat_id),
                type(exc).__name__,
                _safe(exc),
            )
            return False
        return True

    async def _send_photo(self, chat_id: str, url: str) -> bool:
        try:
            await self.bot.send_photo(chat_id, "", url)
        except Exception as exc:  # the Bot API or network failed
            logger.warning(
                "zalo sendPhoto failed chat=%s error=%s: %s",
                _safe(chat_id),
                type(exc).__name__,
                _safe(exc),
            )
            return False
        return True
