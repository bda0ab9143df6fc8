"""Giving up politely in Vietnamese when the dialogue policy cannot go on (Rasa's core
fallback); unsure NLU no longer reaches here: such messages are searched, question first."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction

MENU_RESPONSE = "utter_help"

GIVE_UP_TEXT = (
    "Xin lỗi anh/chị, tôi vẫn chưa hiểu câu hỏi. Anh/chị có thể chọn một chủ đề bên dưới, "
    "gọi tổng đài 1900 0368 (dữ liệu dân cư, căn cước, định danh điện tử), hoặc hỏi trực tiếp "
    "Công an xã/phường hay Trung tâm Phục vụ hành chính công."
)


def menu_buttons(domain: dict[str, Any]) -> list[dict[str, str]]:
    """The main-menu buttons as defined in the domain (single source of truth)."""
    variants = (domain.get("responses") or {}).get(MENU_RESPONSE) or [{}]
    return list(variants[0].get("buttons") or [])


class ActionDefaultFallback(ServiceAction, Action):
    """Gives up politely: where else to ask, and the menu; forgets the failed turn."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from actions.knowledge import log_question_as_gap

        log_question_as_gap(tracker, "nlu_fallback", self.services)
        dispatcher.utter_message(text=GIVE_UP_TEXT, buttons=menu_buttons(domain) or None)
        return [UserUtteranceReverted()]
