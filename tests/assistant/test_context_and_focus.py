"""Follow-ups and the question inside a long message."""

from __future__ import annotations

import pytest

from assistant.context import is_follow_up
from vntext.focus import asking_sentences, focus


@pytest.mark.parametrize(
    "question",
    ["mất bao lâu?", "làm trên ứng dụng nào?", "còn lệ phí?", "nộp ở đâu", "cần giấy tờ gì ạ"],
)
def test_short_questions_without_a_subject_are_follow_ups(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    ["làm hộ chiếu mất bao lâu?", "lệ phí đổi căn cước", "cach kich hoat vneid", ""],
)
def test_questions_with_a_subject_are_not(question: str) -> None:
    assert not is_follow_up(question)


def test_focus_keeps_the_asking_sentences_of_a_long_message() -> None:
    message = (
        "Chào luật sư. Tôi quê ở Bình Thuận, mới kết hôn và đã chuyển đến ở nhà chồng tại "
        "TP.HCM được hơn một năm, công việc rất bận nên chưa làm giấy tờ gì. Vậy tôi có bắt "
        "buộc phải chuyển hộ khẩu về nhà chồng không? Xin cảm ơn luật sư."
    )
    asked = focus(message)
    assert asked.startswith("Vậy tôi có bắt buộc") and asked.endswith("không?")


def test_short_messages_are_their_own_focus() -> None:
    assert focus("làm căn cước ở đâu?") == "làm căn cước ở đâu?"


def test_a_subjectless_asking_sentence_keeps_the_sentence_before_it() -> None:
    message = (
        "Năm ngoái tôi mua lại một chiếc ô tô cũ của người quen ở tỉnh bên. Hai bên chỉ viết "
        "giấy tay với nhau, đến nay vẫn chưa làm thủ tục sang tên. Vậy tôi có sai không?"
    )
    asked = focus(message)
    assert asked.startswith("Hai bên chỉ viết giấy tay") and asked.endswith("có sai không?")


def test_every_asking_sentence_is_listed_not_only_the_last_two() -> None:
    message = (
        "Chào anh chị. Tôi về ở nhà vợ ở Cần Thơ đã hơn một năm. Tôi có nhất thiết phải "
        "chuyển thường trú về đây không? Nếu không đăng ký thì có sao không? Thủ tục tạm trú "
        "làm ở đâu, lệ phí bao nhiêu? Xin cảm ơn."
    )
    asked = asking_sentences(message)
    assert len(asked) == 3 and asked[0].startswith("Tôi có nhất thiết")
    assert not focus(message).startswith("Tôi có nhất thiết")  # the focus keeps the last two
    assert asking_sentences("") == []
