"""Finding a procedure from what a citizen types, and which part of it they ask about."""

from __future__ import annotations

import pytest

from core.db import session_scope
from procedures import RECORDS_DIR
from procedures.catalogue import import_records
from procedures.lookup import MAX_CANDIDATES, ProcedureLookup, asked_part, asked_parts
from procedures.models import ProcedureAlias
from procedures.schema import ESSENTIAL_GROUP
from tests.procedures.test_records import ESSENTIAL_SERVICES, fold

# ------------------------------------------------------------------ by code


@pytest.mark.parametrize(
    "text",
    ["1.007073", "Thủ tục 1.007073 cần giấy tờ gì?", "cho hỏi mã 1.007073 nộp ở đâu vậy"],
)
def test_portal_code_is_found_alone_and_inside_a_sentence(lookup, text):
    result = lookup.find(text)
    assert result.status == "found" and result.matched_by == "code"
    assert result.procedure.id == "lien-thong-khai-tu-xoa-thuong-tru"


def test_unknown_code_falls_back_to_the_words(lookup):
    result = lookup.find("đăng ký tạm trú 1.999999")
    assert result.status == "found" and result.matched_by == "name"
    assert result.procedure.id == "dang-ky-tam-tru"
    assert lookup.find("1.999999").status == "not_found"
    assert lookup.find("11.0070731").status == "not_found"  # not a code: more digits


# ------------------------------------------------------------------ by name


def test_every_record_is_found_by_its_own_name_and_aliases(lookup, all_procedures):
    misses = []
    for procedure in all_procedures:
        for text in [procedure.name, *procedure.aliases]:
            result = lookup.find(text)
            if result.status != "found" or result.procedure.id != procedure.id:
                misses.append((text, result.status, result.procedure and result.procedure.id))
    assert misses == []


def test_all_25_essential_services_are_found_by_their_published_names(lookup, all_procedures):
    essential = [p for p in all_procedures if ESSENTIAL_GROUP in p.group]
    assert len(essential) == 25
    owners = {}
    for p in essential:
        for form in (p.name, *p.aliases):
            owners[fold(form)] = p.id
    for name in ESSENTIAL_SERVICES:
        result = lookup.find(name)
        assert result.status == "found", name
        assert result.procedure.id == owners[fold(name)], name
    for p in essential:
        assert lookup.find(p.name).procedure.id == p.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("làm giấy khai sinh cần gì", "dang-ky-khai-sinh"),
        ("lam giay khai sinh can gi", "dang-ky-khai-sinh"),
        ("LÀM GIẤY KHAI SINH CẦN GÌ???", "dang-ky-khai-sinh"),
        ("thủ tục đăng ký thường trú mất bao lâu", "dang-ky-thuong-tru"),
        ("thu tuc dang ky thuong tru mat bao lau", "dang-ky-thuong-tru"),
        ("lệ phí cấp đổi thẻ căn cước", "cap-doi-cap-lai-the-can-cuoc"),
        ("le phi cap doi the can cuoc", "cap-doi-cap-lai-the-can-cuoc"),
        ("doi gplx", "cap-doi-cap-lai-giay-phep-lai-xe"),
        ("đổi bằng lái xe ở đâu", "cap-doi-cap-lai-giay-phep-lai-xe"),
        ("đăng ký tạm trú online", "dang-ky-tam-tru"),
        ("đk tạm trú online", "dang-ky-tam-tru"),
        ("đổi cccd hết bao nhiêu tiền", "cap-doi-cap-lai-the-can-cuoc"),
        ("xin lltp online", "cap-phieu-ly-lich-tu-phap"),
        ("nộp phạt nguội trên vneid", "nop-phat-vi-pham-giao-thong-qua-hinh-anh"),
        ("đăng ký vneid mức 2", "dang-ky-tai-khoan-dinh-danh-dien-tu-muc-2"),
        ("nhập hộ khẩu cho con", "dang-ky-thuong-tru"),
        ("làm hộ chiếu mất mấy ngày", "cap-ho-chieu-pho-thong"),
        ("khai báo lưu trú cho khách", "thong-bao-luu-tru"),
        ("báo tạm vắng", "khai-bao-tam-vang"),
        ("liên thông khai tử", "lien-thong-khai-tu-xoa-thuong-tru-mai-tang-phi"),
        ("dang ky ket hon can giay to gi", "dang-ky-ket-hon"),
    ],
)
def test_colloquial_wording_without_diacritics_and_abbreviations(lookup, text, expected):
    result = lookup.find(text)
    assert result.status == "found", (text, result)
    assert result.procedure.id == expected


