"""Answers knowledge questions from the knowledge base (one action for the whole family)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import verified_identity
from actions.procedures import PROCEDURE_SLOT, ProcedureReply, answer_procedure
from knowledge.access.permissions import is_allowed
from knowledge.answers import Answer, KnowledgeService
from knowledge.gaps import record_gap
from knowledge.service import build_service
from knowledge.settings import get_settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def knowledge_service() -> KnowledgeService:
    """The knowledge service, built once per process (cards are synced into the index)."""
    service = build_service(get_settings())
    logger.info("knowledge: %d units indexed", service.retriever.store.count_units())
    return service


def question_text(tracker: Tracker) -> str:
    """The user's last typed question; skips button payloads such as "/ask_…"."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                return text
    return ""


def channel_of(tracker: Tracker) -> str | None:
    """Input channel name as Rasa reports it (e.g. "rest"), or the sender's prefix."""
    channel = tracker.get_latest_input_channel()
    if channel:
        return str(channel)[:50]
    sender = tracker.sender_id or ""
    return sender.split(":", 1)[0][:50] if ":" in sender else None


def log_gap(
    question: str, intent: str | None, tracker: Tracker, answer: Answer | None = None
) -> None:
    """Stores an unanswered question for staff; a database problem never breaks the reply."""
    try:
        record_gap(
            get_settings().sqlalchemy_url,
            question,
            intent=intent,
            channel=channel_of(tracker),
            best_unit=answer.unit_id if answer else None,
            best_coverage=answer.coverage if answer else None,
            best_similarity=answer.similarity if answer else None,
        )
    except Exception:  # the user still gets the fallback text
        logger.exception("could not record a knowledge gap")


def latest_intent(tracker: Tracker) -> str | None:
    """Name of the intent NLU gave the last message."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def log_question_as_gap(tracker: Tracker, intent: str | None) -> None:
    """Records the user's last typed question (if any) as a knowledge gap."""
    question = question_text(tracker)
    if question:
        log_gap(question, intent, tracker)


class ActionLogGap(Action):
    """Records the question just asked as a knowledge gap (says nothing itself).

    Runs before the out-of-scope reply, so staff see what people ask that the assistant
    does not cover.
    """

    def name(self) -> str:
        return "action_log_gap"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        log_question_as_gap(tracker, latest_intent(tracker))
        return []


# Intents whose questions may be about a one-stop procedure (follow-ups such as "còn lệ phí
# thì sao?" are often classified as one of the others).
PROCEDURE_INTENTS = frozenset(
    {"ask_procedure", "ask_public_services", "ask_policy_info", "ask_cashless_payment"}
)


def procedure_reply(
    question: str, tracker: Tracker, *, offer_choice: bool
) -> ProcedureReply | None:
    """The procedure answer (detailed for verified staff), or None; a catalogue problem falls
    back to the cards."""
    identity = verified_identity(tracker)
    staff = identity is not None and is_allowed(identity, "read", "procedures")
    try:
        return answer_procedure(
            question,
            tracker.get_slot(PROCEDURE_SLOT),
            offer_choice=offer_choice,
            audience="staff" if staff else "citizen",
        )
    except Exception:
        logger.exception("procedure lookup failed; answering from the cards")
        return None


class ActionAnswerKnowledge(Action):
    """Retrieves the best unit for the question and replies with a cited answer."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        question = question_text(tracker)
        if intent in PROCEDURE_INTENTS and question:
            reply = procedure_reply(question, tracker, offer_choice=intent == "ask_procedure")
            if reply is not None:
                dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
                return [SlotSet(PROCEDURE_SLOT, reply.procedure_id)] if reply.procedure_id else []
        answer = knowledge_service().answer(question, intent)
        if not answer.confident and question:
            log_gap(question, intent, tracker, answer)
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons or None)
        return []
