"""Diacritics put back on a message typed without them: "lam can cuoc o dau" → "làm căn cước
ở đâu".

Many real questions come without diacritics. Folded, they match the wrong words ("căn" and
"cần", "thẻ" and "thế" fold alike) and e5 reads them poorly, so the checks that keep a long
question from a neighbouring answer cannot be asked of them. A bigram model over accented text
the assistant already holds (its cards and guides) chooses, for each syllable, the accented form
most likely after the one before (Viterbi). A syllable never seen accented stays as typed; a
syllable typed with diacritics is kept and guides the next one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from vntext.normalize import fold_accents, has_diacritics, normalize

_TOKENS = re.compile(r"\w+|\W+")
_WORD = re.compile(r"[^\W\d_]+")
_START = "<s>"
# Weight of the unigram distribution in the smoothed bigram probability. The counts come from a
# small text (the cards and questions, about 90,000 syllables), where most of a letter's
# bigrams were never seen: at 2 a rare form seen once after the word before ("tới") beat a
# common one never seen there ("tôi"). Syllables restored right on the dev split's questions
# typed without diacritics: 93.0% at 2, 93.5% at 5, 93.9% at 20, 93.8% at 100; the
# paraphrase set 96.8% → 97.0% (docs/evaluation.md, eighth session).
SMOOTHING = 20.0
# How people ask, with diacritics: the cards and guides say what the rules are, rarely "xin
# hỏi", "tôi bị mất", "vợ tôi", so these everyday words are counted too (as often as this).
# The letter phrases after "đăng ký lại" were written from the restoring errors of one half of
# the dev split's questions (split by the SHA-1 of their ids) and kept because the other half
# improved too: 93.7% → 94.1% of its syllables (docs/evaluation.md, eighth session).
EVERYDAY_WEIGHT = 3
# longer messages are restored up to here and kept as typed after it (a pasted page must not
# cost seconds)
MAX_CHARS = 2000
EVERYDAY = """
xin hỏi, cho tôi hỏi, tôi muốn hỏi, em muốn hỏi, cho em hỏi, mình muốn hỏi, xin cảm ơn.
xin chào luật sư, nhờ luật sư tư vấn giúp, mong được giải đáp, tôi xin chân thành cảm ơn.
tôi bị mất, em bị mất, mình vừa mất, bị mất giấy tờ, mất bằng lái, mất ví, làm mất.
tôi có được không, có được không ạ, có phải không, có bắt buộc không, có cần không.
như thế nào, thế nào, ra sao, làm sao, bao lâu, bao nhiêu tiền, ở đâu, khi nào, ai, gì.
vợ tôi, chồng tôi, con tôi, bố mẹ tôi, ông bà, anh trai, chị gái, em trai, cháu tôi.
năm nay tôi bao nhiêu tuổi, tôi đang làm việc xa nhà, tôi đang ở nước ngoài, về quê.
hiện nay, trước đây, bây giờ, vừa rồi, mới đây, sắp tới, năm ngoái, tháng trước.
giấy tờ, thủ tục, hồ sơ, nộp ở đâu, đi làm, làm lại, cấp lại, đổi lại, đăng ký lại.
chúng tôi, chúng em, gia đình chúng tôi, vợ chồng chúng tôi.
tôi đã làm, tôi đã nộp, đã được cấp, đã hết hạn, đã lâu, tôi đã hỏi nhưng chưa được trả lời.
tôi đang ở, tôi đang làm việc, đang sinh sống, hiện đang ở, đang chờ.
do tôi, do đó, do công việc, vì vậy, vì thế, vì tôi, bởi vì, nên tôi.
mong được hướng dẫn, mong quý cơ quan giải đáp, rất mong nhận được phản hồi, mong luật sư tư vấn.
trở lại, trở về, quay trở lại, trở thành.
ở xa, đi xa, xa nhà, quá xa.
nhiều hơn, hơn một năm, hơn nữa.
qua mạng, qua ngân hàng, qua bưu điện, thông qua, đã qua.
sử dụng, không sử dụng được, không dùng được.
bác tôi, cô tôi, chú tôi, dì tôi, ông nội, bà ngoại, người thân.
tôi cũng không biết, tôi không rõ, tôi không hiểu, xin cho biết.
"""


class DiacriticRestorer:
    """Bigram counts of accented syllables, and the accented forms of each folded syllable."""

    def __init__(self, unigrams: Counter[str], bigrams: Counter[tuple[str, str]]) -> None:
        self.unigrams = unigrams
        self.bigrams = bigrams
        self.total = max(sum(unigrams.values()), 1)
        self.left = Counter[str]()
        for (prev, _), count in bigrams.items():
            self.left[prev] += count
        self.forms: dict[str, list[str]] = defaultdict(list)
        for word in unigrams:
            self.forms[fold_accents(word)].append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> DiacriticRestorer:
        """Counts from the accented stretches of ``texts`` (a line typed without diacritics —
        a card's example question — would teach that "can" is a word of its own)."""
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        for text in [*[EVERYDAY] * EVERYDAY_WEIGHT, *texts]:
            for line in (text or "").splitlines():
                if not has_diacritics(line):
                    continue
                for run in _pieces(normalize(line).lower()):
                    if isinstance(run, str):  # punctuation between runs
                        continue
                    unigrams.update(run)
                    bigrams.update(zip([_START, *run[:-1]], run, strict=True))
        return cls(unigrams, bigrams)

    def restore(self, text: str) -> str:
        """``text`` (normalised, lower case) with diacritics restored where known."""
        out = [
            piece if isinstance(piece, str) else " ".join(self._best(piece))
            for piece in _pieces(normalize(text[:MAX_CHARS]).lower())
        ]
        return " ".join(p for p in (*out, text[MAX_CHARS:].strip()) if p)

    def _probability(self, prev: str, word: str) -> float:
        unigram = (self.unigrams[word] + 0.1) / self.total
        return (self.bigrams[(prev, word)] + SMOOTHING * unigram) / (
            self.left[prev] + SMOOTHING
        )

    def _candidates(self, token: str) -> list[str]:
        if has_diacritics(token):
            return [token]
        return self.forms.get(token) or [token]

    def _best(self, run: list[str]) -> list[str]:
        """The most likely accented sequence for one run of syllables (Viterbi with back
        pointers: linear in the run's length)."""
        if not run:
            return []
        scores: dict[str, float] = {_START: 0.0}
        back: list[dict[str, str]] = []
        for token in run:
            step: dict[str, float] = {}
            pointers: dict[str, str] = {}
            for word in self._candidates(token):
                prev, score = max(
                    ((p, s + math.log(self._probability(p, word))) for p, s in scores.items()),
                    key=lambda pair: pair[1],
                )
                step[word], pointers[word] = score, prev
            scores = step
            back.append(pointers)
        word = max(scores, key=scores.__getitem__)
        out = [word]
        for pointers in reversed(back[1:]):
            word = pointers[word]
            out.append(word)
        return out[::-1]


def _pieces(text: str) -> list[list[str] | str]:
    """Runs of word syllables, and the punctuation or numbers between them (a bigram does not
    cross a comma)."""
    pieces: list[list[str] | str] = [[]]
    for token in _TOKENS.findall(text):
        if _WORD.fullmatch(token):
            run = pieces[-1]
            if isinstance(run, str):
                pieces.append(run := [])
            run.append(token)
        elif token.strip():
            pieces.append(token.strip())
    return [p for p in pieces if p]


def needs_restoring(text: str, share: float = 0.25) -> bool:
    """Whether ``text`` was typed (mostly) without diacritics: fewer than ``share`` of its
    syllables carry any. An accented message keeps its plain syllables ("cho", "xe")."""
    words = _WORD.findall(text or "")
    if not words:
        return False
    accented = sum(1 for w in words if has_diacritics(w))
    return accented < share * len(words)
