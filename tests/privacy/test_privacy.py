"""Personal data: the notice once per conversation, the deletion dialogue (request, confirm
within ten minutes, everything of the conversation gone, nothing of others), the export of one
conversation, and retention (old records purged, their days kept as counts)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, func, select, update

from analytics.archive import archived_counts
from analytics.conversations import EVENTS
from core.db import session_scope
from curation.gaps import list_gaps, record_gap
from feedback.conversation import GivenAnswer
from feedback.models import AnswerRating
from feedback.ratings import record_rating
from handoff.models import Handoff
from handoff.queue import end, request_handoff, take
from privacy.dialogue import CONFIRM_PAYLOAD, deletion_step, is_request
from privacy.export import export_conversation
from privacy.notice import first_contact, notice_text
from privacy.retention import cutoff_for, purge
from tests.analytics.tracker import answered, at, user, write_tracker

UTC = dt.timezone.utc


def _stores(tmp_path):
    db = f"sqlite:///{tmp_path / 'troly06.db'}"
    tracker = write_tracker(tmp_path / "tracker.db", [
        user("web:a", at("2026-01-05 09:00"), "lệ phí hộ chiếu", "ask_procedure"),
        *answered("web:a", at("2026-01-05 09:00:01"), "procedure:passport"),
        user("web:b", at("2026-01-05 10:00"), "đổi thẻ căn cước", "ask_procedure"),
        user("web:a", at("2026-12-01 08:00"), "cảm ơn", "thank"),
    ])
    answer = GivenAnswer("procedure:passport", "answer", "lệ phí hộ chiếu", "Lệ phí …")
    for sender in ("web:a", "web:b"):
        record_rating(db, sender_id=sender, channel="web", answer=answer, rating="wrong")
    request_handoff(db, "web:a", "web", last_turns=[("citizen", "cho gặp cán bộ")])
    return db, tracker


def _events(tracker: str, sender: str) -> int:
    with create_engine(tracker).connect() as conn:
        return conn.execute(select(func.count()).select_from(EVENTS)
                            .where(EVENTS.c.sender_id == sender)).scalar_one()


def test_the_notice_is_shown_once_per_conversation(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'troly06.db'}"
    assert first_contact(db, "web:a", "web") is True
    assert first_contact(db, "web:a", "web") is False
    assert first_contact(db, "zalo:1", "zalo") is True
    text = notice_text("https://troly.example/privacy", 180)
    assert "180 ngày" in text and "xóa dữ liệu của tôi" in text and "/privacy" in text


def test_requests_are_recognised_questions_are_not() -> None:
    for text in ("xóa dữ liệu của tôi", "Xoá dữ liệu của tôi!", "xoa du lieu cua toi",
                 "Tôi muốn xóa toàn bộ lịch sử trò chuyện", "/privacy_delete"):
        assert is_request(text), text
    for text in ("Làm sao xóa dữ liệu trên VNeID?", "xóa tài khoản VNeID thế nào",
                 "dữ liệu của tôi có bị lộ không"):
        assert not is_request(text), text


def test_deletion_after_confirmation_removes_only_this_conversation(tmp_path) -> None:
    db, tracker = _stores(tmp_path)
    first_contact(db, "web:a", "web")
    asked = deletion_step(db, tracker, "web:a", "xóa dữ liệu của tôi")
    assert asked is not None and [p for _, p in asked.buttons][0] == CONFIRM_PAYLOAD
    assert deletion_step(db, tracker, "web:a", "lệ phí hộ chiếu?") is None  # not ours
    done = deletion_step(db, tracker, "web:a", CONFIRM_PAYLOAD)
    assert done is not None and done.erased is not None
    assert done.erased.as_dict() == {"events": 4, "ratings": 1, "handoffs": 1,
                                     "handoff_messages": 1}
    assert _events(tracker, "web:a") == 0 and _events(tracker, "web:b") == 1
    exported = export_conversation(db, tracker, "web:a")
    assert exported["messages"] == [] and exported["ratings"] == [] and not exported["handoffs"]
    assert export_conversation(db, tracker, "web:b")["ratings"]  # someone else's stays
    assert first_contact(db, "web:a", "web") is True  # a new conversation gets the notice


def test_an_unconfirmed_request_lapses_and_yes_no_go_to_the_assistant(tmp_path) -> None:
    db, tracker = _stores(tmp_path)
    assert deletion_step(db, tracker, "web:a", "có") is None  # nothing pending: Rasa's
    start = dt.datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    deletion_step(db, tracker, "web:a", "xóa dữ liệu của tôi", now=start)
    late = deletion_step(db, tracker, "web:a", "xác nhận xóa",
                         now=start + dt.timedelta(minutes=11))
    assert late is not None and late.erased is None and "hết hạn" in late.text
    assert _events(tracker, "web:a") == 4
    deletion_step(db, tracker, "web:a", "xóa dữ liệu của tôi")
    kept = deletion_step(db, tracker, "web:a", "không xóa")
    assert kept is not None and kept.erased is None and _events(tracker, "web:a") == 4


def test_the_export_holds_messages_ratings_and_handoffs(tmp_path) -> None:
    db, tracker = _stores(tmp_path)
    exported = export_conversation(db, tracker, "web:a")
    assert [m["from"] for m in exported["messages"]] == ["citizen", "assistant", "citizen"]
    assert exported["ratings"][0]["answer"] == "procedure:passport"
    assert exported["handoffs"][0]["messages"][0]["text"] == "cho gặp cán bộ"


def test_retention_purges_old_records_and_keeps_their_days_as_counts(tmp_path) -> None:
    db, tracker = _stores(tmp_path)
    old = dt.datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    with session_scope(db) as session:
        session.execute(update(AnswerRating).values(rated_at=old))
        view = session.scalars(select(Handoff)).one()
        view.requested_at = old
    take(db, view.id, "motcua")
    end(db, view.id, "motcua", "closed")
    record_gap(db, "nuôi chim yến ở đâu")
    cutoff = cutoff_for(180, now=dt.datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
    assert cutoff == dt.datetime(2026, 6, 7, 17, 0, tzinfo=UTC)  # local midnight of 8/6

    counted = purge(db, tracker, cutoff, dry_run=True)
    assert (counted.events, counted.ratings, counted.handoffs) == (4, 2, 1)
    assert _events(tracker, "web:a") == 4 and archived_counts(db, dt.date(2026, 1, 1),
                                                              dt.date(2026, 1, 31)) == []
    purged = purge(db, tracker, cutoff)
    assert (purged.events, purged.ratings, purged.handoffs, purged.gaps) == (4, 2, 1, 0)
    assert _events(tracker, "web:a") == 1 and _events(tracker, "web:b") == 0
    assert list_gaps(db)  # the recent question stays
    kept = {(c.measure, c.key): c.value
            for c in archived_counts(db, dt.date(2026, 1, 5), dt.date(2026, 1, 5))}
    assert kept[("messages", "")] == 2 and kept[("conversations", "")] == 2
    assert kept[("card", "procedure:passport")] == 1 and kept[("rated_wrong",
                                                                "procedure:passport")] == 2
    assert kept[("handoffs", "closed")] == 1
