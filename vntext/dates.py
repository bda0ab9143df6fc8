"""Dates as Vietnamese readers write them (one formatter for every answer)."""

from __future__ import annotations

import datetime as dt
import re


def format_date_vi(value: str | dt.date) -> str:
    """2024-06-25 → 25/06/2024; other strings are returned as given."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def date_phrase_vi(value: str | dt.date) -> str:
    """ "ngày 25/06/2024"; a month alone (2025-04) "tháng 4/2025"; a year alone "năm 2025"."""
    text = str(value).strip()
    month = _YEAR_MONTH.fullmatch(text)
    if month:
        return f"tháng {int(month.group(2))}/{month.group(1)}"
    if text.isdigit() and len(text) == 4:
        return f"năm {text}"
    return f"ngày {format_date_vi(value)}"
