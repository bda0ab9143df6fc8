"""CSV / XLSX import of figures in the documented template; all-or-nothing.

Template (header row, then one figure per row; column order is free):

=============  =========  ==================================================================
column         required   content
=============  =========  ==================================================================
province       yes        name, alias, accent-free form or code ("Hà Giang", "ha giang",
                          "old:ha-giang"); the unit in force on the figure's date is used
indicator      yes        code, name or synonym ("online_services_rate",
                          "Tỷ lệ DVC trực tuyến")
value          yes        number, Vietnamese or English style ("96,9", "96.9", "1.818")
unit           no         defaults to the indicator's unit; must match it when given
numerator      no         number
denominator    no         number
target         no         number
rank           no         whole number ≥ 1
rank_out_of    no         whole number ≥ rank
as_of          one of     day the figure holds for: dd/mm/yyyy or yyyy-mm-dd
period         the two    "2023", "2023-H1", "2023-Q3", "2023-10", "2022..2023",
                          "6 tháng đầu năm 2023", "quý 3/2023"
source_title   yes        title of the report or document
source_number  no         document number ("220-BC/BCSĐ")
source_date    no         dd/mm/yyyy or yyyy-mm-dd
source_url     no         http(s) address
note           no         free text
=============  =========  ==================================================================

Years must lie within 2000–2100. Every invalid row is reported as
"Dòng N, cột C: … / Row N, column C: …" (N counts the header as row 1); if any row is
invalid nothing is stored. Rows repeating the newest stored version are left unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.db import session_scope
from indicators.observations import ObservationInput, add_in_session
from indicators.reference import sync_session
from indicators.resolve import (
    find_indicator,
    find_province,
    fold,
    parse_date,
    parse_number,
    parse_period,
)

COLUMNS = (
    "province", "indicator", "value", "unit", "numerator", "denominator", "target", "rank",
    "rank_out_of", "as_of", "period", "source_title", "source_number", "source_date",
    "source_url", "note",
)
REQUIRED = ("province", "indicator", "value", "source_title")
MAX_TEXT = 1000
# columns stored as VARCHAR(n) (PostgreSQL refuses longer values); the others are TEXT
MAX_CHARS = {"source_number": 200}


@dataclass(frozen=True)
class RowError:
    """One problem of one cell (row counts the header as 1; row 1 = header problems)."""

    row: int
    column: str
    vi: str
    en: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột {self.column}: {self.vi} / Row {self.row}, column " \
               f"{self.column}: {self.en}"


class ImportValidationError(ValueError):
    """The file had invalid rows; nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ImportResult:
    """Rows read, versions created and rows identical to the stored figure."""

    rows: int = 0
    created: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


# Caps checked while reading, before anything is kept: a spreadsheet may declare a million
# rows and 16,384 columns in a 1.6 KB file.
MAX_ROWS = 5000
MAX_COLUMNS = 40
MAX_CELL_CHARS = 2000


class TableTooLarge(ValueError):
    """The file is larger than an import may be (rows, columns or one cell)."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi


def _capped(rows: Any) -> list[list[Any]]:
    """The rows of a table (header + at most MAX_ROWS), each at most MAX_COLUMNS wide;
    raises TableTooLarge as soon as a cap is passed."""
    table: list[list[Any]] = []
    filled = 0
    for row in rows:
        cells = list(row)
        if len(cells) > MAX_COLUMNS and any(not _blank(c) for c in cells[MAX_COLUMNS:]):
            raise TableTooLarge(
                f"tệp có hơn {MAX_COLUMNS} cột", f"more than {MAX_COLUMNS} columns"
            )
        cells = cells[:MAX_COLUMNS]
        for cell in cells:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise TableTooLarge(
                    f"một ô dài hơn {MAX_CELL_CHARS} ký tự",
                    f"a cell longer than {MAX_CELL_CHARS} characters",
                )
        table.append(cells)
        filled += any(not _blank(c) for c in cells)
        if filled > MAX_ROWS + 1:
            raise TableTooLarge(
                f"tệp có hơn {MAX_ROWS} dòng số liệu; anh/chị chia thành nhiều tệp",
                f"more than {MAX_ROWS} data rows",
            )
    while table and all(_blank(c) for c in table[-1]):
        table.pop()  # trailing empty rows (declared dimensions) are not data
    return table


def read_rows(path: Path | str) -> list[dict[str, Any]]:
    """Rows of a .csv (UTF-8, comma or semicolon) or .xlsx file as header → cell dicts."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path.read_text(encoding="utf-8-sig"))
    raise ValueError(f"Chỉ nhận tệp .csv hoặc .xlsx / only .csv or .xlsx files: {path.name}")


