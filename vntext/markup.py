"""Rasa's entity annotations in training examples: "[Hà Giang](province)" or
"[Hà Giang]{"entity": …}". One pattern, shared by the NLU augmenter (Rasa env) and the
diacritics restorer's reading of the examples (app env)."""

from __future__ import annotations

import re

# [visible text]{"entity": …} or [visible text](entity)
MARKUP = re.compile(r"(\[[^\]]*\])(\{[^}]*\}|\([^)]*\))")


def strip_markup(line_text: str) -> str:
    """Visible text of one example: "[Hà Giang]{…}" → "Hà Giang"."""
    return MARKUP.sub(lambda m: m.group(1)[1:-1], line_text)
