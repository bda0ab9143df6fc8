"""Asking how long a paper stays valid, not how long it takes to get.

"Thời hạn của lý lịch tư pháp là bao lâu?" asks how long the extract can be used; "làm lý
lịch tư pháp mất bao lâu?" asks for the processing time. Both say "thời hạn" or "bao lâu", so
whoever reads a question for a time limit first takes out the phrases that ask about validity
(``without_validity``). Patterns run over matching keys (``vntext.matching_key``).
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

