"""Answers at the question's grain: the aspect asked and the card section that answers it."""

from __future__ import annotations

import pytest

from knowledge.grain import (
    asked_aspect,
    narrow_case,
    says_anything_on,
    section_for,
    sections,
    uncovered_case,
    verdict_fits,
    without_verdict,
)

CARD = """Làm hộ chiếu lần đầu mất 200.000 đồng và khoảng 8 ngày làm việc.

**Lệ phí**
- Cấp mới: 200.000 đồng.
- Cấp lại do mất: 400.000 đồng.

**Thời hạn giải quyết**
Không quá 8 ngày làm việc.

**Nộp ở đâu**: Công an cấp tỉnh hoặc trực tuyến trên Cổng Dịch vụ công.
"""


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("lam ho chieu het bao nhieu tien", "fee"),
        ("Làm hộ chiếu mất bao lâu?", "time_limit"),
        ("nộp hồ sơ hộ chiếu ở đâu vậy", "where"),
        ("không đăng ký tạm trú có bị phạt không", "penalty"),
        ("cần giấy tờ gì để đăng ký kết hôn", "documents"),
        ("đổi căn cước có bắt buộc không", "yes_no"),
        ("Ai đứng ra làm thẻ căn cước cho trẻ dưới 14 tuổi?", "who"),
        ("Thời hạn của lý lịch tư pháp là bao lâu?", "validity"),
        ("Chứng thực bản sao có giá trị bao lâu?", "validity"),
        ("Làm lý lịch tư pháp online mất bao lâu?", "time_limit"),
        ("hộ chiếu là gì", None),
    ],
)
def test_asked_aspect(question: str, aspect: str | None) -> None:
    assert asked_aspect(question) == aspect


def test_sections_keep_the_lead_and_each_heading() -> None:
    parts = sections(CARD)
    assert parts[0].heading == "" and "200.000 đồng" in parts[0].text
    assert [p.heading for p in parts[1:]] == ["Lệ phí", "Thời hạn giải quyết", "Nộp ở đâu"]
    assert parts[3].text.startswith("Công an cấp tỉnh")  # text on the heading's own line


def test_the_section_for_the_aspect() -> None:
    assert "400.000 đồng" in section_for(CARD, "fee").text
    assert section_for(CARD, "time_limit").text == "Không quá 8 ngày làm việc."
    assert section_for(CARD, "documents") is None
    assert section_for(CARD, None) is None


def test_whether_a_text_says_anything_on_an_aspect() -> None:
    assert says_anything_on(CARD, "fee")
    assert not says_anything_on("Ứng dụng VNeID cài từ App Store.", "fee")
    assert says_anything_on("anything", "yes_no")  # no evidence words: not checked


def test_validity_is_not_read_as_a_processing_time() -> None:
    from knowledge.grain import asked_aspects

    # "là bao lâu" after "thời hạn của …" asks how long the paper stays valid
    assert asked_aspects("Thời hạn của lý lịch tư pháp là bao lâu?") == {"validity"}
    # a rule's start date is no validity: the card below says nothing on it
    assert not says_anything_on("Luật sửa đổi có hiệu lực từ 1/7/2026.", "validity")
    assert says_anything_on("GPLX hạng B có thời hạn 10 năm kể từ ngày cấp.", "validity")


def test_every_aspect_asked_in_one_question() -> None:
    from knowledge.grain import asked_aspects

    asked = asked_aspects("con mang họ mẹ có được không? thủ tục làm như thế nào?")
    assert asked == {"yes_no", "steps"}
    assert asked_aspects("hộ chiếu là gì") == frozenset()


