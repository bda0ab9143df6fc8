"""Dates as Vietnamese readers write them (one formatter for every answer)."""

from __future__ import annotations

import datetime as dt


def format_date_vi(value: str | dt.date) -> str:
    """2024-06-25 → 25/06/2024; other strings are returned as given."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)
