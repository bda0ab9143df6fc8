"""Vietnamese answers rendered from procedure records: the part asked, the source line, and
nothing the record does not state."""

from __future__ import annotations

import copy
import json
import re

import pytest

from procedures import CHECK_PHRASE, procedure_from_dict, procedure_to_dict
from procedures.lookup import PARTS
from procedures.render import METHOD_LABELS, format_date, render, render_choice, render_parts
from vntext.citations import short_title

from .conftest import methods_unconfirmed

MONEY = re.compile(r"\d[\d.,]*\s*(?:đ\b|đồng|vnđ|nghìn|ngàn|triệu)", re.IGNORECASE)
MARKDOWN = re.compile(r"\*\*|__|^#|`|^\s*>", re.MULTILINE)


def numbers(text: str) -> set[str]:
    """Numbers said in ``text``, leaving out step numbers and the count of other sources."""
    text = re.sub(r"^\d+\. ", "", text, flags=re.MULTILINE)
    text = re.sub(r"và \d+ nguồn khác", "", text)
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}


def stated_fees(procedure) -> bool:
    """Whether the record states an amount (with the circular that sets it)."""
    return any(MONEY.search(m.fee or "") for m in procedure.filing_methods)


@pytest.fixture
def confirmed(procedure_by_id):
    """A record with everything confirmed: no flags, nothing to verify."""
    data = copy.deepcopy(procedure_to_dict(procedure_by_id["dang-ky-khai-sinh"]))
    data["filing_methods"] = [
        {"method": "online", "time_limit": "Trong ngày làm việc.", "fee": "Miễn lệ phí."},
        {"method": "in_person", "time_limit": "Trong 3 ngày làm việc.", "fee": "Miễn lệ phí."},
    ]
    data["documents"] = [
        {"name": "Tờ khai đăng ký khai sinh", "original_or_copy": "bản chính", "quantity": 1,
         "form": "mẫu tờ khai"},
        {"name": "Giấy chứng sinh", "original_or_copy": "bản chính hoặc bản sao", "quantity": 2},
    ]
    data["to_verify"] = []
    data["code"] = "1.234567"
    return procedure_from_dict(data)


# ------------------------------------------------------------- every record


def test_every_answer_is_plain_text_cites_its_source_and_invents_no_number(all_procedures):
    for procedure in all_procedures:
        record_text = json.dumps(procedure_to_dict(procedure), ensure_ascii=False)
        allowed = numbers(record_text)
        for part in PARTS:
            for audience in ("citizen", "staff"):
                text = render(procedure, part, audience)
                where = (procedure.id, part, audience)
                assert not MARKDOWN.search(text), where
                if audience == "citizen" and not stated_fees(procedure):
                    assert not MONEY.search(text), where  # staff's to_verify may cite one
                # every number said (amounts, days, dates) comes from the record itself
                assert numbers(text) <= allowed, (where, numbers(text) - allowed)
                assert "Nguồn:" in text, where
            citizen = render(procedure, part)
            assert citizen.splitlines()[-1].startswith("Nguồn: "), (procedure.id, part)
            # the first source as cited to a reader: its title without the editor's notes
            assert short_title(procedure.sources[0].title) in citizen.splitlines()[-1]


def test_flagged_records_send_the_citizen_to_the_one_stop(all_procedures):
    for procedure in all_procedures:
        flagged = procedure.to_verify or any(
            x.check_with_one_stop for x in (*procedure.filing_methods, *procedure.documents)
        )
        if not flagged:
            continue
        for part in PARTS:
            assert "kiểm tra với Bộ phận một cửa" in render(procedure, part), (procedure.id, part)


def test_answers_are_short_and_polite(procedure_by_id):
    text = render(procedure_by_id["dang-ky-khai-sinh"], "documents")
    assert "anh/chị" in text
    assert len(text.splitlines()) <= 12
    assert CHECK_PHRASE not in text  # the per-item phrase is said once, in the closing line


# ---------------------------------------------------------------- the part asked


