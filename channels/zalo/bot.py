"""The python-zalo-bot client, pointed at a configurable Bot API base URL.

``zalo_bot.Bot(token, base_url=...)`` takes the API base as a constructor argument and
calls ``{base_url}/bot{token}/{method}``, so no global state is touched. The library's
webhook helpers (``set_webhook`` & co.) are synchronous wrappers around ``asyncio.run`` and
fail inside a running event loop; :class:`ZaloBot` adds awaitable equivalents.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from zalo_bot import Bot

from vntext import mask_pii

_BOT_PATH = re.compile(r"/bot[^/\s\"']+")


def redact_token(text: str) -> str:
    """Hides the bot token that the Bot API puts in every URL path (``/bot<token>/...``)."""
    return _BOT_PATH.sub("/bot***", text)


class _RedactLogRecord(logging.Filter):
    """Masks the bot token and phone/ID numbers in third-party log records.

    httpx logs every request URL at INFO (the URL contains the token) and python-zalo-bot
    logs call parameters, user texts included, at DEBUG.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = mask_pii(redact_token(message))
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def _install_log_redaction() -> None:
    """Adds the filter to httpx's logger and to every logger python-zalo-bot created."""
    names = ["httpx"] + [
        name for name in list(logging.root.manager.loggerDict) if name.startswith("zalo")
    ]
    for name in names:
        target = logging.getLogger(name)
        if not any(isinstance(f, _RedactLogRecord) for f in target.filters):
            target.addFilter(_RedactLogRecord())


class ZaloBot(Bot):
    """``zalo_bot.Bot`` with awaitable webhook methods and a close that needs no get_me."""

    __slots__ = ()

    async def set_webhook_async(self, url: str, secret_token: str) -> bool:
        """Registers ``url`` as the webhook; Zalo sends ``secret_token`` in each delivery."""
        result = await self._post("setWebhook", {"url": url, "secret_token": secret_token})
        return bool(result)

    async def delete_webhook_async(self) -> bool:
        """Removes the webhook."""
        return bool(await self._post("deleteWebhook"))

    async def get_webhook_info_async(self) -> dict[str, Any]:
        """The registered webhook (``url``, ``updated_at``) as returned by the API."""
        result = await self._post("getWebhookInfo")
        return result if isinstance(result, dict) else {}

    async def aclose(self) -> None:
        """Closes the HTTP clients (``shutdown`` only does so after ``initialize``)."""
        await asyncio.gather(*(request.shutdown() for request in self._request))


def build_bot(token: str, base_url: str) -> ZaloBot:
    """A bot for ``token`` talking to ``base_url`` (e.g. a local fake server in tests)."""
    _install_log_redaction()
    return ZaloBot(token, base_url=base_url.rstrip("/"))
