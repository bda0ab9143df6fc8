"""Knowledge answers: the right card, a source line, related questions, honest fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.answers import (
    CLARIFY_TEXT,
    FALLBACK_TEXT,
    KnowledgeService,
    change_note,
    render_body,
)
from knowledge.cards import Source
from knowledge.units import Unit


@pytest.fixture
def service(card_service: KnowledgeService) -> KnowledgeService:
    return card_service


@pytest.mark.parametrize(
    ("question", "intent", "card_id"),
    [
        ("quen passcode vneid", "ask_vneid_account_issue", "vneid-forgot-passcode"),
        ("Dịch vụ công trực tuyến toàn trình là gì?", "ask_public_services", "dvc-full-vs-partial"),
        (
            "nhận tiền an sinh xã hội qua tài khoản ngân hàng thế nào",
            "ask_cashless_payment",
            ("vneid-welfare-bank-account", "cashless-welfare-no-bank-account"),
        ),
        ("cach kich hoat vneid", "ask_vneid_activate", "vneid-activate"),
        ("làm giấy khai sinh cần gì", "ask_procedure", "proc-birth-registration"),
        ("Hà Giang bây giờ thuộc tỉnh nào", "ask_policy_info", "merger-old-to-new-lookup"),
    ],
)
def test_questions_find_their_card(
    service: KnowledgeService, question: str, intent: str | None, card_id: str
) -> None:
    answer = service.answer(question, intent)
    assert answer.confident
    assert answer.card_id in ((card_id,) if isinstance(card_id, str) else card_id)
    assert "Nguồn:" in answer.text


def test_abbreviations_case_and_spacing_do_not_change_the_answer(
    service: KnowledgeService,
) -> None:
    plain = service.answer("quên mật khẩu vneid")
    assert plain.confident
    assert service.answer("QUÊN   MK vneid").unit_id == plain.unit_id
    assert service.answer("quen mk vneid").unit_id == plain.unit_id


def test_answer_offers_related_questions_from_other_cards(service: KnowledgeService) -> None:
    answer = service.answer("quen passcode vneid", "ask_vneid_account_issue")
    assert 1 <= len(answer.buttons) <= 3
    assert all(b["payload"] and b["title"] for b in answer.buttons)


@pytest.mark.parametrize("question", ["mua vé máy bay giá rẻ", "công thức nấu phở bò", "", "???"])
def test_unrelated_question_is_not_answered(service: KnowledgeService, question: str) -> None:
    """Never presented as an answer: an honest fallback, or at most a choice of titles."""
    answer = service.answer(question, "ask_procedure")
    assert not answer.confident
    assert answer.kind in ("fallback", "clarify")
    if answer.kind == "fallback":
        assert answer.text == FALLBACK_TEXT and "1900 0368" in answer.text
    else:
        assert answer.text == CLARIFY_TEXT and 1 <= len(answer.buttons) <= 3


def test_changed_rules_say_from_when_they_apply(service: KnowledgeService) -> None:
    answer = service.answer("CMND còn dùng được không", "ask_policy_info")
    assert answer.card_id == "policy-cmnd-expired"
    assert "01/01/2025" in answer.text


def _unit(**fields) -> Unit:
    base = dict(id="card:x", kind="card", source="x.md", source_hash="h", title="T",
                passage="p", body="b", sources=(Source(title="S"),))
    return Unit(**{**base, **fields})


TODAY = dt.date(2026, 11, 24)


def test_change_note_names_the_rule_in_force_and_the_one_before() -> None:
    note = change_note(
        _unit(valid_from="2024-07-01", supersedes="NĐ 59/2022/NĐ-CP quy định việc này."),
        TODAY,
    )
    assert note == (
        "Quy định đang áp dụng: từ 01/07/2024. Trước đó: NĐ 59/2022/NĐ-CP quy định việc này."
    )


def test_change_note_warns_about_expired_and_future_rules() -> None:
    assert "đã hết hiệu lực từ 01/07/2024" in change_note(_unit(valid_to="2024-07-01"), TODAY)
    assert "chưa có hiệu lực" in change_note(_unit(valid_from="2027-01-01"), TODAY)
    assert change_note(_unit(), TODAY) == ""


def test_render_body_strips_markdown_emphasis() -> None:
    assert render_body("## Tiêu đề\n**đậm** và `mã`\n\n\n\nhết") == "Tiêu đề\nđậm và mã\n\nhết"


def test_a_question_asking_two_things_gets_both_sections() -> None:
    from types import SimpleNamespace

    body = (
        "Làm hộ chiếu lần đầu mất 200.000 đồng.\n\n**Lệ phí**\nCấp mới: 200.000 đồng.\n\n"
        "**Thời hạn giải quyết**\nKhông quá 8 ngày làm việc.\n\n"
        "**Nộp ở đâu**\nCông an cấp tỉnh hoặc trực tuyến."
    )
    unit = SimpleNamespace(body=body, title="Hộ chiếu")
    text, kind = KnowledgeService._card_body(unit, "làm hộ chiếu hết bao nhiêu tiền, nộp ở đâu?")
    assert kind == "answer"
    assert "Cấp mới: 200.000 đồng" in text and "Công an cấp tỉnh" in text
    assert "8 ngày" not in text


def test_a_bare_verdict_is_shown_only_for_the_question_it_answers() -> None:
    """"Có." answers the card's own title; to the opposite question the rule is shown alone."""
    from types import SimpleNamespace

    unit = SimpleNamespace(
        body="Có. Từ đủ 14 tuổi phải làm thẻ; dưới 14 tuổi làm khi có nhu cầu.\n\n"
        "**Nộp ở đâu**\nCông an cấp xã.",
        title="Đủ 14 tuổi có bắt buộc làm thẻ căn cước không?",
    )
    text, kind = KnowledgeService._card_body(unit, "Con tôi đủ 14 tuổi có phải làm căn cước không?")
    assert kind == "answer" and text.startswith("Có. Từ đủ 14 tuổi")
    text, kind = KnowledgeService._card_body(unit, "trẻ dưới 14 tuổi cũng phải làm, đúng không?")
    assert kind == "answer" and text.startswith("Từ đủ 14 tuổi") and "Có." not in text
    text, _ = KnowledgeService._card_body(unit, "dưới 14 tuổi làm căn cước ở đâu?")
    assert text.startswith("Từ đủ 14 tuổi") and "Công an cấp xã" in text


