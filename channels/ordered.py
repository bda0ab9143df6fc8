"""Background work per conversation, in arrival order, bounded.

The Zalo channels (Bot and OA) acknowledge a webhook at once and answer later: one
conversation's messages are answered one after another, different conversations at the same
time, and a full queue (all work, or one conversation's) makes the webhook answer 503 so that
Zalo retries instead of the gateway queueing without end.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable


class OrderedWork:
    """Tasks keyed by conversation; each key's tasks run one at a time, in order."""

    def __init__(self, max_pending: int, max_pending_per_key: int) -> None:
        self.max_pending = max_pending
        self.max_pending_per_key = max_pending_per_key
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._pending: Counter[str] = Counter()

    def is_full(self, key: str) -> bool:
        """Whether the work (all of it, or this conversation's) is at its bound."""
        return (
            len(self._tasks) >= self.max_pending
            or self._pending[key] >= self.max_pending_per_key
        )

    def start(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Runs ``work()`` after the work already started for ``key``."""
        task = asyncio.get_running_loop().create_task(self._in_order(key, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _in_order(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._pending[key] += 1
        try:
            async with lock:
                await work()
        finally:
            self._pending[key] -= 1
            if self._pending[key] <= 0:
                del self._pending[key]
                self._locks.pop(key, None)

    async def drain(self, timeout: float = 30.0) -> None:
        """Waits until every started task has ended (tests, shutdown), at most ``timeout``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._tasks:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            await asyncio.wait(set(self._tasks), timeout=remaining)

    async def stop(self, timeout: float = 10.0) -> None:
        """Lets running work finish (bounded), cancels the rest."""
        await self.drain(timeout)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