# ---------------------------------------------------------------- ambiguous


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("căn cước", {"cap-the-can-cuoc", "cap-doi-cap-lai-the-can-cuoc"}),
        ("lam can cuoc", {"cap-the-can-cuoc", "cap-doi-cap-lai-the-can-cuoc"}),
        ("khai sinh", {"dang-ky-khai-sinh", "lien-thong-khai-sinh-thuong-tru-bhyt"}),
        (
            "làm khai tử",
            {
                "dang-ky-khai-tu",
                "lien-thong-khai-tu-xoa-thuong-tru",
                "lien-thong-khai-tu-xoa-thuong-tru-mai-tang-phi",
            },
        ),
        (
            "bảo hiểm y tế",
            {"lien-thong-khai-sinh-thuong-tru-bhyt", "giam-tru-muc-dong-bhyt-ho-gia-dinh"},
        ),
    ],
)
def test_ambiguous_questions_return_the_candidates(lookup, text, expected):
    result = lookup.find(text)
    assert result.status == "ambiguous", (text, result.procedure and result.procedure.id)
    ids = [p.id for p in result.candidates]
    assert expected <= set(ids), ids
    assert len(ids) <= MAX_CANDIDATES and len(ids) == len(set(ids))
    assert result.procedure.id == ids[0]


def test_a_vague_word_gives_at_most_four_candidates(lookup):
    result = lookup.find("đăng ký")
    assert result.status == "ambiguous"
    assert 2 <= len(result.candidates) <= MAX_CANDIDATES


def test_the_exact_name_is_not_ambiguous(lookup):
    # "đăng ký khai sinh" also appears inside the linked group's name
    assert lookup.find("đăng ký khai sinh").procedure.id == "dang-ky-khai-sinh"
    assert lookup.find("đăng ký khai sinh").status == "found"
    assert lookup.find("cấp đổi thẻ căn cước").procedure.id == "cap-doi-cap-lai-the-can-cuoc"


# ---------------------------------------------------------------- not found


@pytest.mark.parametrize(
    "text",
    [
        "giá vàng hôm nay",
        "gia vang hom nay",
        "thời tiết hà nội",
        "cách nấu phở bò",
        "mua xe máy trả góp",
        "thủ tục hành chính",
        "xin chào",
        "",
        "   ",
        "???",
    ],
)
def test_unrelated_text_is_not_found(lookup, text):
    result = lookup.find(text)
    assert result.status == "not_found", (text, result.procedure and result.procedure.id)
    assert result.procedure is None and result.candidates == ()


# ---------------------------------------------------------------- from the DB


def test_lookup_from_the_database_uses_the_aliases_table(db_url):
    import_records(db_url, RECORDS_DIR, by="test")
    with session_scope(db_url) as session:
        session.add(
            ProcedureAlias(
                procedure_id="dang-ky-bien-so-mo-to-xe-gan-may",
                alias="bấm biển số xe điện",
                folded="bam bien so xe dien",
                kind="alias",
            )
        )
    lookup = ProcedureLookup.from_db(db_url)
    assert len(lookup.procedures) == len(list(RECORDS_DIR.glob("*.yml")))
    assert lookup.find("1.007073").procedure.id == "lien-thong-khai-tu-xoa-thuong-tru"
    assert lookup.find("doi gplx").procedure.id == "cap-doi-cap-lai-giay-phep-lai-xe"
    result = lookup.find("bấm biển số xe điện")
    assert result.status == "found"
    assert result.procedure.id == "dang-ky-bien-so-mo-to-xe-gan-may"
    assert lookup.get("1.007073").id == "lien-thong-khai-tu-xoa-thuong-tru"


