"""Officials' query mode in the action server: claim verification, the form, answers, audit."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.indicators import ActionAnswerIndicator, ActionAskIndicator, ValidateIndicatorForm
from core.access.audit import list_entries
from core.access.claims import sign_claim
from core.config import REPO_ROOT
from indicators import add_observation
from indicators.dialogue import INTERRUPTED_TEXT, REFUSAL_TEXT, ROLE_TEXT, STOPPED_TEXT
from indicators.observations import ObservationInput

DOMAIN = yaml.safe_load((REPO_ROOT / "bot" / "domain" / "officials.yml").read_text("utf-8"))
SECRET = "dev-claim-secret-change-me"
SENDER = "web-official-1"
_services: list = []  # the offline services the actions are built on (set by `figures`)


def settings():
    return _services[0].settings


@pytest.fixture(autouse=True)
def figures(offline_services, monkeypatch):
    monkeypatch.delenv("TROLY_CLAIM_SECRET", raising=False)
    _services[:] = [offline_services]
    url = offline_services.settings.database.url
    add_observation(url, ObservationInput(
        province="old:ha-giang", indicator="online_services_rate", value=96.9, numerator=1818,
        denominator=1876, as_of=dt.date(2023, 12, 3), source_title="Báo cáo kiểm thử"), by="t")
    add_observation(url, ObservationInput(
        province="old:ha-giang", indicator="eid_activation_rate", value=125.1, rank=15,
        rank_out_of=63, as_of=dt.date(2023, 11, 30), source_title="Báo cáo kiểm thử"), by="t")
    add_observation(url, ObservationInput(
        province="old:ha-noi", indicator="eid_activation_rate", value=87.4,
        as_of=dt.date(2024, 3, 27), source_title="Báo cáo kiểm thử"), by="t")
    return url


def claim(role="official", province="ha-giang", sender=SENDER, secret=SECRET, **kw) -> str:
    return sign_claim(secret, "canbo.test", role, province, sender=sender, **kw)


def tracker(text: str, slots: dict | None = None, metadata: dict | None = None,
            sender: str = SENDER, filled: dict | None = None) -> Tracker:
    """A tracker after ``text``; ``filled``: slots the form extracted from it (candidates)."""
    latest = {"text": text, "intent": {"name": "ask_indicator"}, "metadata": metadata or {}}
    events = [{"event": "user", "text": text, "metadata": metadata or {}}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (filled or {}).items()]
    slots = {**(slots or {}), **(filled or {})}
    return Tracker(sender, dict(slots or {}), latest, events, False, None, None,
                   "action_listen")


def run(action_class, t: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action_class(_services[0]).run(dispatcher, t, DOMAIN))
    return dispatcher.messages, events


def slots_of(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def ask(text: str, metadata: dict | None, slots: dict | None = None) -> tuple[list, dict]:
    """Runs the form's validation (activation) and, when complete, the answer action."""
    messages, events = run(ValidateIndicatorForm, tracker(text, slots, metadata))
    state = {**(slots or {}), **slots_of(events)}
    if state.get("requested_slot") is None:
        more, _ = run(ActionAnswerIndicator, tracker(text, state, metadata))
        messages += more
    return messages, state


def test_official_gets_figure_with_date_and_source(figures):
    messages, state = ask("Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?",
                          {"identity_claim": claim()})
    assert state["indicator"] == "online_services_rate"
    assert state["province"] == "old:ha-giang"
    text = messages[-1]["text"]
    assert "96,9%" in text and "03/12/2023" in text and "nguồn: Báo cáo kiểm thử" in text
    entry = list_entries(settings().database.audit_url, limit=1, action="indicator_query")[0]
    assert entry.actor == "canbo.test" and entry.detail["indicator"] == "online_services_rate"


def test_rank_then_follow_up_keeps_indicator_and_kind(figures):
    meta = {"identity_claim": claim()}
    messages, state = ask("Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?", meta)
    assert "xếp thứ 15/63" in messages[-1]["text"]
    messages, state = ask("còn Hà Nội thì sao?", meta, state)
    assert state["indicator"] == "eid_activation_rate" and state["indicator_kind"] == "rank"
    assert "Hà Nội" in messages[-1]["text"] and "87,4%" in messages[-1]["text"]


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        {"role": "admin", "province": "ha-giang"},  # plain metadata is never trusted
        {"identity_claim": "v1.e30.forged"},
        {"identity_claim": claim(secret="another-secret")},
        {"identity_claim": claim(sender="someone-else")},
        {"identity_claim": claim(now=time.time() - 3600)},  # expired
    ],
    ids=["citizen", "plain-metadata", "garbage", "forged", "other-sender", "expired"],
)
def test_no_verified_identity_no_figures(figures, metadata):
    messages, state = ask("Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?", metadata)
    assert state.get("requested_slot") is None  # the form asks nothing
    assert len(messages) == 1
    text = messages[0]["text"]
    assert "96,9" not in text and "đăng nhập" in text
    if metadata is None or "identity_claim" not in metadata:
        assert text == REFUSAL_TEXT
    [entry] = list_entries(settings().database.audit_url, limit=1)
    assert entry.action == "indicator_query_refused"


