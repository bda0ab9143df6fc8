"""Lenient lookup of provinces, indicators, numbers, dates and periods given by people."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from core.geo.provinces import Province, choose_unit, load_provinces
from indicators.figures.indicators import Indicator, load_catalogue, match_key
from indicators.figures.numbers import find_dates
from vntext import matching_key

MIN_YEAR = 2000
MAX_YEAR = 2100
_PUNCT = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as space: "TP. Hà Giang" → "tp ha giang"."""
    return matching_key(str(text), expand=False)


@lru_cache(maxsize=1)
def _province_index() -> dict[str, tuple[Province, ...]]:
    index: dict[str, list[Province]] = {}
    for p in load_provinces().provinces:
        for alias in (*p.all_aliases, p.slug, p.code, p.full_name):
            bucket = index.setdefault(fold(alias), [])
            if p not in bucket:
                bucket.append(p)
    return {k: tuple(v) for k, v in index.items()}


def find_province(text: str, on: dt.date | None = None) -> Province | None:
    """Province by code, slug, name, alias or accent-free form (exact, not inside a sentence).

    When a name belongs to a pre- and a post-merger unit, the one in force ``on`` is chosen.
    """
    text = str(text or "").strip()
    if not text:
        return None
    registry = load_provinces()
    try:
        return registry.by_code(text)
    except KeyError:
        pass
    candidates = _province_index().get(fold(text))
    if not candidates:
        return None
    return choose_unit(candidates, on)


@lru_cache(maxsize=1)
def _indicator_index() -> tuple[dict[str, Indicator], dict[str, list[Indicator]]]:
    by_name: dict[str, Indicator] = {}
    by_synonym: dict[str, list[Indicator]] = {}
    for ind in load_catalogue().indicators:
        by_name[match_key(ind.name)] = ind
        by_name[match_key(ind.code.replace("_", " "))] = ind
        for syn in ind.synonyms:
            by_synonym.setdefault(match_key(syn), []).append(ind)
    return by_name, by_synonym


def find_indicator(text: str) -> Indicator | None:
    """Indicator by code, name or synonym (accent-insensitive); a rate wins a shared synonym."""
    text = str(text or "").strip()
    if not text:
        return None
    catalogue = load_catalogue()
    try:
        return catalogue.indicator(text)
    except KeyError:
        pass
    by_name, by_synonym = _indicator_index()
    key = match_key(text)
    if key in by_name:
        return by_name[key]
    matches = by_synonym.get(key) or []
    if not matches:
        return None
    return next((i for i in matches if i.kind == "rate"), matches[0])


def parse_number(value: object) -> float:
    """A number written the Vietnamese or the English way: "96,9", "1.818", "1.818,5", 96.9.

    A dot followed by groups of exactly three digits ("1.818", "2.500.000") is a thousands
    separator (Vietnamese usage); a single comma is a decimal separator.
    """
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if not re.fullmatch(r"[+-]?[\d.,]+", text) or not re.search(r"\d", text):
        raise ValueError(f"not a number: {value!r}")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "." in text:
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
    elif "," in text:
        if re.fullmatch(r"[+-]?\d{1,3}(,\d{3}){2,}", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    return float(text)


def parse_date(value: object) -> dt.date:
    """A calendar day: date/datetime objects, "dd/mm/yyyy", "dd-mm-yyyy" or "yyyy-mm-dd".

    Raises ValueError for impossible days (31/02/2023) and years outside 2000–2100.
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        else:
            raise ValueError(f"unreadable date {value!r}")
        day = dt.date(y, mo, d)  # ValueError for 31/02
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"year {day.year} out of range")
    return day


@dataclass(frozen=True)
class Period:
    """A reporting period with its canonical label ("2023", "2023-H1", "2022..2023")."""

    start: dt.date
    end: dt.date
    label: str


def period_label(start: dt.date, end: dt.date) -> str:
    """Canonical label of a span: year, half, quarter, month, several years, else ISO range."""
    y = start.year
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return str(y) if end.year == y else f"{y}..{end.year}"
    if end.year == y and start.day == 1:
        nxt = dt.date(y + (end.month == 12), end.month % 12 + 1, 1)
        months = (end.month - start.month) + 1
        if end + dt.timedelta(days=1) == nxt:
            if months == 6 and start.month in (1, 7):
                return f"{y}-H{1 if start.month == 1 else 2}"
            if months == 3 and start.month in (1, 4, 7, 10):
                return f"{y}-Q{(start.month - 1) // 3 + 1}"
            if months == 1:
                return f"{y}-{start.month:02d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def parse_period(value: object) -> Period:
    """A period: "2023", "2023-H1", "2023-Q3", "2023-10", "2022..2023" or Vietnamese text
    ("6 tháng đầu năm 2023", "quý 3/2023", "tháng 10/2023", "năm 2023")."""
    text = str(value).strip()
    start = end = None
    if re.fullmatch(r"\d{4}", text):
        start, end = dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    elif m := re.fullmatch(r"(\d{4})\s*(?:\.\.|-|–)\s*(\d{4})", text):
        start, end = dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31)
    elif m := re.fullmatch(r"(\d{4})-H([12])", text, re.I):
        y, h = int(m[1]), int(m[2])
        start, end = (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (
            dt.date(y, 7, 1), dt.date(y, 12, 31))
    elif m := re.fullmatch(r"(\d{4})-Q([1-4])", text, re.I):
        y, q = int(m[1]), int(m[2])
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, mo = int(m[1]), int(m[2])
        start = dt.date(y, mo, 1)
        end = dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        refs = [r for r in find_dates(text) if r.kind == "period" and r.year is not None]
        if len(refs) == 1 and refs[0].text.strip() == text.strip(" .") or (
            len(refs) == 1 and len(refs[0].text) >= len(text) * 0.6
        ):
            start, end = refs[0].start, refs[0].end
    if start is None or end is None:
        raise ValueError(f"unreadable period {value!r}")
    for day in (start, end):
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValueError(f"year {day.year} out of range")
    if end < start:
        raise ValueError("period ends before it starts")
    return Period(start, end, period_label(start, end))


def observation_label(
    as_of: dt.date | None, start: dt.date | None, end: dt.date | None
) -> str:
    """The period key of an observation: ISO day for a point figure, else the period label."""
    if as_of is not None:
        return as_of.isoformat()
    if start is not None and end is not None:
        return period_label(start, end)
    return ""
