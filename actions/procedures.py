"""Procedure guidance inside the knowledge action: lookup, choice between procedures, follow-ups.

A thin adapter over ``knowledge.procedures``: the catalogue (the repository's records, imported
into the database at start-up, plus whatever a province imported) is searched by portal code,
name or colloquial wording; the part asked (documents, time, fee, …) is answered as a checklist.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.procedures.catalogue import import_records
from knowledge.procedures.lookup import LookupResult, ProcedureLookup, asked_part
from knowledge.procedures.render import Audience, render, render_choice
from knowledge.settings import REPO_ROOT, get_settings

logger = logging.getLogger(__name__)

RECORDS_DIR = REPO_ROOT / "knowledge" / "procedures" / "records"
PROCEDURE_SLOT = "procedure"
# Words appended to a procedure's name in choice buttons so the part asked is kept.
PART_SUFFIX = {
    "documents": " cần giấy tờ gì",
    "time": " mất bao lâu",
    "fee": " lệ phí bao nhiêu",
    "where": " nộp ở đâu",
    "online": " nộp trực tuyến được không",
    "legal_basis": " căn cứ pháp lý",
    "steps": " các bước thực hiện",
    "all": "",
}
FOLLOW_UP_BUTTONS = (
    ("documents", "Giấy tờ cần chuẩn bị"),
    ("time", "Thời hạn"),
    ("fee", "Lệ phí"),
    ("where", "Nộp ở đâu"),
)


@dataclass(frozen=True)
class ProcedureReply:
    """What to say, the buttons, and the procedure to remember (None: keep the slot)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    procedure_id: str | None = None


RECHECK_SECONDS = 30.0
_state: dict[str, object] = {"version": None, "checked": 0.0}


def catalogue_version(url: str) -> tuple:
    """Changes whenever a record is added, changed (imported_at is renewed) or removed."""
    from sqlalchemy import func, select

    from knowledge.db import session_scope
    from knowledge.db.models import ProcedureRecord

    with session_scope(url) as session:
        row = session.execute(
            select(func.count(), func.max(ProcedureRecord.imported_at))
        ).one()
    return tuple(row)


@lru_cache(maxsize=1)
def _load() -> ProcedureLookup:
    url = get_settings().sqlalchemy_url
    report = import_records(url, RECORDS_DIR, by="system")
    logger.info("procedures: %s", report)
    _state["version"] = catalogue_version(url)
    _state["checked"] = time.monotonic()
    return ProcedureLookup.from_db(url)


def procedure_lookup() -> ProcedureLookup:
    """The catalogue in the database (the repository's records imported first, idempotently),
    reloaded when a province imports its own (checked at most every 30 s)."""
    lookup = _load()
    if time.monotonic() - float(_state["checked"]) >= RECHECK_SECONDS:
        _state["checked"] = time.monotonic()
        try:
            changed = catalogue_version(get_settings().sqlalchemy_url) != _state["version"]
        except Exception:
            logger.exception("could not check the procedure catalogue for changes")
            changed = False
        if changed:
            logger.info("procedures: catalogue changed in the database, reloading")
            _load.cache_clear()
            lookup = _load()
    return lookup


procedure_lookup.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def _buttons_for(name: str, asked: str) -> list[dict[str, str]]:
    return [
        {"title": title, "payload": name + PART_SUFFIX[part]}
        for part, title in FOLLOW_UP_BUTTONS
        if part != asked
    ][:3]


def answer_procedure(
    question: str,
    remembered: str | None,
    *,
    offer_choice: bool = True,
    audience: Audience = "citizen",
) -> ProcedureReply | None:
    """A procedure answer for ``question``, or None when it is not about a known procedure.

    ``remembered`` is the procedure discussed before: "còn lệ phí thì sao?" names no
    procedure but asks a part, so it is answered for that one. ``offer_choice``: ask which
    procedure is meant when several fit (only when the question is known to be about a
    procedure; otherwise the cards answer). ``audience="staff"`` (a verified staff login)
    gives the detailed format: legal basis, every way of filing, changes in 2025.
    """
    lookup = procedure_lookup()
    part = asked_part(question)
    result: LookupResult = lookup.find(question)
    if result.found and result.procedure is not None:
        proc = result.procedure
        return ProcedureReply(
            render(proc, part, audience), _buttons_for(proc.name, part), proc.id
        )
    if offer_choice and result.status == "ambiguous" and len(result.candidates) > 1:
        buttons = [
            {"title": p.name, "payload": p.name + PART_SUFFIX[part]} for p in result.candidates
        ]
        return ProcedureReply(render_choice(result.candidates), buttons)
    if remembered and part != "all":
        proc = lookup.get(remembered)
        if proc is not None:
            return ProcedureReply(
                render(proc, part, audience), _buttons_for(proc.name, part), proc.id
            )
    return None
