"""Finding the procedure a citizen asks about, and which part of it they ask for.

``ProcedureLookup.find`` tries, in order:

1. a national portal code (``1.007073``), also inside a sentence;
2. names and aliases, matched on folded normalised text (``vntext``: abbreviations such as
   gplx/cccd expanded, diacritics removed). Each name or alias is scored against the question
   by IDF-weighted overlap (IDF over procedures) in both directions:

   - *form coverage*: the share of the alias's weight found in the question; the alias's
     terms are its syllables plus its underthesea words (``khai_sinh``), a word counting
     only when its syllables stand next to each other in the question;
   - *question coverage*: the share of the question's content syllables found in the alias
     (question wording such as "cần gì", "mất bao lâu", "lệ phí", "online" is left out).

   A procedure scores the best ``(form + question) / 2`` over its forms.

The best procedure is ``found`` when it scores at least ``FOUND_SCORE``, covers at least
``FOUND_QUESTION_COVERAGE`` of the question, leads the next one by ``MARGIN`` and no linked
group built on it (khai sinh – thường trú – BHYT, khai tử – xóa thường trú – mai táng phí)
fits the question too, unless the question is exactly its name or alias. Otherwise the result
is ``ambiguous`` with up to four candidates (best first), or ``not_found`` when nothing scores
``MIN_SCORE`` and covers ``MIN_QUESTION_COVERAGE`` of the question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from procedures.schema import BIRTH_LINK_GROUP, DEATH_LINK_GROUP, Procedure
from vntext import matching_key
from vntext.segment import segment_words
from vntext.validity import asks_validity

Status = Literal["found", "ambiguous", "not_found"]
Part = Literal["documents", "steps", "time", "fee", "where", "online", "legal_basis", "all"]
PARTS: tuple[str, ...] = (
    "documents",
    "steps",
    "time",
    "fee",
    "where",
    "online",
    "legal_basis",
    "all",
)

FOUND_SCORE = 0.7
FOUND_QUESTION_COVERAGE = 0.6
MIN_SCORE = 0.45
MIN_QUESTION_COVERAGE = 0.4
MARGIN = 0.12
MAX_CANDIDATES = 4

LINKED_GROUPS = (BIRTH_LINK_GROUP, DEATH_LINK_GROUP)

_CODE = re.compile(r"(?<![\d.])(\d{1,2}\.\d{6})(?![\d])")

# Function words that never identify a procedure (accent-folded). Kept small on purpose:
# folding merges words ("căn"/"cần", "thẻ"/"thế", "tử"/"từ"), so only words whose every
# accented reading is a function word are listed.
STOP_SYLLABLES = frozenset(
    """a ah ai anh chi em toi ta cho cua va voi hoac la o ve nhe oi vay nao sao gi can lam
    duoc khong co phai nhu nhung cac mot nay khi da se bi hay roi ra muon biet xin giup gium
    ak u uh nhi""".split()
)

# Question wording that asks for a part of a procedure rather than naming it; left out of
# the question's own terms when scoring (it still counts where an alias contains it).
_QUESTION_PHRASES = re.compile(
    r"\b(?:thu tuc hanh chinh|dich vu cong truc tuyen|dich vu cong|can nhung gi|can gi|"
    r"giay to|ho so|thu tuc|mat bao lau|bao lau|bao nhieu tien|"
    r"bao nhieu ngay|bao nhieu|may ngay|thoi han|thoi gian|le phi|chi phi|phi|tien|"
    r"nop o dau|o dau|noi nao|cho nao|co quan nao|online|truc tuyen|qua mang|tren mang|"
    r"can cu|nghi dinh|thong tu|cac buoc|quy trinh|trinh tu|huong dan|nhu the nao|the nao|"
    r"ra sao|lam sao|cach|mat|het|nop|tren|qua|vneid|ung dung|dien thoai)\b"
)


def matching_form(text: str) -> str:
    """Folded matching form: normalised, abbreviations expanded, no accents or punctuation."""
    return matching_key(text)


def _syllables(folded: str) -> list[str]:
    return folded.split()


def _contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(list(haystack[i : i + n]) == list(needle) for i in range(len(haystack) - n + 1))


@dataclass(frozen=True)
class _Form:
    """One name or alias, prepared for matching."""

    text: str
    kind: str
    syllables: frozenset[str]
    words: tuple[tuple[str, ...], ...]  # underthesea words of two or more syllables
    folded: str = ""  # the whole name or alias as a matching key


@dataclass(frozen=True)
class Candidate:
    """A scored procedure, the name or alias that matched best and its two coverages."""

    procedure: Procedure
    score: float
    matched: str
    form_coverage: float
    question_coverage: float

    @property
    def eligible(self) -> bool:
        """Good enough to be offered to the user at all."""
        return self.score >= MIN_SCORE and self.question_coverage >= MIN_QUESTION_COVERAGE


@dataclass(frozen=True)
class LookupResult:
    """Outcome of a lookup; ``candidates`` (best first) is filled when ambiguous."""

    status: Status
    procedure: Procedure | None = None
    score: float = 0.0
    matched: str | None = None
    matched_by: Literal["code", "name", "none"] = "none"
    candidates: tuple[Procedure, ...] = field(default_factory=tuple)

    @property
    def found(self) -> bool:
        return self.status == "found"


class ProcedureLookup:
    """In-memory matcher over procedure names, aliases and portal codes."""

    def __init__(
        self,
        procedures: Iterable[Procedure],
        extra_aliases: dict[str, Iterable[str]] | None = None,
    ) -> None:
        """``extra_aliases``: more names per procedure id (e.g. from the aliases table)."""
        self.procedures = list(procedures)
        self._by_code = {p.code: p for p in self.procedures if p.code}
        self._by_id = {p.id: p for p in self.procedures}
        self._forms: list[list[_Form]] = []
        extra_aliases = extra_aliases or {}
        for proc in self.procedures:
            texts = [(proc.name, "name"), *((a, "alias") for a in proc.aliases)]
            texts += [(a, "alias") for a in extra_aliases.get(proc.id, ())]
            forms: list[_Form] = []
            seen: set[str] = set()
            for text, kind in texts:
                folded = matching_form(text)
                if not folded or folded in seen:
                    continue
                seen.add(folded)
                forms.append(self._prepare(text, kind, folded))
            self._forms.append(forms)
        df: dict[str, int] = {}
        for forms in self._forms:
            keys = set()
            for form in forms:
                keys |= form.syllables | {" ".join(w) for w in form.words}
            for key in keys:
                df[key] = df.get(key, 0) + 1
        n = max(len(self.procedures), 1)
        self._idf = {key: math.log(1 + n / count) for key, count in df.items()}
        self._unseen_idf = math.log(1 + n)

    @classmethod
    def from_db(cls, url: str) -> ProcedureLookup:
        """Built from the stored catalogue (records plus the aliases table)."""
        from procedures.catalogue import stored_aliases, stored_procedures

        procedures = stored_procedures(url)
        aliases = {
            pid: [text for text, _kind in forms] for pid, forms in stored_aliases(url).items()
        }
        return cls(procedures, aliases)

    @staticmethod
    def _prepare(text: str, kind: str, folded: str) -> _Form:
        syllables = frozenset(s for s in _syllables(folded) if s not in STOP_SYLLABLES)
        words = []
        for word in segment_words(text):
            parts = tuple(matching_form(word.replace("_", " ")).split())
            if len(parts) > 1 and not all(p in STOP_SYLLABLES for p in parts):
                words.append(parts)
        return _Form(text, kind, syllables, tuple(dict.fromkeys(words)), folded)

    def named(self, text: str) -> list[Procedure]:
        """Procedures whose whole name or alias (three syllables or more) stands in ``text``,
        in text order; overlapping mentions keep the longest."""
        key = f" {matching_form(text)} "
        spans: list[tuple[int, int, Procedure]] = []
        for proc, forms in zip(self.procedures, self._forms, strict=True):
            for form in forms:
                if len(form.folded.split()) < 3:
                    continue
                start = key.find(f" {form.folded} ")
                if start >= 0:
                    spans.append((start, start + len(form.folded) + 1, proc))
        spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, Procedure]] = []
        for start, end, proc in spans:
            if any(start < e and s < end for s, e in taken):
                continue
            if any(p.id == proc.id for _, p in chosen):
                continue
            taken.append((start, end))
            chosen.append((start, proc))
        return [proc for _, proc in sorted(chosen, key=lambda c: c[0])]

    def get(self, id_or_code: str) -> Procedure | None:
        """The procedure with this id or portal code."""
        key = id_or_code.strip()
        return self._by_id.get(key) or self._by_code.get(key)

    # ------------------------------------------------------------------ scoring

    def _weight(self, key: str) -> float:
        return self._idf.get(key, self._unseen_idf)

    def _coverage(self, form: _Form, sequence: list[str], content: set[str]) -> tuple[float, float]:
        """(form coverage, question coverage) of one name or alias."""
        present = set(sequence)
        total = found = 0.0
        for s in form.syllables:
            w = self._weight(s)
            total += w
            found += w if s in present else 0.0
        for word in form.words:
            w = self._weight(" ".join(word))
            total += w
            found += w if _contains_run(sequence, word) else 0.0
        form_cov = found / total if total else 0.0
        q_total = sum(self._weight(s) for s in content)
        q_found = sum(self._weight(s) for s in content if s in form.syllables)
        # a question made only of question words ("online", "lệ phí") names nothing
        question_cov = q_found / q_total if q_total else 0.0
        return form_cov, question_cov

    def rank(self, text: str) -> list[Candidate]:
        """Every procedure with a positive score, best first."""
        folded = matching_form(text)
        sequence = _syllables(folded)
        stripped = _QUESTION_PHRASES.sub(" ", folded)
        content = {s for s in stripped.split() if s not in STOP_SYLLABLES}
        out: list[Candidate] = []
        for proc, forms in zip(self.procedures, self._forms, strict=True):
            best: Candidate | None = None
            for form in forms:
                form_cov, question_cov = self._coverage(form, sequence, content)
                score = (form_cov + question_cov) / 2
                if score > 0 and (best is None or score > best.score):
                    best = Candidate(proc, score, form.text, form_cov, question_cov)
            if best is not None:
                out.append(best)
        out.sort(key=lambda c: (-c.score, c.procedure.id))
        return out

    def question_share(self, text: str, procedure: Procedure) -> float:
        """How much of the question's own content (question wording left out) the best name
        or alias of ``procedure`` covers: low when the name is only mentioned in a long
        question about something else ("chuyển hộ khẩu ... để làm đăng ký kết hôn ...")."""
        return self.question_shares(text).get(procedure.id, 0.0)

    def question_shares(self, text: str) -> dict[str, float]:
        """``question_share`` of every procedure the question touches, by id, from one
        ranking (asking it of several procedures need not rank the question again)."""
        return {
            c.procedure.id: c.question_coverage for c in self.rank(_CODE.sub(" ", text or ""))
        }

    def _linked_rivals(self, best: Candidate, ranked: list[Candidate]) -> list[Candidate]:
        """Linked-group procedures (khai sinh – thường trú – BHYT...) built on ``best`` that the
        question also fits: the user has to choose, unless it names ``best`` exactly."""
        if best.score >= 1.0:  # the question is exactly a name or alias of ``best``
            return []
        rivals = []
        for other in ranked[1:]:
            proc = other.procedure
            linked = set(proc.group) & set(LINKED_GROUPS)
            related = best.procedure.id in proc.related or proc.id in best.procedure.related
            if linked and related and other.eligible:
                rivals.append(other)
        return rivals

    def find(self, text: str, named: list[Procedure] | None = None) -> LookupResult:
        """The procedure asked about: found, ambiguous (with candidates) or not found.
        ``named``: ``self.named(text)`` when the caller has it already."""
        text = text or ""
        for code in _CODE.findall(text):
            proc = self._by_code.get(code)
            if proc is not None:
                return LookupResult("found", proc, 1.0, code, "code")
        named = self.named(text) if named is None else named
        if len(named) == 1:  # an exact name or alias wins outright
            return LookupResult("found", named[0], 1.0, named[0].name, "name")
        ranked = [c for c in self.rank(_CODE.sub(" ", text)) if c.eligible]
        if not ranked:
            return LookupResult("not_found")
        best = ranked[0]
        second = ranked[1].score if len(ranked) > 1 else 0.0
        rivals = self._linked_rivals(best, ranked)
        if (
            best.score >= FOUND_SCORE
            and best.question_coverage >= FOUND_QUESTION_COVERAGE
            and best.score - second >= MARGIN
            and not rivals
        ):
            return LookupResult("found", best.procedure, best.score, best.matched, "name")
        close = [best, *rivals]
        close += [c for c in ranked if c.score >= best.score - 2 * MARGIN and c not in close]
        # a single weak match is "ambiguous" too: the user is asked to confirm it
        candidates = tuple(c.procedure for c in close[:MAX_CANDIDATES])
        return LookupResult(
            "ambiguous", best.procedure, best.score, best.matched, "name", candidates
        )


# ------------------------------------------------------------------ asked part

# Checked in this order; the first rule that matches wins. Patterns run over the folded
# normalised question ("lệ phí" → "le phi"; "bn" → "bao nhieu").
_PART_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "legal_basis",
        re.compile(
            r"\b(?:can cu|co so phap ly|nghi dinh|thong tu|quyet dinh so|van ban phap luat|"
            r"van ban nao|luat nao|theo luat|quy dinh nao|quy dinh o dau)\b"
        ),
    ),
    (
        "fee",
        re.compile(
            r"\b(?:le phi|chi phi|mat phi|mien phi|phi bao nhieu|phi la|bao nhieu tien|"
            r"may tien|het bao nhieu|mat bao nhieu|ton bao nhieu|tien phi|gia bao nhieu|"
            r"dong bao nhieu|nop bao nhieu|co mat tien|co ton tien)\b"
            r"|(?<!tang )\bphi\b"
        ),
    ),
    (
        "time",
        re.compile(
            r"\b(?:bao lau|may ngay|bao nhieu ngay|may hom|bao nhieu hom|thoi han|"
            r"thoi gian (?:giai quyet|xu ly|tra|lam|cho)|bao gio (?:co|xong|nhan|lay)|"
            r"khi nao (?:co|xong|nhan|lay)|lau khong|lau ko|nhanh khong|tra ket qua)\b"
        ),
    ),
    (
        "where",
        re.compile(
            r"\b(?:o dau|tai dau|noi nao|cho nao|co quan nao|den dau|di dau|dia chi nop|"
            r"noi nop|ubnd nao|cong an nao)\b"
        ),
    ),
    (
        "documents",
        re.compile(
            r"\b(?:can gi|can nhung gi|can giay to|giay to|thanh phan ho so|ho so gom|"
            r"ho so can|bo ho so|chuan bi gi|chuan bi nhung gi|mang theo gi|mang theo nhung|"
            r"mang gi|can mang|can chuan bi|to khai|mau don|ban sao|ban chinh|"
            r"(?:can|lam) (?:nhung )?thu tuc gi)\b"
            r"|(?<!nop )\bho so\b"
        ),
    ),
    (
        "online",
        re.compile(
            r"\b(?:online|truc tuyen|qua mang|tren mang|tren vneid|qua vneid|bang vneid|"
            r"tren ung dung|qua ung dung|tren dien thoai|tai nha|dich vu cong quoc gia|"
            r"cong dich vu cong|dichvucong)\b"
        ),
    ),
    (
        "steps",
        re.compile(
            r"\b(?:cac buoc|may buoc|buoc nao|quy trinh|trinh tu|cach lam|lam the nao|"
            r"lam sao|lam nhu the nao|huong dan|thu tuc the nao|the nao|ra sao|nhu nao|"
            r"(?:can|lam) (?:nhung )?thu tuc gi)\b"
        ),
    ),
)


def asked_part(text: str) -> Part:
    """Which part of a procedure the question asks for; ``all`` when it names none."""
    return asked_parts(text)[0]


def asked_parts(text: str) -> tuple[Part, ...]:
    """Every part the question asks for, in the rules' order ("cần giấy tờ gì và nộp ở đâu"
    asks two); ``("all",)`` when it names none."""
    folded = matching_form(text)
    found = tuple(part for part, pattern in _PART_RULES if pattern.search(folded))
    if asks_validity(folded):  # how long the paper stays valid: no record field says it
        found = tuple(part for part in found if part != "time")
    return found or ("all",)  # type: ignore[return-value]
