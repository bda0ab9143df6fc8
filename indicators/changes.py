"""Changes to indicator data by a person: permission-checked and written to the audit log.

Officials may import and approve figures of their own province only, admins of every
province (``core.access.permissions``). Every attempt — done or refused — is audited
with who, what and from where. The CLI acts as the operator (``cli:<name>``, admin rights).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.access import audit
from core.access.permissions import can_write
from core.db import session_scope
from core.geo.provinces import load_provinces
from indicators.importer import (
    ImportResult,
    ImportValidationError,
    read_figures,
    store_figures,
)
from indicators.models import Observation
from indicators.observations import approve, reject

STATUS_ACTIONS = {"approved": approve, "rejected": reject}


class PermissionDenied(PermissionError):
    """The identity may not change these figures (Vietnamese message)."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a verified identity, or the operator on the command line."""

    username: str
    role: str
    province: str | None = None
    ip: str | None = None
    request_id: str | None = None


def cli_actor(name: str) -> Actor:
    """The operator running the CLI on the server (admin rights, audited as ``cli:<name>``)."""
    return Actor(username=f"cli:{name}", role="admin")


def _audit(url: str, actor: Actor, action: str, detail: dict[str, Any]) -> None:
    """Audit entry in the accounts/audit database (``url`` may be another database)."""
    audit.record(url, actor.username, actor.role, action, detail, ip=actor.ip,
                 request_id=actor.request_id)


def _province_name(code: str) -> str:
    try:
        unit = load_provinces().by_code(code)
    except KeyError:
        return code
    return unit.name if unit.is_current else f"{unit.name} (tỉnh cũ, trước 01/07/2025)"


def _own(actor: Actor) -> str:
    unit = load_provinces().get(actor.province) if actor.province else None
    return unit.name if unit else "(tài khoản chưa gán tỉnh)"


def import_figures(
    url: str,
    path: Path | str,
    actor: Actor,
    *,
    approve: bool = False,
    source: str = "",
    audit_url: str | None = None,
) -> ImportResult:
    """Validates the file, checks the actor may write every province in it, stores it.

    Raises ImportValidationError or PermissionDenied (nothing stored; both audited in
    ``audit_url``, default ``url``).
    """
    audit_url = audit_url or url
    detail: dict[str, Any] = {"file": source or Path(path).name, "approve": approve}
    if actor.role not in ("official", "admin"):  # refused before the file is read
        _audit(audit_url, actor, "indicator_import_refused", {**detail, "reason": "role"})
        raise PermissionDenied(
            "Tài khoản của anh/chị không có quyền nhập số liệu chỉ tiêu.",
            "this role may not import figures",
        )
    if approve and actor.role != "admin":
        _audit(audit_url, actor, "indicator_import_refused", {**detail, "reason": "four_eyes"})
        raise PermissionDenied(
            "Số liệu cán bộ nhập được lưu ở trạng thái chờ duyệt; một cán bộ khác của tỉnh "
            "(hoặc quản trị) sẽ duyệt. Anh/chị nhập lại không kèm duyệt ngay.",
            "officials' imports are proposed; another reviewer approves them",
        )
    try:
        figures = read_figures(path)
    except ImportValidationError as exc:
        _audit(audit_url, actor, "indicator_import_invalid", {**detail, "errors": len(exc.errors)})
        raise
    foreign = sorted({f.province for f in figures
                      if not can_write(actor, "indicators", f.province)})
    if foreign:
        names = ", ".join(_province_name(code) for code in foreign)
        _audit(audit_url, actor, "indicator_import_refused", {**detail, "provinces": foreign})
        raise PermissionDenied(
            f"Tài khoản của anh/chị chỉ được nhập số liệu của {_own(actor)}; tệp có số liệu "
            f"của {names}. Chưa lưu dòng nào.",
            f"not allowed to write figures of: {', '.join(foreign)}",
        )
    result = store_figures(url, figures, by=actor.username, approve=approve)
    _audit(audit_url, actor, "indicator_import", {
        **detail, "rows": result.rows, "created": result.created,
        "unchanged": result.unchanged, "ids": result.ids[:500],
    })
    return result


def set_status(
    url: str, observation_id: int, status: str, actor: Actor, *, audit_url: str | None = None
) -> Observation:
    """Approves or rejects one observation; LookupError when it does not exist."""
    audit_url = audit_url or url
    if status not in STATUS_ACTIONS:
        raise ValueError(f"unknown status {status!r}")
    with session_scope(url) as session:
        row = session.get(Observation, observation_id)
        province = row.province_slug if row is not None else None
        imported_by = row.imported_by if row is not None else None
    if province is None:
        raise LookupError(f"observation {observation_id} not found")
    if status == "approved" and imported_by == actor.username and actor.role != "admin":
        _audit(audit_url, actor, "indicator_status_refused",
               {"id": observation_id, "status": status, "reason": "four_eyes"})
        raise PermissionDenied(
            "Anh/chị không tự duyệt số liệu do chính mình nhập; một cán bộ khác của tỉnh "
            "(hoặc quản trị) sẽ duyệt.",
            "a figure is approved by someone other than the official who imported it",
        )
    if not can_write(actor, "indicators", province):
        _audit(audit_url, actor, "indicator_status_refused",
               {"id": observation_id, "status": status, "province": province})
        raise PermissionDenied(
            f"Tài khoản của anh/chị chỉ được duyệt số liệu của {_own(actor)}; số liệu này "
            f"thuộc {_province_name(province)}.",
            f"not allowed to change figures of {province}",
        )
    row = STATUS_ACTIONS[status](url, observation_id, by=actor.username)
    _audit(audit_url, actor, f"indicator_{status}",
           {"id": observation_id, "province": province, "indicator": row.indicator_code,
            "version": row.version})
    return row


def proposed(
    url: str, limit: int = 200, visible_to: Actor | None = None
) -> list[dict[str, Any]]:
    """Figures awaiting review, newest first, as plain dicts for listing; ``visible_to``:
    only those that actor may review (an official: their own province)."""
    from sqlalchemy import select

    with session_scope(url) as session:
        rows = session.scalars(
            select(Observation).where(Observation.status == "proposed")
            .order_by(Observation.id.desc()).limit(limit)
        )
        return [
            {
                "id": r.id, "province": r.province_slug,
                "province_name": _province_name(r.province_slug),
                "indicator": r.indicator_code, "value": r.value, "unit": r.unit,
                "period": r.period_label, "source_title": r.source_title,
                "version": r.version, "imported_by": r.imported_by,
            }
            for r in rows
            if visible_to is None or can_write(visible_to, "indicators", r.province_slug)
        ]
