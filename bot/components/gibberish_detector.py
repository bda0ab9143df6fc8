"""Marks keyboard mash ("qwxzk plmn vbtr") as out_of_scope before anything answers it.

DIET must put every message into some intent, and random letters can land in one
with high confidence. A message whose alphabetic words are mostly neither shaped
like Vietnamese syllables nor seen in the training data is not language the
assistant can act on: its intent becomes ``out_of_scope`` (confidence 1.0), whose
reply explains what the assistant does.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

from vntext.syllables import is_vietnamese_syllable

TOKENS = "text_tokens"
VOCABULARY_FILE = "vocabulary.json"


def _syllables(lemma: str) -> list[str]:
    return [s for s in lemma.split("_") if s.isalpha()]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class GibberishDetector(GraphComponent):
    """Sends messages made mostly of non-words to out_of_scope."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``max_unknown_share``: share of unknown words from which a message is gibberish."""
        return {"max_unknown_share": 0.5, "intent": "out_of_scope"}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: set[str] | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GibberishDetector:
        """A new, untrained detector."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Remembers every word of the training data (accent-folded)."""
        for example in training_data.training_examples:
            for token in example.get(TOKENS) or []:
                self.vocabulary.update(_syllables(token.lemma))
        with self._storage.write_to(self._resource) as directory:
            dump_obj_as_json_to_file(directory / VOCABULARY_FILE, sorted(self.vocabulary))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GibberishDetector:
        """Loads the vocabulary saved by ``train``."""
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(read_json_file(directory / VOCABULARY_FILE))
        except ValueError:
            vocabulary = set()
        return cls(config, model_storage, resource, vocabulary)

    def is_gibberish(self, lemmas: list[str]) -> bool:
        """True when most alphabetic words are neither syllables nor known words."""
        words = [w for lemma in lemmas for w in _syllables(lemma)]
        if not words:
            return False
        unknown = [w for w in words if w not in self.vocabulary and not is_vietnamese_syllable(w)]
        return len(unknown) / len(words) > self._config["max_unknown_share"]

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides the intent of gibberish messages."""
        for message in messages:
            if not message.get(TEXT):
                continue
            lemmas = [t.lemma for t in message.get(TOKENS) or []]
            if self.is_gibberish(lemmas):
                target = {"name": self._config["intent"], "confidence": 1.0}
                message.set(INTENT, target, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [target], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to add to training data."""
        return training_data
