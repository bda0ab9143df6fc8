"""Queries, Vietnamese formatting and charts."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators import add_observation, compare, latest, ranking, trend
from indicators.charts import NoDataError, chart_provinces, chart_trend
from indicators.format import (
    format_answer,
    format_date,
    format_figure,
    format_number,
)
from indicators.query import UnknownNameError, indicator_of, province_of

from .conftest import obs


@pytest.fixture
def filled(db_url):
    add_observation(db_url, obs(value=96.9, numerator=1818, denominator=1876), by="t")
    add_observation(db_url, obs(value=80.0, as_of=dt.date(2023, 6, 30)), by="t")
    add_observation(db_url, obs("old:bac-kan", value=91.2), by="t")
    add_observation(db_url, obs("old:ha-noi", value=99.1, as_of=None,
                                period_start=dt.date(2024, 1, 1),
                                period_end=dt.date(2024, 12, 31)), by="t")
    return db_url


def test_latest_compare_ranking_trend(filled):
    fig = latest(filled, "Hà Giang", "online_services_rate")
    assert fig.value == 96.9 and fig.current.name == "Tuyên Quang" and fig.merged
    assert latest(filled, "Hà Giang", "online_services_rate", period="2023-H1").value == 80.0
    # an unchanged unit answers with its pre-merger data
    assert latest(filled, "Hà Nội", "online_services_rate").value == 99.1
    pairs = compare(filled, "online_services_rate", ["Hà Giang", "Bắc Kạn", "Lai Châu"])
    assert [(p.name, f and f.value) for p, f in pairs] == [
        ("Hà Giang", 96.9), ("Bắc Kạn", 91.2), ("Lai Châu", None)]
    assert [f.province.name for f in ranking(filled, "online_services_rate")] == [
        "Hà Nội", "Hà Giang", "Bắc Kạn"]
    assert [f.value for f in ranking(filled, "online_services_rate", period="2023")] == [
        96.9, 91.2]
    assert [f.value for f in trend(filled, "ha giang", "online_services_rate")] == [80.0, 96.9]


def test_unknown_names(filled):
    with pytest.raises(UnknownNameError, match="Không tìm thấy tỉnh"):
        latest(filled, "Atlantis", "online_services_rate")
    with pytest.raises(UnknownNameError, match="Không tìm thấy chỉ tiêu"):
        latest(filled, "Hà Giang", "không có chỉ tiêu này")


def test_number_and_date_format():
    assert format_number(96.9) == "96,9"
    assert format_number(1818) == "1.818"
    assert format_number(1234567.5) == "1.234.567,5"
    assert format_number(100.0) == "100"
    assert format_number(0.126) == "0,13"
    assert format_date(dt.date(2023, 12, 3)) == "03/12/2023"


def test_answer_line(filled):
    line = format_figure(latest(filled, "Hà Giang", "online_services_rate"))
    assert line.startswith(
        "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến của Hà Giang đạt 96,9% "
        "(1.818/1.876 thủ tục), tính đến 03/12/2023 — nguồn: Báo cáo thử nghiệm."
    )
    assert "Hà Giang nay thuộc tỉnh Tuyên Quang (từ 01/07/2025)." in line
    hn = format_figure(latest(filled, "Hà Nội", "online_services_rate"))
    assert "đạt 99,1%, năm 2024" in hn and "nay thuộc" not in hn


def test_no_data_sentence(db_url):
    province, indicator = province_of("Hà Giang"), indicator_of("online_services_full_rate")
    text = format_answer(latest(db_url, province, indicator), province, indicator)
    assert text.startswith("Hiện chưa có số liệu")
    assert "Tuyên Quang" in text and not any(ch.isdigit() for ch in text.split(".")[0])


def test_charts(filled):
    bar = chart_provinces(filled, "online_services_rate")
    assert bar.startswith(b"\x89PNG")
    assert chart_provinces(filled, "online_services_rate", ["Hà Giang", "Bắc Kạn"]).startswith(
        b"\x89PNG")
    assert chart_trend(filled, "Hà Giang", "online_services_rate").startswith(b"\x89PNG")


def test_chart_without_data(db_url):
    with pytest.raises(NoDataError, match="Chưa có số liệu"):
        chart_provinces(db_url, "online_services_rate")
    with pytest.raises(NoDataError, match="Hà Giang"):
        chart_trend(db_url, "Hà Giang", "online_services_rate")
