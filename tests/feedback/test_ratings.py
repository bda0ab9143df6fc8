"""Ratings are stored once per answer per conversation, masked, and summarised by source."""

from __future__ import annotations

import pytest

from feedback.conversation import GivenAnswer
from feedback.ratings import ratings_by_source, record_rating

ANSWER = GivenAnswer("card:idcard-expiry#0", "answer", "CCCD 012345678901 hết hạn thì sao",
                     "Thẻ căn cước hết hạn thì phải đổi …")


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'feedback.db'}"


def test_a_second_rating_of_the_same_answer_replaces_the_first(url) -> None:
    first = record_rating(url, sender_id="web-1", channel="web", answer=ANSWER, rating="helpful")
    again = record_rating(url, sender_id="web-1", channel="web", answer=ANSWER, rating="wrong",
                          reason="wrong_info")
    other = record_rating(url, sender_id="web-2", channel="web", answer=ANSWER, rating="wrong")
    assert first == again != other
    [summary] = ratings_by_source(url)
    assert (summary.source, summary.helpful, summary.wrong) == (ANSWER.source, 0, 2)


def test_id_numbers_are_masked_before_they_are_stored(url) -> None:
    from sqlalchemy import create_engine, text

    record_rating(url, sender_id="web-1", channel="web", answer=ANSWER, rating="helpful")
    with create_engine(url).connect() as conn:
        question = conn.execute(text("select question from answer_ratings")).scalar_one()
    assert "012345678901" not in question


@pytest.mark.parametrize("rating, reason", [("great", None), ("wrong", "because")])
def test_unknown_ratings_and_reasons_are_refused(url, rating, reason) -> None:
    with pytest.raises(ValueError):
        record_rating(url, sender_id="web-1", channel="web", answer=ANSWER, rating=rating,
                      reason=reason)


def test_a_reason_is_kept_only_with_a_wrong_rating(url) -> None:
    from sqlalchemy import create_engine, text

    record_rating(url, sender_id="web-1", channel="web", answer=ANSWER, rating="helpful",
                  reason="wrong_info")
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select reason from answer_ratings")).scalar_one() is None
