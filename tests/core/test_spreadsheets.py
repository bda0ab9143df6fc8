"""Cells exported for spreadsheets are never run as formulas, and read back unchanged."""

from __future__ import annotations

import pytest

from core.spreadsheets import literal_cell, safe_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"],
)
def test_formula_starts_are_made_literal_and_read_back(value: str) -> None:
    cell = safe_cell(value)
    assert cell.startswith("'") and literal_cell(cell) == value


@pytest.mark.parametrize("value", ["Đăng ký khai sinh", "1.007073", "", "'quoted'"])
def test_plain_text_is_left_alone(value: str) -> None:
    assert safe_cell(value) == value and literal_cell(value) == value
