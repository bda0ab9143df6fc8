"""Procedure guidance as a reply: the part asked (documents, time, fee, …) of one or several
procedures as a checklist with follow-up buttons, or a choice between procedures. Which one
to answer (and follow-ups such as "còn lệ phí thì sao?") is decided in ``assistant.citizen``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from procedures.render import NOT_CONFIRMED, Audience, render, render_choice, render_parts
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


def reply_for(
    procedure: Procedure, part: str, audience: Audience = "citizen", *, also: Sequence[str] = ()
) -> ProcedureReply:
    """The checklist of ``part`` of one procedure (and of the parts ``also`` asked), with
    follow-up buttons."""
    return ProcedureReply(
        render_parts(procedure, (part, *also), audience),
        _buttons_for(procedure.name, part),
        procedure.id,
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


def choice(candidates: tuple[Procedure, ...], part: str) -> ProcedureReply:
    """Which procedure is meant, as buttons that keep the part asked."""
    buttons = [{"title": p.name, "payload": p.name + PART_SUFFIX[part]} for p in candidates]
    return ProcedureReply(render_choice(candidates), buttons)
