"""Shared Vietnamese text handling for NLU (Rasa env) and retrieval (app env).

Standard library only, plus underthesea for word segmentation, so both Python
environments import exactly the same code.
"""

from vntext.normalize import (
    aligned_key,
    expand_abbreviations,
    fold_accents,
    has_diacritics,
    matching_key,
    normalize,
    normalize_for_matching,
    normalize_tone_marks,
    spell_out_ranges,
    split_sentences,
)
from vntext.pii import mask_pii

__all__ = [
    "aligned_key",
    "expand_abbreviations",
    "fold_accents",
    "has_diacritics",
    "mask_pii",
    "matching_key",
    "normalize",
    "normalize_for_matching",
    "normalize_tone_marks",
    "spell_out_ranges",
    "split_sentences",
]
