"""Gold format, date agreement, matching and the CLI (no seed files needed)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from indicators.figures.__main__ import main
from indicators.figures.evaluate import (
    Evaluation,
    GoldFigure,
    Span,
    dates_agree,
    evaluate,
    format_report,
    load_gold,
    match_document,
    parse_when,
    values_agree,
)
from indicators.figures.extract import extract_figures

D = dt.date
REPORT = (
    "Sơ kết năm 2023 của tỉnh Lai Châu\n"
    "Năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh Lai Châu đạt 50%.\n"
    "Tính đến ngày 30/11/2023, toàn tỉnh đã hoàn thành 15/20 nhiệm vụ được giao.\n"
)
GOLD = """
version: 1
documents:
  lai_chau.txt:
    figures:
      - {province: lai-chau, indicator: online_applications_rate, value: 50, unit: "%",
         period: "2023", anchor: "hồ sơ trực tuyến"}
      - {province: lai-chau, indicator: plan_tasks_completed, value: 15, unit: nhiệm vụ,
         denominator: 20, as_of: "2023-11-30", anchor: "15/20 nhiệm vụ"}
      - {province: lai-chau, indicator: digitization_rate, value: 40, unit: "%",
         period: "2023", anchor: "không có"}
"""


@pytest.mark.parametrize(
    ("kw", "span"),
    [
        ({"as_of": "2023-12-03"}, Span(D(2023, 12, 3), D(2023, 12, 3), True)),
        ({"period": "2023"}, Span(D(2023, 1, 1), D(2023, 12, 31), False)),
        ({"period": 2023}, Span(D(2023, 1, 1), D(2023, 12, 31), False)),
        ({"period": "2023-H1"}, Span(D(2023, 1, 1), D(2023, 6, 30), False)),
        ({"period": "2023-H2"}, Span(D(2023, 7, 1), D(2023, 12, 31), False)),
        ({"period": "2023-Q3"}, Span(D(2023, 7, 1), D(2023, 9, 30), False)),
        ({"period": "2024-02"}, Span(D(2024, 2, 1), D(2024, 2, 29), False)),
        ({"period": "2022..2023"}, Span(D(2022, 1, 1), D(2023, 12, 31), False)),
        ({}, None),
    ],
)
def test_parse_when(kw, span):
    assert parse_when(**kw) == span


def test_dates_agree():
    year = parse_when(period="2023")
    assert dates_agree(year, parse_when(as_of="2023-05-01"))
    assert dates_agree(parse_when(as_of="2023-05-01"), year)
    assert dates_agree(year, parse_when(period="2023-H2"))  # same end day
    assert not dates_agree(year, parse_when(period="2023-H1"))
    assert not dates_agree(year, parse_when(period="2022"))
    assert not dates_agree(year, None)
    assert dates_agree(None, year)


def test_values_agree():
    assert values_agree(96.9, 96.9) and values_agree(100, 100.9)
    assert not values_agree(100, 101.5)


def test_duplicates_count_as_false_positives():
    props = extract_figures("Năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh Lai Châu đạt 50%.")
    gold = [
        GoldFigure(
            "f", "lai-chau", "online_applications_rate", 50, "%", parse_when(period="2023"), "x"
        )
    ]
    result = Evaluation()
    match_document(gold, props + props, "f", result)
    counts = (len(result.true_positives), len(result.false_positives), len(result.misses))
    assert counts == (1, 1, 0)


def test_evaluate_on_a_synthetic_report(tmp_path):
    (tmp_path / "lai_chau.txt").write_text(REPORT, encoding="utf-8")
    gold = tmp_path / "gold.yml"
    gold.write_text(GOLD, encoding="utf-8")
    assert len(load_gold(gold)[0].figures) == 3
    result = evaluate(gold, tmp_path)
    assert len(result.true_positives) == 2 and len(result.misses) == 1
    assert result.precision == 1.0 and result.recall == pytest.approx(2 / 3)
    assert not result.field_mismatches
    text = format_report(result)
    assert "Bỏ sót (1)" in text and "digitization_rate" in text


def test_cli_extract_json_and_table(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["indicator"] for r in rows} == {"online_applications_rate", "plan_tasks_completed"}
    assert all(REPORT[r["start"] : r["end"]] == r["quote"] for r in rows)
    assert main(["extract", "--table", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Chỉ tiêu" in out and "plan_tasks_completed" in out


def test_cli_evaluate(tmp_path, capsys):
    (tmp_path / "lai_chau.txt").write_text(REPORT, encoding="utf-8")
    gold = tmp_path / "gold.yml"
    gold.write_text(GOLD, encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--seeds", str(tmp_path)]) == 0
    assert "F1" in capsys.readouterr().out
    assert main(["evaluate", "--gold", str(gold), "--seeds", str(tmp_path / "nope")]) == 2
