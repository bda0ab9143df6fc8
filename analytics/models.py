"""The analytics' own table: daily counts kept when the records behind them are purged
(privacy/retention.py), so reports of old days still have their numbers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class DailyCount(Base):
    """One local day's count of one measure on one channel; ``key`` names what was counted
    where the measure has several (an intent, an answer's source), else ""."""

    __tablename__ = "analytics_daily_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
