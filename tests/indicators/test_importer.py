"""CSV/XLSX import: happy path, every bad row reported, nothing committed on error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators import latest
from indicators.importer import COLUMNS, ImportValidationError, import_file
from indicators.observations import count_observations

HEADER = ",".join(COLUMNS)


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = [
    'ha giang,Tỷ lệ DVC trực tuyến,"96,9",%,1.818,1.876,,,,03/12/2023,,Báo cáo A,,,,',
    "Tuyên Quang,online_services_rate,91.5,,,,,2,34,,2025-H2,Báo cáo B,12/BC-UBND,"
    "05/01/2026,https://example.gov.vn/a,ghi chú",
    "old:bac-kan,online_services_rate,88,,,,,,,2023-12-03,,Báo cáo C,,,,",
]


def test_csv_happy_path(db_url, tmp_path):
    result = import_file(db_url, _csv(tmp_path, *GOOD), by="tester")
    assert (result.rows, result.created, result.unchanged) == (3, 3, 0)
    fig = latest(db_url, "Hà Giang", "online_services_rate")
    assert (fig.value, fig.numerator, fig.denominator) == (96.9, 1818, 1876)
    assert fig.as_of == dt.date(2023, 12, 3) and fig.province.code == "old:ha-giang"
    tq = latest(db_url, "tuyen quang", "online_services_rate")
    assert tq.province.code == "tuyen-quang" and tq.period_label == "2025-H2"
    assert (tq.rank, tq.rank_out_of, tq.source_number) == (2, 34, "12/BC-UBND")
    assert tq.source_date == dt.date(2026, 1, 5)
    assert latest(db_url, "Bắc Kạn", "online_services_rate").value == 88
    # re-import: nothing new
    again = import_file(db_url, _csv(tmp_path, *GOOD), by="tester")
    assert again.created == 0 and count_observations(db_url) == 3


def test_xlsx_happy_path(db_url, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append(["Hà Giang", "online_services_rate", 96.9, "%", 1818, 1876, None, None, None,
               dt.datetime(2023, 12, 3), None, "Báo cáo A", None, None, None, None])
    ws.append(["Ha Noi", "eid_activation_rate", "87,4", None, None, None, None, None, None,
               None, "2024", "Báo cáo B", None, dt.date(2024, 3, 1), None, None])
    path = tmp_path / "figures.xlsx"
    wb.save(path)
    result = import_file(db_url, path, by="tester")
    assert result.created == 2
    assert latest(db_url, "Hà Giang", "online_services_rate").value == 96.9
    hn = latest(db_url, "Hà Nội", "eid_activation_rate")
    assert hn.value == 87.4 and hn.period_label == "2024"


def test_bad_rows_are_all_reported_and_nothing_is_committed(db_url, tmp_path):
    import_file(db_url, _csv(tmp_path, GOOD[0]), by="tester")
    before = count_observations(db_url)
    rows = [
        GOOD[2],
        "Atlantis,online_services_rate,90,,,,,,,03/12/2023,,Báo cáo,,,,",
        "Hà Giang,online_services_rate,chín mươi,,,,,,,03/12/2023,,Báo cáo,,,,",
        "Hà Giang,online_services_rate,90,,,,,,,31/02/2023,,Báo cáo,,,,",
        "Hà Giang,online_services_rate,90,,,,,,,03/12/1800,,Báo cáo,,,,",
        "'; DROP TABLE observations; --,online_services_rate,90,,,,,,,03/12/2023,,Báo cáo,,,,",
        "Hà Giang,online_services_rate,90,,,,,,,03/12/2023,,=HYPERLINK(\"http://x\"),,,,",
        "Hà Giang,no_such_indicator,90,,,,,,,03/12/2023,,Báo cáo,,,,",
        "Hà Giang,online_services_rate,90,,,,,,,,,Báo cáo,,,,",
    ]
    with pytest.raises(ImportValidationError) as info:
        import_file(db_url, _csv(tmp_path, *rows), by="tester")
    errors = {(e.row, e.column) for e in info.value.errors}
    assert errors == {
        (3, "province"), (4, "value"), (5, "as_of"), (6, "as_of"), (7, "province"),
        (8, "source_title"), (9, "indicator"), (10, "as_of"),
    }
    message = str(info.value)
    assert "Dòng 3, cột province" in message and "Row 3, column province" in message
    assert "Dòng 4, cột value" in message
    assert count_observations(db_url) == before  # the valid row 2 was not stored either


def test_missing_required_column(db_url, tmp_path):
    header = HEADER.replace("value,", "")
    with pytest.raises(ImportValidationError) as info:
        import_file(db_url, _csv(tmp_path, "Hà Giang,online_services_rate,%", header=header),
                    by="t")
    assert [(e.row, e.column) for e in info.value.errors] == [(1, "value")]
    assert "thiếu cột bắt buộc" in str(info.value)
    assert count_observations(db_url) == 0


def test_unit_mismatch_and_rank_checks(db_url, tmp_path):
    row = "Hà Giang,online_services_rate,90,thủ tục,,0,,70,63,03/12/2023,,Báo cáo,,,,"
    with pytest.raises(ImportValidationError) as info:
        import_file(db_url, _csv(tmp_path, row), by="t")
    assert {e.column for e in info.value.errors} == {"unit", "denominator", "rank"}


def _xlsx_declaring(tmp_path, ref: str, rows: list[list]) -> Path:
    """An .xlsx whose sheet declares ``ref`` as its dimension (a 'spreadsheet bomb')."""
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(),
                              data)
            dst.writestr(item, data)
    return bomb


XLSX_HEADER = ["province", "indicator", "value", "unit", "as_of", "source_title"]


def test_a_declared_huge_sheet_is_read_within_the_caps(tmp_path) -> None:
    """<dimension ref="A1:XFD1048576"/> must not make the reader allocate 10^10 cells."""
    import time

    from indicators.importer import read_figures

    path = _xlsx_declaring(tmp_path, "A1:XFD1048576", [
        XLSX_HEADER, ["Hà Giang", "online_services_rate", 96.9, "%", "2023-12-03", "Báo cáo"],
    ])
    started = time.perf_counter()
    figures = read_figures(path)
    assert time.perf_counter() - started < 10
    assert len(figures) == 1 and figures[0].value == 96.9


def test_too_many_rows_columns_or_characters_are_refused_clearly(tmp_path) -> None:
    from indicators.importer import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, read_figures

    row = ["Hà Giang", "online_services_rate", 96.9, "%", "2023-12-03", "Báo cáo"]
    cases = {
        "dòng": [XLSX_HEADER] + [row] * (MAX_ROWS + 1),
        "cột": [XLSX_HEADER, row + [None] * (MAX_COLUMNS - len(row)) + ["x"]],
        "ký tự": [XLSX_HEADER, row[:5] + ["x" * (MAX_CELL_CHARS + 1)]],
    }
    for words, rows in cases.items():
        path = _xlsx_declaring(tmp_path, "A1:B2", rows)
        with pytest.raises(ImportValidationError) as error:
            read_figures(path)
        assert words in error.value.errors[0].vi


def test_sql_looking_text_is_kept_verbatim_through_bound_parameters(db_url, tmp_path) -> None:
    """No keyword blocklist: wording that looks like SQL is ordinary text to a bound query."""
    title = "Báo cáo số 12; x' OR '1'='1 -- (bản drop table thử)"
    row = f"Hà Giang,online_services_rate,91,%,,,,,,03/12/2023,,\"{title}\",,,,"
    import_file(db_url, _csv(tmp_path, row), by="tester")
    figure = latest(db_url, "Hà Giang", "online_services_rate")
    assert figure.value == 91 and figure.source_title == title
