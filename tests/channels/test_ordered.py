"""Per-conversation background work: in order per key, concurrent across keys, bounded, and
stopped by cancelling what outlives the grace period."""

from __future__ import annotations

import asyncio

from channels.ordered import OrderedWork


def test_one_key_in_order_other_keys_meanwhile_and_the_bounds() -> None:
    async def scenario() -> list[str]:
        work, seen = OrderedWork(max_pending=10, max_pending_per_key=2), []
        gate = asyncio.Event()

        async def job(name: str, wait: bool = False) -> None:
            if wait:
                await gate.wait()
            seen.append(name)

        work.start("a", lambda: job("a1", wait=True))
        work.start("a", lambda: job("a2"))
        work.start("b", lambda: job("b1"))
        await asyncio.sleep(0.01)
        assert seen == ["b1"]  # a2 waits behind a1; b does not
        assert work.is_full("a") and not work.is_full("b")
        gate.set()
        await work.drain(1.0)
        assert not work.is_full("a")
        return seen

    assert asyncio.run(scenario()) == ["b1", "a1", "a2"]


def test_stop_cancels_what_does_not_finish() -> None:
    async def scenario() -> bool:
        work, cancelled = OrderedWork(max_pending=1, max_pending_per_key=5), asyncio.Event()

        async def forever() -> None:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                cancelled.set()
                raise

        work.start("a", forever)
        await asyncio.sleep(0)
        assert work.is_full("z")  # the whole bound is reached
        await work.stop(timeout=0.05)
        return cancelled.is_set()

    assert asyncio.run(scenario())
