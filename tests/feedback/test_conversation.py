"""Finding the rated answer in the events Rasa stored."""

from __future__ import annotations

from feedback.conversation import answers_in, find_answer, last_reply_answer


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def bot(text: str | None = None, **custom) -> dict:
    return {"event": "bot", "text": text, "data": {"custom": custom} if custom else {}}


EVENTS = [
    user("lệ phí làm hộ chiếu bao nhiêu"),
    bot("Lệ phí cấp hộ chiếu …"),
    bot(kind="answer", source="procedure:passport"),
    user("cảm ơn"),
    bot("Không có gì ạ."),
    user("abc xyz"),
    bot("Xin lỗi, tôi chưa có thông tin …"),
    bot(kind="fallback", source=None),
    user("cccd hết hạn thì sao"),
    bot("Thẻ căn cước hết hạn …"),
    bot(kind="partial", source="card:idcard-expiry#0"),
]


def test_every_rateable_answer_with_its_question_and_text() -> None:
    found = answers_in(EVENTS)
    assert [a.source for a in found] == ["procedure:passport", "card:idcard-expiry#0"]
    assert found[0].question == "lệ phí làm hộ chiếu bao nhiêu"
    assert found[0].text == "Lệ phí cấp hộ chiếu …"


def test_a_source_the_conversation_never_got_is_not_found() -> None:
    assert find_answer(EVENTS, "procedure:passport").kind == "answer"
    assert find_answer(EVENTS, "card:someone-elses-card#0") is None
    assert find_answer([], "procedure:passport") is None


def test_only_the_latest_reply_can_be_rated_with_a_thumb() -> None:
    assert last_reply_answer(EVENTS).source == "card:idcard-expiry#0"
    after_small_talk = EVENTS + [user("ok"), bot("Dạ vâng.")]
    assert last_reply_answer(after_small_talk) is None
    after_fallback = EVENTS[:8]
    assert last_reply_answer(after_fallback) is None
