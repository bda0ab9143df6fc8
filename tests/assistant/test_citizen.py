"""The citizen answering flow: question first, two procedures, follow-ups, honest fallbacks."""

from __future__ import annotations

from assistant.citizen import answer_question


def test_a_question_naming_two_procedures_gets_both(offline_services) -> None:
    reply = answer_question(
        offline_services, "đăng ký khai sinh và đăng ký thường trú cần giấy tờ gì", None
    )
    assert reply.kind == "answer"
    assert "Đăng ký khai sinh" in reply.text and "Đăng ký thường trú" in reply.text
    assert reply.text.count("Nguồn:") == 2


def test_an_exact_procedure_name_wins_outright(offline_services) -> None:
    reply = answer_question(offline_services, "thông báo lưu trú nộp ở đâu", "ask_vneid_utilities")
    assert reply.procedure_id == "thong-bao-luu-tru"
    assert reply.text.startswith("Thông báo lưu trú")


def test_a_short_follow_up_is_read_against_the_procedure_answered_last(offline_services) -> None:
    reply = answer_question(
        offline_services, "còn lệ phí thì sao?", None, remembered="dang-ky-khai-sinh"
    )
    assert reply.procedure_id == "dang-ky-khai-sinh" and "Lệ phí" in reply.text


def test_a_bare_shared_procedure_name_asks_which_even_if_a_card_holds_its_words(
    offline_services, monkeypatch
) -> None:
    """"thủ tục khai sinh" names several procedures and asks nothing of them: the choice of
    procedures, not a card that happens to contain the words (a card answer is forced here);
    a part asked of the same name ("lệ phí") may still be answered by the card."""
    from knowledge.answers import Answer

    card = Answer("Thẻ về khai tử.\n\nNguồn: thử", card_id="dvc-linked-death-group")
    monkeypatch.setattr(offline_services.knowledge, "answer", lambda *a, **k: card)
    reply = answer_question(offline_services, "thủ tục khai sinh", None)
    assert reply.kind == "clarify" and len(reply.buttons) >= 2 and reply.card_id is None
    asked_a_part = answer_question(offline_services, "lệ phí thủ tục khai sinh", None)
    assert asked_a_part.card_id == "dvc-linked-death-group"


def test_what_a_procedure_needs_is_answered_from_its_record(offline_services) -> None:
    """The record answers "what do I need" for a procedure it names, whichever card holds the
    same words (the knowledge base's ranking of cards alone is not asked here)."""
    reply = answer_question(offline_services, "làm giấy khai sinh cần gì", "ask_procedure")
    assert reply.procedure_id == "dang-ky-khai-sinh" and "Hồ sơ" in reply.text


def test_a_short_follow_up_is_read_against_the_card_answered_last(offline_services) -> None:
    first = answer_question(offline_services, "muốn có chữ ký số cá nhân thì đăng ký ở đâu", None)
    assert first.card_id == "signature-personal-how-to-register"
    follow = answer_question(offline_services, "mất bao lâu?", None, remembered_card=first.card_id)
    assert follow.card_id == first.card_id and "Nguồn:" in follow.text


def test_nothing_close_is_an_honest_fallback(offline_services) -> None:
    reply = answer_question(offline_services, "công thức nấu phở bò ngon", None)
    assert reply.kind in ("fallback", "clarify")
    assert reply.card_id is None and reply.procedure_id is None


def test_the_subject_in_an_earlier_sentence_chooses_the_card(offline_services) -> None:
    # the asking sentence alone ("how long does it take?") names no subject
    reply = answer_question(
        offline_services,
        "Mẹ tôi đang lĩnh lương hưu bằng tiền mặt ở phường, nhà xa nên đi lại vất vả. Nay "
        "muốn chuyển sang nhận lương hưu qua tài khoản ngân hàng. Từ lúc nộp đơn thì bao lâu "
        "được giải quyết ạ?",
        None,
    )
    assert reply.card_id == "insurance-pension-to-bank-account"


def test_a_may_i_question_with_steps_is_answered_from_a_card(offline_services) -> None:
    # "có được không?" has no field in a procedure record; a card says yes or no
    reply = answer_question(
        offline_services,
        "Cháu tôi mới sinh, tôi muốn nhập hộ khẩu cho cháu vào nhà ông bà ngoại có được "
        "không, thủ tục làm thế nào?",
        None,
    )
    assert reply.card_id is not None and reply.procedure_id is None


def test_a_procedure_mentioned_in_passing_is_not_the_answer(offline_services) -> None:
    # the story names "đăng ký kết hôn"; the question is about moving one's residence
    reply = answer_question(
        offline_services,
        "Năm ngoái tôi về quê làm đăng ký kết hôn, bây giờ muốn tách khẩu ra khỏi nhà bố mẹ "
        "đẻ để ở riêng với chồng ở tỉnh khác thì cần giấy tờ gì?",
        None,
    )
    assert reply.procedure_id != "dang-ky-ket-hon"
    assert not (reply.kind == "answer" and reply.text.startswith("Đăng ký kết hôn"))