def test_lookup_over_a_small_list(all_procedures):
    small = ProcedureLookup([p for p in all_procedures if p.id in {"dang-ky-khai-sinh"}])
    assert small.find("làm giấy khai sinh").status == "found"
    assert small.find("đổi gplx").status == "not_found"
    assert ProcedureLookup([]).find("khai sinh").status == "not_found"


# --------------------------------------------------------------- asked part


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("làm giấy khai sinh cần gì", "documents"),
        ("lam giay khai sinh can gi", "documents"),
        ("đăng ký kết hôn cần giấy tờ gì", "documents"),
        ("hồ sơ gồm những gì", "documents"),
        ("cần mang theo gì khi đi làm căn cước", "documents"),
        ("thủ tục đăng ký thường trú mất bao lâu", "time"),
        ("bao lâu thì có hộ chiếu", "time"),
        ("làm hộ chiếu mất mấy ngày", "time"),
        ("thời hạn giải quyết khai tử", "time"),
        # how long the paper stays valid is no processing time
        ("thời hạn của lý lịch tư pháp là bao lâu", "all"),
        ("phiếu lltp có giá trị bao lâu", "all"),
        ("lệ phí cấp đổi thẻ căn cước", "fee"),
        ("le phi doi gplx", "fee"),
        ("đổi cccd hết bao nhiêu tiền", "fee"),
        ("làm lltp có mất phí không", "fee"),
        ("nộp hồ sơ tạm trú ở đâu", "where"),
        ("làm căn cước ở đâu", "where"),
        ("đăng ký tạm trú online", "online"),
        ("có làm trực tuyến được không", "online"),
        ("khai sinh qua mạng", "online"),
        ("thông báo lưu trú trên vneid", "online"),
        ("căn cứ pháp lý của thủ tục khai sinh", "legal_basis"),
        ("nghị định nào quy định", "legal_basis"),
        ("thông tư nào quy định lệ phí căn cước", "legal_basis"),
        ("các bước làm hộ chiếu", "steps"),
        ("hướng dẫn đăng ký thường trú", "steps"),
        ("làm hộ chiếu", "all"),
        ("đăng ký vneid mức 2", "all"),
        ("mai táng phí", "all"),
        ("nộp phạt nguội", "all"),
    ],
)
def test_asked_part(text, part):
    assert asked_part(text) == part


def test_every_part_asked_is_found_in_order() -> None:
    assert asked_parts("đăng ký khai sinh cần giấy tờ gì, nộp ở đâu?") == ("where", "documents")
    assert asked_parts("lam ho chieu mat bao lau, phi bao nhieu") == ("fee", "time")
    assert asked_parts("làm hộ chiếu") == ("all",)
    # "cần những thủ tục gì" asks what to prepare and what to do
    assert asked_parts("tách hộ cần những thủ tục gì, nộp tại đâu") == (
        "where", "documents", "steps"
    )


def test_a_name_mentioned_in_passing_covers_little_of_the_question(lookup) -> None:
    procedure = lookup.get("dang-ky-ket-hon")
    direct = lookup.question_share("đăng ký kết hôn cần giấy tờ gì", procedure)
    passing = lookup.question_share(
        "Năm ngoái tôi về quê làm đăng ký kết hôn, bây giờ muốn tách khẩu ra khỏi nhà bố mẹ "
        "đẻ để ở riêng với chồng ở tỉnh khác thì cần giấy tờ gì?",
        procedure,
    )
    assert direct > 0.8 and passing < 0.2