def test_one_stop_staff_may_not_read_indicators(figures):
    messages, _ = ask("Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?",
                      {"identity_claim": claim(role="one_stop_staff", province=None)})
    assert [m["text"] for m in messages] == [ROLE_TEXT]


def test_form_asks_for_the_missing_indicator_with_buttons(figures):
    meta = {"identity_claim": claim()}
    messages, state = ask("cho tôi xem số liệu đề án 06 của Hà Giang", meta)
    assert state["requested_slot"] == "indicator" and not messages
    messages, _ = run(ActionAskIndicator, tracker("", state, meta))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến" in titles
    # the reply (a button payload) fills the slot and the form completes
    reply = titles[0]
    messages, events = run(ValidateIndicatorForm, tracker(
        reply, state, meta, filled={"indicator": reply}))
    filled = {**state, **slots_of(events)}
    assert filled["indicator"] and filled["requested_slot"] is None


def test_admin_without_province_is_asked_for_one(figures):
    meta = {"identity_claim": claim(role="admin", province=None)}
    _, state = ask("tỷ lệ kích hoạt định danh điện tử là bao nhiêu", meta)
    assert state["requested_slot"] == "province"
    messages, events = run(ValidateIndicatorForm, tracker(
        "Atlantis", state, meta, filled={"province": "Atlantis"}))
    assert "chưa nhận ra tỉnh" in messages[0]["text"]
    assert slots_of(events)["province"] is None


def test_cancel_stops_the_form(figures):
    meta = {"identity_claim": claim(role="admin", province=None)}
    _, state = ask("tỷ lệ kích hoạt định danh điện tử", meta)
    _, events = run(ValidateIndicatorForm, tracker("thôi", state, meta,
                                                     filled={"province": "thôi"}))
    state = {**state, **slots_of(events)}
    assert state["requested_slot"] is None and state["province"] is None
    messages, _ = run(ActionAnswerIndicator, tracker("thôi", state, meta))
    assert [m["text"] for m in messages] == [STOPPED_TEXT]
    state["indicator_kind"] = "value"
    messages, _ = run(ActionAnswerIndicator, tracker("thôi", state, meta))
    assert messages[0]["text"] == STOPPED_TEXT


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("tỷ lệ kích hoạt của Hà Giang năm 1850", "1850 không hợp lệ"),
        ("tỷ lệ dvc trực tuyến của tỉnh Atlantis", "không tìm thấy tỉnh"),
        ("tỷ lệ dvc của Hà Giang ngày 31/02/2024", "không có trên lịch"),
    ],
)
def test_bad_input_gets_a_clear_reply(figures, text, needle):
    messages, state = ask(text, {"identity_claim": claim()})
    assert needle in messages[0]["text"].lower() or needle in messages[0]["text"]
    assert len(messages) == 1 and state["requested_slot"] is None


def test_sql_looking_text_changes_nothing(figures):
    from sqlalchemy import create_engine, text

    def count() -> int:
        with create_engine(figures).connect() as conn:
            return conn.execute(text("select count(*) from observations")).scalar_one()

    before = count()
    meta = {"identity_claim": claim()}
    for attack in ("'; DROP TABLE observations; --", "1 OR 1=1; DELETE FROM observations",
                   "Hà Giang' UNION SELECT password_hash FROM accounts --" + "x" * 2000):
        messages, _ = ask(attack, meta)
        assert all("Traceback" not in (m.get("text") or "") for m in messages)
    assert count() == before


def test_chart_is_stored_and_linked(figures):
    messages, _ = ask("biểu đồ tỷ lệ kích hoạt định danh điện tử của Hà Giang",
                      {"identity_claim": claim()})
    image = messages[-1]["image"]
    assert image.startswith("/api/charts/") and image.endswith(".png")
    chart_id = image.removeprefix("/api/charts/").removesuffix(".png")
    path = Path(settings().knowledge.data_dir) / "charts" / f"{chart_id}.png"
    assert path.read_bytes().startswith(b"\x89PNG")


def test_a_new_question_without_indicator_asks_instead_of_reusing(figures):
    meta = {"identity_claim": claim()}
    _, state = ask("Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?", meta)
    _, state = ask("cho tôi xem số liệu đề án 06 của Hà Nội", meta, state)
    assert state["requested_slot"] == "indicator" and state["province"] == "ha-noi"


