"""A long question filed under a small-talk intent is searched; short small talk is not."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.small_talk_guard import SmallTalkGuard

LETTER = (
    "Tôi có con gái sinh năm 2009, do cái tên không hay nên cháu bị bạn bè trêu chọc. "
    "Xin hỏi thủ tục đổi tên cho cháu làm thế nào? Xin cảm ơn."
)


def guard(longest: dict[str, int]) -> SmallTalkGuard:
    return SmallTalkGuard(SmallTalkGuard.get_default_config(), None, None, longest)


def classify(text: str, intent: str, longest: dict[str, int]) -> Message:
    ranking = [{"name": intent, "confidence": 0.9}, {"name": "ask_procedure", "confidence": 0.1}]
    message = Message(
        data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking}
    )
    guard(longest).process([message])
    return message


def test_a_long_letter_filed_as_thanks_is_searched() -> None:
    message = classify(LETTER, "thank", {"thank": 8})
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names == ["nlu_fallback", "ask_procedure"]  # the small-talk guess is gone


def test_small_talk_of_ordinary_length_keeps_its_intent() -> None:
    assert classify("cảm ơn ad đã chỉ dẫn tận tình nhé", "thank", {"thank": 8}).get(
        INTENT)["name"] == "thank"
    # up to twice the longest example
    assert classify(" ".join(["cảm ơn"] * 8), "thank", {"thank": 8}).get(
        INTENT)["name"] == "thank"


def test_other_intents_are_never_touched() -> None:
    message = classify(LETTER, "ask_procedure", {"thank": 8})
    assert message.get(INTENT)["name"] == "ask_procedure"


def test_training_keeps_the_longest_example_of_each_guarded_intent(tmp_path) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    examples = [
        Message(data={TEXT: "cảm ơn", INTENT: "thank"}),
        Message(data={TEXT: "cảm ơn ad đã chỉ dẫn", INTENT: "thank"}),
        Message(data={TEXT: "chào bạn", INTENT: "greet"}),
        Message(data={TEXT: "làm căn cước cho con ở đâu vậy bạn", INTENT: "ask_procedure"}),
    ]
    storage = LocalModelStorage(tmp_path)
    resource = Resource("guard")
    trained = SmallTalkGuard.create(SmallTalkGuard.get_default_config(), storage, resource, None)
    trained.train(TrainingData(examples))
    assert trained.longest == {"thank": 6, "greet": 2}
    loaded = SmallTalkGuard.load(SmallTalkGuard.get_default_config(), storage, resource, None)
    assert loaded.longest == {"thank": 6, "greet": 2}
    assert loaded.is_too_long("thank", LETTER) and not loaded.is_too_long("thank", "cảm ơn")
