"""Fallback dialogue in Vietnamese: "did you mean …?", rephrase, and giving up politely."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.labels import label

IGNORED_FOR_AFFIRMATION = {"nlu_fallback", "out_of_scope", "affirm", "deny"}
MENU_RESPONSE = "utter_help"

REPHRASE_TEXT = (
    "Xin lỗi, tôi chưa hiểu rõ ý anh/chị. Anh/chị có thể diễn đạt lại câu hỏi, ví dụ: "
    '"cách kích hoạt tài khoản VNeID" hoặc "quên mật khẩu VNeID" được không ạ?'
)
GIVE_UP_TEXT = (
    "Xin lỗi anh/chị, tôi vẫn chưa hiểu câu hỏi. Anh/chị có thể chọn một chủ đề bên dưới, "
    "gọi tổng đài 1900 0368 (dữ liệu dân cư, căn cước, định danh điện tử), hoặc hỏi trực tiếp "
    "Công an xã/phường hay Trung tâm Phục vụ hành chính công."
)


def menu_buttons(domain: dict[str, Any]) -> list[dict[str, str]]:
    """The main-menu buttons as defined in the domain (single source of truth)."""
    variants = (domain.get("responses") or {}).get(MENU_RESPONSE) or [{}]
    return list(variants[0].get("buttons") or [])


class ActionDefaultAskAffirmation(Action):
    """Asks "Có phải anh/chị muốn hỏi về …?" naming the topic, never the intent id."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        candidates = [r["name"] for r in ranking if r.get("name") not in IGNORED_FOR_AFFIRMATION]
        if not candidates:
            dispatcher.utter_message(text=REPHRASE_TEXT)
            return []
        intent = candidates[0]
        dispatcher.utter_message(
            text=f"Có phải anh/chị muốn hỏi về {label(intent)} không ạ?",
            buttons=[
                {"title": "Đúng vậy", "payload": f"/{intent}"},
                {"title": "Không phải", "payload": "/out_of_scope"},
            ],
        )
        return []


class ActionDefaultAskRephrase(Action):
    """Asks the user to say it another way, with examples."""

    def name(self) -> str:
        return "action_default_ask_rephrase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=REPHRASE_TEXT)
        return []


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
