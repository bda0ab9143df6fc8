"""The report's range: local dates in Vietnam, both ends included, at most a year."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.period import Period, PeriodError, local_date, parse_period

TODAY = dt.date(2025, 7, 31)


def test_defaults_to_the_last_30_days() -> None:
    assert parse_period(None, None, now=TODAY) == Period(dt.date(2025, 7, 2), TODAY)
    assert parse_period(None, "2025-07-10", now=TODAY).start == dt.date(2025, 6, 11)


@pytest.mark.parametrize(("start", "end", "reason"), [
    ("2025-13-01", None, "bad_date"), ("01/07/2025", None, "bad_date"),
    ("20250701", None, "bad_date"), ("2025-07-02", "2025-07-01", "reversed"),
    ("2024-06-30", "2025-07-01", "too_long"),
])
def test_unusable_ranges(start, end, reason) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(start, end, now=TODAY)
    assert caught.value.reason == reason


def test_a_year_of_366_days_is_allowed() -> None:
    period = parse_period("2024-01-01", "2024-12-31")
    assert len(period.days()) == 366


def test_bounds_are_vietnam_midnights_in_utc() -> None:
    period = Period(dt.date(2025, 7, 1), dt.date(2025, 7, 1))
    assert period.since == dt.datetime(2025, 6, 30, 17, tzinfo=dt.timezone.utc)
    assert period.until == dt.datetime(2025, 7, 1, 17, tzinfo=dt.timezone.utc)
    assert local_date(dt.datetime(2025, 6, 30, 17, 0)) == dt.date(2025, 7, 1)  # naive = UTC
