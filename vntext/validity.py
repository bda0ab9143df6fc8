"""Asking how long a paper stays valid, not how long it takes to get.

"Thời hạn của lý lịch tư pháp là bao lâu?" asks how long the extract can be used; "làm lý
lịch tư pháp mất bao lâu?" asks for the processing time. Both say "thời hạn" or "bao lâu", so
a question that asks about validity is not read as asking for a time limit (the rest of it, "…
là bao lâu", says nothing more). Patterns run over matching keys (``vntext.matching_key``).
"""

from __future__ import annotations

import re

_VALIDITY = re.compile(
    r"\b(?:thoi han (?:su dung|hieu luc|cua)|han su dung|"
    r"(?:co )?gia tri (?:su dung )?(?:trong |den )?(?:bao lau|may nam|may thang)|"
    r"hieu luc (?:trong )?(?:bao lau|may nam|may thang)|"
    r"(?:dung|su dung) duoc (?:trong )?(?:bao lau|may nam|may thang)|"
    r"co thoi han (?:bao lau|khong|may nam|may thang))\b"
)


def asks_validity(key: str) -> bool:
    """Whether the question (a matching key) asks how long something stays valid."""
    return bool(_VALIDITY.search(key))
