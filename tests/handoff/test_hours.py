"""Working hours as an office posts them, in Vietnam's time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from handoff.hours import DEFAULT_HOURS, VIETNAM, OfficeHours, opening_text

HOURS = OfficeHours.parse(DEFAULT_HOURS + "; T7 07:30-11:30")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """December 2026: the 7th is a Monday."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=VIETNAM)


@pytest.mark.parametrize("moment, open_", [
    (at(7, 7, 30), True), (at(7, 11, 30), False), (at(7, 12, 0), False), (at(7, 13, 30), True),
    (at(11, 16, 59), True), (at(12, 9, 0), True), (at(12, 14, 0), False), (at(13, 9, 0), False),
])
def test_open_and_closed(moment, open_) -> None:
    assert HOURS.is_open(moment) is open_


def test_a_utc_time_is_read_in_vietnam() -> None:
    assert HOURS.is_open(dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.timezone.utc))  # 08:00 ICT


def test_the_next_opening_skips_the_lunch_break_and_the_weekend() -> None:
    assert HOURS.next_opening(at(7, 12, 0)) == at(7, 13, 30)
    assert HOURS.next_opening(at(12, 12, 0)) == at(14, 7, 30)
    assert opening_text(at(14, 7, 30)) == "07:30 thứ Hai (14/12/2026)"
    assert OfficeHours.parse("").next_opening(at(7, 8)) is None


@pytest.mark.parametrize("text", ["T2-T6", "T6-T2 07:30-11:30", "T2 11:30-07:30", "Mon 8:00-9:00",
                                  "T2 7h-11h"])
def test_unreadable_hours_are_refused_with_a_reason(text) -> None:
    with pytest.raises(ValueError):
        OfficeHours.parse(text)
