"""The procedure catalogue in procedures/records: it loads, is complete, and the
schema rejects bad data with an error that names the file and the field."""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from procedures import (
    CHECK_PHRASE,
    RECORDS_DIR,
    ProcedureLoadError,
    check_catalogue,
    load_procedure_file,
    load_procedures,
    procedure_from_dict,
    procedure_to_dict,
)
from procedures.schema import (
    BIRTH_LINK_GROUP,
    DEATH_LINK_GROUP,
    ESSENTIAL_GROUP,
    POLICE_GROUP,
)

from .conftest import methods_unconfirmed

SHARED = Path(__file__).resolve().parents[3] / "shared"
FACTS_MD = SHARED / "FACTS.md"
SEEDS_DIR = SHARED / "seeds"
# sources the records cite beyond the fact sheet, in its line format
OWN_SOURCES_MD = RECORDS_DIR.parent / "SOURCES.md"

# The 25 essential online public services (Đề án 06 / Chỉ thị 24/CT-TTg), as listed in the
# fact sheet (section 2.1, rebuilt from press articles of 10/2025).
ESSENTIAL_SERVICES = [
    "Xác nhận số CMND khi đã được cấp thẻ CCCD",
    "Cấp lại, đổi thẻ CCCD",
    "Đăng ký thường trú",
    "Đăng ký tạm trú",
    "Khai báo tạm vắng",
    "Thông báo lưu trú",
    "Đăng ký, cấp biển số mô tô, xe gắn máy",
    "Nộp phạt vi phạm hành chính giao thông đường bộ phát hiện qua thiết bị ghi hình",
    "Cấp, cấp lại, sửa đổi, bổ sung hộ chiếu phổ thông",
    "Cấp Phiếu lý lịch tư pháp",
    "Làm con dấu mới và cấp giấy chứng nhận đăng ký mẫu dấu",
    "Làm con dấu thu nhỏ, dấu nổi, dấu xi và cấp GCN đăng ký mẫu con dấu",
    "Cấp, đổi, cấp lại giấy phép lái xe",
    "Đăng ký khai sinh",
    "Đăng ký khai tử",
    "Đăng ký kết hôn",
    "Liên thông: đăng ký khai sinh – đăng ký thường trú – cấp thẻ BHYT cho trẻ dưới 6 tuổi",
    "Liên thông: đăng ký khai tử – xóa đăng ký thường trú – trợ cấp mai táng phí",
    "Đăng ký biến động về quyền sử dụng đất",
    "Tích hợp tính giảm trừ mức đóng khi gia hạn thẻ BHYT theo hộ gia đình",
    "Đăng ký thuế lần đầu; đăng ký thay đổi thông tin đăng ký thuế (hộ gia đình, cá nhân)",
    "Cấp điện mới (từ lưới điện hạ áp)",
    "Thay đổi chủ thể hợp đồng mua bán điện",
    "Đăng ký dự thi tốt nghiệp THPT; đăng ký xét tuyển đại học, cao đẳng",
    "Giải quyết hưởng trợ cấp thất nghiệp",
]

# Procedures citizens ask most about at the police one-stop desk.
POLICE_IDS = [
    "cap-the-can-cuoc",
    "cap-doi-cap-lai-the-can-cuoc",
    "dang-ky-thuong-tru",
    "dang-ky-tam-tru",
    "thong-bao-luu-tru",
    "cap-phieu-ly-lich-tu-phap",
    "cap-doi-cap-lai-giay-phep-lai-xe",
    "dang-ky-tai-khoan-dinh-danh-dien-tu-muc-2",
]

MONEY = re.compile(r"\d[\d.,]*\s*(?:đ\b|đồng|vnđ)", re.IGNORECASE)
CIRCULAR = re.compile(r"\d+/\d{4}/TT-BTC")


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces: how users type without a Vietnamese IME."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def procedures():
    return load_procedures(RECORDS_DIR)


@pytest.fixture(scope="module")
def by_id(procedures):
    return {p.id: p for p in procedures}


