"""Asking for a person says the place in the queue, or when the office opens."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.handoff import ask_for_person
from assistant.services import Services
from core.config import DatabaseSettings, HandoffSettings, Settings
from handoff.hours import VIETNAM

MONDAY_9 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database=DatabaseSettings(database_url=f"sqlite:///{tmp_path / 'a.db'}"),
                    handoff=HandoffSettings(office_hours="T2-T6 07:30-11:30,13:30-17:00"))


def test_the_queue_place_in_hours_and_the_opening_outside(settings) -> None:
    services = Services(settings)
    inside = ask_for_person(services, "web-1", "web", topic=None, last_turns=[], now=MONDAY_9)
    assert "vị trí thứ 1" in inside.text
    saturday = dt.datetime(2026, 12, 12, 20, 0, tzinfo=VIETNAM)
    outside = ask_for_person(services, "web-2", "web", topic=None, last_turns=[], now=saturday)
    assert "ngoài giờ làm việc" in outside.text and "07:30 thứ Hai (14/12/2026)" in outside.text
