"""Is a word shaped like a Vietnamese syllable? Used to tell text from keyboard mash."""

from __future__ import annotations

import re

from vntext.normalize import fold_accents

# onset + vowel nucleus + optional final, on accent-folded lower-case text
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?$"
)


def is_vietnamese_syllable(word: str) -> bool:
    """True for "quên", "nghiêng", "khong"; False for "qwxzk", "plmn", "vneid"."""
    return bool(_SYLLABLE.match(fold_accents(word.lower())))
