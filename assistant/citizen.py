"""A citizen's question answered, question first.

Whatever intent NLU guessed, the question goes to the sources that can answer it: a one-stop
procedure it names, a short follow-up read against the last answer, the knowledge base. The
intent only nudges retrieval towards its topics. When nothing is sure enough, the closest
answers are offered by title; when nothing is close, an honest fallback says where to ask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from assistant.context import is_follow_up
from assistant.services import Services
from curation.gaps import record_gap
from knowledge.answers import WHERE_TO_ASK, Answer
from knowledge.grain import CASE_LABELS, LABELS, aspects_in_order, uncovered_case
from procedures.lookup import asked_part, asked_parts
from procedures.render import stated_text
from procedures.reply import (
    ProcedureReply,
    choice,
    is_confirmed,
    reply_for,
    reply_for_several,
)
from vntext.focus import asking_sentences, focus

logger = logging.getLogger(__name__)

# Intents that make a procedure choice list welcome when a name is ambiguous.
PROCEDURE_INTENTS = frozenset({"ask_procedure"})
MAX_WORDS_FOR_A_WHOLE_RECORD = 12
# what a procedure record has no field for: such questions go to the cards
NOT_IN_RECORDS = frozenset({"conditions", "yes_no", "who", "penalty", "devices", "validity"})
# a procedure named in a long question whose name covers less than this share of what the
# question says is mentioned as context ("chuyển hộ khẩu … để làm đăng ký kết hôn …"), not
# asked about: its record is not presented as the answer
MIN_SUBJECT_SHARE = 0.2


@dataclass(frozen=True)
class CitizenReply:
    """What to say and show, what it is ("answer", "partial", "clarify", "fallback"), where it
    came from, and what to remember for a follow-up (None: keep what was remembered)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    kind: str = "answer"
    source: str | None = None
    procedure_id: str | None = None
    card_id: str | None = None


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


def _from_procedure(reply: ProcedureReply, kind: str = "answer") -> CitizenReply:
    return CitizenReply(
        reply.text, reply.buttons, kind, reply.procedure_id, procedure_id=reply.procedure_id
    )


def _from_answer(answer: Answer) -> CitizenReply:
    return CitizenReply(
        answer.text,
        answer.buttons,
        answer.kind,
        answer.unit_id if answer.kind in ("answer", "partial") else None,
        card_id=answer.card_id if answer.kind in ("answer", "partial") else None,
    )


def _follow_up(
    services: Services,
    question: str,
    remembered: str | None,
    remembered_card: str | None,
    audience: str,
) -> CitizenReply | None:
    """A short question without a subject, read against the last procedure or card."""
    if not is_follow_up(question):
        return None
    if remembered:
        procedure = services.procedures().get(remembered)
        part = asked_part(question)
        if procedure is not None and part != "all":
            return _from_procedure(reply_for(procedure, part, audience))  # type: ignore[arg-type]
    if remembered_card:
        answer = services.knowledge.answer_from_card(remembered_card, question)
        if answer is not None:
            return _from_answer(answer)
    return None


def _record_beyond(reply: ProcedureReply, name: str, beyond: list[str]) -> CitizenReply:
    """A record's text for a question that also asks what no record field says (may I, who,
    conditions…) and no card answers: what is known, said to be only that, and where to ask."""
    aspect = beyond[0]
    label = LABELS.get(aspect) or CASE_LABELS[aspect]
    if aspect == "yes_no":
        unknown = (
            "Tôi chưa có thông tin được xác nhận để trả lời có hay không cho trường hợp "
            "của anh/chị."
        )
    else:
        unknown = f"Về {label} anh/chị hỏi, tôi chưa có thông tin được xác nhận."
    text = (
        f"{unknown} Thông tin chung về thủ tục \u201c{name}\u201d:\n\n{reply.text}\n\n"
        f"{WHERE_TO_ASK}"
    )
    return CitizenReply(text, reply.buttons, "partial", reply.procedure_id,
                        procedure_id=reply.procedure_id)


def _best_answer(services: Services, question: str, asked: str, intent: str | None) -> Answer:
    """The knowledge answer to the whole message (its subject is often in the sentences
    before the one that asks), or to the asking sentences alone when the whole message
    finds nothing sure; what kind of thing is asked is always read from ``asked``."""
    whole = services.knowledge.answer(question, intent, asked, context=question)
    if whole.kind in ("answer", "partial") or asked == question:
        return whole
    # the whole message's best passage, first on both indexes (though it covers too little
    # of a long message), vouches for itself when the asking sentence finds it too
    top = services.knowledge.rank(question, intent, k=1)
    vouched = frozenset(
        h.unit.id for h in top if h.lexical_rank == 1 and h.dense_rank == 1
    )
    focused = services.knowledge.answer(asked, intent, asked, vouched, context=question)
    return focused if focused.kind in ("answer", "partial") else whole


