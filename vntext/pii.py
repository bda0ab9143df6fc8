"""Masking of personal identifiers before text is logged or echoed."""

from __future__ import annotations

import re

# 12-digit personal ID (CCCD / số định danh) and 9-digit old CMND, as whole numbers or written
# in groups ("0012 3456 7890", "001.234.567.890", "001-234-567-890").
_SEP = r"[\s.\-_/,]{0,3}"
_ID_NUMBER = re.compile(
    rf"(?<![\d])(?:\d{_SEP}){{11}}\d(?![\d])|(?<![\d])(?:\d{_SEP}){{8}}\d(?![\d])"
)
# Vietnamese phone numbers: 0xxxxxxxxx or +84/84xxxxxxxxx, digits optionally split by . - or space.
_PHONE = re.compile(r"(?<![\d+])(?:\+?84|0)(?:[\s.\-()_/]{0,3}\d){9}(?!\d)")
# local part and domain may hold any letters (Vietnamese ones included)
_EMAIL = re.compile(r"([^\W_]|[.%+\-])[\w.%+\-]*(@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,})")


def _mask_digits(value: str, keep_head: int = 3, keep_tail: int = 2) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    hidden = set(digits[keep_head : len(digits) - keep_tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def mask_pii(text: str) -> str:
    """Mask phone numbers, ID numbers and e-mail addresses: 0912345678 → 091*****78."""
    text = _PHONE.sub(lambda m: _mask_digits(m.group()), text)
    text = _ID_NUMBER.sub(lambda m: _mask_digits(m.group()), text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)