def test_a_may_i_question_no_card_answers_gets_the_record_as_partial() -> None:
    from assistant.citizen import _record_beyond
    from procedures.reply import ProcedureReply

    reply = _record_beyond(
        ProcedureReply("Đăng ký kết hôn\nCác bước: …", [], "dang-ky-ket-hon"),
        "Đăng ký kết hôn",
        ["yes_no"],
    )
    assert reply.kind == "partial" and reply.procedure_id == "dang-ky-ket-hon"
    assert reply.text.startswith("Tôi chưa có thông tin được xác nhận")
    assert "1900 0368" in reply.text


def test_two_procedures_one_silent_on_the_part_asked_is_partial(offline_services) -> None:
    reply = answer_question(
        offline_services, "đăng ký khai sinh và đăng ký thường trú có được không", None
    )
    assert reply.kind == "partial"


def test_a_case_the_record_does_not_describe_is_not_answered_from_it(offline_services) -> None:
    # the marriage record describes marrying at home (a foreigner too: at the commune), not a
    # citizen living abroad (at the mission)
    home = answer_question(offline_services, "đăng ký kết hôn cần giấy tờ gì", None)
    assert home.kind == "answer" and home.procedure_id == "dang-ky-ket-hon"
    abroad = answer_question(
        offline_services,
        "Tôi đang ở Nhật, muốn đăng ký kết hôn với bạn gái người Nhật thì cần giấy tờ gì?",
        None,
    )
    assert abroad.kind == "partial" and abroad.procedure_id == "dang-ky-ket-hon"
    assert abroad.text.startswith("Về trường hợp đang ở nước ngoài")
    assert "1900 0368" in abroad.text


def test_an_evaluations_unanswered_question_is_not_stored_as_a_gap(offline_services) -> None:
    """`python -m assistant eval-real` and the probes ask with log_gaps=False: their questions
    are not users', and staff would otherwise see them among the knowledge gaps."""
    from curation.gaps import list_gaps

    def logged(text: str) -> bool:
        return any(g.example == text for g in list_gaps(offline_services.settings.database.url))

    asked_by_an_evaluation = "Cách nuôi cá koi trong hồ xi măng ngoài trời"
    reply = answer_question(offline_services, asked_by_an_evaluation, None, log_gaps=False)
    assert reply.kind == "fallback" and not logged(asked_by_an_evaluation)
    asked_by_a_user = "Cách nuôi cá koi trong hồ kính trong nhà"
    answer_question(offline_services, asked_by_a_user, None)
    assert logged(asked_by_a_user)


def test_a_letter_that_first_asks_must_i_is_not_answered_by_a_records_fee(
    offline_services, monkeypatch
) -> None:
    """The first question ("có nhất thiết phải … không?") asks what no record field says; the
    last two ask a named record's place and fee. With no card to answer, the record is given
    as partial, said to be only that — not as the answer to the whole letter."""
    from knowledge.answers import FALLBACK_TEXT, Answer

    nothing = Answer(FALLBACK_TEXT, confident=False, kind="fallback")
    monkeypatch.setattr(offline_services.knowledge, "answer", lambda *a, **k: nothing)
    letter = (
        "Tôi có nhất thiết phải đăng ký tạm trú ở nhà vợ không? Chưa đăng ký tạm trú thì có "
        "sao không? Đăng ký tạm trú nộp ở đâu, lệ phí đăng ký tạm trú bao nhiêu?"
    )
    reply = answer_question(offline_services, letter, None)
    assert reply.procedure_id == "dang-ky-tam-tru"
    assert reply.kind == "partial" and "chưa có thông tin được xác nhận" in reply.text
    asked_only_the_fee = answer_question(
        offline_services, "Đăng ký tạm trú làm ở đâu, lệ phí bao nhiêu?", None
    )
    assert asked_only_the_fee.procedure_id == "dang-ky-tam-tru"
    assert asked_only_the_fee.kind == "answer"


SPLIT_TITLE = (
    "Muốn tách hộ (tách hộ khẩu) nhưng vẫn ở cùng nhà thì cần điều kiện gì, làm ở đâu, "
    "mất bao lâu?"
)


def test_a_card_chosen_among_those_offered_answers_the_question_asked(offline_services) -> None:
    asked = "Tôi mới lập gia đình, muốn tách hộ với cha mẹ thì mất lệ phí bao nhiêu?"
    chosen = answer_question(offline_services, SPLIT_TITLE, None, offered_for=asked)
    assert chosen.kind == "answer" and chosen.card_id == "residence-household-split"
    assert "Lệ phí" in chosen.text and "Nguồn:" in chosen.text
    # the title alone is a question on other aspects: its answer leaves the fee out
    plain = answer_question(offline_services, SPLIT_TITLE, None, log_gaps=False)
    assert plain.card_id == "residence-household-split" and "Lệ phí" not in plain.text


def test_a_message_that_is_no_card_title_is_answered_as_usual(offline_services) -> None:
    offered = answer_question(
        offline_services, "quen passcode vneid", None, offered_for="tách hộ mất bao lâu",
        log_gaps=False,
    )
    assert offered.text == answer_question(
        offline_services, "quen passcode vneid", None, log_gaps=False
    ).text