def test_asking_how_to_do_it_also_gets_the_papers() -> None:
    """A procedure is its steps and its file: "làm như thế nào" shows both, not the fee."""
    from types import SimpleNamespace

    body = (
        "Các thành viên chọn chủ hộ mới rồi báo Công an cấp xã.\n\n"
        "**Các bước**\n- Nộp hồ sơ tại Công an cấp xã hoặc trên VNeID.\n\n"
        "**Hồ sơ**\n- Tờ khai thay đổi thông tin cư trú (CT01).\n\n"
        "**Lệ phí**\n- Không thu."
    )
    unit = SimpleNamespace(body=body, title="Đổi chủ hộ")
    text, kind = KnowledgeService._card_body(unit, "Đổi chủ hộ làm như thế nào?")
    assert kind == "answer" and "CT01" in text and "Nộp hồ sơ" in text
    assert "Không thu" not in text
    text, _ = KnowledgeService._card_body(unit, "Đổi chủ hộ mất phí không?")
    assert "CT01" not in text
    # a card without steps answers "how" with its papers and where to file
    no_steps = SimpleNamespace(
        body="Được, nếu chủ hộ đồng ý.\n\n**Hồ sơ**\n- Tờ khai CT01.\n\n"
        "**Nộp ở đâu**\n- Công an cấp xã hoặc VNeID.\n\n**Lệ phí**\n- 10.000 đồng.",
        title="Nhập khẩu cho cháu",
    )
    question = "Thủ tục nhập khẩu cho cháu thực hiện ra sao?"
    text, kind = KnowledgeService._card_body(no_steps, question)
    assert kind == "answer" and "CT01" in text and "Công an cấp xã" in text
    assert "10.000" not in text
    # the papers are shown, not asked: a card that says it lacks them still answers "how"
    silent = SimpleNamespace(
        body="Báo Công an cấp xã để đổi chủ hộ.\n\n**Cần kiểm tra**: giấy tờ cần nộp.",
        title="Đổi chủ hộ",
    )
    _, kind = KnowledgeService._card_body(silent, "Đổi chủ hộ làm như thế nào?")
    assert kind == "answer"