def answer_question(
    services: Services,
    question: str,
    intent: str | None,
    *,
    remembered: str | None = None,
    remembered_card: str | None = None,
    staff: bool = False,
    channel: str | None = None,
    log_gaps: bool = True,
    offered_for: str | None = None,
) -> CitizenReply:
    """The reply to a citizen's (or staff member's) question. ``log_gaps=False``: an unanswered
    question is not stored as a knowledge gap (an evaluation's questions are not users').
    ``offered_for``: the question the previous reply offered a choice of cards for, when this
    message is one of the choices (the card chosen answers that question)."""
    audience = "staff" if staff else "citizen"
    question = (question or "").strip()
    if not question:
        return CitizenReply(services.knowledge.answer("").text, kind="fallback")
    if offered_for:
        chosen = services.knowledge.answer_chosen(question, offered_for)
        if chosen is not None:
            return _from_answer(chosen)
    lookup = services.procedures()
    asked = focus(question)  # a long message's asking sentences
    parts = asked_parts(asked)  # "cần giấy tờ gì và nộp ở đâu" asks two
    part = parts[0]
    named = lookup.named(asked)
    # what no record field says, asked anywhere in the message (a letter's first question is
    # often "must I …?" and its last "how, where, how much?")
    beyond = list(dict.fromkeys(
        a for text in (asked, *asking_sentences(question))
        for a in aspects_in_order(text) if a in NOT_IN_RECORDS
    ))
    if len(named) >= 2:
        several = reply_for_several(named, part, audience)  # type: ignore[arg-type]
        # each record must state the part asked, and nothing beyond the records be asked
        sure = is_confirmed(several) and not beyond
        return _from_procedure(several, "answer" if sure else "partial")
    follow = _follow_up(services, question, remembered, remembered_card, audience)
    if follow is not None:
        return follow
    found = lookup.find(asked, named)
    answer = _best_answer(services, question, asked, intent)
    card_answers = answer.kind == "answer"
    # a record answers a part asked, or a message that is little more than its name; a
    # whole record is no answer to a long question about something else in it
    long_question = len(asked.split()) > MAX_WORDS_FOR_A_WHOLE_RECORD
    if found.found and found.procedure is not None and (part != "all" or not long_question):
        procedure = found.procedure
        # a case the record does not describe (marrying abroad) is asked beyond it
        case = uncovered_case(question, stated_text(procedure))
        if case:
            beyond = [*beyond, case]
        # a question that also asks something no record field says (may I, must I, who) is
        # answered from a card that says it; so is "how do I …" about the asker's own case
        # when a card covers the whole question (the record's steps are the general ones)
        specific_card = card_answers and (
            bool(beyond)
            or (part == "steps" and answer.coverage >= services.knowledge.min_coverage)
        )
        # a name mentioned in passing: the card that answers, else ask whether it is meant
        in_passing = long_question and found.matched_by == "name" and (
            lookup.question_share(asked, procedure) < MIN_SUBJECT_SHARE
        )
        if in_passing and not card_answers:
            return _from_procedure(choice((procedure,), part), "clarify")
        if not specific_card and not in_passing:
            reply = reply_for(procedure, part, audience, also=parts[1:])  # type: ignore[arg-type]
            if beyond and not card_answers:
                return _record_beyond(reply, procedure.name, beyond)
            # the record says it, or no card says it better
            if is_confirmed(reply) or not card_answers:
                return _from_procedure(reply, "answer" if is_confirmed(reply) else "partial")
    ambiguous = found.status == "ambiguous" and len(found.candidates) > 1
    # a message that says no more than a name several procedures share ("thủ tục khai sinh"),
    # asking no part of it, asks which procedure: a card that happens to hold those words does
    # not answer it ("lệ phí cấp hộ chiếu" asks a part, which a card may answer)
    # (a message that also asks what no record says — how long the card stays valid — asks
    # more than a name)
    shares = lookup.question_shares(asked) if ambiguous and part == "all" and not beyond else {}
    only_a_name = any(shares.get(c.id, 0.0) >= 1.0 for c in found.candidates)
    if answer.kind in ("answer", "partial") and not only_a_name:
        return _from_answer(answer)
    if ambiguous and (intent in PROCEDURE_INTENTS or answer.kind == "fallback" or only_a_name):
        return _from_procedure(choice(found.candidates, part), "clarify")
    if log_gaps:
        log_gap(services, question, intent, channel, answer)
    return _from_answer(answer)
