"""BM25 over accent-folded syllables plus underthesea words (the lexical side of retrieval)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from vntext import fold_accents, has_diacritics, normalize_for_matching
from vntext.segment import segment_words

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build

# Function words that say nothing about what a question is about (accent-folded).
STOPWORDS: frozenset[str] = frozenset(
    """a ah a_a ai anh anh_chi ban bao_gio bi cac cach can cho chi chu co con cua cung da dang
    de den di do duoc em gi gium giup ha hay hoi khi khong la lam lam_sao lai len luc ma minh
    mot nao nay neu nha nhe nhi nhu nhung noi o oi phai ra roi sao se tai the the_nao thi thoi
    toi tren trong tu va vay ve vi voi xin xin_chao ak u uh vang da_vang muon biet hoi_ve
    nhu_the_nao the_nao la_gi nhu_nao lam_the_nao
    """.split()
)


def terms(text: str) -> list[str]:
    """Index terms: folded syllables and folded multi-syllable words (underthesea)."""
    words = [fold_accents(w) for w in segment_words(text)]
    syllables = fold_accents(normalize_for_matching(text)).split()
    syllables = ["".join(ch for ch in s if ch.isalnum()) for s in syllables]
    compounds = [w for w in words if "_" in w]
    return [t for t in syllables + compounds if t and t not in STOPWORDS]


def coverage_terms(text: str) -> set[str]:
    """Content syllables for measuring how much of a question a document covers.

    Accented when the question is accented ("phở" must not match "phố"), folded otherwise.
    """
    matching = normalize_for_matching(text)
    keep_accents = has_diacritics(matching)
    out = set()
    for syllable in matching.split():
        syllable = "".join(ch for ch in syllable if ch.isalnum())
        folded = fold_accents(syllable)
        if syllable and folded not in STOPWORDS:
            out.add(syllable if keep_accents else folded)
    return out


def _syllables_both_ways(text: str) -> set[str]:
    syllables = {
        "".join(ch for ch in s if ch.isalnum()) for s in normalize_for_matching(text).split()
    }
    return {s for s in syllables if s} | {fold_accents(s) for s in syllables if s}


@dataclass(frozen=True)
class LexicalHit:
    """Index of a document, its BM25 score and the share of query terms it contains."""

    index: int
    score: float
    coverage: float


class LexicalIndex:
    """In-memory BM25 index over a list of texts."""

    def __init__(
        self, texts: Sequence[str], doc_terms: Sequence[Sequence[str]] | None = None
    ) -> None:
        """Indexes ``texts``; ``doc_terms`` (from ``terms``) skips segmenting them again."""
        if doc_terms is not None and len(doc_terms) != len(texts):
            raise ValueError("doc_terms must have one entry per text")
        self._doc_terms = (
            [list(t) for t in doc_terms] if doc_terms is not None else [terms(t) for t in texts]
        )
        self._doc_syllables = [_syllables_both_ways(t) for t in texts]
        df: dict[str, int] = {}
        for syllables in self._doc_syllables:
            for s in syllables:
                df[s] = df.get(s, 0) + 1
        n = max(len(texts), 1)
        # smoothed IDF; syllables no document has weigh the most
        self._idf = {s: math.log(1 + n / c) for s, c in df.items()}
        self._unseen_idf = math.log(1 + n)
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        if self.size:  # bm25s cannot index an empty corpus
            self._bm25.index([d or ["_empty_"] for d in self._doc_terms], show_progress=False)

    def search(self, query: str, k: int = 10) -> list[LexicalHit]:
        """Top-k documents for ``query``, best first; empty when nothing matches."""
        q_terms = terms(query)
        if not q_terms or self.size == 0:
            return []
        scores = np.asarray(self._bm25.get_scores(q_terms), dtype=float)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        order = top[np.argsort(-scores[top], kind="stable")]
        weights = self.weights(query)
        return [
            LexicalHit(int(i), float(scores[i]), self._covered(weights, int(i)))
            for i in order
            if scores[i] > 0
        ]

    def coverage(self, weights: dict[str, float], index: int) -> float:
        """IDF-weighted share of the question's content syllables found in document ``index``.

        ``weights`` come from ``weights(query)``, computed once per question.
        """
        return self._covered(weights, index)

    def weights(self, query: str) -> dict[str, float]:
        """IDF weight of each content syllable of the question (computed once per question)."""
        return {t: self._idf.get(t, self._unseen_idf) for t in coverage_terms(query)}

    def _covered(self, weights: dict[str, float], index: int) -> float:
        """IDF-weighted share of the question's content syllables found in document ``index``."""
        if not weights:
            return 0.0
        found = sum(w for t, w in weights.items() if t in self._doc_syllables[index])
        return found / sum(weights.values())
