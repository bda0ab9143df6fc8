"""The access token to send with: read from the database once, refreshed a few minutes before
it expires and whenever Zalo calls it invalid (−216).

A refresh token works once: two refreshes racing with the same one would leave one of them
(and possibly the stored pair) with a spent token. Refreshes therefore run one at a time
(an asyncio lock), and each first re-reads the stored pair: a caller that waited behind
another refresh, or a process that refreshed meanwhile, finds the new token and uses it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from channels.zalo_oa.client import OAClient
from oa_tokens import TokenPair

logger = logging.getLogger("channels.zalo_oa")

REFRESH_MARGIN_SECONDS = 300.0


class TokenUnavailable(RuntimeError):
    """No token pair is stored yet (run `troly zalo-oa set-tokens`), or it cannot be read."""


class TokenManager:
    """Hands out a valid access token; ``load``/``save`` read and write the stored pair."""

    def __init__(
        self,
        client: OAClient,
        *,
        app_id: str,
        app_secret: str,
        load: Callable[[], TokenPair | None],
        save: Callable[[TokenPair], None],
        margin_seconds: float = REFRESH_MARGIN_SECONDS,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
    ) -> None:
        self._client = client
        self._app_id = app_id
        self._app_secret = app_secret
        self._load = load
        self._save = save
        self._margin = margin_seconds
        self._clock = clock
        self._pair: TokenPair | None = None
        self._lock = asyncio.Lock()
        self.refreshes = 0  # how many refreshes this process made (the CLI and tests read it)

    async def _stored(self) -> TokenPair:
        pair = await asyncio.to_thread(self._load)
        if pair is None:
            raise TokenUnavailable(
                "no Zalo OA tokens stored: run `troly zalo-oa set-tokens` first"
            )
        self._pair = pair
        return pair

    def _fresh(self, pair: TokenPair) -> bool:
        return not pair.access_expires_within(self._margin, self._clock())

    async def access_token(self) -> str:
        """A token valid for at least the margin (refreshed first when it is not)."""
        pair = self._pair or await self._stored()
        if not self._fresh(pair):
            pair = await self.refresh(pair.access_token)
        return pair.access_token

    async def refresh(self, rejected: str) -> TokenPair:
        """Replaces the pair whose access token was ``rejected`` (or is about to expire); when
        another refresh already replaced it, returns that pair without spending a token."""
        async with self._lock:
            pair = await self._stored()
            if pair.access_token != rejected and self._fresh(pair):
                return pair
            new = await self._client.refresh(
                self._app_id, self._app_secret, pair.refresh_token, self._clock()
            )
            # saved before use: the old refresh token is spent from now on
            await asyncio.to_thread(self._save, new)
            self._pair = new
            self.refreshes += 1
            logger.info("zalo oa access token refreshed; expires at %s",
                        new.access_expires_at.isoformat(timespec="minutes"))
            return new
