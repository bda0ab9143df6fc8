"""A long message is a question, not small talk.

DIET files some long questions under a small-talk intent: a reader's letter that ends in
"xin cảm ơn", or one whose words happen to sit near the greetings, gets "Dạ, không có gì ạ!"
instead of an answer. Small talk is short — the longest training example of each small-talk
intent says how short — so a message much longer than that (``length_factor`` times) keeps
no small-talk intent: it becomes ``nlu_fallback``, which the dialogue sends to the knowledge
search like any question NLU cannot place.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

logger = logging.getLogger(__name__)

LONGEST_FILE = "longest.json"
# conversational intents with a fixed reply; request_human is left alone: a long message asking
# for a person still gets one
SMALL_TALK = [
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "help", "choose_topic"
]


def word_count(text: str) -> int:
    return len(text.split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SmallTalkGuard(GraphComponent):
    """Sends messages far longer than any small-talk example of their intent to the search."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``intents``: the small-talk intents guarded; ``length_factor``: how many times the
        longest training example a message may be and keep the intent; ``intent``: the
        intent it gets instead."""
        return {"intents": SMALL_TALK, "length_factor": 2.0, "intent": "nlu_fallback"}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        longest: dict[str, int] | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.longest = longest or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SmallTalkGuard:
        """A new, untrained guard."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Remembers the longest example (in words) of each guarded intent."""
        guarded = set(self._config["intents"])
        for example in training_data.intent_examples:
            intent = example.get(INTENT)
            if intent in guarded:
                length = word_count(example.get(TEXT) or "")
                self.longest[intent] = max(self.longest.get(intent, 0), length)
        with self._storage.write_to(self._resource) as directory:
            dump_obj_as_json_to_file(directory / LONGEST_FILE, self.longest)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SmallTalkGuard:
        """Loads the lengths saved by ``train``."""
        try:
            with model_storage.read_from(resource) as directory:
                longest = {str(k): int(v) for k, v in read_json_file(
                    directory / LONGEST_FILE).items()}
        except (ValueError, OSError) as exc:
            logger.warning("small-talk lengths not loaded, the guard is off: %s", exc)
            longest = {}
        return cls(config, model_storage, resource, longest)

    def is_too_long(self, intent: str | None, text: str) -> bool:
        """True when ``text`` is far longer than any example of the small-talk ``intent``."""
        longest = self.longest.get(intent or "")
        if not longest:
            return False
        return word_count(text) > self._config["length_factor"] * longest

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides a small-talk intent of a long message."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            if self.is_too_long(intent, text):
                target = {"name": self._config["intent"], "confidence": 1.0}
                # the other guesses stay, but no small talk this message is too long for
                ranking = [
                    r for r in message.get(INTENT_RANKING_KEY) or []
                    if not self.is_too_long(r.get("name"), text)
                ]
                message.set(INTENT, target, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [target, *ranking], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to training data."""
        return training_data
