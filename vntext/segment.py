"""Vietnamese word segmentation (underthesea) with offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vntext.normalize import fold_accents, normalize_mapped

# Atoms: numbers with separators (1.818, 96,9%, 1.007073), words, or single symbols.
_ATOM = re.compile(r"\d+(?:[.,/]\d+)*%?|[^\W_]+|[^\w\s]")


@dataclass(frozen=True)
class Word:
    """One segmented word: matching form (syllables joined by "_"), folded form, source span."""

    text: str
    folded: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _word_tokenize():
    from underthesea import word_tokenize  # imported lazily: loading takes ~1 s

    return word_tokenize


def _atom_groups(atoms: list[str], words: list[str]) -> list[list[int]]:
    """Which atoms each of underthesea's words covers, in order. Words are placed on the
    atoms' characters (spaces aside); a word that covers part of an atom takes all of it, and
    words sharing an atom are one group: underthesea cuts "168/2024/NĐ-CP" or "93%" where the
    atoms do not, and that must cost only those atoms their grouping, not the whole text its
    compound words. One atom per group when the words do not spell the text out."""
    ends: list[int] = []  # end of each atom in the text without spaces
    position = 0
    for atom in atoms:
        position += len(atom)
        ends.append(position)
    groups: list[list[int]] = []
    start, first = 0, 0
    for word in words:
        length = len("".join(word.split()))
        if not length:
            continue
        end = start + length
        covered = []  # atoms start in order: stop at the first one past the word
        i = first
        while i < len(atoms) and ends[i] - len(atoms[i]) < end:
            covered.append(i)
            i += 1
        if not covered:
            return [[i] for i in range(len(atoms))]
        if groups and groups[-1][-1] >= covered[0]:  # shares an atom with the word before
            groups[-1].extend(i for i in covered if i > groups[-1][-1])
        else:
            groups.append(covered)
        first = covered[-1] + 1 if ends[covered[-1]] <= end else covered[-1]
        start = end
    if start != position or not groups or groups[-1][-1] != len(atoms) - 1:
        return [[i] for i in range(len(atoms))]
    return groups


def segment(text: str, *, boundaries: frozenset[int] = frozenset()) -> list[Word]:
    """Segment ``text`` into words; spans refer to the original ``text``.

    The text is normalised for matching (NFC, tone marks, abbreviations; case kept so
    underthesea sees proper nouns) before underthesea groups syllables into words,
    which are then lower-cased. ``boundaries`` are source offsets
    (e.g. entity edges) that a word must not straddle.
    """
    mapped = normalize_mapped(text, for_matching=True, lowercase=False)
    atoms = [(m.group(), m.start(), m.end()) for m in _ATOM.finditer(mapped.text)]
    if not atoms:
        return []
    spaced = " ".join(a for a, _, _ in atoms)
    try:
        words = _word_tokenize()(spaced)
    except Exception:  # underthesea failing must not break a conversation
        words = [a for a, _, _ in atoms]
    groups: list[list[tuple[str, int, int]]] = []
    for indexes in _atom_groups([a for a, _, _ in atoms], words):
        group = [atoms[i] for i in indexes]
        # split a group wherever it would straddle a required boundary
        current: list[tuple[str, int, int]] = []
        for atom in group:
            src_start = mapped.spans[atom[1]][0]
            if current:
                prev_end = mapped.spans[current[-1][2] - 1][1]
                if any(prev_end <= b <= src_start for b in boundaries):
                    groups.append(current)
                    current = []
            current.append(atom)
        groups.append(current)

    result = []
    for group in groups:
        joined = "_".join(a for a, _, _ in group).lower()
        start = mapped.spans[group[0][1]][0]
        end = mapped.spans[group[-1][2] - 1][1]
        result.append(Word(joined, fold_accents(joined), start, end))
    return result


def segment_words(text: str) -> list[str]:
    """Matching-form words only, e.g. for BM25 indexing."""
    return [w.text for w in segment(text)]
