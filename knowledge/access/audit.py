"""The audit log: who did what, when, from where; PII masked, secrets never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from knowledge.db import session_scope
from knowledge.db.models import AuditEntry
from vntext import mask_pii

# Keys whose values are never stored, whatever the caller passes.
SECRET_KEYS = ("password", "passwd", "secret", "token", "authorization", "hash")
REDACTED = "***"


@dataclass(frozen=True)
class AuditRecord:
    """One entry of the audit log."""

    id: int
    at: dt.datetime
    actor: str
    role: str | None
    action: str
    detail: dict
    ip: str | None
    request_id: str | None


def sanitize(value: Any) -> Any:
    """``value`` with PII masked in every string and secret-looking keys redacted."""
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {
            str(k): REDACTED if any(s in str(k).lower() for s in SECRET_KEYS) else sanitize(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return mask_pii(str(value))


def record(
    url: str,
    actor: str,
    role: str | None,
    action: str,
    detail: dict | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> int:
    """Appends an entry; returns its id."""
    with session_scope(url) as session:
        entry = AuditEntry(
            actor=mask_pii(actor or "-")[:64],
            role=role,
            action=action[:50],
            detail=sanitize(detail or {}),
            ip=(ip or None) and ip[:64],
            request_id=(request_id or None) and request_id[:64],
        )
        session.add(entry)
        session.flush()
        return entry.id


def list_entries(
    url: str, limit: int = 100, actor: str | None = None, action: str | None = None
) -> list[AuditRecord]:
    """The newest entries first, optionally for one actor or action."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    with session_scope(url) as session:
        return [
            AuditRecord(
                id=e.id,
                at=e.at,
                actor=e.actor,
                role=e.role,
                action=e.action,
                detail=dict(e.detail or {}),
                ip=e.ip,
                request_id=e.request_id,
            )
            for e in session.scalars(query)
        ]
