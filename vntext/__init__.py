"""Shared Vietnamese text handling for NLU (Rasa env) and retrieval (app env).

Standard library only, plus underthesea for word segmentation, so both Python
environments import exactly the same code.
"""

from vntext.normalize import (
    expand_abbreviations,
    fold_accents,
    has_diacritics,
    normalize,
    normalize_for_matching,
    normalize_tone_marks,
)
from vntext.pii import mask_pii

__all__ = [
    "expand_abbreviations",
    "fold_accents",
    "has_diacritics",
    "mask_pii",
    "normalize",
    "normalize_for_matching",
    "normalize_tone_marks",
]
