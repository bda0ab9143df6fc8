"""A citizen's question answered: a one-stop procedure when the question is about one,
otherwise the knowledge base; unanswered questions are logged for staff."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from assistant.services import Services
from knowledge.answers import Answer
from knowledge.gaps import record_gap
from procedures.reply import ProcedureReply, answer_procedure

logger = logging.getLogger(__name__)

# Intents whose questions may be about a one-stop procedure (follow-ups such as "còn lệ phí
# thì sao?" are often classified as one of the others).
PROCEDURE_INTENTS = frozenset(
    {"ask_procedure", "ask_public_services", "ask_policy_info", "ask_cashless_payment"}
)


@dataclass(frozen=True)
class CitizenReply:
    """What to say, the buttons, and the procedure to remember (None: keep it)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    procedure_id: str | None = None


def log_gap(
    services: Services,
    question: str,
    intent: str | None,
    channel: str | None,
    answer: Answer | None = None,
) -> None:
    """Stores an unanswered question for staff; a database problem never breaks the reply."""
    try:
        record_gap(
            services.settings.database.url,
            question,
            intent=intent,
            channel=channel,
            best_unit=answer.unit_id if answer else None,
            best_coverage=answer.coverage if answer else None,
            best_similarity=answer.similarity if answer else None,
        )
    except Exception:  # the user still gets the fallback text
        logger.exception("could not record a knowledge gap")


def procedure_reply(
    services: Services,
    question: str,
    remembered: str | None,
    *,
    offer_choice: bool,
    staff: bool,
) -> ProcedureReply | None:
    """The procedure answer (detailed for verified staff), or None; a catalogue problem falls
    back to the cards."""
    try:
        return answer_procedure(
            services.procedures(),
            question,
            remembered,
            offer_choice=offer_choice,
            audience="staff" if staff else "citizen",
        )
    except Exception:
        logger.exception("procedure lookup failed; answering from the cards")
        return None


def answer_question(
    services: Services,
    question: str,
    intent: str | None,
    *,
    remembered: str | None = None,
    staff: bool = False,
    channel: str | None = None,
) -> CitizenReply:
    """The reply to a citizen's (or staff member's) question."""
    if intent in PROCEDURE_INTENTS and question:
        reply = procedure_reply(
            services, question, remembered, offer_choice=intent == "ask_procedure", staff=staff
        )
        if reply is not None:
            return CitizenReply(reply.text, reply.buttons, reply.procedure_id)
    answer = services.knowledge.answer(question, intent)
    if not answer.confident and question:
        log_gap(services, question, intent, channel, answer)
    return CitizenReply(answer.text, answer.buttons)