def test_documents_checklist(procedure_by_id):
    procedure = procedure_by_id["dang-ky-khai-sinh"]
    text = render(procedure, "documents")
    boxes = [line for line in text.splitlines() if line.startswith("☐ ")]
    assert len(boxes) == len(procedure.documents)
    assert boxes[1].startswith("☐ Giấy chứng sinh (*)")
    assert "Thời hạn" not in text and "Lệ phí" not in text
    assert "bản chính hay bản sao và số lượng" in text and "Bộ phận một cửa" in text


def test_documents_state_original_or_copy_and_quantity_when_confirmed(confirmed):
    text = render(confirmed, "documents")
    assert "☐ Tờ khai đăng ký khai sinh – theo mẫu tờ khai – bản chính, 1 bản" in text
    assert "☐ Giấy chứng sinh – bản chính hoặc bản sao, 2 bản" in text
    assert "(*)" not in text and "Lưu ý" not in text  # nothing to verify: no closing warning
    assert text.splitlines()[0] == "Đăng ký khai sinh (mã thủ tục 1.234567)"


def test_steps_are_numbered(procedure_by_id):
    procedure = procedure_by_id["dang-ky-thuong-tru"]
    text = render(procedure, "steps")
    for i, step in enumerate(procedure.steps, start=1):
        assert f"{i}. {step}" in text
    assert "☐" not in text


def test_fee_per_filing_method_is_the_record_s_own(procedure_by_id):
    """Each filing method shows its own fee, or says it is not confirmed (a record whose
    methods mix both is picked: records gain confirmed values over time)."""
    procedure = next(
        p for p in sorted(procedure_by_id.values(), key=lambda p: p.id)
        if len({m.fee is None for m in p.filing_methods}) == 2
        and all(m.method in METHOD_LABELS for m in p.filing_methods)
    )
    text = render(procedure, "fee")
    for method in procedure.filing_methods:
        label = METHOD_LABELS[method.method]
        stated = method.fee if method.fee else "chưa có thông tin được xác nhận"
        assert f"- {label}: {stated}" in text, method.method
        if method.time_limit:
            assert method.time_limit not in text  # the fee was asked, not the time
    assert "Lưu ý: lệ phí chưa được xác nhận đầy đủ" in text


def _unconfirmed_online(procedures):
    """A record whose every filing method, online first, still has no confirmed fee or time
    limit (records gain confirmed values over time, so none is named)."""
    return next(
        p for p in sorted(procedures, key=lambda p: p.id)
        if methods_unconfirmed(p) and p.filing_methods[0].method == "online"
    )


def test_no_fee_is_stated_when_the_record_gives_none(procedure_by_id):
    procedure = _unconfirmed_online(procedure_by_id.values())
    assert all(m.fee is None for m in procedure.filing_methods)
    text = render(procedure, "fee")
    assert text.count("chưa có thông tin được xác nhận") == len(procedure.filing_methods)
    assert "kiểm tra với Bộ phận một cửa" in text
    assert not MONEY.search(text)


def test_time_per_filing_method(procedure_by_id, confirmed):
    text = render(confirmed, "time")
    assert "- Nộp trực tuyến: Trong ngày làm việc." in text
    assert "- Nộp trực tiếp: Trong 3 ngày làm việc." in text
    linked = procedure_by_id["lien-thong-khai-tu-xoa-thuong-tru"]  # no filing method at all
    text = render(linked, "time")
    assert "Thời hạn giải quyết: chưa có thông tin được xác nhận." in text
    assert "(mã thủ tục 1.007073)" in text


def test_where_and_online(procedure_by_id):
    procedure = procedure_by_id["thong-bao-luu-tru"]
    where = render(procedure, "where")
    for place in procedure.where_to_file:
        assert f"- {place.label}" in where
    assert procedure.implementing_agency in where
    online = render(procedure, "online")
    assert "Anh/chị có thể nộp hồ sơ trực tuyến" in online
    assert procedure.portal_path in online
    # records gain confirmed channels over time, so none is named: any record without an
    # online filing method must say so rather than invent one
    offline = next(
        p
        for _, p in sorted(procedure_by_id.items())
        if p.filing_methods and not any(m.method == "online" for m in p.filing_methods)
    )
    assert "Nộp trực tuyến: chưa có thông tin được xác nhận" in render(offline, "online")


