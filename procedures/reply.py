"""Procedure guidance as a reply: lookup, choice between procedures, follow-ups by part.

The part asked (documents, time, fee, …) is answered as a checklist; a question that names no
procedure but asks a part ("còn lệ phí thì sao?") is answered for the one discussed before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procedures.lookup import LookupResult, ProcedureLookup, asked_part
from procedures.render import Audience, render, render_choice

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


def _buttons_for(name: str, asked: str) -> list[dict[str, str]]:
    return [
        {"title": title, "payload": name + PART_SUFFIX[part]}
        for part, title in FOLLOW_UP_BUTTONS
        if part != asked
    ][:3]


def answer_procedure(
    lookup: ProcedureLookup,
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
