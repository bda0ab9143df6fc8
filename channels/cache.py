"""A small bounded cache whose entries expire (no dependencies, single event loop)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    """At most ``maxsize`` entries, each forgotten ``ttl`` seconds after it was last set."""

    def __init__(
        self, maxsize: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if maxsize < 1 or ttl <= 0:
            raise ValueError("maxsize must be >= 1 and ttl > 0")
        self.maxsize = maxsize
        self.ttl = ttl
        self._clock = clock
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def _expire(self, now: float) -> None:
        # Entries are kept in the order they were set and share one TTL: oldest first.
        while self._data:
            key, (expires, _) = next(iter(self._data.items()))
            if expires > now:
                break
            del self._data[key]

    def set(self, key: K, value: V) -> None:
        """Stores ``value`` (refreshing its lifetime) and evicts the oldest beyond maxsize."""
        now = self._clock()
        self._expire(now)
        self._data.pop(key, None)
        self._data[key] = (now + self.ttl, value)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def get(self, key: K, default: V | None = None) -> V | None:
        """The live value for ``key`` or ``default``."""
        self._expire(self._clock())
        entry = self._data.get(key)
        return default if entry is None else entry[1]

    def add(self, key: K, value: V) -> bool:
        """Stores ``value`` only when ``key`` is absent; True when it was stored."""
        if key in self:
            return False
        self.set(key, value)
        return True

    def pop(self, key: K) -> V | None:
        """Removes ``key``; returns its live value, if any."""
        self._expire(self._clock())
        entry = self._data.pop(key, None)
        return None if entry is None else entry[1]

    def __contains__(self, key: object) -> bool:
        self._expire(self._clock())
        return key in self._data

    def __len__(self) -> int:
        self._expire(self._clock())
        return len(self._data)
