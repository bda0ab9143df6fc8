"""Per-sender sliding-window rate limit (in memory, one gateway process)."""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class SenderRateLimiter:
    """At most ``limit`` messages per ``window`` seconds for each sender.

    Keeps at most ``max_senders`` senders (the least recently active are forgotten), so a flood
    of new ids cannot grow memory without bound.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        max_senders: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_senders = max_senders
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, sender: str) -> int:
        """Records a message; returns 0 when allowed, else seconds to wait before retrying."""
        if self.limit <= 0:
            return 0
        now = self._clock()
        events = self._events.get(sender)
        if events is None:
            events = self._events[sender] = deque()
        self._events.move_to_end(sender)
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return max(1, math.ceil(events[0] + self.window - now))
        events.append(now)
        while len(self._events) > self.max_senders:
            self._events.popitem(last=False)
        return 0