def _wholly_unconfirmed(procedure) -> bool:
    """Every filing method (two at least) sent to the one-stop desk, the first document too."""
    documents = procedure.documents
    first_document_flagged = bool(documents) and documents[0].check_with_one_stop
    return (
        len(procedure.filing_methods) >= 2
        and first_document_flagged
        and methods_unconfirmed(procedure)
    )


@pytest.fixture
def sample(procedures):
    """A valid record as plain data, to be broken by each test: one whose fee and time limit
    are still unconfirmed (records gain confirmed values over time, so none is named)."""
    chosen = next(p for p in sorted(procedures, key=lambda p: p.id) if _wholly_unconfirmed(p))
    return copy.deepcopy(procedure_to_dict(chosen))


# ---------------------------------------------------------------- the catalogue


def test_all_records_load_and_there_are_at_least_25(procedures):
    files = sorted(RECORDS_DIR.glob("*.yml"))
    assert len(procedures) == len(files) >= 25


def test_ids_are_unique_and_match_file_names(procedures):
    ids = [p.id for p in procedures]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(f.stem for f in RECORDS_DIR.glob("*.yml"))


def test_codes_are_unique_where_present(procedures):
    codes = [p.code for p in procedures if p.code]
    assert codes, "at least the code given in the fact sheet (1.007073) is expected"
    assert len(codes) == len(set(codes))


def test_every_essential_service_is_present_once(procedures):
    essential = [p for p in procedures if ESSENTIAL_GROUP in p.group]
    assert len(essential) == 25
    names = {p.id: {fold(p.name), *(fold(a) for a in p.aliases)} for p in essential}
    missing, ambiguous = [], []
    matched = set()
    for service in ESSENTIAL_SERVICES:
        hits = [pid for pid, forms in names.items() if fold(service) in forms]
        if not hits:
            missing.append(service)
        elif len(hits) > 1:
            ambiguous.append((service, hits))
        matched.update(hits)
    assert not missing, f"essential services without a record: {missing}"
    assert not ambiguous, ambiguous
    assert len(matched) == 25


def test_essential_services_are_filed_online_on_vneid_or_the_portal(procedures):
    for p in procedures:
        if ESSENTIAL_GROUP not in p.group:
            continue
        assert "online" in {m.method for m in p.filing_methods}, p.id
        kinds = {w.kind for w in p.where_to_file}
        assert {"vneid", "national_portal"} <= kinds, p.id
        assert any("01/10/2025" in c for c in p.changes_2025), p.id


def test_linked_groups_are_present(by_id):
    birth = by_id["lien-thong-khai-sinh-thuong-tru-bhyt"]
    assert BIRTH_LINK_GROUP in birth.group and ESSENTIAL_GROUP in birth.group
    assert len(birth.steps) == 4
    death = by_id["lien-thong-khai-tu-xoa-thuong-tru-mai-tang-phi"]
    assert DEATH_LINK_GROUP in death.group and ESSENTIAL_GROUP in death.group
    coded = by_id["lien-thong-khai-tu-xoa-thuong-tru"]
    assert coded.code == "1.007073" and DEATH_LINK_GROUP in coded.group
    # the three-procedure group has no code of its own in the fact sheet
    assert death.code is None


def test_police_one_stop_procedures_are_present(by_id):
    for pid in POLICE_IDS:
        assert pid in by_id, pid
        assert POLICE_GROUP in by_id[pid].group, pid


def test_every_record_has_a_no_diacritics_alias(procedures):
    for p in procedures:
        assert any(a.isascii() for a in p.aliases), p.id


def test_every_record_cites_at_least_one_source(procedures):
    for p in procedures:
        assert p.sources, p.id
        assert all(re.fullmatch(r"[SG]\d+", s.id) for s in p.sources), p.id


def test_round_trip_through_dict_and_json(procedures):
    for p in procedures:
        data = procedure_to_dict(p)
        assert procedure_from_dict(data) == p
        assert procedure_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == p


# ------------------------------------------------ nothing unconfirmed is stated


def _raw_records():
    for path in sorted(RECORDS_DIR.glob("*.yml")):
        yield path, yaml.safe_load(path.read_text(encoding="utf-8"))


