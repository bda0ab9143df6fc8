"""Answers citizens' questions (one action for the whole family; unanswered ones are logged
for staff): thin adapters over ``assistant.citizen``."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TOO_SLOW_TEXT, ServiceAction, TooSlow, off_loop
from actions.identity import verified_identity
from assistant.citizen import CitizenReply, answer_question, log_gap
from assistant.realeval import is_evaluation_sender
from assistant.services import Services
from core.access.permissions import is_allowed
from indicators.dialogue import FORM, is_figure_question, may_read_indicators
from procedures.reply import PROCEDURE_SLOT

CARD_SLOT = "last_card"


def question_text(tracker: Tracker) -> str:
    """The user's last typed question; skips button payloads such as "/ask_…"."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                return text
    return ""


def offered_for(tracker: Tracker) -> str | None:
    """The question the assistant's previous reply offered choices for, when the user's last
    message is one of those choices (a tapped button, or its payload typed); else None."""
    events = list(tracker.events)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return None
    last, before = users[-1], users[-2]
    chosen = (events[last].get("text") or "").strip()
    offered = {
        str(b.get("payload") or "").strip()
        for e in events[before + 1:last]
        if e.get("event") == "bot"
        for b in ((e.get("data") or {}).get("buttons") or [])
    }
    asked = (events[before].get("text") or "").strip()
    if not chosen or chosen not in offered or not asked or asked.startswith("/"):
        return None
    return asked


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
    """Records the user's last typed question (if any) as a knowledge gap — not an
    evaluation's (``is_evaluation_sender``)."""
    question = question_text(tracker)
    if question and not is_evaluation_sender(tracker.sender_id):
        log_gap(on, question, intent, channel_of(tracker))


class ActionAnswerKnowledge(ServiceAction, Action):
    """Answers the question, question first: a procedure record, the last answer's subject or
    the knowledge base, with its source. A logged-in official's figure question goes to the
    officials' mode whatever intent NLU gave it."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity = verified_identity(tracker)
        question = question_text(tracker)
        intent = latest_intent(tracker)
        if may_read_indicators(identity) and is_figure_question(question):
            return [FollowupAction(FORM)]
        reply = await answer_off_loop(
            self.services,
            question,
            intent,
            remembered=tracker.get_slot(PROCEDURE_SLOT),
            remembered_card=tracker.get_slot(CARD_SLOT),
            staff=identity is not None and is_allowed(identity, "read", "procedures"),
            channel=channel_of(tracker),
            log_gaps=not is_evaluation_sender(tracker.sender_id),
            offered_for=offered_for(tracker),
        )
        return say(dispatcher, reply, out_of_scope=intent == "out_of_scope")


async def answer_off_loop(
    on: Services, question: str, intent: str | None, **context: Any
) -> CitizenReply:
    """``answer_question`` off the event loop; past the deadline, the polite "busy" reply."""
    try:
        return await off_loop(answer_question, on, question, intent, **context)
    except TooSlow:
        return CitizenReply(TOO_SLOW_TEXT, kind="fallback")


def say(
    dispatcher: CollectingDispatcher, reply: CitizenReply, *, out_of_scope: bool = False
) -> list[EventType]:
    """Utters a citizen reply (with what it is and where it came from) and remembers its
    subject for a follow-up; a fallback on an out-of-scope message explains the scope."""
    if reply.kind in ("fallback", "clarify") and out_of_scope:
        dispatcher.utter_message(response="utter_out_of_scope")
    else:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
    dispatcher.utter_message(json_message={"kind": reply.kind, "source": reply.source})
    if reply.procedure_id:
        return [SlotSet(PROCEDURE_SLOT, reply.procedure_id), SlotSet(CARD_SLOT, None)]
    if reply.card_id:
        return [SlotSet(CARD_SLOT, reply.card_id), SlotSet(PROCEDURE_SLOT, None)]
    return []