def _read_csv(text: str) -> list[dict[str, Any]]:
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _as_dicts(_capped(reader))


def _read_xlsx(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        # bounded reads: the declared dimension (<dimension ref="A1:XFD1048576"/>) is not
        # trusted; one column and one row past the caps tell that a cap was passed (cells
        # further right are never read)
        rows = ws.iter_rows(
            values_only=True, max_col=MAX_COLUMNS + 1, max_row=MAX_ROWS + 2
        )
        table = _capped(rows)
    finally:
        wb.close()
    return _as_dicts(table)


def _as_dicts(table: list[list[Any]]) -> list[dict[str, Any]]:
    if not table:
        return []
    header = [fold(str(h or "")).replace(" ", "_") for h in table[0]]
    rows = []
    for cells in table[1:]:
        if all(c is None or str(c).strip() == "" for c in cells):
            rows.append({})  # keep numbering; skipped later
            continue
        rows.append({h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header)
                     if h})
    return [{"__header__": header}, *rows]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return str(value).strip() if not isinstance(value, float) else f"{value:g}"


class _RowParser:
    def __init__(self, row_no: int, cells: dict[str, Any], errors: list[RowError]) -> None:
        self.row_no = row_no
        self.cells = cells
        self.errors = errors

    def err(self, column: str, vi: str, en: str) -> None:
        self.errors.append(RowError(self.row_no, column, vi, en))

    def text(self, column: str) -> str | None:
        value = self.cells.get(column)
        if _blank(value):
            return None
        text = _text(value)
        limit = MAX_CHARS.get(column, MAX_TEXT)
        if len(text) > limit:
            self.err(column, f"nội dung quá dài (>{limit} ký tự)", f"text too long (>{limit})")
            return None
        # stored through bound parameters, so any wording is safe to keep; a formula or a
        # control character is refused (exports neutralise leading formula characters too)
        if text[:1] in "=+@" or any(ord(c) < 32 and c not in "\t\n" for c in text):
            self.err(column, f"nội dung không hợp lệ “{text[:40]}”",
                     "formula or control characters")
            return None
        return text

    def number(self, column: str, required: bool = False) -> float | None:
        value = self.cells.get(column)
        if _blank(value):
            if required:
                self.err(column, "thiếu giá trị", "value missing")
            return None
        try:
            number = parse_number(value)
        except ValueError:
            self.err(column, f"không phải số: “{_text(value)[:40]}”", "not a number")
            return None
        if number < 0 or number != number or number in (float("inf"),):
            self.err(column, "số không hợp lệ (âm hoặc vô hạn)", "negative or invalid number")
            return None
        return number

    def integer(self, column: str) -> int | None:
        number = self.number(column)
        if number is None:
            return None
        if number != int(number) or number < 1:
            self.err(column, "phải là số nguyên từ 1 trở lên", "must be a whole number ≥ 1")
            return None
        return int(number)

    def date(self, column: str) -> dt.date | None:
        value = self.cells.get(column)
        if _blank(value):
            return None
        try:
            return parse_date(value if not isinstance(value, str) else value.strip())
        except ValueError:
            self.err(column, f"ngày không hợp lệ “{_text(value)[:40]}” (dd/mm/yyyy, năm "
                     "2000–2100)", "invalid date (dd/mm/yyyy, year 2000–2100)")
            return None