def test_no_fee_or_time_limit_is_stated_while_flagged():
    """Read straight from YAML, so the check does not depend on the schema."""
    flagged = 0
    for path, data in _raw_records():
        for method in data.get("filing_methods") or []:
            if method.get("check_with_one_stop"):
                flagged += 1
                assert method.get("fee") in (None, ""), f"{path.name}: {method}"
                assert method.get("time_limit") in (None, ""), f"{path.name}: {method}"
                assert CHECK_PHRASE.lower() in (method.get("note") or "").lower(), path.name
        for document in data.get("documents") or []:
            if document.get("check_with_one_stop"):
                assert document.get("quantity") is None, path.name
                assert document.get("original_or_copy") is None, path.name
    assert flagged > 0


def test_missing_fee_or_time_limit_is_always_sent_to_the_one_stop(procedures):
    for p in procedures:
        for m in p.filing_methods:
            if m.fee is None or m.time_limit is None:
                assert CHECK_PHRASE.lower() in (m.note or "").lower(), (p.id, m.method)


def test_a_money_amount_names_the_circular_that_sets_it(procedures):
    # an amount is stated only with its legal source (the fee circular), so it can be checked
    for p in procedures:
        for m in p.filing_methods:
            if MONEY.search(m.fee or ""):
                assert CIRCULAR.search(m.fee), (p.id, m.fee)


def test_incomplete_records_say_what_to_verify(procedures):
    for p in procedures:
        if not (p.documents and p.steps and p.filing_methods and p.result and p.legal_basis):
            assert p.to_verify, p.id


# ----------------------------------------------------------------- invalid data


def _error(data, origin="record.yml") -> str:
    with pytest.raises(ProcedureLoadError) as info:
        procedure_from_dict(data, origin=origin)
    return str(info.value)


def test_missing_name_is_reported(sample):
    del sample["name"]
    message = _error(sample)
    assert "record.yml" in message and "field 'name'" in message


def test_blank_name_is_reported(sample):
    sample["name"] = "   "
    assert "field 'name'" in _error(sample)


def test_bad_method_is_reported(sample):
    sample["filing_methods"][0]["method"] = "fax"
    assert "field 'filing_methods.0.method'" in _error(sample)


@pytest.mark.parametrize("value", ["01/07/2025", "2025-02-30", "2025-7-1", 20250701, "hôm nay"])
def test_bad_date_is_reported(sample, value):
    sample["valid_from"] = value
    assert "field 'valid_from'" in _error(sample)


def test_date_time_is_not_a_date(sample):
    sample["last_reviewed"] = datetime(2026, 1, 1, 10, 30)
    assert "field 'last_reviewed'" in _error(sample)


def test_bad_source_date_is_reported(sample):
    sample["sources"][0]["date"] = "2025-13"
    assert "field 'sources.0.date'" in _error(sample)


def test_valid_to_before_valid_from_is_reported(sample):
    sample["valid_from"], sample["valid_to"] = "2025-10-01", "2025-01-01"
    assert "valid_to" in _error(sample)


def test_record_without_sources_is_reported(sample):
    sample["sources"] = []
    assert "field 'sources'" in _error(sample)


def test_unknown_field_is_reported(sample):
    sample["lệ_phí"] = "50.000 đồng"
    assert "lệ_phí" in _error(sample)


def test_bad_code_is_reported(sample):
    sample["code"] = "KS-01"
    assert "field 'code'" in _error(sample)


def test_flagged_method_must_not_state_a_fee(sample):
    method = sample["filing_methods"][0]
    assert method["check_with_one_stop"] is True
    method["fee"] = "20.000 đồng"
    message = _error(sample)
    assert "filing_methods.0" in message and "fee" in message


def test_unflagged_method_needs_a_value(sample):
    method = sample["filing_methods"][0]
    method["check_with_one_stop"] = False
    assert "check_with_one_stop" in _error(sample)


def test_flagged_method_must_send_the_reader_to_the_one_stop(sample):
    sample["filing_methods"][0]["note"] = "Chưa rõ."
    assert "note" in _error(sample)