def test_the_askers_own_case_outside_the_sections_shown_is_added() -> None:
    """The penalty and the steps are asked, so those sections are shown; the line on the
    asker's own case (a person who died) sits under the cases and is added, accents ignored."""
    from types import SimpleNamespace

    body = (
        "Có 9 trường hợp bị xóa đăng ký thường trú.\n\n**Các trường hợp**\n"
        "- Người đã chết: gia đình làm liên thông đăng ký khai tử – xóa thường trú.\n"
        "- Đã đăng ký thường trú nơi khác: cơ quan tự xóa.\n\n"
        "**Các bước**\n- Cơ quan đăng ký cư trú xóa trong 1 ngày làm việc.\n\n"
        "**Mức phạt**\n- Cảnh cáo hoặc 500.000–1.000.000 đồng."
    )
    unit = SimpleNamespace(body=body, title="Xóa đăng ký thường trú")
    for question in (
        "Người chết không xóa thường trú có bị phạt không? Thủ tục như thế nào?",
        "nguoi chet khong xoa thuong tru co bi phat khong? thu tuc nhu the nao?",
    ):
        text, kind = KnowledgeService._card_body(unit, question)
        assert kind == "answer" and "500.000" in text and "khai tử" in text, question
        assert "cơ quan tự xóa" not in text
    text, _ = KnowledgeService._card_body(unit, "xóa thường trú có bị phạt không?")
    assert "khai tử" not in text  # no line shares two of its syllables beyond those shown


def test_the_case_told_before_the_question_finds_its_line_by_a_shared_word() -> None:
    """A divorced reader asks only where to apply: the line on the divorced shares one
    syllable beyond the title ("hôn" is the title's "hôn nhân") and the word "ly hôn", which
    counts once more; found in the whole message, not in the asking sentence alone."""
    from types import SimpleNamespace

    body = (
        "Giấy này do UBND cấp xã nơi thường trú cấp.\n\n**Nộp ở đâu**\n- UBND cấp xã.\n\n"
        "**Hồ sơ**\n- Tờ khai theo mẫu.\n"
        "- Nếu đã ly hôn: bản án hoặc quyết định ly hôn.\n"
        "- Hai công dân Việt Nam đăng ký kết hôn trong nước không phải nộp giấy này."
    )
    unit = SimpleNamespace(body=body, title="Giấy xác nhận tình trạng hôn nhân")
    asked = "Tôi muốn xin giấy xác nhận tình trạng hôn nhân thì xin ở đâu?"
    whole = f"Vợ chồng tôi đã ly hôn. {asked}"
    text, kind = KnowledgeService._card_body(unit, asked, whole)
    assert kind == "answer" and "UBND cấp xã" in text and "quyết định ly hôn" in text
    text, _ = KnowledgeService._card_body(unit, asked)
    assert "quyết định ly hôn" not in text  # the asking sentence alone does not name the case


def test_a_card_that_says_it_lacks_the_asked_aspect_is_only_a_partial_answer() -> None:
    from types import SimpleNamespace

    body = (
        "Được. Hồ sơ hưởng trợ cấp thất nghiệp nộp trực tuyến trên Cổng Dịch vụ công.\n\n"
        "**Cách làm**\n1. Đăng nhập bằng VNeID.\n\n"
        "**Cần kiểm tra**: Điều kiện hưởng và mức hưởng theo Luật Việc làm hiện hành."
    )
    unit = SimpleNamespace(body=body, title="Trợ cấp thất nghiệp trực tuyến")
    text, kind = KnowledgeService._card_body(unit, "điều kiện hưởng trợ cấp thất nghiệp là gì?")
    assert kind == "partial"
    assert "điều kiện" in text and "Cổng Dịch vụ công" in text
    _, kind = KnowledgeService._card_body(unit, "nộp hồ sơ thất nghiệp online thế nào?")
    assert kind == "answer"  # the steps are in the card
    # a hedge that only says whom to ask does not undo what the lead answers
    fines = SimpleNamespace(
        title="Nộp phạt giao thông online",
        body=(
            "Bạn nộp phạt trên Cổng Dịch vụ công quốc gia.\n\n"
            "**Cần kiểm tra**: Nếu không tra được, hãy hỏi cơ quan Công an đã lập biên bản."
        ),
    )
    _, kind = KnowledgeService._card_body(fines, "nộp phạt giao thông online ở đâu?")
    assert kind == "answer"


