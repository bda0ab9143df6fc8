"""Blocking work runs off the event loop and within a deadline."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from actions import base


def test_blocking_work_does_not_stall_the_event_loop() -> None:
    release = threading.Event()

    async def scenario() -> bool:
        # the blocking work waits for something only another coroutine can do: on the event
        # loop itself it would wait its whole 2 s and return False
        slow = asyncio.ensure_future(base.off_loop(release.wait, 2))
        await asyncio.sleep(0.05)
        release.set()  # "another conversation" is served meanwhile
        return await slow

    assert asyncio.run(scenario()) is True


def test_work_past_its_deadline_is_too_slow() -> None:
    with pytest.raises(base.TooSlow):
        asyncio.run(base.off_loop(time.sleep, 0.5, deadline=0.05))


def test_a_slow_answer_becomes_a_polite_reply(make, monkeypatch) -> None:
    from actions.knowledge import ActionAnswerKnowledge
    from tests.actions.test_actions import run, tracker

    monkeypatch.setattr(base, "DEADLINE_SECONDS", 0.05)
    monkeypatch.setattr("actions.knowledge.answer_question", lambda *a, **k: time.sleep(0.5))
    events = [{"event": "user", "text": "quen passcode vneid"}]
    messages, _ = run(make(ActionAnswerKnowledge), tracker(events, {"text": "quen passcode"}))
    assert messages[0]["text"] == base.TOO_SLOW_TEXT
    assert messages[1]["custom"] == {"kind": "fallback", "source": None}
