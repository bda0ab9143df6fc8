"""The gateway's side of a handoff: requests nobody takes end with the hotline after 30 minutes
of office time (never outside working hours); a citizen's message goes to staff only while a
handoff is open."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from channels.handoffs import deliver, expire_unanswered, relay_to_staff
from core.config import DatabaseSettings, HandoffSettings, Settings
from handoff import texts
from handoff.hours import VIETNAM
from handoff.queue import messages, open_handoff, request_handoff


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database=DatabaseSettings(database_url=f"sqlite:///{tmp_path / 'a.db'}"),
                    handoff=HandoffSettings(office_hours="T2-T6 07:30-11:30,13:30-17:00"))


class FakeRasa:
    def __init__(self) -> None:
        self.appended: list[str] = []

    async def append_events(self, sender_id: str, events: list) -> None:
        self.appended.append(sender_id)


def test_unanswered_requests_expire_only_after_30_minutes_of_office_time(settings) -> None:
    url = settings.database.url
    view, _ = request_handoff(url, "zalo:42", "zalo")
    rasa, sent = FakeRasa(), []

    async def zalo_send(chat_id: str, text: str) -> None:
        sent.append((chat_id, text))

    def sweep(at: dt.datetime) -> list:
        return asyncio.run(expire_unanswered(settings, rasa, {"zalo": zalo_send}, now=at))

    # at lunch, and at 13:50 (only 20 minutes of the afternoon span): nothing ends
    assert sweep(dt.datetime.now(VIETNAM).replace(year=2099, month=1, day=5, hour=12)) == []
    assert sweep(dt.datetime(2099, 1, 5, 13, 50, tzinfo=VIETNAM)) == []
    [expired] = sweep(dt.datetime(2099, 1, 5, 14, 5, tzinfo=VIETNAM))
    assert expired.id == view.id and rasa.appended == ["zalo:42"]
    assert sent == [("42", texts.EXPIRED)]
    assert messages(url, view.id)[-1].text == texts.EXPIRED
    assert open_handoff(url, "zalo:42") is None


def test_a_citizen_message_goes_to_staff_only_when_a_handoff_is_open(settings) -> None:
    url = settings.database.url
    assert asyncio.run(relay_to_staff(url, "web-1", "còn ai không?")) is None
    view, _ = request_handoff(url, "web-1", "web")
    assert "vị trí thứ 1" in asyncio.run(relay_to_staff(url, "web-1", "tôi cần hỏi"))
    assert asyncio.run(relay_to_staff(url, "web-1", "/greet")) is not None
    assert [m.text for m in messages(url, view.id)] == ["tôi cần hỏi"]  # payloads not stored


def test_staff_messages_are_pushed_on_the_citizen_s_own_channel(settings) -> None:
    url = settings.database.url
    sent: list[tuple[str, str, str]] = []

    def pusher(channel: str):
        async def send(recipient: str, text: str) -> None:
            sent.append((channel, recipient, text))
        return send

    pushers = {"zalo": pusher("zalo"), "zalooa": pusher("zalooa")}
    for sender, channel in (("zalo:1", "zalo"), ("zalooa:2", "zalooa"), ("web:3", "web")):
        view, _ = request_handoff(url, sender, channel)
        asyncio.run(deliver(view, f"chào {sender}", pushers))
    assert sent == [("zalo", "1", "chào zalo:1"), ("zalooa", "2", "chào zalooa:2")]