def test_legal_basis(procedure_by_id):
    procedure = procedure_by_id["cap-doi-cap-lai-the-can-cuoc"]
    text = render(procedure, "legal_basis")
    assert "- 26/2023/QH15 – Luật Căn cước" in text and "(ngày 27/11/2023)" in text
    assert len([line for line in text.splitlines() if line.startswith("- ")]) == len(
        procedure.legal_basis
    )


def test_all_parts_together(procedure_by_id):
    text = render(procedure_by_id["dang-ky-khai-sinh"], "all")
    for heading in ("Nơi nộp hồ sơ:", "Hồ sơ cần chuẩn bị:", "Các bước thực hiện:",
                    "Thời hạn giải quyết:", "Lệ phí:"):
        assert heading in text


def test_source_line(procedure_by_id, confirmed):
    procedure = procedure_by_id["cap-doi-cap-lai-the-can-cuoc"]
    last = render(procedure, "fee").splitlines()[-1]
    first, second = procedure.sources[:2]
    assert last.startswith(f"Nguồn: {first.title} ({format_date(first.date)}); {second.title}")
    assert f"và {len(procedure.sources) - 2} nguồn khác" in last
    assert f"rà soát ngày {format_date(procedure.last_reviewed)}" in last


# ------------------------------------------------------------------- staff


def test_staff_format(procedure_by_id):
    procedure = procedure_by_id["cap-doi-cap-lai-the-can-cuoc"]
    text = render(procedure, "all", audience="staff")
    assert "Căn cứ pháp lý:" in text and "73/2024/TT-BTC" in text
    for method in procedure.filing_methods:
        assert f"- {METHOD_LABELS[method.method]}" in text
        assert f"Thời hạn: {method.time_limit}" in text and f"Lệ phí: {method.fee}" in text
    assert "Mức độ dịch vụ công trực tuyến: chưa xác nhận" in text
    assert "Thay đổi năm 2025:" in text
    for change in procedure.changes_2025 + procedure.to_verify:
        assert change in text
    for source in procedure.sources:
        assert source.url in text


def test_staff_format_marks_unconfirmed_methods(procedure_by_id):
    text = render(_unconfirmed_online(procedure_by_id.values()), "fee", audience="staff")
    assert "- Nộp trực tuyến [cần kiểm tra với Bộ phận một cửa]" in text
    assert "Thời hạn: chưa xác nhận" in text and "Lệ phí: chưa xác nhận" in text


def test_bad_arguments_are_refused(procedure_by_id):
    procedure = procedure_by_id["dang-ky-khai-sinh"]
    with pytest.raises(ValueError):
        render(procedure, "price")
    with pytest.raises(ValueError):
        render(procedure, "fee", audience="admin")  # type: ignore[arg-type]


def test_choice_question(procedure_by_id):
    text = render_choice([procedure_by_id["cap-the-can-cuoc"],
                          procedure_by_id["cap-doi-cap-lai-the-can-cuoc"]])
    assert text.startswith("Anh/chị đang hỏi về thủ tục nào")
    assert "1. Cấp thẻ căn cước" in text and "2. Cấp đổi, cấp lại thẻ căn cước" in text


def test_a_question_asking_two_parts_gets_both_under_one_heading(procedure_by_id):
    procedure = procedure_by_id["dang-ky-khai-sinh"]
    both = render_parts(procedure, ("documents", "where"))
    assert both.count(procedure.name) == 1 and both.count("Nguồn:") == 1
    assert "Hồ sơ cần chuẩn bị" in both and "Nơi nộp hồ sơ" in both
    assert render_parts(procedure, ("documents",)) == render(procedure, "documents")
    with pytest.raises(ValueError):
        render_parts(procedure, ("documents", "colour"))


def test_every_part_answered_names_who_decides_once(procedure_by_id):
    procedure = procedure_by_id["cap-phieu-ly-lich-tu-phap"]
    line = f"Cơ quan giải quyết: {procedure.implementing_agency}."
    for part in ("documents", "fee", "where", "all"):
        assert render(procedure, part).count(line) == 1, part
    assert render(procedure, "documents").splitlines()[1] == line
