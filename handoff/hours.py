"""The office's working hours, in Vietnam's time zone, written the way an office posts them:
"T2-T6 07:30-11:30,13:30-17:00; T7 07:30-11:30" (T2 = Monday … CN = Sunday)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_HOURS = "T2-T6 07:30-11:30,13:30-17:00"
_DAYS = {"T2": 0, "T3": 1, "T4": 2, "T5": 3, "T6": 4, "T7": 5, "CN": 6}
_DAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_PART = re.compile(r"^\s*(T[2-7]|CN)(?:\s*-\s*(T[2-7]|CN))?\s+(.+?)\s*$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class OfficeHours:
    """Opening spans per weekday (0 = Monday), each (start, end) as local times."""

    spans: dict[int, tuple[tuple[dt.time, dt.time], ...]]

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Reads the posted form; raises ValueError saying what is wrong."""
        spans: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for part in filter(str.strip, text.split(";")):
            m = _PART.match(part)
            if not m:
                raise ValueError(f"cannot read working hours {part.strip()!r}")
            first, last = _DAYS[m[1].upper()], _DAYS[(m[2] or m[1]).upper()]
            if last < first:
                raise ValueError(f"days go backwards in {part.strip()!r}")
            times = []
            for span in m[3].split(","):
                t = _SPAN.match(span)
                if not t:
                    raise ValueError(f"cannot read the hours {span.strip()!r}")
                start = dt.time(int(t[1]), int(t[2]))
                end = dt.time(int(t[3]), int(t[4]))
                if end <= start:
                    raise ValueError(f"a span ends before it starts: {span.strip()!r}")
                times.append((start, end))
            for day in range(first, last + 1):
                spans.setdefault(day, []).extend(times)
        return cls({d: tuple(sorted(s)) for d, s in spans.items()})

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(VIETNAM)
        now = local.time()
        return any(start <= now < end for start, end in self.spans.get(local.weekday(), ()))

    def open_since(self, at: dt.datetime) -> dt.datetime | None:
        """When the span the office is open in at ``at`` began (None: closed at ``at``)."""
        local = at.astimezone(VIETNAM)
        for start, end in self.spans.get(local.weekday(), ()):
            if start <= local.time() < end:
                return dt.datetime.combine(local.date(), start, tzinfo=VIETNAM)
        return None

    def next_opening(self, at: dt.datetime) -> dt.datetime | None:
        """When the office next opens after ``at`` (None: it never opens)."""
        local = at.astimezone(VIETNAM)
        for offset in range(8):
            day = local.date() + dt.timedelta(days=offset)
            for start, _ in self.spans.get(day.weekday(), ()):
                opening = dt.datetime.combine(day, start, tzinfo=VIETNAM)
                if opening > local:
                    return opening
        return None


def opening_text(opening: dt.datetime | None) -> str:
    """ "8 giờ 00 sáng thứ Hai (07/12/2026)" style, for the citizen."""
    if opening is None:
        return "khi cơ quan làm việc trở lại"
    local = opening.astimezone(VIETNAM)
    return f"{local:%H:%M} {_DAY_NAMES[local.weekday()]} ({local:%d/%m/%Y})"