@pytest.mark.parametrize(
    ("question", "text", "case"),
    [
        # the question is about marrying abroad; the text describes the ordinary case
        ("Tôi đang sống tại Hàn Quốc, muốn đăng ký kết hôn thì làm ở đâu?",
         "Đăng ký kết hôn tại UBND cấp xã nơi cư trú.", "foreign"),
        ("ket hon voi nguoi Uc can giay to gi", "Tờ khai đăng ký kết hôn.", "foreign"),
        # the text speaks to the case
        ("Tôi đang sống tại Hàn Quốc, muốn đăng ký kết hôn thì làm ở đâu?",
         "Công dân ở nước ngoài đăng ký tại cơ quan đại diện Việt Nam.", None),
        # a sentence saying the case is not known does not cover it
        ("Tôi ở Nhật muốn kết hôn", "Kết hôn có yếu tố nước ngoài: trợ lý chưa có nguồn.",
         "foreign"),
        # common syllables that are not countries
        ("cập nhật thông tin pháp luật cho người lao động", "Thông tin cư trú.", None),
        ("thẻ căn cước có thời hạn bao lâu", "Thẻ có giá trị đến 25 tuổi.", None),
        # "quy định cũ", "quyết định cũ", "xác định cụ thể", "tái định cư" fold like "định cư"
        # (settled abroad) but are not it
        ("Theo quy định cũ thì đăng ký kết hôn ở đâu?", "Tại UBND cấp xã.", None),
        ("Quyết định cũ nói đăng ký kết hôn ở đâu?", "Tại UBND cấp xã.", None),
        ("Xác định cụ thể nơi đăng ký kết hôn", "Tại UBND cấp xã.", None),
        ("Nhà tôi ở khu tái định cư, đăng ký thường trú ở đâu?", "Tại Công an xã.", None),
        ("Tôi đã định cư lâu năm, giờ đăng ký kết hôn ở đâu?", "Tại UBND cấp xã.", "foreign"),
        # being abroad is narrower than a foreign element: the commune's rule for marrying a
        # foreigner does not say where a Vietnamese living in Korea registers
        ("Chúng tôi đang sống tại Hàn Quốc, đăng ký kết hôn ở đâu?",
         "Kết hôn có yếu tố nước ngoài đăng ký tại UBND cấp xã.", "abroad"),
        ("Chúng tôi đang sống tại Hàn Quốc, đăng ký kết hôn ở đâu?",
         "Công dân ở nước ngoài đăng ký tại cơ quan đại diện Việt Nam.", None),
        ("Tôi muốn kết hôn với người Hàn Quốc, đăng ký ở đâu?",
         "Kết hôn có yếu tố nước ngoài đăng ký tại UBND cấp xã.", None),
    ],
)
def test_a_case_the_text_never_mentions(question: str, text: str, case: str | None) -> None:
    assert uncovered_case(question, text) == case


def test_a_card_that_says_it_lacks_an_aspect() -> None:
    from knowledge.grain import declared_unknown

    card = (
        "Được, nộp trực tuyến trên Cổng Dịch vụ công.\n\n**Cách làm**\n1. Đăng nhập.\n\n"
        "**Cần kiểm tra**: Điều kiện hưởng và mức hưởng theo luật hiện hành."
    )
    assert declared_unknown(card, "conditions")
    assert not declared_unknown(card, "steps")  # the steps are there, not said unknown
    assert not declared_unknown(card, "yes_no")  # no words to name it
    # a sentence naming the aspect without saying it is unknown does not count
    assert not declared_unknown("**Điều kiện**\nĐủ 12 tháng đóng.", "conditions")
    # a hedge in any sentence of the card counts, under any heading
    hedged = "Lệ phí chưa được xác nhận từ văn bản gốc."
    assert declared_unknown(hedged, "fee")
    # advice on where to ask names no aspect the card lacks
    advice = "Nộp trên Cổng Dịch vụ công.\n\n**Cần kiểm tra**: hãy hỏi cơ quan về điều kiện."
    assert not declared_unknown(advice, "conditions")
    assert not declared_unknown(advice, "where")
    # only the statement under the heading, not every later sentence in the section
    later = "**Cần kiểm tra**: Mức phí chưa rõ.\nĐiều kiện: đủ 18 tuổi."
    assert not declared_unknown(later, "conditions")


def test_what_a_procedure_includes_asks_for_its_papers() -> None:
    assert asked_aspect("Thủ tục gồm những gì?") == "documents"


