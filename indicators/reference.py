"""Sync the province and indicator reference tables from the YAML files (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import session_scope
from core.geo.provinces import load_provinces
from indicators.figures.indicators import load_catalogue
from indicators.models import IndicatorRow, ProvinceAliasRow, ProvinceRow
from indicators.resolve import fold


@dataclass
class SyncResult:
    """Rows inserted or changed by a sync."""

    provinces: int = 0
    aliases: int = 0
    indicators: int = 0

    @property
    def changed(self) -> int:
        return self.provinces + self.aliases + self.indicators


def _set(row, **values) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def sync_session(session: Session) -> SyncResult:
    """Upsert provinces, aliases and indicators inside ``session``."""
    result = SyncResult()
    registry = load_provinces()
    existing = {r.slug: r for r in session.scalars(select(ProvinceRow))}
    # current units first so that merged_into always points at an existing row
    ordered = sorted(registry.provinces, key=lambda p: not p.is_current)
    for p in ordered:
        values = dict(
            name=p.name,
            kind=p.type,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            merged_into=p.merged_into,
        )
        row = existing.get(p.code)
        if row is None:
            session.add(ProvinceRow(slug=p.code, **values))
            result.provinces += 1
        elif _set(row, **values):
            result.provinces += 1
    session.flush()
    have = {(a.province_slug, a.folded) for a in session.scalars(select(ProvinceAliasRow))}
    for p in registry.provinces:
        for alias in (*p.all_aliases, p.full_name):
            key = (p.code, fold(alias))
            if key in have:
                continue
            have.add(key)
            session.add(ProvinceAliasRow(province_slug=p.code, alias=alias, folded=key[1]))
            result.aliases += 1
    indicators = {r.code: r for r in session.scalars(select(IndicatorRow))}
    for ind in load_catalogue().indicators:
        values = dict(name=ind.name, unit=ind.unit, group=ind.group, synonyms=list(ind.synonyms))
        row = indicators.get(ind.code)
        if row is None:
            session.add(IndicatorRow(code=ind.code, **values))
            result.indicators += 1
        elif _set(row, **values):
            result.indicators += 1
    session.flush()
    return result


def sync_reference(url: str) -> SyncResult:
    """Bring the reference tables at ``url`` in line with provinces.yml and indicators.yml."""
    with session_scope(url) as session:
        return sync_session(session)
