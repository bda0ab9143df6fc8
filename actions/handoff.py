"""The citizen asks for a person ("gặp cán bộ"): a thin adapter over ``assistant.handoff`` that
pauses the conversation in Rasa, so the assistant stays silent while staff hold it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TOO_SLOW_TEXT, ServiceAction, TooSlow, off_loop
from actions.knowledge import CARD_SLOT
from assistant.handoff import ask_for_person
from handoff.channels import channel_of_sender
from procedures.reply import PROCEDURE_SLOT

LAST_TURNS = 6


def last_turns(tracker: Tracker) -> list[tuple[str, str]]:
    """The conversation's last typed messages and replies, oldest first."""
    turns: list[tuple[str, str]] = []
    for event in tracker.events:
        text = (event.get("text") or "").strip()
        if not text or text.startswith("/"):
            continue
        if event.get("event") == "user":
            turns.append(("citizen", text))
        elif event.get("event") == "bot":
            turns.append(("assistant", text))
    return turns[-LAST_TURNS:]


class ActionRequestHandoff(ServiceAction, Action):
    def name(self) -> str:
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        sender = tracker.sender_id or ""
        channel = channel_of_sender(sender)
        topic = tracker.get_slot(PROCEDURE_SLOT) or tracker.get_slot(CARD_SLOT)
        try:
            reply = await off_loop(ask_for_person, self.services, sender, channel,
                                   topic=topic, last_turns=last_turns(tracker))
        except TooSlow:
            dispatcher.utter_message(text=TOO_SLOW_TEXT)
            return []
        dispatcher.utter_message(text=reply.text)
        dispatcher.utter_message(json_message={"kind": "handoff", "source": None})
        return [ConversationPaused()]
