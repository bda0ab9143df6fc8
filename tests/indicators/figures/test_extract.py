"""Extraction on short synthetic report sentences (written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.figures.extract import extract_figures

D = dt.date


def one(text, **kw):
    found = extract_figures(text, **kw)
    assert len(found) == 1, [(o.indicator, o.value) for o in found]
    return found[0]


def test_fraction_with_percentage_is_one_rate_observation():
    text = (
        "Tính đến ngày 31/10/2023, tỉnh Nam Định cung cấp dịch vụ công trực tuyến cho "
        "1.500/1.600 thủ tục hành chính, đạt tỷ lệ 93,75%."
    )
    o = one(text)
    assert (o.province, o.indicator, o.value, o.unit) == (
        "nam-dinh",
        "online_services_rate",
        93.75,
        "%",
    )
    assert (o.numerator, o.denominator, o.as_of) == (1500, 1600, D(2023, 10, 31))
    assert o.province_code == "old:nam-dinh"
    assert text[o.start : o.end] == o.quote and "1.500/1.600" in o.quote


def test_registration_and_activation_with_targets_and_rank():
    text = (
        "Đến hết tháng 9/2023, tỉnh Lạng Sơn đã thu nhận 300.000 tài khoản/250.000 chỉ tiêu "
        "giao, đạt tỷ lệ 120%; kích hoạt 210.000 tài khoản, đạt 84%, đứng thứ 7/63 tỉnh, "
        "thành phố."
    )
    reg, act = extract_figures(text)
    # against the assigned target: its own measure, never one series with the base rate
    assert (reg.indicator, reg.value, reg.numerator, reg.target) == (
        "eid_registration_target_rate",
        120,
        300000,
        250000,
    )
    assert (act.indicator, act.value, act.numerator, act.rank, act.rank_out_of) == (
        "eid_activation_rate",
        84,
        210000,
        7,
        63,
    )
    assert reg.period_start == D(2023, 9, 1) and reg.period_end == D(2023, 9, 30)


def test_counts_with_unit_nouns():
    text = (
        "Năm 2023, tỉnh Yên Bái đã hoàn thành 20/25 nhiệm vụ, còn 3 nhiệm vụ chậm tiến độ "
        "và 2 nhiệm vụ đang triển khai."
    )
    got = {(o.indicator, o.value, o.denominator) for o in extract_figures(text)}
    assert got == {
        ("plan_tasks_completed", 20, 25),
        ("plan_tasks_overdue", 3, None),
        ("plan_tasks_in_progress", 2, None),
    }


def test_task_subcategories_without_indicator_are_skipped():
    text = (
        "Kế hoạch năm 2024 của tỉnh Sơn La có 40 nhiệm vụ (15 nhiệm vụ chung, 25 nhiệm vụ riêng)."
    )
    got = [(o.indicator, o.value) for o in extract_figures(text)]
    assert got == [("plan_tasks_assigned", 40)]


@pytest.mark.parametrize(
    ("text", "indicator", "value"),
    [
        (
            "Quý III/2023, tỷ lệ hồ sơ trực tuyến của tỉnh Lào Cai đạt 61,3%.",
            "online_applications_rate",
            61.3,
        ),
        (
            "Trong quý III/2023, tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC của tỉnh Lào Cai "
            "đạt 72,5%.",
            "digitization_rate",
            72.5,
        ),
        (
            "Năm 2023, tỷ lệ DVC toàn trình của tỉnh Bến Tre đạt 55,2%.",
            "online_services_full_rate",
            55.2,
        ),
        (
            "Năm 2023 tỉnh Trà Vinh có 410 dịch vụ công trực tuyến một phần.",
            "online_services_partial_count",
            410,
        ),
        (
            "Tại Thái Bình, tỷ lệ chi trả an sinh xã hội bằng hình thức không dùng tiền mặt "
            "đạt 87% trong 6 tháng đầu năm 2024.",
            "cashless_welfare_rate",
            87,
        ),
        (
            "Đến ngày 15/5/2024, Công an tỉnh Nghệ An đã làm sạch 2.345.000 trường hợp dữ liệu "
            "dân cư, đạt 98,2%.",
            "population_data_cleaned_rate",
            98.2,
        ),
        (
            "Năm 2022, 100% cơ sở khám chữa bệnh tại tỉnh Hậu Giang dùng CCCD gắn chip.",
            "health_facilities_cccd_rate",
            100,
        ),
        (
            "Năm 2023, tỉnh Sóc Trăng đã triển khai 20/25 dịch vụ công thiết yếu.",
            "essential_services_deployed",
            20,
        ),
        (
            "tinh Ha Giang da cap 450.000 the can cuoc cong dan tinh den ngay 01/09/2023.",
            "cccd_cards_issued",
            450000,
        ),
        (
            "Năm 2023, tỉnh Bình Dương có gần 1,2 triệu tài khoản định danh điện tử đã được kích "
            "hoạt.",
            "eid_activated",
            1_200_000,
        ),
    ],
)
def test_indicator_families(text, indicator, value):
    o = one(text)
    assert (o.indicator, o.value) == (indicator, value)


def test_rank_only_observation_uses_rank_as_value():
    o = one(
        "Năm 2023, Bộ chỉ số phục vụ người dân, doanh nghiệp của tỉnh Quảng Ninh xếp thứ "
        "2 toàn quốc."
    )
    assert (o.indicator, o.value, o.unit, o.rank, o.rank_out_of) == (
        "service_index",
        2,
        "hạng",
        2,
        63,
    )


def test_rank_out_of_follows_the_number_of_units_in_force():
    o = one(
        "Trong 6 tháng đầu năm 2026, tỷ lệ hồ sơ trực tuyến của tỉnh Gia Lai đạt 70%, "
        "xếp thứ 5 cả nước."
    )
    assert (o.rank, o.rank_out_of, o.province_code) == (5, 34, "gia-lai")


def test_two_provinces_in_one_sentence():
    text = (
        "Hà Nội đạt 92% còn TP.HCM đạt 89% về tỷ lệ kích hoạt tài khoản định danh điện tử "
        "(tính đến 31/12/2023)."
    )
    got = [(o.province, o.indicator, o.value, o.as_of) for o in extract_figures(text)]
    assert got == [
        ("ha-noi", "eid_activation_rate", 92, D(2023, 12, 31)),
        ("ho-chi-minh", "eid_activation_rate", 89, D(2023, 12, 31)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Phấn đấu đến hết năm 2024, 100% hồ sơ được số hóa tại tỉnh Phú Yên.",
        "Tiếp tục rà soát, bảo đảm hoàn thành 100% nhiệm vụ năm 2024 của tỉnh Phú Yên.",
        "Năm 2024, tỉnh Phú Yên yêu cầu tỷ lệ hồ sơ trực tuyến đạt từ 60% trở lên.",
        "Năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh Phú Yên tăng 12,5% so với năm 2022.",
        "Năm 2023, tỉnh Phú Yên ban hành 25 văn bản chỉ đạo và tổ chức 3 hội nghị.",
        "Tỉnh Phú Yên tập trung triển khai 25 dịch vụ công thiết yếu trong năm 2023.",
        "Người đứng đầu tỉnh Phú Yên chủ trì hội nghị năm 2023 theo Quyết định số 06/QĐ-TTg.",
    ],
)
def test_aims_changes_and_non_indicators_are_skipped(text):
    assert extract_figures(text) == []


def test_citation_date_is_not_the_as_of_date():
    text = (
        "Năm 2023, tỉnh Kiên Giang có 600 dịch vụ công toàn trình theo Nghị quyết số "
        "01/NQ-CP ngày 06/01/2023."
    )
    o = one(text)
    assert o.as_of is None and (o.period_start, o.period_end) == (D(2023, 1, 1), D(2023, 12, 31))


def test_paragraph_and_document_dates_and_doc_meta_province():
    text = (
        "Sơ kết 6 tháng đầu năm 2023\n\n"
        "Kết quả nổi bật như sau.\n"
        "Đã hoàn thành 12/30 nhiệm vụ được giao.\n"
        "Ngày 20/6/2023, xong việc cấp thẻ căn cước công dân cho 100% số người đủ điều kiện."
    )
    tasks, cccd = extract_figures(text, doc_meta={"province": "Phú Yên"})
    assert (tasks.indicator, tasks.province, tasks.period_end) == (
        "plan_tasks_completed",
        "phu-yen",
        D(2023, 6, 30),
    )
    assert tasks.evidence["date_via"] == "document"
    assert tasks.evidence["province_via"] == "meta"
    assert (cccd.indicator, cccd.as_of) == ("cccd_coverage_rate", D(2023, 6, 20))


def test_doc_meta_period_is_used_when_text_has_no_date():
    o = one("Tỉnh Quảng Bình đã số hóa 85.000 hồ sơ.", doc_meta={"period": "quý II/2024"})
    assert (o.indicator, o.period_start, o.period_end) == (
        "digitized_records",
        D(2024, 4, 1),
        D(2024, 6, 30),
    )


def test_repeated_figure_is_merged_with_most_precise_date():
    text = (
        "Năm 2023, tỷ lệ DVC toàn trình của tỉnh Bắc Kạn đạt 80,5%.\n"
        "Tính đến ngày 01/12/2023, tỉnh có 500 dịch vụ công toàn trình, đạt tỷ lệ 80,5%."
    )
    o = one(text)
    assert (o.as_of, o.numerator) == (D(2023, 12, 1), 500)


def test_total_becomes_denominator():
    text = (
        "Năm 2023, tổng số hồ sơ tỉnh Cao Bằng tiếp nhận là 10.000 hồ sơ, trong đó tiếp "
        "nhận trực tuyến 6.500 hồ sơ, đạt 65%."
    )
    o = one(text)
    assert (o.indicator, o.value, o.numerator, o.denominator) == (
        "online_applications_rate",
        65,
        6500,
        10000,
    )


def test_proposals_serialise_to_json():
    o = one("Năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh Lai Châu đạt 50%.")
    data = o.model_dump(mode="json")
    assert data["period_start"] == "2023-01-01" and data["province"] == "lai-chau"


def test_level_number_is_not_a_count_and_rank_joins_across_a_date():
    text = (
        "Tỉnh Vĩnh Phúc: tỷ lệ kích hoạt định danh điện tử mức 2 đạt 78,3% (đến 30/9/2023), "
        "xếp thứ 12 toàn quốc."
    )
    o = one(text)
    assert (o.indicator, o.value, o.numerator, o.rank, o.rank_out_of, o.as_of) == (
        "eid_activation_rate",
        78.3,
        None,
        12,
        63,
        D(2023, 9, 30),
    )


def test_total_of_procedures_is_not_an_online_service_count():
    text = "Năm 2023, tỉnh Đồng Tháp có tổng cộng 1.345 thủ tục hành chính."
    assert extract_figures(text) == []
