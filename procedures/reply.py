"""Procedure guidance as a reply: lookup, choice between procedures, follow-ups by part.

The part asked (documents, time, fee, …) is answered as a checklist; a question that names no
procedure but asks a part ("còn lệ phí thì sao?") is answered for the one discussed before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procedures.lookup import LookupResult, ProcedureLookup, asked_part
from procedures.render import NOT_CONFIRMED, Audience, render, render_choice
from procedures.schema import Procedure

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


def reply_for(procedure: Procedure, part: str, audience: Audience = "citizen") -> ProcedureReply:
    """The checklist of ``part`` of one procedure, with follow-up buttons."""
    return ProcedureReply(
        render(procedure, part, audience), _buttons_for(procedure.name, part), procedure.id
    )


def reply_for_several(
    procedures: list[Procedure], part: str, audience: Audience = "citizen"
) -> ProcedureReply:
    """A question naming two or more procedures gets each one answered, in order."""
    texts = [render(p, part, audience) for p in procedures]
    return ProcedureReply("\n\n— — —\n\n".join(texts), [], procedures[-1].id)


def is_confirmed(reply: ProcedureReply) -> bool:
    """Whether the reply states the part asked (not only "not confirmed, ask the desk")."""
    return NOT_CONFIRMED not in reply.text.split("Nguồn:")[0]


def answer_procedure(
    lookup: ProcedureLookup,
    question: str,
    remembered: str | None,
    *,
    offer_choice: bool = True,
    audience: Audience = "citizen",
) -> ProcedureReply | None:
    """A procedure answer for ``question``, or None when it is not about a known procedure.

    Two procedures named get both answered. ``remembered`` is the procedure discussed
    before: "còn lệ phí thì sao?" names no procedure but asks a part, so it is answered for
    that one. ``offer_choice``: ask which procedure is meant when several fit.
    ``audience="staff"`` (a verified staff login) gives the detailed format.
    """
    part = asked_part(question)
    named = lookup.named(question)
    if len(named) >= 2:
        return reply_for_several(named, part, audience)
    result: LookupResult = lookup.find(question)
    if result.found and result.procedure is not None:
        return reply_for(result.procedure, part, audience)
    if offer_choice and result.status == "ambiguous" and len(result.candidates) > 1:
        return choice(result.candidates, part)
    if remembered and part != "all":
        proc = lookup.get(remembered)
        if proc is not None:
            return reply_for(proc, part, audience)
    return None


def choice(candidates: tuple[Procedure, ...], part: str) -> ProcedureReply:
    """Which procedure is meant, as buttons that keep the part asked."""
    buttons = [{"title": p.name, "payload": p.name + PART_SUFFIX[part]} for p in candidates]
    return ProcedureReply(render_choice(candidates), buttons)
