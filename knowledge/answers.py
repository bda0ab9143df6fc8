"""Turns the best-matching card into a short, cited Vietnamese answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.cards import Card, format_date_vi
from knowledge.lexical import LexicalIndex

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
_MARKDOWN = re.compile(r"(\*\*|__|`)")


@dataclass(frozen=True)
class Answer:
    """What the assistant says: text, follow-up buttons, and which card answered."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    card_id: str | None = None
    confident: bool = True


def card_document(card: Card) -> str:
    """Text indexed for a card: title twice (it names the subject), questions, body."""
    return "\n".join([card.title, card.title, *card.questions, card.body])


def render_body(markdown: str) -> str:
    """Plain text for chat channels: no emphasis markers, headings as plain lines."""
    lines = []
    for line in markdown.splitlines():
        line = _MARKDOWN.sub("", line).rstrip()
        line = re.sub(r"^#+\s*", "", line)
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def source_line(card: Card) -> str:
    """ "Nguồn: …" with at most two sources, plus validity when the rule has a start date."""
    cited = "; ".join(s.cite() for s in card.sources[:2]) or card.title
    line = f"Nguồn: {cited}."
    if card.valid_from:
        line += f" Quy định áp dụng từ {format_date_vi(card.valid_from)}."
    if card.valid_to:
        line += f" Hết hiệu lực từ {format_date_vi(card.valid_to)}."
    return line


class KnowledgeService:
    """Finds the card that answers a question and phrases the answer."""

    def __init__(self, cards: list[Card], *, min_coverage: float = 0.5, max_related: int = 3):
        self.cards = cards
        self.min_coverage = min_coverage
        self.max_related = max_related
        self._index = LexicalIndex([card_document(c) for c in cards])

    def rank(
        self, question: str, intent: str | None = None, k: int = 10
    ) -> list[tuple[Card, float, float]]:
        """Cards for ``question`` as (card, score, coverage), best first."""
        preferred = INTENT_TOPICS.get(intent or "", frozenset())
        ranked = []
        for hit in self._index.search(question, k=k):
            card = self.cards[hit.index]
            boost = TOPIC_BOOST if card.topic in preferred else 1.0
            ranked.append((card, hit.score * boost, hit.coverage))
        ranked.sort(key=lambda r: r[1], reverse=True)
        return ranked

    def answer(self, question: str, intent: str | None = None) -> Answer:
        """The best card's answer with its source, or an honest fallback."""
        ranked = self.rank(question, intent)
        if not ranked or ranked[0][2] < self.min_coverage:
            return Answer(FALLBACK_TEXT, confident=False)
        best = ranked[0][0]
        related = []
        for card, _, _ in ranked[1:]:
            if card.questions and len(related) < self.max_related:
                related.append({"title": card.title, "payload": card.questions[0]})
        text = f"{render_body(best.body)}\n\n{source_line(best)}"
        return Answer(text, related, best.id)
