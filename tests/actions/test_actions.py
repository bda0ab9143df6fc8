"""Custom actions run against real trackers, as the action server would run them."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    ActionDefaultFallback,
    menu_buttons,
)
from actions.knowledge import ActionAnswerKnowledge, offered_for, question_text

DOMAIN = {
    "responses": {
        "utter_help": [{"text": "menu", "buttons": [{"title": "VNeID", "payload": "/x"}]}]
    }
}


def tracker(events: list[dict], latest: dict) -> Tracker:
    return Tracker("u1", {}, latest, events, False, None, None, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, events


def test_knowledge_action_answers_the_typed_question(make) -> None:
    events = [{"event": "user", "text": "quen passcode vneid"}]
    latest = {"text": "quen passcode vneid", "intent": {"name": "ask_vneid_account_issue"}}
    messages, _ = run(make(ActionAnswerKnowledge), tracker(events, latest))
    assert "passcode" in messages[0]["text"].lower()
    assert "Nguồn:" in messages[0]["text"]


def test_question_text_skips_button_payloads(make) -> None:
    events = [
        {"event": "user", "text": "cach kich hoat vneid"},
        {"event": "bot", "text": "Có phải…"},
        {"event": "user", "text": "/ask_vneid_activate"},
    ]
    assert question_text(tracker(events, {})) == "cach kich hoat vneid"


def test_fallback_gives_hotline_and_menu_and_reverts_the_turn(make) -> None:
    messages, events = run(make(ActionDefaultFallback), tracker([], {}))
    assert "1900 0368" in messages[0]["text"]
    assert messages[0]["buttons"] == menu_buttons(DOMAIN)
    assert events[0]["event"] == "rewind"


def test_giving_up_records_the_question_as_a_gap(make, offline_services) -> None:
    from curation.gaps import list_gaps

    question = "xyz vé số trúng thưởng nhận ở đâu"
    latest = {"text": question, "intent": {"name": "nlu_fallback"}}
    run(make(ActionDefaultFallback), tracker([{"event": "user", "text": question}], latest))
    assert any(g.example == question for g in list_gaps(offline_services.settings.database.url))


def test_the_action_logs_a_gap_when_it_falls_back(offline_services) -> None:
    from actions.knowledge import ActionAnswerKnowledge
    from curation.gaps import list_gaps

    question = "Cách nuôi cá cảnh trong bể kính, số tôi 0912345678"
    latest = {"text": question, "intent": {"name": "ask_procedure"}}
    tracker = Tracker(
        "web:abc",
        {},
        latest,
        [{"event": "user", "text": question}],
        False,
        None,
        None,
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerKnowledge(offline_services).run(dispatcher, tracker, {}))
    assert "1900 0368" in dispatcher.messages[0]["text"]
    gaps = list_gaps(offline_services.settings.database.url)
    assert any("nuôi cá cảnh" in g.example and "0912345678" not in g.example for g in gaps)


def test_an_evaluations_conversation_logs_no_gap(offline_services) -> None:
    """`make eval-real` asks through /api/chat with "eval-real-…" senders: not users."""
    from actions.knowledge import ActionAnswerKnowledge
    from curation.gaps import list_gaps

    def asked_in(sender: str, question: str) -> None:
        latest = {"text": question, "intent": {"name": "ask_procedure"}}
        tracker = Tracker(
            sender, {}, latest, [{"event": "user", "text": question}], False, None, None,
            "action_listen",
        )
        action = ActionAnswerKnowledge(offline_services)
        asyncio.run(action.run(CollectingDispatcher(), tracker, {}))

    asked_in("web:eval-real-0123456789ab", "Cách trồng lan hồ điệp trong chậu gốm")
    asked_in("web:user-42", "Cách trồng lan hồ điệp trên gỗ lũa")
    examples = {g.example for g in list_gaps(offline_services.settings.database.url)}
    assert "Cách trồng lan hồ điệp trên gỗ lũa" in examples
    assert "Cách trồng lan hồ điệp trong chậu gốm" not in examples


def _chat(*turns: tuple[str, dict]) -> Tracker:
    events = [{"event": kind, **data} for kind, data in turns]
    return tracker(events, {"text": events[-1].get("text", "")})


OFFER = {"text": "Có phải anh/chị muốn hỏi…", "data": {"buttons": [
    {"title": "Tách hộ", "payload": "Tách hộ"}, {"title": "Nhập hộ", "payload": "Nhập hộ"}]}}


def test_a_choice_among_those_offered_names_the_question_it_was_offered_for() -> None:
    asked = "tách hộ mất lệ phí bao nhiêu"
    t = _chat(("user", {"text": asked}), ("bot", OFFER), ("bot", {"data": {"custom": {}}}),
              ("user", {"text": "Tách hộ"}))
    assert offered_for(t) == asked


def test_a_message_that_is_no_offered_choice_names_no_earlier_question() -> None:
    asked = "tách hộ mất lệ phí bao nhiêu"
    assert offered_for(_chat(("user", {"text": asked}), ("bot", OFFER),
                             ("user", {"text": "còn nhập hộ?"}))) is None
    # a choice offered two replies ago is no longer on offer
    assert offered_for(_chat(("user", {"text": asked}), ("bot", OFFER),
                             ("user", {"text": "xin chào"}), ("bot", {"text": "Chào"}),
                             ("user", {"text": "Tách hộ"}))) is None
    assert offered_for(_chat(("user", {"text": "Tách hộ"}))) is None
