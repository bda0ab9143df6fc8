"""Turns the best retrieved unit into a short, cited Vietnamese answer."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.cards import Card
from knowledge.grain import (
    CASE_LABELS,
    LABELS,
    aspects_in_order,
    declared_unknown,
    lead,
    narrow_case,
    says_anything_on,
    section_for,
    uncovered_case,
    with_fitting_verdict,
    without_verdict,
)
from knowledge.lexical import coverage_terms, folded_coverage_terms, terms
from knowledge.retrieval import Hit, Retriever
from knowledge.units import Unit
from vntext import has_diacritics, matching_key, split_sentences
from vntext.dates import format_date_vi
from vntext.focus import focus
from vntext.restore import DiacriticRestorer, needs_restoring

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
    "ask_vneid_utilities": frozenset({"vneid", "insurance", "judicial"}),
    "ask_public_services": frozenset({"public_services", "tax", "fines"}),
    "ask_cashless_payment": frozenset({"cashless", "insurance"}),
    "ask_policy_info": frozenset({"policy", "merger", "idcard"}),
    "ask_procedure": frozenset(
        {"procedures", "public_services", "residence", "idcard", "passport", "civil",
         "judicial", "vehicle", "tax"}
    ),
}
TOPIC_BOOST = 1.25
# DIET learnt its intents from messages of at most 25 words, nine in ten under 14: on a longer
# message its intent is a guess (a reader's letter on ID cards comes out "ask_vneid_register"),
# so the intent's topics are boosted only up to this length — of the whole message
# (``KnowledgeService.answer``'s ``context``): a long letter's asking sentence gets none either.
# Through the stack's intents, on the real-question dev split: the boost on every message 68
# correct, on none 70, up to 16 words 70 (docs/evaluation.md).
PRIOR_MAX_WORDS = 16
# A question typed without diacritics and restored is about this much less similar in meaning
# to the passage that answers it than the same question typed with them (median 0.011 over
# the dev split's answered questions): the similarity threshold is lowered by as much.
RESTORED_SIMILARITY_GAP = 0.01
CLARIFY_TEXT = (
    "Có phải anh/chị muốn hỏi một trong các nội dung sau không ạ? Anh/chị chọn một mục; nếu "
    "không phải, anh/chị có thể gọi tổng đài 1900 0368 hoặc hỏi Công an xã/phường, Trung tâm "
    "Phục vụ hành chính công."
)
WHERE_TO_ASK = (
    "Anh/chị có thể hỏi Công an xã/phường, Trung tâm Phục vụ hành chính công nơi làm thủ tục, "
    "hoặc gọi tổng đài 1900 0368 (dữ liệu dân cư, căn cước, định danh điện tử)."
)
UNCERTAIN_NOTE = (
    "Lưu ý: một số chi tiết ở trên chưa được xác nhận chắc chắn từ văn bản gốc; anh/chị nên "
    "kiểm tra lại tại nơi làm thủ tục trước khi nộp."
)
# A message of a few common words ("bạn có người yêu chưa") is wholly "covered" by any long
# card that happens to hold them, so coverage alone proves nothing there: an answer on
# coverage alone needs the message to carry at least this much information
# (``LexicalIndex.information``). Small talk of common words sits at 0.6–0.7, the team's
# shortest answerable questions at 0.86 and above (docs/evaluation.md).
MIN_COVERED_INFORMATION = 0.75
# A long message (a reader's letter) names what it is about. There, a card that the word and
# the meaning index do not both put first must have at least this IDF-weighted share of its
# title's words in the message (``LexicalIndex.share_named``): sibling cards — an
# organisation's e-ID account for a letter on when a person's is locked, moving one's
# residence back home for splitting a household — share a letter's words and meaning but name
# another case in their title. A short question may name its subject in other words than the
# title (on the paraphrase set the rule at every length lost 55 right answers for 17 wrong
# ones), so it is not asked of them. Chosen on the dev split with each answering card left
# out (docs/evaluation.md, eighth session).
MIN_TITLE_SHARE = 0.40
TITLE_SHARE_MIN_WORDS = 20
# "did you mean" offers hits with this share of the confident coverage, or this close in
# similarity (tuned on the real-question dev set, docs/evaluation.md)
NEAR_SHARE = 0.65
NEAR_SIMILARITY_GAP = 0.04
# a province's own document among the best OWN_DOCUMENT_WINDOW hits answers first when its
# coverage is at least OWN_DOCUMENT_COVERAGE and within OWN_DOCUMENT_MARGIN of the top card's
OWN_DOCUMENT_WINDOW = 5
OWN_DOCUMENT_COVERAGE = 0.8
OWN_DOCUMENT_MARGIN = 0.15
# aspects whose absence from a card means the card does not answer the question
STRICT_ASPECTS = frozenset({"penalty", "fee", "time_limit", "where", "documents", "validity"})
# the restorer learns from at most this many units (cards first): a province's whole archive
# would cost seconds at every reload and add little
RESTORER_UNITS = 5000
# searched once at warm-up: any question loads the same models and indexes
WARM_UP_QUERY = "làm thẻ căn cước ở đâu"
# A document passage longer than this is cut to its most relevant sentences.
PASSAGE_CHARS = 600
# sections shown for a question that asks several things
MAX_SECTIONS = 3
# what a question on how to do something is shown beyond the steps
HOW_ALSO_SHOWS = ("documents", "where")
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
    # "answer", "partial" (the topic is known, the asked fact is not), "clarify" (did you
    # mean one of these?) or "fallback" (nothing close enough)
    kind: str = "answer"


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


def prefer_own_documents(ranked: list[Hit]) -> list[Hit]:
    """A province's own guide (an ingested document) answers before the national cards when
    it is among the best five (or the best lexical match) and covers the question about as
    well: it is the more specific source ("hồ sơ căn cước sáng thứ Bảy" at this province)."""
    if not ranked or ranked[0].unit.kind != "card":
        return ranked
    window = ranked[1:OWN_DOCUMENT_WINDOW] + [h for h in ranked if h.lexical_rank == 1]
    for hit in window:
        if (
            hit is not ranked[0]
            and hit.unit.kind == "chunk"
            and hit.coverage >= OWN_DOCUMENT_COVERAGE
            and hit.coverage >= ranked[0].coverage - OWN_DOCUMENT_MARGIN
        ):
            return [hit, *(h for h in ranked if h is not hit)]
    return ranked


def notes(unit: Unit) -> list[str]:
    """What the reader must know about the facts shown: changes of rule, uncertainty."""
    note = change_note(unit)
    out = [note] if note else []
    if unit.confidence == "uncertain":
        out.append(UNCERTAIN_NOTE)
    return out


def _not_confirmed(label: str, title: str, known: str) -> str:
    """A partial answer: the asked thing (``label``) is not confirmed for ``title``; what is
    known, and where to ask."""
    return (
        f"Về {label}, tôi chưa có thông tin được xác nhận cho nội dung \u201c{title}\u201d. "
        f"Điều tôi biết:\n{known}\n\n{WHERE_TO_ASK}"
    )


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


# A question's own case is often in a card section its aspect does not choose ("Người đã chết:
# … liên thông khai tử" under the cases, for a question on the penalty and the steps of
# removing a dead father's residence; "Nếu đã ly hôn: bản án …" under the papers, for a
# divorced reader asking where to apply): the card's lines outside the sections shown that
# share the most of the whole message's content syllables, at least this many, are added
# (accents ignored), at most ``ASIDE_MAX_LINES``. Adding lines never changes which card
# answers or the answer's kind.
ASIDE_MIN_SHARED = 2
ASIDE_MAX_LINES = 2


def _compound_words(text: str) -> set[str]:
    """The multi-syllable words underthesea finds in ``text``, folded ("ly hon")."""
    return {t.replace("_", " ") for t in terms(text) if "_" in t}


def lines_not_shown(body: str, shown: str, question: str, title: str = "") -> list[str]:
    """The card's lines, outside what is shown, that share at least ``ASIDE_MIN_SHARED``
    content syllables with the question beyond the card's title (its topic words are
    everywhere in it), the most first, at most ``ASIDE_MAX_LINES``, in the card's order. A
    word of several syllables both share counts once more ("ly hôn" when the title says "hôn
    nhân": its "hôn" is the title's)."""
    wanted = folded_coverage_terms(question) - folded_coverage_terms(title)
    words = _compound_words(question) - _compound_words(title)
    shown_lines = {line.strip() for line in shown.splitlines()}
    scored = []
    for position, line in enumerate(body.splitlines()):
        text = line.strip()
        if not text or text in shown_lines or text.startswith("**"):
            continue
        padded = f" {matching_key(text, expand=False)} "
        shared = len(wanted & folded_coverage_terms(text)) + sum(f" {w} " in padded for w in words)
        if shared >= ASIDE_MIN_SHARED:
            scored.append((-shared, position, text))
    best = sorted(scored)[:ASIDE_MAX_LINES]
    return [text for _, _, text in sorted(best, key=lambda t: t[1])]


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
        min_support: float = 0.0,
        agreement_rank: int = 0,
        agreement_words: int = 12,
        asking_texts: Sequence[str] = (),
        min_information: float = MIN_COVERED_INFORMATION,
        min_title_share: float = MIN_TITLE_SHARE,
    ) -> None:
        self.retriever = retriever
        self.min_coverage = min_coverage
        self.min_support = min_support
        self.agreement_rank = agreement_rank
        self.agreement_words = agreement_words
        self.min_information = min_information
        self.min_title_share = min_title_share
        self.min_similarity = min_similarity
        self.max_related = max_related
        self.mode = mode
        # how questions are worded (the NLU examples), learnt by the restorer with the units
        self.asking_texts = tuple(asking_texts)
        self._restorer: DiacriticRestorer | None = None
        self._restorer_units: object = None
        self._restorer_lock = threading.Lock()

    def restored(self, text: str) -> str:
        """``text`` with diacritics put back when it was typed without them (vntext.restore);
        otherwise ``text`` unchanged."""
        return self.restorer().restore(text) if needs_restoring(text) else text

    def restorer(self) -> DiacriticRestorer:
        """The restorer learnt from the units indexed now (about a second to build: the
        action server builds it at warm-up, and again after an ingestion)."""
        units = self.retriever.units
        with self._restorer_lock:
            if self._restorer is None or self._restorer_units is not units:
                ordered = sorted(units, key=lambda u: u.kind != "card")[:RESTORER_UNITS]
                self._restorer = DiacriticRestorer.from_texts(
                    [*self.asking_texts, *(u.passage for u in ordered)]
                )
                self._restorer_units = units
            return self._restorer

    def warm_up(self) -> None:
        """Loads now what the first question would otherwise load: the diacritic restorer,
        the sentence model behind the meaning index and both indexes (the bench's first
        knowledge turn after a start took 4.4 s, the next ones 0.1 s)."""
        self.restorer()
        self._search(WARM_UP_QUERY, None, k=1)

    def rank(self, question: str, intent: str | None = None, k: int = 10) -> list[Hit]:
        """Units for ``question``, best first (the intent's topics get a small boost)."""
        return self._search(self.restored(question), intent, k)

    def _search(self, query: str, intent: str | None, k: int = 10) -> list[Hit]:
        """``rank`` for a question already restored."""
        self.retriever.refresh_if_changed()
        prior = intent if len(query.split()) <= PRIOR_MAX_WORDS else None
        return self.retriever.search(
            query,
            mode=self.mode,
            k=k,
            boost=INTENT_TOPICS.get(prior or "", frozenset()),
            boost_factor=TOPIC_BOOST,
        )

    def is_confident(
        self,
        hit: Hit,
        *,
        long_question: bool = False,
        vouched: bool = False,
        restored: bool = False,
        question: str | None = None,
    ) -> bool:
        """Enough of the question is in the passage, or the meaning is very close and a fair
        part of the question's words are there too (long real questions reach a high
        similarity with passages on a neighbouring topic). A long message shares words and
        meaning with many passages: there, in hybrid mode, both the word index and the
        meaning index must also put the passage near the top. And one of the two must put it
        first, unless ``vouched`` (chosen by another rule, or the whole message's best on
        both indexes): a passage second best on both sides is most often a neighbour. A
        question whose diacritics were ``restored`` reads a little further from its passage
        in meaning (restoration is not perfect), and is allowed that much less. Coverage
        alone counts only when the ``question`` says enough (``is_informative``)."""
        min_similarity = self.min_similarity - (RESTORED_SIMILARITY_GAP if restored else 0.0)
        close = hit.similarity >= min_similarity and hit.coverage >= self.min_support
        supported = close or (
            hit.coverage >= self.min_coverage
            and (question is None or self.is_informative(question))
        )
        return supported and (vouched or self.one_ranks_first(hit)) and (
            not long_question or self.both_agree(hit)
        )

    def is_informative(self, question: str) -> bool:
        """The question says enough for its coverage by a passage to mean something."""
        if not self.min_information:
            return True
        return self.retriever.lexical.information(question) >= self.min_information

    def names_the_card(self, hit: Hit, message: str) -> bool:
        """A long ``message`` names what the card ``hit`` is about, unless both indexes put
        the card first (``MIN_TITLE_SHARE``). Always true for a short message, a document's
        passage (its title is a file's), and when off."""
        if (
            not self.min_title_share
            or hit.unit.kind != "card"
            or len(message.split()) < TITLE_SHARE_MIN_WORDS
            or (hit.lexical_rank == 1 and hit.dense_rank == 1)
        ):
            return True
        share = self.retriever.lexical.share_named(hit.unit.title, message)
        return share >= self.min_title_share

    def one_ranks_first(self, hit: Hit) -> bool:
        """In hybrid mode, the word index or the meaning index puts ``hit`` first: a passage
        that is only second best on both sides won by adding up two near misses, and on real
        questions it is then most often a neighbouring topic (always true when off)."""
        if self.mode != "hybrid" or not self.agreement_rank:
            return True
        return hit.lexical_rank == 1 or hit.dense_rank == 1

    def is_long(self, question: str) -> bool:
        """A long message written with diacritics: without them e5's side is too weak to be
        asked to agree (it often does not rank the right passage at all)."""
        return len(question.split()) >= self.agreement_words and has_diacritics(question)

    def both_agree(self, hit: Hit) -> bool:
        """Both sides rank ``hit`` among their best ``agreement_rank`` (always, when off)."""
        if self.mode != "hybrid" or not self.agreement_rank:
            return True
        ranks = (hit.lexical_rank, hit.dense_rank)
        return all(r is not None and r <= self.agreement_rank for r in ranks)

    def is_near(self, hit: Hit) -> bool:
        """Close enough to be offered as a choice when not confident."""
        return (
            hit.coverage >= self.min_coverage * NEAR_SHARE
            and hit.similarity >= self.min_similarity - NEAR_SIMILARITY_GAP
        )

    def answer(
        self,
        question: str,
        intent: str | None = None,
        asked: str | None = None,
        vouched: frozenset[str] = frozenset(),
        context: str | None = None,
    ) -> Answer:
        """The best unit's answer at the question's grain with its source; a choice of the
        closest when unsure; an honest fallback when nothing is close. ``asked``: the
        sentence that asks (what kind of thing is asked is read from it; default: all);
        ``vouched``: units that need not be first on either index (see ``is_confident``);
        ``context``: the whole message, for a case it names that the unit must cover."""
        typed = question
        # DIET's intent is a guess on a long message: no topic prior for any part of it
        if context is not None and len(context.split()) > PRIOR_MAX_WORDS:
            intent = None
        question = self.restored(typed)
        ranked = self._search(question, intent)
        if not ranked:
            return Answer(FALLBACK_TEXT, confident=False, kind="fallback")
        preferred = prefer_own_documents(ranked)
        best = preferred[0]
        # a province's own guide chosen by its own stricter rule needs no second agreement
        own_document = best is not ranked[0]
        ranked = preferred
        chosen_by_rule = own_document or best.unit.id in vouched
        if not self.is_confident(
            best,
            long_question=self.is_long(question) and not own_document,
            vouched=chosen_by_rule,
            restored=needs_restoring(typed),
            question=question,
        ) or (best.unit.kind == "card" and narrow_case(context or question, best.unit.title)) or (
            not chosen_by_rule and not self.names_the_card(best, context or typed)
        ):
            # a card written for a narrower case (marrying abroad) is no answer to the
            # ordinary one; nor is a sibling card on a case a letter never names
            return self._not_confident(ranked)
        unit = best.unit
        related = []
        for hit in ranked[1:]:
            if hit.unit.questions and len(related) < self.max_related and hit.unit.id != unit.id:
                related.append({"title": hit.unit.title, "payload": hit.unit.questions[0]})
        kind = "answer"
        if unit.kind == "card":
            body, kind = self._card_body(unit, asked or question, context or question)
        else:
            heading = f"{unit.title}" + (f" — {unit.heading}" if unit.heading else "")
            body = f"Theo {heading}:\n{concise_passage(unit.body, question)}"
        # what is shown must speak to the case asked (a card's aside that the case is not
        # known does not)
        case = uncovered_case(context or question, f"{unit.title}\n{body}")
        if case and kind == "answer":
            body, kind = self._case_not_covered(unit, case), "partial"
        parts = [body, *notes(unit), source_line(unit)]
        return Answer(
            "\n\n".join(parts),
            related,
            unit.card_id or None,
            True,
            unit.id,
            best.score,
            best.coverage,
            best.similarity,
            kind,
        )

    def answer_from_card(self, card_id: str, question: str) -> Answer | None:
        """``question`` answered from one known card (a follow-up on the last answer)."""
        self.retriever.refresh_if_changed()
        unit = next((u for u in self.retriever.units if u.card_id == card_id), None)
        if unit is None:
            return None
        body, kind = self._card_body(unit, question)
        parts = [body, *notes(unit), source_line(unit)]
        return Answer(
            "\n\n".join(p for p in parts if p), card_id=card_id, unit_id=unit.id, kind=kind
        )

    def answer_chosen(self, title: str, question: str) -> Answer | None:
        """The card a user picked by its ``title`` among those offered for ``question``,
        answered at the grain of ``question``: the choice settles which card, not what was
        asked (a card's title is itself a question, often on other aspects). None when no
        card has that title."""
        self.retriever.refresh_if_changed()
        key = matching_key(title)
        unit = next(
            (u for u in self.retriever.units if u.kind == "card" and matching_key(u.title) == key),
            None,
        ) if key else None
        if unit is None:
            return None
        body, kind = self._card_body(unit, focus(question), question)
        case = uncovered_case(question, f"{unit.title}\n{body}")
        if case and kind == "answer":
            body, kind = self._case_not_covered(unit, case), "partial"
        parts = [body, *notes(unit), source_line(unit)]
        return Answer(
            "\n\n".join(parts), card_id=unit.card_id, unit_id=unit.id, kind=kind
        )

    def _not_confident(self, ranked: list[Hit]) -> Answer:
        near = ranked[0]
        choices = [h for h in ranked[:3] if self.is_near(h)]
        if choices:
            buttons = [{"title": h.unit.title, "payload": h.unit.title} for h in choices]
            return Answer(
                CLARIFY_TEXT, buttons, confident=False, unit_id=near.unit.id,
                score=near.score, coverage=near.coverage, similarity=near.similarity,
                kind="clarify",
            )
        return Answer(
            FALLBACK_TEXT,
            confident=False,
            unit_id=near.unit.id,
            score=near.score,
            coverage=near.coverage,
            similarity=near.similarity,
            kind="fallback",
        )

    @staticmethod
    def _case_not_covered(unit: Unit, case: str) -> str:
        """A unit on the ordinary case for a question on another (abroad, a foreigner): what
        it says, said to be only that, and where to ask."""
        if unit.kind == "card":
            known = render_body(without_verdict(lead(unit.body) or unit.body))
        else:
            known = render_body(unit.body)[:PASSAGE_CHARS]
        return _not_confirmed(CASE_LABELS[case], unit.title, known)

    @staticmethod
    def _card_body(unit: Unit, question: str, case: str | None = None) -> tuple[str, str]:
        """The part of the card that answers what is asked, and the answer's kind. A question
        asking several things (the fee and where to file) gets each one's section; the card's
        lines on the asker's own ``case`` (the whole message; default: ``question``) are
        added."""
        body = with_fitting_verdict(unit.body, question, unit.title)
        asked = aspects_in_order(question)
        aspect = asked[0] if asked else None
        wanted = [aspect, *sorted(set(asked) - {aspect})] if aspect else []
        # "how do I do it" is shown the papers and where to file too (a procedure is its
        # steps, its file and its office; a card without steps is answered by the other two);
        # they are shown, not asked, so a card silent on them is not partial for it
        shown_too = [a for a in HOW_ALSO_SHOWS if a not in wanted] if "steps" in wanted else []
        shown_for = [*wanted, *shown_too]
        found = [section_for(body, a) for a in shown_for]
        shown_sections = list(dict.fromkeys(s for s in found if s is not None and s.text))
        first = lead(body)
        if shown_sections:
            shown = [first] if first else []
            shown += [f"**{s.heading}**\n{s.text}" for s in shown_sections[:MAX_SECTIONS]]
            shown += lines_not_shown(body, "\n".join(shown), case or question, unit.title)
            return render_body("\n\n".join(shown)), "answer"
        # the card says nothing on a strict aspect asked, or says itself that it lacks one
        if aspect in STRICT_ASPECTS and not says_anything_on(body, aspect):
            lacking: str | None = aspect
        else:
            lacking = next((a for a in wanted if declared_unknown(body, a)), None)
        if lacking is not None:
            # what is known, without a verdict on a question it does not answer
            known = render_body(without_verdict(first or body))
            return _not_confirmed(LABELS[lacking], unit.title, known), "partial"
        return render_body(body), "answer"
