"""The date range of a report: local dates in Vietnam, inclusive at both ends, turned into the
UTC instants the stored rows are compared with."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from core.db.base import as_utc

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_DAYS = 30
MAX_DAYS = 366
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(ValueError):
    """The range asked for is unusable; ``reason`` is one of: bad_date, reversed, too_long."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both local dates included."""

    start: dt.date
    end: dt.date

    @property
    def since(self) -> dt.datetime:
        """The first instant of ``start`` in Vietnam, in UTC (SQLite stores times as UTC
        wall-clock text and would drop any other offset)."""
        return _utc_midnight(self.start)

    @property
    def until(self) -> dt.datetime:
        """The first instant after ``end`` in Vietnam, in UTC (excluded)."""
        return _utc_midnight(self.end + dt.timedelta(days=1))

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), VIETNAM).astimezone(dt.timezone.utc)


def local_time(moment: dt.datetime | float) -> dt.datetime:
    """An instant (unix seconds, or a datetime; naive means UTC, as SQLite hands stored times
    back) as the time in Vietnam."""
    if isinstance(moment, (int, float)):
        return dt.datetime.fromtimestamp(moment, VIETNAM)
    return as_utc(moment).astimezone(VIETNAM)


def local_date(moment: dt.datetime | float) -> dt.date:
    """The date in Vietnam of an instant."""
    return local_time(moment).date()


def today() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def _parse(value: str) -> dt.date:
    if not _ISO_DATE.match(value):
        raise PeriodError("bad_date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise PeriodError("bad_date") from exc


def parse_period(start: str | None, end: str | None, *, now: dt.date | None = None) -> Period:
    """The range from two optional YYYY-MM-DD strings: ``end`` defaults to today, ``start``
    to the 30 days ending at ``end``. Raises PeriodError."""
    last = _parse(end) if end else (now or today())
    first = _parse(start) if start else last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise PeriodError("reversed")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("too_long")
    return Period(first, last)