def test_an_answer_to_a_long_message_needs_both_retrievers_to_rank_it_near_the_top() -> None:
    from types import SimpleNamespace

    from knowledge.retrieval import Hit

    service = KnowledgeService(SimpleNamespace(), min_coverage=0.6, agreement_rank=4)
    unit = SimpleNamespace(id="card:x")
    agreed = Hit(unit, 0.3, 0.9, 0.95, lexical_rank=1, dense_rank=4)
    one_sided = Hit(unit, 0.2, 0.9, 0.95, lexical_rank=1, dense_rank=9)
    assert service.is_confident(agreed, long_question=True)
    # well covered, but only the word index ranks it high: a neighbouring topic
    assert not service.is_confident(one_sided, long_question=True)
    assert not service.is_confident(
        Hit(unit, 0.2, 0.9, 0.0, lexical_rank=1, dense_rank=None), long_question=True
    )
    assert service.is_confident(one_sided)  # a short question: coverage decides
    assert service.is_long("tôi " * 12) and not service.is_long("cách kích hoạt VNeID")
    assert not service.is_long("toi " * 12)  # no diacritics: e5's side is too weak to agree
    off = KnowledgeService(SimpleNamespace(), min_coverage=0.6, agreement_rank=0)
    assert off.is_confident(one_sided, long_question=True)


def test_coverage_alone_answers_only_a_question_that_says_enough() -> None:
    from types import SimpleNamespace

    from knowledge.retrieval import Hit

    said = {"bạn có người yêu chưa": 0.62, "làm lại thẻ căn cước bị mất ở đâu": 1.9}
    lexical = SimpleNamespace(information=said.__getitem__)
    service = KnowledgeService(
        SimpleNamespace(lexical=lexical), min_coverage=0.6, min_similarity=0.9
    )
    unit = SimpleNamespace(id="card:x")
    covered = Hit(unit, 0.33, 1.0, 0.87, lexical_rank=1, dense_rank=2)
    assert service.is_confident(covered, question="làm lại thẻ căn cước bị mất ở đâu")
    assert not service.is_confident(covered, question="bạn có người yêu chưa")
    # close in meaning, a question that says little is still answered
    close = Hit(unit, 0.33, 1.0, 0.93, lexical_rank=1, dense_rank=1)
    assert service.is_confident(close, question="bạn có người yêu chưa")
    off = KnowledgeService(SimpleNamespace(lexical=lexical), min_coverage=0.6,
                           min_similarity=0.9, min_information=0.0)
    assert off.is_confident(covered, question="bạn có người yêu chưa")


# A card whose every word a bit of small talk happens to use, published beside the real cards
# (their word statistics are what the rule measures against): a test on which real card
# happens to cover the small talk would silently stop testing the rule when cards change.
SMALL_TALK_CARD = """---
id: test-small-talk-words
title: "Tuổi kết hôn: khi nào hai người yêu nhau được đăng ký?"
topic: civil
audience: [citizen]
sources:
  - title: "Luật Hôn nhân và gia đình 2014, Điều 8"
    number: "52/2014/QH13"
valid_from: 2015-01-01
last_reviewed: 2026-12-07
confidence: confirmed
questions:
  - "Bao nhiêu tuổi thì được đăng ký kết hôn?"
---

Bạn và người yêu đăng ký kết hôn được khi nam đủ 20 tuổi, nữ đủ 18 tuổi.

**Điều kiện**
- Bạn có người yêu chưa đủ tuổi thì chưa đăng ký được; bạn bao nhiêu tuổi cũng phải tự nguyện.
- Không thuộc trường hợp cấm kết hôn.
"""


@pytest.fixture(scope="module")
def small_talk_retriever(tmp_path_factory: pytest.TempPathFactory):
    from knowledge.service import build_service
    from tests.knowledge.conftest import hashing_settings

    settings = hashing_settings(tmp_path_factory.mktemp("small-talk-index"))
    settings.published_cards_dir.mkdir(parents=True)
    (settings.published_cards_dir / "test-small-talk-words.md").write_text(
        SMALL_TALK_CARD, encoding="utf-8"
    )
    return build_service(settings).retriever


