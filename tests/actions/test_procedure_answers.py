"""Procedure questions through the knowledge action: checklist, code, choice, follow-up."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import ActionAnswerKnowledge


@pytest.fixture
def ask(make):
    return lambda *args, **kwargs: _ask(make(ActionAnswerKnowledge), *args, **kwargs)


def _ask(
    action: ActionAnswerKnowledge,
    question: str,
    intent: str = "ask_procedure",
    procedure: str | None = None,
    metadata: dict | None = None,
):
    tracker = Tracker(
        "web:test",
        {"procedure": procedure},
        {"text": question, "intent": {"name": intent}, "metadata": metadata or {}},
        [{"event": "user", "text": question, "metadata": metadata or {}}],
        False,
        None,
        None,
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages[0], events


def slots(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_colloquial_question_gets_the_documents_checklist(ask) -> None:
    message, events = ask("lam giay khai sinh can gi")
    assert message["text"].startswith("Đăng ký khai sinh")
    assert "Hồ sơ cần chuẩn bị" in message["text"] and "Nguồn:" in message["text"]
    assert "Lệ phí:" not in message["text"]  # only the part asked
    assert slots(events) == {"procedure": "dang-ky-khai-sinh", "last_card": None}
    assert {b["title"] for b in message["buttons"]} == {"Thời hạn", "Lệ phí", "Nộp ở đâu"}


def test_portal_code_finds_its_procedure(ask) -> None:
    message, _ = ask("1.007073")
    assert "1.007073" in message["text"] and "khai tử" in message["text"]


def test_follow_up_keeps_the_procedure_in_context(ask) -> None:
    message, events = ask("còn lệ phí thì sao?", procedure="dang-ky-thuong-tru")
    assert message["text"].startswith("Đăng ký thường trú")
    assert "Lệ phí" in message["text"]
    assert events[0]["value"] == "dang-ky-thuong-tru"


def test_ambiguous_name_asks_which_procedure_with_buttons(ask) -> None:
    message, events = ask("thủ tục khai sinh")
    assert "thủ tục nào" in message["text"]
    assert len(message["buttons"]) >= 2
    assert all(b["payload"] == b["title"] for b in message["buttons"])
    assert events == []


def test_a_fee_is_stated_with_the_circular_that_sets_it(ask) -> None:
    """An amount is never said without its legal source: the fee circular and the record's
    sources come with it."""
    message, _ = ask("lệ phí đăng ký thường trú bao nhiêu")
    text = message["text"]
    assert "20.000 đồng" in text and "Thông tư 75/2022/TT-BTC" in text
    assert "Nguồn:" in text


def test_question_about_no_procedure_is_answered_from_the_cards(ask) -> None:
    message, events = ask(
        "giấy tờ trong ví VNeID có giá trị như bản giấy không", intent="ask_procedure"
    )
    assert "Nguồn:" in message["text"]
    assert slots(events).get("procedure") is None


def test_policy_question_is_not_turned_into_a_procedure_choice(ask) -> None:
    message, events = ask("CMND còn dùng được không", intent="ask_policy_info")
    assert "thủ tục nào" not in message["text"]
    assert "Nguồn:" in message["text"]


def _staff_claim(role: str = "one_stop_staff", secret: str = "dev-claim-secret-change-me") -> dict:
    from core.access.claims import sign_claim

    return {"identity_claim": sign_claim(secret, "motcua.test", role, None, sender="web:test")}


def test_verified_staff_get_the_detailed_format(ask, monkeypatch) -> None:
    monkeypatch.delenv("TROLY_CLAIM_SECRET", raising=False)
    citizen, _ = ask("lệ phí cấp đổi thẻ căn cước")
    staff, _ = ask("lệ phí cấp đổi thẻ căn cước", metadata=_staff_claim())
    assert "Cách nộp, thời hạn và lệ phí:" in staff["text"]
    assert "Căn cứ pháp lý" in staff["text"] and "Thay đổi năm 2025" in staff["text"]
    assert "Cách nộp, thời hạn và lệ phí:" not in citizen["text"]
    # officials read procedures too; a forged claim is a citizen
    official, _ = ask("lệ phí cấp đổi thẻ căn cước", metadata=_staff_claim("official"))
    assert "Cách nộp, thời hạn và lệ phí:" in official["text"]
    forged, _ = ask("lệ phí cấp đổi thẻ căn cước", metadata=_staff_claim(secret="forged"))
    assert forged["text"] == citizen["text"]


def test_a_province_import_reaches_the_running_action_server(tmp_path) -> None:
    """A catalogue imported by another process is picked up without a restart."""
    from core.db import session_scope
    from procedures.cache import CatalogueCache
    from procedures.models import ProcedureRecord

    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    cache = CatalogueCache(url, recheck=3600)
    before = cache.lookup()
    with session_scope(url) as session:  # another process renames a procedure
        row = session.get(ProcedureRecord, "dang-ky-khai-sinh")
        row.name = "Đăng ký khai sinh (bản của tỉnh)"
        row.record = {**row.record, "name": row.name}
        row.imported_at = row.imported_at.replace(year=row.imported_at.year + 1)
    assert cache.lookup() is before  # not checked again before the interval
    cache.recheck = 0.0
    after = cache.lookup()
    assert after is not before
    assert after.get("dang-ky-khai-sinh").name == "Đăng ký khai sinh (bản của tỉnh)"
    assert cache.lookup() is after  # unchanged → same object
