"""Officials' query mode: thin rasa-sdk adapters over ``indicators.dialogue``.

``indicator_form`` collects what the question leaves out (the indicator; the province when the
official has none); ``action_answer_indicator`` answers with figure, date and source, a chart
when asked. Every decision lives in ``indicators.dialogue``; here the tracker is read and the
result turned into events and messages.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TOO_SLOW_TEXT, ServiceAction, TooSlow, off_loop
from actions.identity import check_identity, verified_identity
from actions.knowledge import answer_off_loop, say
from indicators import dialogue
from indicators.chart_store import charts_dir
from indicators.dialogue import INDICATOR_SLOT, KIND_SLOT, PROVINCE_SLOT


def _events(updates: dict[str, Any]) -> list[EventType]:
    return [SlotSet(name, value) for name, value in updates.items()]


def _latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


class ValidateIndicatorForm(ServiceAction, FormValidationAction):
    """Reads the question when the form opens, then checks each answer to its questions."""

    def name(self) -> str:
        return "validate_indicator_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        text = _latest_text(tracker)
        intent = tracker.latest_message.get("intent") or {}
        if requested:
            stop = dialogue.stop_kind(
                requested, text, intent.get("name"), intent.get("confidence") or 0.0
            )
            if stop:
                return [SlotSet(requested, None), SlotSet(KIND_SLOT, stop),
                        SlotSet("requested_slot", None)]
            if dialogue.is_new_question(text, intent.get("name")):
                requested = None  # a whole new question typed while the form waited
        if requested is not None:
            return await super().run(dispatcher, tracker, domain)
        identity = verified_identity(tracker)
        if not dialogue.may_read_indicators(identity):
            return [SlotSet("requested_slot", None)]
        opening = dialogue.open_form(text, tracker.slots, identity)
        if opening.problem:
            dispatcher.utter_message(text=opening.problem)
            return _events(opening.updates) + [SlotSet("requested_slot", None)]
        events = _events(opening.updates)
        tracker.add_slots(events)
        return events + [await self.next_requested_slot(dispatcher, tracker, domain)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        return dialogue.required_slots(verified_identity(tracker), tracker.slots)

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventType:
        """Always names the next slot (or None: done), also when all domain slots are needed."""
        required = await self.required_slots(
            self.domain_slots(domain), dispatcher, tracker, domain
        )
        missing = next((s for s in required if tracker.slots.get(s) is None), None)
        return SlotSet("requested_slot", missing)

    @staticmethod
    def _candidates(value: Any, tracker: Tracker, slot: str) -> list[str]:
        """What to resolve: the user's whole reply when the form asked for ``slot`` (an
        entity may cover only part of it), then the extracted value."""
        texts = [str(value or "")[:300]]
        if tracker.get_slot("requested_slot") == slot:
            texts.insert(0, _latest_text(tracker)[:300])
        return [t for t in dict.fromkeys(texts) if t.strip()]

    def validate_indicator(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        texts = self._candidates(value, tracker, INDICATOR_SLOT)
        if code := dialogue.indicator_code(*texts):
            return {INDICATOR_SLOT: code}
        if texts:
            dispatcher.utter_message(text=dialogue.unknown_indicator_text(texts[0]))
        return {INDICATOR_SLOT: None}

    def validate_province(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        texts = self._candidates(value, tracker, PROVINCE_SLOT)
        if code := dialogue.province_code(*texts):
            return {PROVINCE_SLOT: code}
        if texts:
            dispatcher.utter_message(text=dialogue.unknown_province_text(texts[0]))
        return {PROVINCE_SLOT: None}


class ActionAskIndicator(ServiceAction, Action):
    """Asks which indicator, offering those that have figures (for the province if known)."""

    def name(self) -> str:
        return "action_ask_indicator"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        province = dialogue.province_by_code(tracker.get_slot(PROVINCE_SLOT))
        try:
            buttons = await off_loop(
                dialogue.indicator_buttons, self.services.settings.database.url, province
            )
        except TooSlow:
            dispatcher.utter_message(text=TOO_SLOW_TEXT)
            return []
        if buttons:
            dispatcher.utter_message(
                text=dialogue.ASK_INDICATOR_TEXT + " (gõ \u201cthôi\u201d để dừng)",
                buttons=buttons,
            )
        else:
            dispatcher.utter_message(text=dialogue.ASK_INDICATOR_NO_DATA)
        return []


class ActionAskProvince(Action):
    """Asks which province (only when the question named none and the account has none)."""

    def name(self) -> str:
        return "action_ask_province"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=dialogue.ASK_PROVINCE_TEXT)
        return []


class ActionAnswerIndicator(ServiceAction, Action):
    """Answers the indicator query for a verified official; refuses everyone else."""

    def name(self) -> str:
        return "action_answer_indicator"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity, problem = check_identity(tracker)
        text = _latest_text(tracker)
        if identity is None and problem is None and not dialogue.is_figure_question(text):
            # a citizen's question that names a place but asks no figure is a citizen's
            # question ("làm căn cước ở Hà Nội ở đâu?")
            return say(dispatcher, await answer_off_loop(self.services, text, "ask_indicator"))
        settings = self.services.settings
        try:
            reply = await off_loop(
                dialogue.answer,
                identity,
                problem,
                tracker.slots,
                database_url=settings.database.url,
                audit_url=settings.database.audit_url,
                charts_dir=charts_dir(settings.knowledge.data_dir),
            )
        except TooSlow:
            dispatcher.utter_message(text=TOO_SLOW_TEXT)
            return []
        if reply.text:
            dispatcher.utter_message(text=reply.text, image=reply.image)
        return _events(reply.updates or {})
