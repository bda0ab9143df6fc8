"""Reading the tracker store: conversations and messages per local day and channel, typed
questions' topics, the cards that answered, fallbacks, and the range's edges in Vietnam time."""

from __future__ import annotations

import datetime as dt

from analytics.conversations import channel_of, read_activity, tracker_exists
from analytics.period import Period
from tests.analytics.tracker import action, answered, at, bot, user, write_tracker

JULY_1, JULY_2 = dt.date(2025, 7, 1), dt.date(2025, 7, 2)


def events() -> list[dict]:
    return [
        # web conversation A on 1 July: a button click and two typed questions
        user("web:a", at("2025-07-01 08:00"), "/greet", "greet"),
        bot("web:a", at("2025-07-01 08:00:01"), "Xin chào"),
        user("web:a", at("2025-07-01 08:01"), "lệ phí hộ chiếu", "ask_procedure"),
        action("web:a", at("2025-07-01 08:01:01"), "action_answer_question"),
        *answered("web:a", at("2025-07-01 08:01:02"), "card:passport-fee"),
        user("web:a", at("2025-07-01 08:02"), "kích hoạt vneid", "ask_vneid"),
        *answered("web:a", at("2025-07-01 08:02:01"), "card:vneid-activate", kind="partial"),
        # the last second of 1 July in Vietnam (16:59:59 UTC)
        user("web:b", at("2025-07-01 23:59:59"), "con mèo tên gì", "nlu_fallback"),
        bot("web:b", at("2025-07-01 23:59:59.5"), custom={"kind": "fallback", "source": None}),
        # the first second of 2 July in Vietnam (17:00 UTC on 1 July)
        user("zalo:c", at("2025-07-02 00:00"), "lệ phí hộ chiếu", "ask_procedure"),
        *answered("zalo:c", at("2025-07-02 00:00:01"), "card:passport-fee"),
        user("web:a", at("2025-07-02 09:00"), "cảm ơn", "thank"),
        user("cli-test", at("2025-07-02 10:00"), "xin chào", "greet"),
        bot("zalo:c", at("2025-07-02 10:00"), custom={"kind": "handoff", "source": None}),
        # outside the range on both sides
        user("web:z", at("2025-06-30 23:59:59"), "lệ phí hộ chiếu", "ask_procedure"),
        *answered("web:z", at("2025-06-30 23:59:59.1"), "card:old"),
        user("web:z", at("2025-07-03 00:00"), "lệ phí hộ chiếu", "ask_procedure"),
    ]


def test_counts_per_local_day_and_channel(tmp_path) -> None:
    url = write_tracker(tmp_path / "tracker.db", events())
    activity = read_activity(url, Period(JULY_1, JULY_2))
    assert activity.messages == {(JULY_1, "web"): 4, (JULY_2, "zalo"): 1,
                                 (JULY_2, "web"): 1, (JULY_2, "other"): 1}
    assert activity.conversations == {(JULY_1, "web"): 2, (JULY_2, "zalo"): 1,
                                      (JULY_2, "web"): 1, (JULY_2, "other"): 1}
    assert activity.total_conversations == 4  # web:a counted once over the range


def test_topics_cards_and_fallbacks(tmp_path) -> None:
    url = write_tracker(tmp_path / "tracker.db", events())
    activity = read_activity(url, Period(JULY_1, JULY_2))
    # "/greet" was a click, not a question; the typed "xin chào" counts
    assert activity.topics == {"ask_procedure": 2, "ask_vneid": 1, "nlu_fallback": 1,
                               "thank": 1, "greet": 1}
    assert activity.cards.most_common() == [("card:passport-fee", 2),
                                            ("card:vneid-activate", 1)]
    assert activity.fallbacks == 1


def test_the_range_ends_at_vietnam_midnight(tmp_path) -> None:
    url = write_tracker(tmp_path / "tracker.db", events())
    first_day = read_activity(url, Period(JULY_1, JULY_1))
    assert sum(first_day.messages.values()) == 4
    assert first_day.cards == {"card:passport-fee": 1, "card:vneid-activate": 1}
    assert first_day.fallbacks == 1
    second_day = read_activity(url, Period(JULY_2, JULY_2))
    assert set(second_day.messages) == {(JULY_2, "zalo"), (JULY_2, "web"), (JULY_2, "other")}
    assert second_day.cards == {"card:passport-fee": 1}
    edges = read_activity(url, Period(dt.date(2025, 6, 30), dt.date(2025, 7, 3)))
    assert sum(edges.messages.values()) == 9 and edges.cards["card:old"] == 1


def test_a_missing_tracker_store_counts_nothing(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    assert not tracker_exists(url)
    assert read_activity(url, Period(JULY_1, JULY_2)).total_conversations == 0
    assert not (tmp_path / "absent.db").exists()  # never created by reading


def test_channel_from_the_sender_prefix() -> None:
    assert [channel_of(s) for s in ("web:1", "zalo:2", "zalooa:3", "e2e-x", "webx")] == [
        "web", "zalo", "zalooa", "other", "other"]
