"""Declarative base shared by every domain's tables; one migration history in ``migrations/``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC one: SQLite hands back what it stored as naive UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of the project's tables."""
