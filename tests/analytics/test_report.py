"""The whole report: the tracker store's counts with the ratings, the unanswered questions and
the handoffs of the same range, and each table as CSV for Excel."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from analytics.export import to_csv
from analytics.period import Period
from analytics.report import build_report
from core.db import session_scope
from curation.gaps import record_gap
from curation.models import KnowledgeGap
from feedback.conversation import GivenAnswer
from feedback.models import AnswerRating
from feedback.ratings import record_rating
from handoff.models import Handoff
from handoff.queue import request_handoff, take
from tests.analytics.tracker import answered, at, user, write_tracker

JULY = Period(dt.date(2025, 7, 1), dt.date(2025, 7, 3))
UTC = dt.timezone.utc


def _rate(url: str, sender: str, source: str, rating: str, reason: str | None,
          when: dt.datetime) -> None:
    answer = GivenAnswer(source, "answer", "lệ phí hộ chiếu 012345678901?", "Lệ phí là …")
    record_rating(url, sender_id=sender, channel="web", answer=answer, rating=rating,
                  reason=reason)
    with session_scope(url) as session:
        session.execute(update(AnswerRating).where(AnswerRating.sender_id == sender)
                        .values(rated_at=when))


def _gap(url: str, question: str, when: dt.datetime) -> None:
    gap_id = record_gap(url, question)
    with session_scope(url) as session:
        session.execute(update(KnowledgeGap).where(KnowledgeGap.id == gap_id)
                        .values(asked_at=when))


def _handoff(url: str, sender: str, asked: dt.datetime, wait: int | None) -> None:
    view, _ = request_handoff(url, sender, "web")
    if wait is not None:
        take(url, view.id, "motcua")
    with session_scope(url) as session:
        session.execute(update(Handoff).where(Handoff.id == view.id).values(
            requested_at=asked,
            taken_at=asked + dt.timedelta(seconds=wait) if wait is not None else None))


def test_report_of_a_range(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'troly06.db'}"
    tracker = write_tracker(tmp_path / "tracker.db", [
        user("web:a", at("2025-07-01 08:00"), "lệ phí hộ chiếu", "ask_procedure"),
        *answered("web:a", at("2025-07-01 08:00:01"), "card:passport-fee"),
        user("zalo:b", at("2025-07-03 20:00"), "kích hoạt vneid", "ask_vneid"),
    ])
    inside = dt.datetime(2025, 7, 2, 3, tzinfo=UTC)
    _rate(db, "web:a", "card:passport-fee", "wrong", "wrong_info", inside)
    _rate(db, "web:b", "card:passport-fee", "wrong", None, inside)
    _rate(db, "web:c", "card:passport-fee", "helpful", None, inside)
    _rate(db, "web:d", "card:vneid", "helpful", None, inside)
    # 17:00 UTC on 3 July is already 4 July in Vietnam: outside
    _rate(db, "web:e", "card:late", "wrong", "wrong_info", dt.datetime(2025, 7, 3, 17, tzinfo=UTC))
    _gap(db, "Số CCCD 012345678901 của tôi bị sai?", inside)
    _gap(db, "so cccd 012345678901 cua toi bi sai", inside)
    _gap(db, "câu hỏi cũ", dt.datetime(2025, 6, 1, tzinfo=UTC))
    _handoff(db, "web:h1", inside, 60)
    _handoff(db, "web:h2", inside, 600)
    _handoff(db, "web:h3", inside, 120)
    _handoff(db, "web:h4", inside, None)
    _handoff(db, "web:h5", dt.datetime(2025, 8, 1, tzinfo=UTC), 5)

    report = build_report(db, tracker, JULY)
    assert report.conversations_included
    assert (report.total_conversations, report.total_messages) == (2, 2)
    assert len(report.daily) == 6  # 3 days × web, zalo
    assert [(r.day.day, r.channel, r.messages) for r in report.daily if r.messages] == [
        (1, "web", 1), (3, "zalo", 1)]
    assert report.cards == [("card:passport-fee", 1)]
    [wrong] = report.wrong
    assert (wrong.source, wrong.wrong, wrong.helpful) == ("card:passport-fee", 2, 1)
    assert wrong.reasons == {"wrong_info": 1, "": 1}
    [gap] = report.unanswered
    assert gap.count == 2 and "012345678901" not in gap.example
    stats = report.handoffs
    assert stats.by_status == {"held": 3, "waiting": 1} and stats.total == 4
    assert (stats.taken, stats.median_wait_seconds, stats.max_wait_seconds) == (3, 120, 600)


def test_without_the_tracker_store(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'troly06.db'}"
    report = build_report(db, "", JULY)
    assert not report.conversations_included
    assert report.total_messages == 0 and report.handoffs.total == 0
    assert report.handoffs.median_wait_seconds is None


def test_csv_tables_open_in_excel(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'troly06.db'}"
    _rate(db, "web:a", "=HYPERLINK(\"x\")", "wrong", "hard_to_understand",
          dt.datetime(2025, 7, 2, tzinfo=UTC))
    report = build_report(db, "", JULY)
    daily = to_csv(report, "daily")
    assert daily.startswith(b"\xef\xbb\xbf")
    lines = daily.decode("utf-8-sig").splitlines()
    assert lines[0] == "Ngày,Kênh,Số cuộc trò chuyện,Số tin nhắn của người dân"
    assert lines[1] == "2025-07-01,Trang web,0,0"
    wrong = to_csv(report, "wrong").decode("utf-8-sig").splitlines()
    assert wrong[1].startswith("\"'=HYPERLINK(\"\"x\"\")\",1,0,Khó hiểu: 1,2025-07-02 07:00")
    handoffs = to_csv(report, "handoffs").decode("utf-8-sig").splitlines()
    assert handoffs[-1] == "Thời gian chờ lâu nhất (giây),"