def parse_rows(rows: list[dict[str, Any]]) -> tuple[list[ObservationInput], list[RowError]]:
    """Validate every row; returns the figures and the list of all errors."""
    errors: list[RowError] = []
    if not rows:
        return [], [RowError(1, "-", "tệp trống", "empty file")]
    header = rows[0]["__header__"]
    for col in REQUIRED:
        if col not in header:
            errors.append(RowError(1, col, "thiếu cột bắt buộc", "missing required column"))
    if "as_of" not in header and "period" not in header:
        errors.append(RowError(1, "as_of/period", "cần cột as_of hoặc period",
                               "an as_of or period column is required"))
    for col in header:
        if col and col not in COLUMNS:
            errors.append(RowError(1, col, "cột không có trong mẫu", "unknown column"))
    if errors:
        return [], errors
    figures: list[ObservationInput] = []
    for index, cells in enumerate(rows[1:], start=2):
        if not cells:
            continue
        n_before = len(errors)
        p = _RowParser(index, cells, errors)
        as_of = p.date("as_of")
        period = None
        period_text = p.text("period")
        if period_text:
            try:
                period = parse_period(period_text)
            except ValueError:
                p.err("period", f"kỳ báo cáo không hợp lệ “{period_text[:40]}”",
                      "invalid period (e.g. 2023, 2023-H1, 2023-Q3, 2023-10, 2022..2023)")
        elif as_of is None and _blank(cells.get("as_of")):
            p.err("as_of", "cần ngày số liệu (as_of) hoặc kỳ (period)",
                  "as_of or period required")
        on = as_of or (period.end if period else None)
        province = None
        province_text = p.text("province")
        if province_text is None and _blank(cells.get("province")):
            p.err("province", "thiếu tỉnh/thành phố", "province missing")
        elif province_text:
            province = find_province(province_text, on=on)
            if province is None:
                p.err("province", f"không tìm thấy tỉnh/thành phố “{province_text[:40]}”",
                      "unknown province")
        indicator = None
        indicator_text = p.text("indicator")
        if indicator_text is None and _blank(cells.get("indicator")):
            p.err("indicator", "thiếu chỉ tiêu", "indicator missing")
        elif indicator_text:
            indicator = find_indicator(indicator_text)
            if indicator is None:
                p.err("indicator", f"không tìm thấy chỉ tiêu “{indicator_text[:40]}”",
                      "unknown indicator")
        value = p.number("value", required=True)
        unit = p.text("unit")
        if indicator and unit and fold(unit) != fold(indicator.unit):
            p.err("unit", f"đơn vị “{unit}” khác đơn vị của chỉ tiêu “{indicator.unit}”",
                  "unit differs from the indicator's unit")
        numerator = p.number("numerator")
        denominator = p.number("denominator")
        if denominator == 0:
            p.err("denominator", "mẫu số bằng 0", "denominator is zero")
        target = p.number("target")
        rank = p.integer("rank")
        rank_out_of = p.integer("rank_out_of")
        if rank and rank_out_of and rank > rank_out_of:
            p.err("rank", "thứ hạng lớn hơn tổng số", "rank greater than rank_out_of")
        source_title = p.text("source_title")
        if source_title is None and _blank(cells.get("source_title")):
            p.err("source_title", "thiếu tên nguồn", "source title missing")
        source_number = p.text("source_number")
        source_date = p.date("source_date")
        source_url = p.text("source_url")
        if source_url and not re.match(r"https?://\S+$", source_url):
            p.err("source_url", "địa chỉ phải bắt đầu bằng http:// hoặc https://",
                  "URL must start with http:// or https://")
        note = p.text("note")
        if len(errors) > n_before:
            continue
        assert province and indicator and value is not None
        figures.append(
            ObservationInput(
                province=province.code,
                indicator=indicator.code,
                value=value,
                unit=unit or indicator.unit,
                numerator=numerator,
                denominator=denominator,
                target=target,
                rank=rank,
                rank_out_of=rank_out_of,
                as_of=as_of,
                period_start=None if as_of else period.start if period else None,
                period_end=None if as_of else period.end if period else None,
                source_title=source_title,
                source_number=source_number,
                source_date=source_date,
                source_url=source_url,
                note=note,
            )
        )
    if not figures and not errors:
        errors.append(RowError(2, "-", "tệp không có dòng số liệu", "no data rows"))
    return figures, errors


def read_figures(path: Path | str) -> list[ObservationInput]:
    """Every figure of a CSV/XLSX file; ImportValidationError lists every bad cell."""
    try:
        rows = read_rows(path)
    except TableTooLarge as exc:
        raise ImportValidationError([RowError(1, "-", exc.vi, str(exc))]) from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportValidationError(
            [RowError(1, "-", f"không đọc được tệp ({exc.__class__.__name__})",
                      f"cannot read file: {exc}")]
        ) from exc
    except Exception as exc:  # openpyxl raises various errors for broken files
        raise ImportValidationError(
            [RowError(1, "-", "không đọc được tệp", f"cannot read file: {exc}")]
        ) from exc
    figures, errors = parse_rows(rows)
    if errors:
        raise ImportValidationError(errors)
    return figures


def store_figures(
    url: str, figures: list[ObservationInput], *, by: str, approve: bool = True
) -> ImportResult:
    """Stores validated figures in one transaction (each a new version unless unchanged)."""
    result = ImportResult(rows=len(figures))
    with session_scope(url) as session:
        sync_session(session)
        for data in figures:
            row, created = add_in_session(
                session, data, by=by, status="approved" if approve else "proposed"
            )
            result.ids.append(row.id)
            if created:
                result.created += 1
            else:
                result.unchanged += 1
    return result


def import_file(
    url: str, path: Path | str, *, by: str, approve: bool = True
) -> ImportResult:
    """Validate and store every row of ``path`` in one transaction.

    Raises ImportValidationError (listing every bad cell) and stores nothing if any row is
    invalid. Rows are stored approved unless ``approve`` is False (then proposed).
    """
    return store_figures(url, read_figures(path), by=by, approve=approve)
