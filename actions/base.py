"""What every project action shares: the services it answers from (passed in or the
process's own), and a way to do blocking work without stalling other conversations."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from assistant.services import Services, services

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Retrieval (e5 encoding), SQL queries and chart drawing block; they run on this bounded pool
# so the action server's event loop keeps serving other conversations meanwhile.
WORKERS = int(os.environ.get("TROLY_ACTION_WORKERS", "2"))
# Below the gateway's 30 s wait for Rasa (rasa-sdk 3.6 has no per-action timeout and Rasa
# waits up to 300 s for an action): a slow answer becomes a polite reply, not a hung turn.
# Also below the 20 s lifetime of a conversation's lock in the scaled profile.
DEADLINE_SECONDS = float(os.environ.get("TROLY_ACTION_DEADLINE_SECONDS", "15"))
TOO_SLOW_TEXT = (
    "Xin lỗi anh/chị, hệ thống đang bận nên chưa trả lời kịp. Anh/chị vui lòng gửi lại câu "
    "hỏi sau ít phút, hoặc gọi tổng đài 1900 0368."
)
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="action-work")


class TooSlow(RuntimeError):
    """Blocking work did not finish within the deadline."""


async def off_loop(work: Callable[..., T], *args, deadline: float | None = None, **kwargs) -> T:
    """Runs ``work`` on the bounded pool; raises ``TooSlow`` after the deadline (the work
    itself finishes in the background: a thread cannot be cancelled)."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_pool, functools.partial(work, *args, **kwargs))
    try:
        return await asyncio.wait_for(future, deadline or DEADLINE_SECONDS)
    except asyncio.TimeoutError as exc:
        logger.warning("%s took longer than %.0f s", getattr(work, "__name__", work),
                       deadline or DEADLINE_SECONDS)
        raise TooSlow from exc


class ServiceAction:
    """Mixin: ``self.services`` is the ``Services`` given at construction (tests) or the
    process's (the action server registers actions without arguments)."""

    def __init__(self, on: Services | None = None) -> None:
        self._on = on

    @property
    def services(self) -> Services:
        return self._on or services()