@pytest.mark.parametrize(
    "small_talk", ["bạn có người yêu chưa", "ban co nguoi yeu chua", "bạn bao nhiêu tuổi"]
)
def test_small_talk_a_card_happens_to_cover_is_not_answered(
    service: KnowledgeService, small_talk_retriever, small_talk: str
) -> None:
    """Every word of it is in a card; what it says is too little for that to count (the
    hashing index has no meaning side, so the rule is measured here with it on)."""
    ruled = KnowledgeService(small_talk_retriever, min_coverage=service.min_coverage,
                             min_similarity=service.min_similarity, min_information=0.75)
    unruled = KnowledgeService(small_talk_retriever, min_coverage=service.min_coverage,
                               min_similarity=service.min_similarity, min_information=0.0)
    answered = unruled.answer(small_talk)  # covered, so answered without the rule
    assert answered.kind == "answer" and answered.card_id == "test-small-talk-words"
    assert ruled.answer(small_talk).kind in ("fallback", "clarify")


def test_information_is_measured_against_a_word_no_passage_has() -> None:
    from knowledge.lexical import LexicalIndex

    index = LexicalIndex(["hộ chiếu cấp mới", "hộ khẩu thường trú", "hộ tịch khai sinh", "thẻ"])
    assert index.information("chuyện phiếm") == pytest.approx(2.0)  # two unseen syllables
    # a syllable in most passages says little, a rare one about as much as an unseen one
    assert index.information("hộ") < 0.6 < index.information("hộ chiếu") < 2.0
    assert index.information("") == 0.0


def test_a_passage_second_best_on_both_indexes_is_not_an_answer() -> None:
    from types import SimpleNamespace

    from knowledge.retrieval import Hit

    service = KnowledgeService(SimpleNamespace(), min_coverage=0.6, agreement_rank=4)
    unit = SimpleNamespace(id="card:x")
    neighbour = Hit(unit, 0.29, 0.8, 0.92, lexical_rank=2, dense_rank=2)
    assert not service.is_confident(neighbour)
    # first on one side is enough; so is a passage vouched for by another rule
    assert service.is_confident(Hit(unit, 0.29, 0.8, 0.92, lexical_rank=3, dense_rank=1))
    assert service.is_confident(neighbour, vouched=True)
    off = KnowledgeService(SimpleNamespace(), min_coverage=0.6, agreement_rank=0)
    assert off.is_confident(neighbour)


def test_a_question_typed_without_diacritics_is_searched_with_them(
    service: KnowledgeService,
) -> None:
    restored = service.restored("mat the can cuoc thi lam lai o dau")
    assert "căn cước" in restored and "làm lại" in restored
    assert service.restored("Mất thẻ căn cước") == "Mất thẻ căn cước"  # typed with them: kept
    folded = service.answer("mat the can cuoc thi lam lai o dau")
    accented = service.answer("mất thẻ căn cước thì làm lại ở đâu")
    assert folded.unit_id == accented.unit_id and folded.kind == accented.kind


