"""The audit log: who did what, when, from where; PII masked, secrets never stored."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.access.models import AuditEntry
from core.db import session_scope
from vntext import mask_pii

# Keys whose values are never stored, whatever the caller passes.
logger = logging.getLogger(__name__)
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
        return mask_pii(value.replace("\x00", ""))
    if isinstance(value, dict):
        return {
            str(k): REDACTED if any(s in str(k).lower() for s in SECRET_KEYS) else sanitize(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [sanitize(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return mask_pii(str(value).replace("\x00", ""))


def _clip(value: str | None, length: int) -> str | None:
    return value.replace("\x00", "")[:length] if value is not None else None


def record(
    url: str,
    actor: str,
    role: str | None,
    action: str,
    detail: dict | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> int:
    """Appends an entry; returns its id.

    Text is stored without NUL characters and cut to the columns' lengths (PostgreSQL
    refuses both), so an odd login attempt is still audited.
    """
    with session_scope(url) as session:
        entry = AuditEntry(
            actor=sanitize(actor or "-")[:64],
            role=_clip(role, 20),
            action=_clip(action, 50),
            detail=sanitize(detail or {}),
            ip=_clip(ip or None, 64),
            request_id=_clip(request_id or None, 64),
        )
        session.add(entry)
        session.flush()
        return entry.id


def record_safely(
    url: str,
    actor: str,
    role: str | None,
    action: str,
    detail: dict | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> int | None:
    """``record``, except that a failing audit log is logged and never breaks the reply or the
    login it audits; returns the entry's id or None."""
    try:
        return record(url, actor, role, action, detail, ip=ip, request_id=request_id)
    except Exception:
        logger.exception("request_id=%s audit write failed (%s)", request_id or "-", action)
        return None


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
