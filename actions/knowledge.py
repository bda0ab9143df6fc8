"""Answers knowledge questions from the knowledge base (one action for the whole family)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from knowledge.answers import KnowledgeService
from knowledge.cards import load_cards
from knowledge.settings import get_settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def knowledge_service() -> KnowledgeService:
    """The knowledge service, built once per process."""
    settings = get_settings()
    cards = load_cards(settings.cards_dir)
    logger.info("knowledge: %d cards loaded from %s", len(cards), settings.cards_dir)
    return KnowledgeService(
        cards, min_coverage=settings.min_coverage, max_related=settings.max_related
    )


def question_text(tracker: Tracker) -> str:
    """The user's last typed question; skips button payloads such as "/ask_…"."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                return text
    return ""


class ActionAnswerKnowledge(Action):
    """Retrieves the best card for the question and replies with a cited answer."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answer = knowledge_service().answer(question_text(tracker), intent)
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons or None)
        return []
