"""BM25 over accent-folded syllables plus underthesea words (the lexical side of retrieval)."""

from __future__ import annotations

import json
import logging
import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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


def folded_coverage_terms(text: str) -> set[str]:
    """``coverage_terms`` with accents ignored: comparing a question's words with a title or a
    line whether either was typed with diacritics or not."""
    return {fold_accents(t) for t in coverage_terms(text)}


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
    """In-memory BM25 index over a list of texts, with each text's syllables for coverage.

    The syllables of every text are kept as one sparse table (ids into a vocabulary, one
    sorted row per text) rather than a Python set per text: at 100k passages the sets took
    1.5 GB. ``save``/``load`` write and read the whole index (numpy arrays and JSON).
    """

    def __init__(
        self, texts: Sequence[str], doc_terms: Sequence[Sequence[str]] | None = None
    ) -> None:
        """Indexes ``texts``; ``doc_terms`` (from ``terms``) skips segmenting them again."""
        if doc_terms is not None and len(doc_terms) != len(texts):
            raise ValueError("doc_terms must have one entry per text")
        vocabulary: dict[str, int] = {}
        ids = array("i")  # 4 bytes a syllable while building, not a Python int each
        starts = array("q", [0])
        for text in texts:
            row = (vocabulary.setdefault(s, len(vocabulary)) for s in _syllables_both_ways(text))
            ids.extend(sorted(row))
            starts.append(len(ids))
        self._vocabulary = vocabulary
        self._row_ids = np.frombuffer(ids, dtype=np.int32).copy()
        self._row_start = np.frombuffer(starts, dtype=np.int64).copy()
        self._df = np.bincount(self._row_ids, minlength=len(vocabulary)).astype(np.int64)
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        if self.size:  # bm25s cannot index an empty corpus
            corpus = doc_terms if doc_terms is not None else (terms(t) for t in texts)
            self._bm25.index([list(d) or ["_empty_"] for d in corpus], show_progress=False)

    # -- persistence -----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Writes the index into ``folder`` (created; files inside are overwritten)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._bm25.save(str(folder / "bm25"), show_progress=False)
        vocabulary = sorted(self._vocabulary, key=self._vocabulary.__getitem__)
        (folder / "syllables.json").write_text(
            json.dumps({"size": self.size, "vocabulary": vocabulary}, ensure_ascii=False),
            encoding="utf-8",
        )
        np.save(folder / "syllable_rows.npy", self._row_ids, allow_pickle=False)
        np.save(folder / "syllable_starts.npy", self._row_start, allow_pickle=False)
        np.save(folder / "syllable_df.npy", self._df, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = False) -> LexicalIndex:
        """Reads an index ``save`` wrote; raises ``ValueError``/``OSError`` when it is not one.

        With ``mmap`` the large arrays stay in the files, mapped: a process holds only the
        pages its searches read, and processes loading the same files share them. Only shapes
        are checked then (the caller verifies the files' contents).
        """
        meta = json.loads((folder / "syllables.json").read_text(encoding="utf-8"))
        size, vocabulary = meta["size"], meta["vocabulary"]
        if not isinstance(size, int) or not isinstance(vocabulary, list):
            raise ValueError("syllables.json: unexpected content")
        index = cls.__new__(cls)
        index.size = size
        index._vocabulary = {s: i for i, s in enumerate(vocabulary)}
        if len(index._vocabulary) != len(vocabulary):
            raise ValueError("syllables.json: repeated syllables")
        mode = "r" if mmap else None
        rows = np.load(folder / "syllable_rows.npy", mmap_mode=mode, allow_pickle=False)
        starts = np.load(folder / "syllable_starts.npy", mmap_mode=mode, allow_pickle=False)
        df = np.load(folder / "syllable_df.npy", mmap_mode=mode, allow_pickle=False)
        if (
            rows.dtype != np.int32
            or starts.dtype != np.int64
            or df.dtype != np.int64
            or starts.shape != (size + 1,)
            or df.shape != (len(vocabulary),)
            or starts[0] != 0
            or starts[-1] != rows.size
        ):
            raise ValueError("syllable table does not match its vocabulary or size")
        if not mmap and (
            np.any(np.diff(starts) < 0)
            or (rows.size and (rows.min() < 0 or rows.max() >= len(vocabulary)))
            or not np.array_equal(df, np.bincount(rows, minlength=len(vocabulary)))
        ):
            raise ValueError("syllable table is not consistent")
        index._row_ids, index._row_start, index._df = rows, starts, df
        if size:
            index._bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=mmap, show_progress=False)
            if index._bm25.scores.get("num_docs") != size:
                raise ValueError("bm25 index does not match the syllable table")
        else:
            index._bm25 = bm25s.BM25()
        return index

    # -- searching -------------------------------------------------------------------------
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
        return {t: self._idf(t) for t in coverage_terms(query)}

    def information(self, query: str) -> float:
        """How much the question says, in units of one syllable no document has: the sum of
        its content syllables' IDF over the largest IDF (the index's size changes the scale,
        not this ratio)."""
        return sum(self.weights(query).values()) / math.log(1 + max(self.size, 1))

    def share_named(self, text: str, message: str) -> float:
        """IDF-weighted share of ``text``'s content syllables that ``message`` also has,
        accents ignored (a card's title against a question: does the question name what the
        card is about?); 1.0 when ``text`` has no content syllable."""
        weights = self.weights(text)
        total = sum(weights.values())
        if not total:
            return 1.0
        named = folded_coverage_terms(message)
        return sum(w for t, w in weights.items() if fold_accents(t) in named) / total

    def _idf(self, syllable: str) -> float:
        """Smoothed IDF; a syllable no document has weighs the most."""
        n = max(self.size, 1)
        sid = self._vocabulary.get(syllable)
        return math.log(1 + n / int(self._df[sid])) if sid is not None else math.log(1 + n)

    def _covered(self, weights: dict[str, float], index: int) -> float:
        """IDF-weighted share of the question's content syllables found in document ``index``."""
        if not weights:
            return 0.0
        row = self._row_ids[self._row_start[index] : self._row_start[index + 1]]
        found = sum(
            w
            for t, w in weights.items()
            if (sid := self._vocabulary.get(t)) is not None and _sorted_contains(row, sid)
        )
        return found / sum(weights.values())


def _sorted_contains(row: np.ndarray, value: int) -> bool:
    at = int(np.searchsorted(row, value))
    return at < row.size and int(row[at]) == value
