"""Read approved figures: latest, compare, ranking and trend (newest approved version only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from core.db import session_scope
from core.geo.provinces import Province, load_provinces
from indicators.figures.indicators import Indicator, load_catalogue
from indicators.models import Observation
from indicators.resolve import Period, find_indicator, find_province, parse_period

PeriodLike = str | Period | None


class UnknownNameError(LookupError):
    """A province or indicator name that matches nothing (message in Vietnamese)."""


@dataclass(frozen=True)
class Figure:
    """An approved observation with its province (and current unit) and indicator."""

    id: int
    province: Province
    current: Province
    indicator: Indicator
    value: float
    unit: str | None
    numerator: float | None
    denominator: float | None
    target: float | None
    rank: int | None
    rank_out_of: int | None
    as_of: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    period_label: str
    source_title: str | None
    source_number: str | None
    source_date: dt.date | None
    source_url: str | None
    quoted_span: str | None
    version: int

    @property
    def reference_date(self) -> dt.date | None:
        """The day the figure holds for: ``as_of`` or the end of its period."""
        return self.as_of or self.period_end

    @property
    def merged(self) -> bool:
        """True when the province has since become part of another unit."""
        return self.current.code != self.province.code and self.current.slug != self.province.slug


def province_of(name: str | Province) -> Province:
    """Province from a name/code, or UnknownNameError."""
    if isinstance(name, Province):
        return name
    province = find_province(name)
    if province is None:
        raise UnknownNameError(f"Không tìm thấy tỉnh/thành phố “{name}”.")
    return province


def indicator_of(name: str | Indicator) -> Indicator:
    """Indicator from a code/name/synonym, or UnknownNameError."""
    if isinstance(name, Indicator):
        return name
    indicator = find_indicator(name)
    if indicator is None:
        raise UnknownNameError(f"Không tìm thấy chỉ tiêu “{name}”.")
    return indicator


def _codes(province: Province) -> list[str]:
    """Codes whose data answers for ``province``: a current unit also has the figures of the
    pre-merger unit of the same name (answers say they are the old unit's)."""
    registry = load_provinces()
    codes = [province.code]
    if province.is_current:
        codes += [m.code for m in registry.members(province) if m.slug == province.slug]
    return codes


def _to_figure(row: Observation) -> Figure:
    registry = load_provinces()
    province = registry.by_code(row.province_slug)
    return Figure(
        id=row.id,
        province=province,
        current=registry.current_unit(province),
        indicator=load_catalogue().indicator(row.indicator_code),
        value=row.value,
        unit=row.unit,
        numerator=row.numerator,
        denominator=row.denominator,
        target=row.target,
        rank=row.rank,
        rank_out_of=row.rank_out_of,
        as_of=row.as_of,
        period_start=row.period_start,
        period_end=row.period_end,
        period_label=row.period_label,
        source_title=row.source_title,
        source_number=row.source_number,
        source_date=row.source_date,
        source_url=row.source_url,
        quoted_span=row.quoted_span,
        version=row.version,
    )


def _approved(url: str, indicator: str, codes: list[str] | None) -> list[Figure]:
    """Newest approved version of every (province, period) of an indicator."""
    with session_scope(url) as session:
        stmt = select(Observation).where(
            Observation.indicator_code == indicator, Observation.status == "approved"
        )
        if codes is not None:
            stmt = stmt.where(Observation.province_slug.in_(codes))
        best: dict[tuple[str, str], Observation] = {}
        for row in session.scalars(stmt):
            key = (row.province_slug, row.period_label)
            if key not in best or row.version > best[key].version:
                best[key] = row
        return [_to_figure(r) for r in best.values()]


def _in_period(fig: Figure, period: PeriodLike) -> bool:
    if period is None:
        return True
    span = period if isinstance(period, Period) else parse_period(period)
    day = fig.reference_date
    return day is not None and span.start <= day <= span.end


def _newest(figures: list[Figure]) -> Figure | None:
    if not figures:
        return None
    return max(figures, key=lambda f: (f.reference_date or dt.date.min, f.version, f.id))


def latest(
    url: str, province: str | Province, indicator: str | Indicator, period: PeriodLike = None
) -> Figure | None:
    """The most recent approved figure of ``indicator`` for ``province`` (within ``period``)."""
    unit = province_of(province)
    ind = indicator_of(indicator)
    figures = [f for f in _approved(url, ind.code, _codes(unit)) if _in_period(f, period)]
    return _newest(figures)


def compare(
    url: str,
    indicator: str | Indicator,
    provinces: list[str | Province],
    period: PeriodLike = None,
) -> list[tuple[Province, Figure | None]]:
    """The latest figure of each province, in the order given (None where there is none)."""
    return [
        (province_of(p), latest(url, province_of(p), indicator, period)) for p in provinces
    ]


def ranking(url: str, indicator: str | Indicator, period: PeriodLike = None) -> list[Figure]:
    """Latest figure per province, highest value first."""
    ind = indicator_of(indicator)
    per_province: dict[str, list[Figure]] = {}
    for fig in _approved(url, ind.code, None):
        if _in_period(fig, period) and (fig.unit or ind.unit) == ind.unit:
            per_province.setdefault(fig.province.code, []).append(fig)
    figures = [f for f in (_newest(v) for v in per_province.values()) if f is not None]
    return sorted(figures, key=lambda f: (-f.value, f.province.name))


def trend(url: str, province: str | Province, indicator: str | Indicator) -> list[Figure]:
    """Every period's approved figure for a province, oldest first."""
    unit = province_of(province)
    ind = indicator_of(indicator)
    figures = [f for f in _approved(url, ind.code, _codes(unit)) if f.reference_date]
    return sorted(figures, key=lambda f: (f.reference_date, f.version))


def reported_rank(
    url: str, province: str | Province, indicator: str | Indicator, period: PeriodLike = None
) -> Figure | None:
    """The newest figure carrying a rank *published in its source* ("đứng thứ 15/63") for the
    indicator or its sibling of the same concept and aspect; ranks are never computed here."""
    unit = province_of(province)
    ind = indicator_of(indicator)
    catalogue = load_catalogue()
    siblings = [
        i for i in catalogue.concept(ind.concept).indicators
        if i.aspect == ind.aspect or i.code == ind.code
    ]
    ranked = [
        f
        for sibling in siblings
        for f in _approved(url, sibling.code, _codes(unit))
        if (f.rank is not None or f.unit == "hạng") and _in_period(f, period)
    ]
    return _newest(ranked)


def indicators_with_data(url: str, province: str | Province | None = None) -> list[Indicator]:
    """Indicators having approved figures (for ``province`` when given), catalogue order."""
    with session_scope(url) as session:
        stmt = select(Observation.indicator_code).where(Observation.status == "approved")
        if province is not None:
            stmt = stmt.where(Observation.province_slug.in_(_codes(province_of(province))))
        codes = set(session.scalars(stmt.distinct()))
    return [i for i in load_catalogue().indicators if i.code in codes]


def approved_figure_count(url: str) -> int:
    """Approved observations in the database (health report; creates the schema if new)."""
    with session_scope(url) as session:
        stmt = select(func.count()).select_from(Observation).where(
            Observation.status == "approved")
        return int(session.scalar(stmt) or 0)