@pytest.mark.parametrize(
    ("question", "title", "case"),
    [
        # a card on marrying abroad, a question on marrying at home
        ("Con gái tôi 18 tuổi có đăng ký kết hôn được không?",
         "Đang sống ở nước ngoài thì đăng ký kết hôn ở đâu?", "foreign"),
        # the question names the case, or a word only that case has (an embassy)
        ("Tôi ở Đức, đăng ký kết hôn ở đâu?",
         "Đang sống ở nước ngoài thì đăng ký kết hôn ở đâu?", None),
        ("Có làm căn cước ở đại sứ quán được không?",
         "Người Việt đang sống ở nước ngoài có làm thẻ căn cước tại Đại sứ quán được không?",
         None),
        # an ordinary card
        ("Con gái tôi 18 tuổi có đăng ký kết hôn được không?",
         "Bao nhiêu tuổi thì được đăng ký kết hôn?", None),
        ("Theo quy định cũ thì sao?", "Các mốc thay đổi để không trả lời theo quy định cũ",
         None),
        # a word whose case is built in: recording a marriage registered abroad, studying abroad
        ("Ghi chú kết hôn mất bao lâu?",
         "Đã đăng ký kết hôn ở nước ngoài thì ghi chú kết hôn ở Việt Nam thế nào?", None),
        ("Mất hộ chiếu khi đang du học thì làm sao?",
         "Đang sống ở nước ngoài, làm hộ chiếu Việt Nam ở đâu?", None),
        # a card on a child's case, an adult's question; a question naming a child or an age
        ("Tôi muốn nhập hộ khẩu vào nhà chú ruột sau 4 năm tạm trú",
         "Nhập hộ khẩu (đăng ký thường trú) cho con vào nhà ông bà, cô, chú, dì được không?",
         "minor"),
        ("Cháu tôi 10 tuổi nhập hộ khẩu vào nhà chú được không?",
         "Nhập hộ khẩu (đăng ký thường trú) cho con vào nhà ông bà, cô, chú, dì được không?",
         None),
        # an adult's age, or "còn" (folded "con"), names no child
        ("Tôi 30 tuổi muốn nhập hộ khẩu vào nhà chú ruột",
         "Nhập hộ khẩu (đăng ký thường trú) cho con vào nhà ông bà, cô, chú, dì được không?",
         "minor"),
        ("Tôi còn phải làm gì để nhập hộ khẩu vào nhà chú ruột?",
         "Nhập hộ khẩu (đăng ký thường trú) cho con vào nhà ông bà, cô, chú, dì được không?",
         "minor"),
        # without diacritics "con" may be either: let through
        ("toi con phai lam gi de nhap ho khau vao nha chu",
         "Nhập hộ khẩu (đăng ký thường trú) cho con vào nhà ông bà, cô, chú, dì được không?",
         None),
        # an adult age limit in a title is no child's case
        ("Nghỉ hưu trước tuổi thế nào?", "Chế độ cho người dưới 55 tuổi", None),
        # a child named in the title's aside is one case among several
        ("Đi khám bệnh BHYT cần mang giấy tờ gì?",
         "Đi khám chữa bệnh BHYT cần xuất trình giấy tờ gì (VNeID, căn cước, trẻ em)?", None),
        # a card on an organisation's account, a person's question; a company's question
        ("Đã có CCCD có cần tạo tài khoản định danh điện tử?",
         "Tổ chức, doanh nghiệp có được cấp tài khoản định danh điện tử không?",
         "organisation"),
        ("Công ty tôi có được cấp tài khoản định danh điện tử không?",
         "Tổ chức, doanh nghiệp có được cấp tài khoản định danh điện tử không?", None),
        # a title for people and organisations alike is no organisation's case
        ("Chỉ số phục vụ là gì?", "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
         None),
    ],
)
def test_a_card_written_for_a_narrower_case(question: str, title: str, case: str | None) -> None:
    assert narrow_case(question, title) == case


