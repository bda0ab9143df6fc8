"""Reading officials' questions and answering them with date and source."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators import add_observation
from indicators.answer import IndicatorQuery, answer_query
from indicators.query import indicators_with_data, reported_rank
from indicators.question import find_indicator_in, parse_question

from .conftest import obs

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "kind", "provinces", "indicator"),
    [
        ("Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?", "value", ["old:ha-giang"],
         "online_services_rate"),
        ("ty le cung cap dvc truc tuyen cua ha giang", "value", ["old:ha-giang"],
         "online_services_rate"),
        ("Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?", "rank", ["old:ha-giang"],
         "eid_activation_rate"),
        ("so sánh tỷ lệ kích hoạt vneid của Hà Nội và TP.HCM", "compare",
         ["ha-noi", "ho-chi-minh"], "eid_activation_rate"),
        ("top 5 tỉnh có tỷ lệ số hóa cao nhất", "top", [], "digitization_rate"),
        ("biểu đồ tỷ lệ kích hoạt định danh của Hà Giang", "chart", ["old:ha-giang"],
         "eid_activation_rate"),
        ("Hưng Yên tăng hay giảm về hồ sơ trực tuyến", "trend", ["hung-yen"],
         "online_applications_rate"),
        ("số tài khoản định danh đã kích hoạt ở Hà Nội", "value", ["ha-noi"], "eid_activated"),
        ("còn Hà Nội thì sao?", "value", ["ha-noi"], None),
    ],
)
def test_parse_question(text, kind, provinces, indicator):
    q = parse_question(text, TODAY)
    assert q.kind == kind
    assert [p.code for p in q.provinces] == provinces
    assert (q.indicator.code if q.indicator else None) == indicator
    assert q.problem is None and not q.unknown_places


def test_follow_up_is_recognised():
    assert parse_question("còn Hà Nội thì sao?", TODAY).follow_up
    assert not parse_question("tỷ lệ số hóa của Hà Nội", TODAY).follow_up


@pytest.mark.parametrize("text", ["Hà Giang", "ha giang", "tỉnh Hà Giang ạ", "Hà Giang?"])
def test_a_place_name_alone_is_a_follow_up(text):
    assert parse_question(text, TODAY).follow_up


@pytest.mark.parametrize(
    "text", ["cho tôi xem số liệu đề án 06 của Hà Giang", "dân số Hà Giang", "xin chào"]
)
def test_a_question_around_a_place_is_not_a_follow_up(text):
    assert not parse_question(text, TODAY).follow_up


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("tỷ lệ kích hoạt năm 2023", "2023"),
        ("ty le kich hoat 6 thang dau nam 2023", "2023-H1"),
        ("quý 3/2024", "2024-Q3"),
        ("tháng 10/2023", "2023-10"),
    ],
)
def test_periods(text, label):
    assert parse_question(text, TODAY).period.label == label


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("tỷ lệ kích hoạt của Hà Giang năm 1850", "1850"),
        ("tỷ lệ kích hoạt của Hà Giang năm 99999", "99999"),
        ("tỷ lệ dvc của Hà Giang ngày 31/02/2024", "31/02/2024"),
        ("tỷ lệ dvc của Hà Giang năm 2030", "chưa tới"),
    ],
)
def test_absurd_periods_are_explained(text, needle):
    q = parse_question(text, TODAY)
    assert q.period is None and needle in q.problem


def test_unknown_province_is_reported():
    q = parse_question("tỷ lệ dvc trực tuyến của tỉnh Atlantis", TODAY)
    assert q.provinces == () and q.unknown_places == ("atlantis",)
    # "tỉnh nào" is a question word, not a place name
    assert parse_question("tỉnh nào dẫn đầu về số hóa", TODAY).unknown_places == ()


def test_sql_and_long_text_are_just_text():
    q = parse_question("'; DROP TABLE observations; -- " + "x" * 5000, TODAY)
    assert q.indicator is None and q.provinces == () and q.problem is None


def test_rate_or_count_from_the_wording():
    assert find_indicator_in("tỷ lệ kích hoạt vneid").code == "eid_activation_rate"
    assert find_indicator_in("số tài khoản vneid đã kích hoạt").code == "eid_activated"
    assert find_indicator_in("bún bò Huế") is None


@pytest.fixture
def figures(db_url):
    add_observation(db_url, obs(value=96.9, numerator=1818, denominator=1876,
                                source_title="Báo cáo A", source_number="12/BC-UBND",
                                source_date=dt.date(2023, 12, 5)), by="t")
    add_observation(db_url, obs(indicator="eid_activation_rate", value=83.7, rank=15,
                                rank_out_of=63, as_of=dt.date(2023, 6, 30)), by="t")
    add_observation(db_url, obs(indicator="eid_activation_rate", value=125.1, rank=15,
                                rank_out_of=63, as_of=dt.date(2023, 11, 30)), by="t")
    add_observation(db_url, obs("old:ha-noi", indicator="eid_activation_rate", value=87.4,
                                as_of=dt.date(2024, 3, 27)), by="t")
    add_observation(db_url, obs("old:hung-yen", indicator="eid_activation_rate", value=1,
                                unit="hạng", rank=1, rank_out_of=63, as_of=None,
                                period_start=dt.date(2023, 1, 1),
                                period_end=dt.date(2023, 6, 30)), by="t")
    return db_url


def _answer(url, text, **kw):
    q = parse_question(text, TODAY)
    query = IndicatorQuery(q.kind, q.indicator, q.provinces, q.period, q.top_n)
    return answer_query(url, query, chart_over_time=q.chart_over_time, **kw)


def test_value_answer_has_figure_fraction_date_source_and_merger(figures):
    reply = _answer(figures, "Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?")
    assert "96,9%" in reply.text and "1.818/1.876 thủ tục" in reply.text
    assert "tính đến 03/12/2023" in reply.text
    assert "nguồn: Báo cáo A (12/BC-UBND, 05/12/2023)" in reply.text
    assert "nay thuộc tỉnh Tuyên Quang" in reply.text
    assert reply.cited


def test_rank_answer_uses_the_published_rank(figures):
    reply = _answer(figures, "Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?")
    assert "xếp thứ 15/63" in reply.text and "30/11/2023" in reply.text
    assert "63 tỉnh, thành phố trước khi sắp xếp" in reply.text
    # a unit whose old self has a rank of its own ("hạng" observation)
    reply = _answer(figures, "Hưng Yên đứng thứ mấy về kích hoạt vneid")
    assert "xếp thứ 1/63" in reply.text and "Hưng Yên cũ" in reply.text


def test_rank_is_never_computed(figures):
    reply = _answer(figures, "Hà Nội xếp thứ mấy về kích hoạt định danh")
    assert "chưa công bố thứ hạng" in reply.text and "87,4%" in reply.text
    assert reported_rank(figures, "Hà Nội", "eid_activation_rate") is None


def test_no_figure_is_said_plainly(figures):
    reply = _answer(figures, "tỷ lệ số hóa hồ sơ của Gia Lai")
    assert reply.text.startswith("Hiện chưa có số liệu") and not reply.cited
    assert not any(ch.isdigit() for ch in reply.text.split("Gia Lai")[0])
    reply = _answer(figures, "tỷ lệ kích hoạt vneid của Hà Giang năm 2025")
    assert "chưa có số liệu" in reply.text and "trong năm 2025" in reply.text


def test_compare_top_trend_and_chart(figures):
    reply = _answer(figures, "so sánh tỷ lệ kích hoạt vneid của Hà Nội và Hà Giang")
    assert "Cao nhất: Hà Giang" in reply.text and "thời điểm khác nhau" in reply.text
    reply = _answer(figures, "top 5 tỉnh có tỷ lệ kích hoạt vneid cao nhất")
    assert "chỉ gồm 2 tỉnh" in reply.text
    assert "1. Hà Giang (tỉnh cũ, trước 01/07/2025): 125,1%" in reply.text
    assert "không phải số liệu của tỉnh mới" in reply.text
    reply = _answer(figures, "tỷ lệ kích hoạt định danh của Hà Giang tăng hay giảm")
    assert "tăng từ 83,7% lên 125,1%" in reply.text
    reply = _answer(figures, "biểu đồ tỷ lệ kích hoạt định danh của Hà Giang")
    assert reply.chart_png.startswith(b"\x89PNG") and "Nguồn:" in reply.text
    reply = _answer(figures, "biểu đồ tỷ lệ số hóa các tỉnh")
    assert reply.chart_png is None and "không vẽ biểu đồ từ số liệu ước tính" in reply.text


def test_indicators_with_data(figures):
    codes = [i.code for i in indicators_with_data(figures, "Hà Giang")]
    assert codes == ["online_services_rate", "eid_activation_rate"]


def test_committed_lookup_tables_are_current():
    from core.config import REPO_ROOT
    from indicators.lookups import lookup_yaml

    committed = (REPO_ROOT / "nlu_data" / "lookups.yml").read_text(encoding="utf-8")
    assert committed == lookup_yaml(), "run: python -m indicators lookups"
    assert "- ha giang\n" in committed.lower() and "- Khánh Hoà\n" in committed


def test_new_unit_lists_its_predecessors_figures_apart(figures):
    reply = _answer(figures, "tỷ lệ cung cấp dịch vụ công trực tuyến của Tuyên Quang")
    assert reply.text.startswith("Hiện chưa có số liệu")
    assert "tỉnh cũ nay thuộc tỉnh Tuyên Quang" in reply.text and "96,9%" in reply.text
    assert reply.cited
