"""Answers citizens' questions (one action for the whole family) and logs unanswered ones:
thin adapters over ``assistant.citizen``."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.identity import verified_identity
from assistant.citizen import answer_question, log_gap
from assistant.services import Services
from core.access.permissions import is_allowed
from procedures.reply import PROCEDURE_SLOT


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


def latest_intent(tracker: Tracker) -> str | None:
    """Name of the intent NLU gave the last message."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def log_question_as_gap(tracker: Tracker, intent: str | None, on: Services) -> None:
    """Records the user's last typed question (if any) as a knowledge gap."""
    question = question_text(tracker)
    if question:
        log_gap(on, question, intent, channel_of(tracker))


class ActionLogGap(ServiceAction, Action):
    """Records the question just asked as a knowledge gap (says nothing itself).

    Runs before the out-of-scope reply, so staff see what people ask that the assistant
    does not cover.
    """

    def name(self) -> str:
        return "action_log_gap"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        log_question_as_gap(tracker, latest_intent(tracker), self.services)
        return []


class ActionAnswerKnowledge(ServiceAction, Action):
    """Answers the question from a procedure record or the knowledge base, with its source."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity = verified_identity(tracker)
        reply = answer_question(
            self.services,
            question_text(tracker),
            latest_intent(tracker),
            remembered=tracker.get_slot(PROCEDURE_SLOT),
            staff=identity is not None and is_allowed(identity, "read", "procedures"),
            channel=channel_of(tracker),
        )
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
        return [SlotSet(PROCEDURE_SLOT, reply.procedure_id)] if reply.procedure_id else []
