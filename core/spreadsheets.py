"""Cells written for spreadsheets: a text that a spreadsheet would run as a formula is not."""

from __future__ import annotations

# What Excel, LibreOffice and Google Sheets read as the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: str) -> str:
    """``value`` as a literal text cell: a leading formula character gets an apostrophe
    ("=HYPERLINK(…)" → "'=HYPERLINK(…)"), which spreadsheets show but never evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def literal_cell(value: str) -> str:
    """What ``safe_cell`` wrote, read back: the apostrophe before a formula character goes."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