def test_a_narrow_cards_own_questions_name_its_case() -> None:
    """The questions a card written for a narrower case lists as its own are nearly all let
    through (the rest are follow-ups that need the conversation: "Mẫu TK01 là mẫu gì?")."""
    from pathlib import Path

    from knowledge.cards import load_cards

    cards = load_cards(Path(__file__).resolve().parents[2] / "knowledge" / "cards")
    narrow = [c for c in cards if narrow_case("câu hỏi chung", c.title)]
    asked = [(c, q) for c in narrow for q in c.questions]
    blocked = [q for c, q in asked if narrow_case(q, c.title)]
    assert len(narrow) >= 10
    assert len(blocked) <= 0.05 * len(asked), blocked


AT_14 = "Đủ 14 tuổi có bắt buộc làm thẻ căn cước không?"


@pytest.mark.parametrize(
    ("question", "title", "fits"),
    [
        ("Con tôi vừa đủ 14 tuổi có phải đi làm căn cước không?", AT_14, True),
        ("14 tuoi co bat buoc lam can cuoc khong a", AT_14, True),
        # the opposite case, another age, "not yet": the title's "Có." says the wrong thing
        ("trẻ dưới 14 tuổi cũng phải làm căn cước, có đúng không?", AT_14, False),
        ("Trẻ 13 tuổi có bắt buộc có căn cước không?", AT_14, False),
        ("Chưa đủ 14 tuổi thì đi thi có cần căn cước không?", AT_14, False),
        # not a yes/no question, or a title that asks none
        ("Bao nhiêu tuổi thì bắt buộc phải có thẻ căn cước?", AT_14, False),
        ("bằng lái trên VNeID có dùng thay bằng giấy được không", "Giấy phép lái xe trên VNeID",
         False),
        # "may" is not "must"
        ("Người nước ngoài có phải làm tài khoản VNeID không?",
         "Người nước ngoài có được cấp tài khoản VNeID không?", False),
        ("người nước ngoài có được cấp tài khoản định danh không vậy",
         "Người nước ngoài có được cấp tài khoản VNeID không?", True),
        # "… được không?" asks what "có thể … không?" asks; a title's second question is not
        # what its verdict answers
        ("Có thể đăng ký kết hôn online không?",
         "Đăng ký kết hôn online được không? Có phải lên xã không?", True),
        ("Đăng ký kết hôn có phải lên xã không?",
         "Đăng ký kết hôn online được không? Có phải lên xã không?", False),
        # "… chưa?" closes the question, it negates nothing
        ("Địa chỉ trên VNeID đã tự cập nhật chưa?",
         "Sau sáp nhập, địa chỉ trên VNeID có tự cập nhật không?", True),
    ],
)
def test_a_cards_bare_verdict_fits_only_its_own_question(
    question: str, title: str, fits: bool
) -> None:
    assert verdict_fits(question, title) is fits


def test_without_verdict_keeps_the_rule() -> None:
    assert without_verdict("Có. Từ đủ 14 tuổi phải làm.") == "Từ đủ 14 tuổi phải làm."
    assert without_verdict("Không, nếu còn hạn thì chỉ cấp lại.") == "Nếu còn hạn thì chỉ cấp lại."
    assert without_verdict("Không quá 8 ngày làm việc.") == "Không quá 8 ngày làm việc."
    assert without_verdict("Có thể nộp trực tuyến.") == "Có thể nộp trực tuyến."


def test_without_verdict_takes_the_other_bare_verdicts_too() -> None:
    """"Được.", "Không bắt buộc.", "Không phải đổi." answer a title as "Có."/"Không." do."""
    assert without_verdict("Được. Con vẫn được khai sinh.") == "Con vẫn được khai sinh."
    assert without_verdict("Không bắt buộc. Giấy phép vẫn dùng.") == "Giấy phép vẫn dùng."
    assert without_verdict("Không phải đổi. Biển số giữ nguyên.") == "Biển số giữ nguyên."
    # a longer verdict followed by a clause keeps it: "Nhưng chỉ …" alone says nothing
    assert without_verdict("Có thể, nhưng chỉ khi nợ lớn.") == "Có thể, nhưng chỉ khi nợ lớn."
    assert without_verdict("Không phải nộp, nếu doanh thu thấp.") == (
        "Không phải nộp, nếu doanh thu thấp."
    )
    assert without_verdict("Được cấp trong 7 ngày.") == "Được cấp trong 7 ngày."
