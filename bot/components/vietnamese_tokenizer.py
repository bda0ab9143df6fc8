"""Rasa tokenizer for Vietnamese: shared normalisation + underthesea word segmentation.

Each token's ``text`` is the normalised word (lower case, tone marks in one place,
abbreviations expanded, syllables joined by "_"); its ``lemma`` is the same word
without diacritics, so featurizers with ``use_lemma: true`` see accent-folded text
and input typed without diacritics lands on the same features. Offsets always point
into the user's original message, so entity annotations still line up.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from vntext.segment import segment


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Normalises and segments Vietnamese text into words with source offsets."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Defaults shared with Rasa's tokenizers."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> list[str] | None:
        """Vietnamese only."""
        return ["vi"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        """Creates the component (it has nothing to train)."""
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Segments one attribute of a message into word tokens."""
        text = message.get(attribute) or ""
        boundaries: set[int] = set()
        if attribute == TEXT:
            for entity in message.get(ENTITIES) or []:
                boundaries.update((entity["start"], entity["end"]))
        words = segment(text, boundaries=frozenset(boundaries))
        if not words:
            return [Token(text, 0, len(text))] if text else []
        return [Token(w.text, w.start, w.end, lemma=w.folded) for w in words]
