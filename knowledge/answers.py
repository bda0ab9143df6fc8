"""Turns the best retrieved unit into a short, cited Vietnamese answer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from knowledge.cards import Card
from knowledge.lexical import coverage_terms
from knowledge.retrieval import Hit, Retriever
from knowledge.units import Unit
from vntext import split_sentences
from vntext.dates import format_date_vi

FALLBACK_TEXT = (
    "Xin lỗi anh/chị, hiện tôi chưa có thông tin chắc chắn để trả lời câu hỏi này. "
    "Anh/chị có thể gọi tổng đài 1900 0368 (dữ liệu dân cư, căn cước, định danh điện tử), "
    "hỏi Công an xã/phường nơi cư trú hoặc Trung tâm Phục vụ hành chính công gần nhất."
)

# Which card topics an NLU intent usually points to (a ranking hint only).
INTENT_TOPICS: dict[str, frozenset[str]] = {
    "ask_vneid_install": frozenset({"vneid"}),
    "ask_vneid_levels": frozenset({"vneid"}),
    "ask_vneid_register": frozenset({"vneid"}),
    "ask_vneid_activate": frozenset({"vneid"}),
    "ask_vneid_account_issue": frozenset({"vneid"}),
    "ask_vneid_utilities": frozenset({"vneid"}),
    "ask_public_services": frozenset({"public_services"}),
    "ask_cashless_payment": frozenset({"cashless"}),
    "ask_policy_info": frozenset({"policy", "merger"}),
    "ask_procedure": frozenset({"procedures", "public_services"}),
}
TOPIC_BOOST = 1.25
# A document passage longer than this is cut to its most relevant sentences.
PASSAGE_CHARS = 600
PASSAGE_SENTENCES = 3
_MARKDOWN = re.compile(r"(\*\*|__|`)")


@dataclass(frozen=True)
class Answer:
    """What the assistant says: text, follow-up buttons, and which unit answered."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    card_id: str | None = None
    confident: bool = True
    unit_id: str | None = None
    score: float = 0.0
    coverage: float = 0.0
    similarity: float = 0.0


def render_body(markdown: str) -> str:
    """Plain text for chat channels: no emphasis markers, headings as plain lines."""
    lines = []
    for line in markdown.splitlines():
        line = _MARKDOWN.sub("", line).rstrip()
        line = re.sub(r"^#+\s*", "", line)
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def source_line(unit: Unit | Card) -> str:
    """ "Nguồn: …" with at most two sources."""
    cited = "; ".join(s.cite() for s in unit.sources[:2]) or unit.title
    return f"Nguồn: {cited}."


def _as_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def change_note(unit: Unit | Card, today: dt.date | None = None) -> str:
    """Which rule applies now, when the unit's rule changed or will change."""
    today = today or dt.date.today()
    start, end = _as_date(unit.valid_from), _as_date(unit.valid_to)
    supersedes = getattr(unit, "supersedes", "") or ""
    if end and end <= today:
        return (
            f"Lưu ý: quy định này đã hết hiệu lực từ {format_date_vi(end)}; "
            "anh/chị vui lòng kiểm tra quy định hiện hành."
        )
    if start and start > today:
        return f"Lưu ý: quy định này áp dụng từ {format_date_vi(start)}, hiện chưa có hiệu lực."
    if start and supersedes:
        before = supersedes.rstrip(".")
        return f"Quy định đang áp dụng: từ {format_date_vi(start)}. Trước đó: {before}."
    if start:
        return f"Quy định áp dụng từ {format_date_vi(start)}."
    return ""


def concise_passage(text: str, question: str) -> str:
    """A document passage cut to the sentences that answer the question, in their order."""
    text = render_body(text)
    if len(text) <= PASSAGE_CHARS:
        return text
    sentences = split_sentences(text)
    wanted = coverage_terms(question)
    scored = [
        (len(wanted & coverage_terms(s)), -i, i, s) for i, s in enumerate(sentences)
    ]
    best = sorted(scored, reverse=True)[:PASSAGE_SENTENCES]
    chosen = [s for _, _, _, s in sorted(best, key=lambda t: t[2])]
    return " ".join(chosen) + " …"


class KnowledgeService:
    """Finds the unit that answers a question and phrases the answer."""

    def __init__(
        self,
        retriever: Retriever,
        *,
        min_coverage: float = 0.6,
        min_similarity: float = 0.90,
        max_related: int = 3,
        mode: str = "hybrid",
    ) -> None:
        self.retriever = retriever
        self.min_coverage = min_coverage
        self.min_similarity = min_similarity
        self.max_related = max_related
        self.mode = mode

    def rank(self, question: str, intent: str | None = None, k: int = 10) -> list[Hit]:
        """Units for ``question``, best first (the intent's topics get a small boost)."""
        self.retriever.refresh_if_changed()
        return self.retriever.search(
            question,
            mode=self.mode,
            k=k,
            boost=INTENT_TOPICS.get(intent or "", frozenset()),
            boost_factor=TOPIC_BOOST,
        )

    def is_confident(self, hit: Hit) -> bool:
        """Enough of the question is in the passage, or the meaning is very close."""
        return hit.coverage >= self.min_coverage or hit.similarity >= self.min_similarity

    def answer(self, question: str, intent: str | None = None) -> Answer:
        """The best unit's answer with its source, or an honest fallback."""
        ranked = self.rank(question, intent)
        if not ranked:
            return Answer(FALLBACK_TEXT, confident=False)
        if not self.is_confident(ranked[0]):
            near = ranked[0]
            return Answer(
                FALLBACK_TEXT,
                confident=False,
                unit_id=near.unit.id,
                score=near.score,
                coverage=near.coverage,
                similarity=near.similarity,
            )
        best = ranked[0]
        unit = best.unit
        related = []
        for hit in ranked[1:]:
            if hit.unit.questions and len(related) < self.max_related and hit.unit.id != unit.id:
                related.append({"title": hit.unit.title, "payload": hit.unit.questions[0]})
        if unit.kind == "card":
            body = render_body(unit.body)
        else:
            heading = f"{unit.title}" + (f" — {unit.heading}" if unit.heading else "")
            body = f"Theo {heading}:\n{concise_passage(unit.body, question)}"
        parts = [body]
        note = change_note(unit)
        if note:
            parts.append(note)
        parts.append(source_line(unit))
        return Answer(
            "\n\n".join(parts),
            related,
            unit.card_id or None,
            True,
            unit.id,
            best.score,
            best.coverage,
            best.similarity,
        )