def test_flagged_document_must_not_state_a_quantity(sample):
    sample["documents"][0]["quantity"] = 2
    message = _error(sample)
    assert "documents.0" in message and "quantity" in message


def test_gaps_without_to_verify_are_reported(sample):
    sample["result"] = None
    sample["to_verify"] = []
    assert "to_verify" in _error(sample)


def test_duplicate_ids_are_reported(by_id):
    a = by_id["dang-ky-khai-sinh"]
    with pytest.raises(ProcedureLoadError, match="field 'id'"):
        check_catalogue([a, a.model_copy()], ["a.yml", "b.yml"])


def test_duplicate_ids_in_a_directory_are_reported(tmp_path, sample):
    for name in (f"{sample['id']}.yml", f"{sample['id']}.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProcedureLoadError, match=r"field 'id': duplicate id"):
        load_procedures(tmp_path)


def test_duplicate_codes_are_reported(by_id):
    a = by_id["lien-thong-khai-tu-xoa-thuong-tru"]
    b = by_id["dang-ky-khai-tu"].model_copy(update={"code": a.code})
    with pytest.raises(ProcedureLoadError, match="field 'code'"):
        check_catalogue([a, b], ["a.yml", "b.yml"])


def test_unknown_related_id_is_reported(tmp_path, sample):
    sample["related"] = ["khong-co-thu-tuc-nay"]
    (tmp_path / f"{sample['id']}.yml").write_text(
        yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(ProcedureLoadError, match="field 'related'"):
        load_procedures(tmp_path)


def test_file_errors_name_the_file_and_the_field(tmp_path, sample):
    sample["filing_methods"][1]["method"] = "email"
    path = tmp_path / f"{sample['id']}.yml"
    path.write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProcedureLoadError) as info:
        load_procedures(tmp_path)
    assert str(path) in str(info.value)
    assert "field 'filing_methods.1.method'" in str(info.value)


def test_id_must_match_the_file_name(tmp_path, sample):
    path = tmp_path / "ten-khac.yml"
    path.write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProcedureLoadError, match="field 'id'"):
        load_procedure_file(path)


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "hong.yml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProcedureLoadError, match="hong.yml"):
        load_procedures(tmp_path)


def test_a_list_is_not_a_record(tmp_path):
    path = tmp_path / "danh-sach.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ProcedureLoadError, match="mapping"):
        load_procedures(tmp_path)


# ------------------------------------------- checks against the shared fact sheet


@pytest.mark.skipif(not FACTS_MD.is_file(), reason="shared fact sheet not available")
def test_sources_and_codes_are_as_given_in_the_fact_sheet(procedures):
    facts = FACTS_MD.read_text(encoding="utf-8")
    lines = dict(re.findall(r"^- \[([SG]\d+)\] (.+)$", facts, re.M))
    own = dict(re.findall(r"^- \[(S\d+)\] (.+)$", OWN_SOURCES_MD.read_text("utf-8"), re.M))
    assert not set(own) & set(lines), "the records' own source ids must not reuse the sheet's"
    lines |= own
    for p in procedures:
        for s in p.sources:
            assert s.id in lines, (p.id, s.id)
            assert s.url in lines[s.id], (p.id, s.id, s.url)
        if p.code:
            assert p.code in facts, (p.id, p.code)


def _shingles(text: str, n: int = 12) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed articles not available")
def test_no_twelve_word_run_is_copied_from_the_seed_articles():
    seed: set[str] = set()
    for path in SEEDS_DIR.glob("*.txt"):
        seed |= _shingles(path.read_text(encoding="utf-8", errors="ignore"))
    assert seed
    ours = [
        *RECORDS_DIR.parent.rglob("*.yml"),
        *RECORDS_DIR.parent.rglob("*.py"),
        *RECORDS_DIR.parent.rglob("*.md"),
        Path(__file__),
    ]
    for path in ours:
        common = _shingles(path.read_text(encoding="utf-8")) & seed
        assert not common, f"{path}: {sorted(common)[:3]}"
