"""Keyboard mash goes to out_of_scope; real questions, typed any way, do not."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.gibberish_detector import GibberishDetector
from bot.components.vietnamese_tokenizer import VietnameseTokenizer

TOKENIZER = VietnameseTokenizer(VietnameseTokenizer.get_default_config())


def detector(vocabulary: set[str]) -> GibberishDetector:
    return GibberishDetector(GibberishDetector.get_default_config(), None, None, vocabulary)


def classify(text: str, vocabulary: set[str] = frozenset({"vneid", "ok", "app"})) -> str | None:
    message = Message(data={TEXT: text, INTENT: {"name": "affirm", "confidence": 0.9}})
    TOKENIZER.process([message])
    detector(set(vocabulary)).process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text", ["qwxzk plmn vbtr", "asdfghjkl", "xxx zzz", "hjkl qwrt ok"])
def test_keyboard_mash_is_out_of_scope(text: str) -> None:
    assert classify(text) == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    ["cach kich hoat vneid", "quên mật khẩu", "ok", "app vneid", "tk bi khoa r", "1.007073", "???"],
)
def test_real_messages_keep_their_intent(text: str) -> None:
    assert classify(text) == "affirm"
