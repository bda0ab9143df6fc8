"""Versioned observations: add, propose, approve, reject, and loading the seed reports.

Nothing is overwritten: a new figure for the same province + indicator + period is a new row
with ``version`` + 1 and ``supersedes_id`` pointing at the previous newest version.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import session_scope
from core.db.base import utc_now
from indicators.figures.extract import extract_figures
from indicators.models import Observation
from indicators.reference import sync_session
from indicators.resolve import observation_label, parse_date

log = logging.getLogger(__name__)
STATUSES = ("proposed", "approved", "rejected")
# fields that make two versions "the same figure"
_CONTENT = (
    "value", "unit", "numerator", "denominator", "target", "rank", "rank_out_of",
    "as_of", "period_start", "period_end", "source_title", "source_number", "source_date",
    "source_url", "quoted_span",
)


@dataclass
class ObservationInput:
    """A figure to store; ``province`` is a geo code ("old:ha-giang"), ``indicator`` a code."""

    province: str
    indicator: str
    value: float
    unit: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    rank: int | None = None
    rank_out_of: int | None = None
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_label: str | None = None
    source_title: str | None = None
    source_number: str | None = None
    source_date: dt.date | None = None
    source_url: str | None = None
    quoted_span: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        """Period key used for versioning."""
        if self.period_label:
            return self.period_label
        return observation_label(self.as_of, self.period_start, self.period_end)


def _same(row: Observation, data: ObservationInput) -> bool:
    return all(getattr(row, f) == getattr(data, f) for f in _CONTENT)


def add_in_session(
    session: Session,
    data: ObservationInput,
    *,
    by: str,
    status: str = "proposed",
    dedupe: str = "newest",
) -> tuple[Observation, bool]:
    """Store ``data`` as a new version unless it repeats a stored one; returns (row, created).

    ``dedupe="newest"`` compares with the newest non-rejected version only; ``"any"`` with
    every non-rejected version (used for re-running the same source).
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    label = data.label
    versions = list(
        session.scalars(
            select(Observation)
            .where(
                Observation.province_slug == data.province,
                Observation.indicator_code == data.indicator,
                Observation.period_label == label,
            )
            .order_by(Observation.version.desc())
        )
    )
    alive = [v for v in versions if v.status != "rejected"]
    candidates = alive[:1] if dedupe == "newest" else alive
    for row in candidates:
        if _same(row, data):
            if status == "approved" and row.status == "proposed":
                _mark(row, "approved", by)
            return row, False
    values = asdict(data)
    values.pop("province")
    values.pop("indicator")
    values["period_label"] = label
    row = Observation(
        province_slug=data.province,
        indicator_code=data.indicator,
        version=(versions[0].version + 1) if versions else 1,
        supersedes_id=versions[0].id if versions else None,
        status="proposed",
        imported_by=by[:100],
        imported_at=utc_now(),
        **values,
    )
    if status != "proposed":
        _mark(row, status, by)
    session.add(row)
    session.flush()
    return row, True


def _mark(row: Observation, status: str, by: str) -> None:
    row.status = status
    row.approved_by = by[:100]
    row.approved_at = utc_now()


def add_observation(
    url: str, data: ObservationInput, *, by: str, status: str = "approved"
) -> Observation:
    """Store a figure (approved by default) as a new version; returns the stored row."""
    with session_scope(url) as session:
        sync_session(session)
        row, _ = add_in_session(session, data, by=by, status=status)
        return row


def propose(url: str, data: ObservationInput, *, by: str) -> Observation:
    """Store a figure awaiting review."""
    return add_observation(url, data, by=by, status="proposed")


def _set_status(url: str, observation_id: int, status: str, by: str) -> Observation:
    with session_scope(url) as session:
        row = session.get(Observation, observation_id)
        if row is None:
            raise LookupError(f"observation {observation_id} not found")
        _mark(row, status, by)
        return row


def approve(url: str, observation_id: int, *, by: str) -> Observation:
    """Approve a proposed (or previously rejected) observation."""
    return _set_status(url, observation_id, "approved", by)


def reject(url: str, observation_id: int, *, by: str) -> Observation:
    """Reject an observation; queries then fall back to the previous approved version."""
    return _set_status(url, observation_id, "rejected", by)


def count_observations(url: str) -> int:
    """Number of stored observation rows (every version and status)."""
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(Observation)) or 0


# ------------------------------------------------------------------------------ seeds


@dataclass
class SeedLoadResult:
    """What a seed load did."""

    files: int = 0
    created: int = 0
    unchanged: int = 0
    skipped: int = 0


def _sidecar_meta(path: Path) -> dict[str, Any]:
    """Metadata next to a report: ``<name>.meta.json`` / ``.meta.yml`` (date, url, province…)."""
    for suffix, loader in ((".meta.json", json.loads), (".meta.yml", yaml.safe_load),
                           (".meta.yaml", yaml.safe_load)):
        meta_path = path.with_name(path.stem + suffix)
        if meta_path.exists():
            return dict(loader(meta_path.read_text(encoding="utf-8")) or {})
    return {}


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:500]


def load_seed_figures(
    url: str,
    seeds_dir: Path | str,
    by: str = "system",
    doc_meta: dict[str, dict[str, Any]] | None = None,
) -> SeedLoadResult:
    """Extract figures from every ``*.txt`` report and store them approved (idempotent).

    The source title is the report's first line; the source date comes from metadata
    (``doc_meta[file name]`` or a ``.meta.json``/``.meta.yml`` sidecar) when present.
    Figures without a province are skipped.
    """
    result = SeedLoadResult()
    files = sorted(Path(seeds_dir).glob("*.txt"))
    with session_scope(url) as session:
        sync_session(session)
        for path in files:
            result.files += 1
            text = path.read_text(encoding="utf-8")
            meta = {**_sidecar_meta(path), **((doc_meta or {}).get(path.name) or {})}
            source_date = None
            if meta.get("date"):
                try:
                    source_date = parse_date(meta["date"])
                except ValueError:
                    log.warning("%s: ignoring unreadable metadata date %r", path.name, meta["date"])
            extractor_meta = {k: meta[k] for k in ("province", "date", "period") if k in meta}
            if source_date is not None:
                extractor_meta["date"] = source_date
            title = str(meta.get("title") or _first_line(text)) or path.name
            for obs in extract_figures(text, doc_meta=extractor_meta):
                if not obs.province_code or not (obs.as_of or obs.period_end):
                    result.skipped += 1
                    continue
                data = ObservationInput(
                    province=obs.province_code,
                    indicator=obs.indicator,
                    value=obs.value,
                    unit=obs.unit,
                    numerator=obs.numerator,
                    denominator=obs.denominator,
                    target=obs.target,
                    rank=obs.rank,
                    rank_out_of=obs.rank_out_of,
                    as_of=obs.as_of,
                    period_start=None if obs.as_of else obs.period_start,
                    period_end=None if obs.as_of else obs.period_end,
                    source_title=title,
                    source_date=source_date,
                    source_url=meta.get("url"),
                    quoted_span=obs.quote,
                    note=f"seed:{path.name}",
                )
                _, created = add_in_session(session, data, by=by, status="approved", dedupe="any")
                if created:
                    result.created += 1
                else:
                    result.unchanged += 1
    return result