def test_a_place_name_alone_asks_the_same_question_for_that_place(figures):
    # also how a message re-sent after a failed turn (the answer action never ran) goes on
    meta = {"identity_claim": claim(role="admin", province=None)}
    earlier = {"indicator": "eid_activation_rate", "province": "old:ha-giang",
               "indicator_kind": "value"}
    _, events = run(ValidateIndicatorForm, tracker("Hà Nội", earlier, meta))
    state = {**earlier, **slots_of(events)}
    assert state["indicator"] == "eid_activation_rate" and state["province"] == "ha-noi"
    assert state["requested_slot"] is None
    _, events = run(ValidateIndicatorForm, tracker("Hà Nội", {}, meta))
    assert slots_of(events)["requested_slot"] == "indicator"  # nothing asked before: ask


def test_the_whole_reply_counts_when_an_entity_covers_only_part(figures):
    meta = {"identity_claim": claim()}
    _, state = ask("cho tôi xem số liệu đề án 06 của Hà Giang", meta)
    reply = "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến"
    # DIET may tag only "trực tuyến" as the indicator entity
    _, events = run(ValidateIndicatorForm, tracker(reply, state, meta,
                                                     filled={"indicator": "trực tuyến"}))
    assert slots_of(events)["indicator"] == "online_services_rate"


def test_values_left_from_earlier_turns_do_not_override_the_new_question(figures):
    meta = {"identity_claim": claim()}
    earlier = {"indicator": "eid_activation_rate", "province": "ha-noi", "indicator_kind": "rank"}
    # Rasa hands the form the slots filled before it opened as candidates
    _, events = run(ValidateIndicatorForm, tracker(
        "cho tôi xem số liệu đề án 06 của Hà Giang", {}, meta, filled=earlier))
    state = slots_of(events)
    assert state["indicator"] is None and state["requested_slot"] == "indicator"
    assert state["province"] == "old:ha-giang"
    # a partial entity from this message is made canonical, not kept as text
    _, events = run(ValidateIndicatorForm, tracker(
        "Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?", {}, meta,
        filled={"indicator": "trực tuyến", "province": "Hà Giang"}))
    assert slots_of(events)["indicator"] == "online_services_rate"


def _reply_to_form(text: str, state: dict, meta: dict, intent: str, confidence: float,
                   slot: str) -> dict:
    t = tracker(text, state, meta, filled={slot: text})
    t.latest_message["intent"] = {"name": intent, "confidence": confidence}
    _, events = run(ValidateIndicatorForm, t)
    return {**state, **slots_of(events)}


def test_cancel_with_punctuation_and_other_topics_end_the_form(figures):
    meta = {"identity_claim": claim(role="admin", province=None)}
    _, state = ask("tỷ lệ kích hoạt định danh điện tử là bao nhiêu", meta)
    assert state["requested_slot"] == "province"
    done = _reply_to_form("Thôi, không cần nữa!", state, meta, "deny", 0.9, "province")
    assert done["requested_slot"] is None and done["indicator_kind"] == "cancelled"
    other = _reply_to_form("quên mật khẩu vneid thì làm sao", state, meta,
                           "ask_vneid_account_issue", 0.97, "province")
    assert other["requested_slot"] is None and other["indicator_kind"] == "interrupted"
    messages, _ = run(ActionAnswerIndicator, tracker("x", other, meta))
    assert [m["text"] for m in messages] == [INTERRUPTED_TEXT]
    # a short unknown reply is a wrong answer (asked again), not another topic
    wrong = _reply_to_form("Atlantis", state, meta, "out_of_scope", 0.95, "province")
    assert wrong["requested_slot"] == "province" and wrong["province"] is None
    # a province name is an answer whatever the intent says
    answer = _reply_to_form("Hà Giang", state, meta, "ask_vneid_activate", 0.95, "province")
    assert answer["province"] == "old:ha-giang" and answer["requested_slot"] is None


def test_a_new_full_question_while_the_form_waits_is_read_as_a_question(figures):
    meta = {"identity_claim": claim(role="admin", province=None)}
    _, state = ask("cho tôi xem số liệu đề án 06", meta)
    assert state["requested_slot"] == "indicator"
    new = _reply_to_form("Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?", state, meta,
                         "ask_indicator", 0.99, "indicator")
    assert new["indicator"] == "eid_activation_rate" and new["indicator_kind"] == "rank"
    assert new["province"] == "old:ha-giang" and new["requested_slot"] is None


def test_own_province_beats_a_province_left_from_earlier(figures):
    meta = {"identity_claim": claim()}  # an official of Hà Giang
    earlier = {"province": "ha-noi", "compare_provinces": ["ha-noi", "ho-chi-minh"]}
    messages, state = ask("tỉnh mình xếp thứ mấy về kích hoạt định danh điện tử", meta, earlier)
    assert state["province"] == "old:ha-giang" and state["indicator_kind"] == "rank"
    assert "xếp thứ 15/63" in messages[-1]["text"]
    # "tình hình" is not "tỉnh Hình"
    messages, state = ask("Tình hình cung cấp dịch vụ công trực tuyến thế nào?", meta)
    assert "96,9%" in messages[-1]["text"]