def test_the_intent_is_a_prior_for_short_messages_only(
    service: KnowledgeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DIET's intent boosts its topics on messages like the ones it learnt from; on a long
    letter it is a guess and the search goes without it."""
    from knowledge.answers import PRIOR_MAX_WORDS

    seen: list[frozenset[str]] = []
    search = service.retriever.search

    def spy(query: str, **kwargs):
        seen.append(kwargs["boost"])
        return search(query, **kwargs)

    monkeypatch.setattr(service.retriever, "search", spy)
    short = "quên mật khẩu vneid"
    letter = " ".join(["tôi"] * PRIOR_MAX_WORDS + [short])
    service.rank(short, "ask_vneid_account_issue")
    service.rank(letter, "ask_vneid_account_issue")
    assert seen[0] and "vneid" in seen[0]
    assert seen[1] == frozenset()


def test_a_restored_question_is_allowed_a_little_less_similarity() -> None:
    from types import SimpleNamespace

    from knowledge.answers import RESTORED_SIMILARITY_GAP
    from knowledge.retrieval import Hit

    service = KnowledgeService(
        SimpleNamespace(), min_coverage=0.6, min_similarity=0.90, min_support=0.45
    )
    unit = SimpleNamespace(id="card:x")
    just_under = 0.90 - RESTORED_SIMILARITY_GAP / 2
    hit = Hit(unit, 0.3, 0.5, just_under, lexical_rank=1, dense_rank=1)
    assert not service.is_confident(hit)  # typed with diacritics: below the threshold
    assert service.is_confident(hit, restored=True)
    far = Hit(unit, 0.3, 0.5, 0.90 - 2 * RESTORED_SIMILARITY_GAP, lexical_rank=1, dense_rank=1)
    assert not service.is_confident(far, restored=True)


def test_a_card_written_for_a_narrower_case_does_not_answer_the_ordinary_one() -> None:
    """A card on marrying abroad, best for a question on marrying at home, is offered as a
    choice, not given as the answer; asked about the case, it answers."""
    from types import SimpleNamespace

    from knowledge.retrieval import Hit

    abroad = _unit(
        id="card:civil-marriage-abroad", card_id="civil-marriage-abroad",
        title="Đang sống ở nước ngoài thì đăng ký kết hôn ở đâu?",
        body="Đăng ký tại cơ quan đại diện Việt Nam ở nước sở tại.",
    )
    hit = Hit(abroad, 0.3, 0.9, 0.95, lexical_rank=1, dense_rank=1)
    retriever = SimpleNamespace(
        search=lambda query, **kwargs: [hit], refresh_if_changed=lambda: None, units=[abroad]
    )
    service = KnowledgeService(retriever, min_coverage=0.6)
    ordinary = service.answer("Con gái tôi 18 tuổi có đăng ký kết hôn được không?")
    assert ordinary.kind == "clarify" and ordinary.card_id is None
    assert service.answer("Tôi đang ở Đức, đăng ký kết hôn ở đâu?").kind == "answer"


def test_the_share_of_a_title_a_message_names_weighs_rare_words_and_ignores_accents() -> None:
    from knowledge.lexical import LexicalIndex

    index = LexicalIndex([
        "Tài khoản định danh điện tử của cơ quan, tổ chức",
        "Tài khoản định danh điện tử bị khóa",
        "Tài khoản định danh điện tử mức 2",
    ])
    title = "Tài khoản định danh điện tử của cơ quan, tổ chức"
    person = "Tai khoan dinh danh dien tu cua toi bi khoa trong truong hop nao?"
    organisation = "Công ty tôi là một tổ chức, cơ quan nào cấp tài khoản định danh?"
    # the words every title has say little; the ones only this title has decide
    assert index.share_named(title, person) < 0.4 < index.share_named(title, organisation)
    assert index.share_named(title, title) == pytest.approx(1.0)
    assert index.share_named("", person) == 1.0


def test_a_sibling_card_a_long_letter_never_names_is_not_its_answer() -> None:
    """A letter on when a person's e-ID account is locked, whose best card (on changing the
    account's phone number) only one index puts first, gets a choice, not that card; the same
    card both indexes put first, or for a short question, is answered."""
    from types import SimpleNamespace

    from knowledge.lexical import LexicalIndex
    from knowledge.retrieval import Hit

    title = "Đổi số điện thoại của tài khoản định danh điện tử"
    sibling = _unit(id="card:vneid-change-phone-number", card_id="vneid-change-phone-number",
                    title=title, body="Đổi số điện thoại trên VNeID hoặc tại Công an xã.")
    lexical = LexicalIndex([title, "Tài khoản định danh điện tử bị khóa khi nào",
                            "Tài khoản định danh điện tử mức 2"])
    ranks = {"lexical_rank": 2, "dense_rank": 1}

    def service(min_title_share: float = 0.4) -> KnowledgeService:
        hit = Hit(sibling, 0.3, 0.9, 0.95, **ranks)
        retriever = SimpleNamespace(search=lambda query, **kwargs: [hit], units=[sibling],
                                    refresh_if_changed=lambda: None, lexical=lexical)
        return KnowledgeService(retriever, min_coverage=0.6, min_title_share=min_title_share)

    letter = (
        "Tôi năm nay 45 tuổi, đã kích hoạt tài khoản định danh điện tử mức 2 từ năm ngoái và "
        "dùng thường xuyên. Xin hỏi trong những trường hợp nào tài khoản của tôi sẽ bị khóa?"
    )
    assert len(letter.split()) >= 20
    assert service().answer(letter).kind == "clarify"
    assert service(min_title_share=0.0).answer(letter).kind == "answer"
    assert service().answer("Khi nào tài khoản định danh bị khóa?").kind == "answer"
    ranks.update(lexical_rank=1)
    assert service().answer(letter).kind == "answer"


def test_warm_up_searches_once_so_the_first_question_loads_nothing(
    service: KnowledgeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[str] = []
    search = service.retriever.search

    def spy(query: str, **kwargs):
        searched.append(query)
        return search(query, **kwargs)

    monkeypatch.setattr(service.retriever, "search", spy)
    service.warm_up()
    assert len(searched) == 1  # the meaning index's model is loaded by its first query
    assert service.restorer() is service.restorer()  # built, and kept
