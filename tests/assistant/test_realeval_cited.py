"""Questions whose own page a card cites are scored apart (assistant.realeval)."""

from __future__ import annotations

from assistant.realeval import (
    RealQuestion,
    Report,
    Result,
    cited_question_pages,
    page_key,
    uncited_part,
)
from knowledge.cards import Card, Source


def _question(qid: str, url: str) -> RealQuestion:
    return RealQuestion(id=qid, site="x", url=url, question="?", facts=(("a",),))


def _card(cid: str, *urls: str) -> Card:
    return Card(id=cid, title="t", topic="t", body="b",
                sources=tuple(Source(title="s", url=u) for u in urls))


def test_the_same_page_is_found_however_it_is_written() -> None:
    assert page_key("https://www.Example.vn/a/b/") == page_key("http://example.vn/a/b")
    assert page_key("example.vn/a") != page_key("example.vn/a/c")


def test_questions_whose_page_a_card_cites_are_scored_apart() -> None:
    questions = [_question("q1", "https://site.vn/letter-1"), _question("q2", "https://site.vn/2")]
    cards = [_card("c1", "http://www.site.vn/letter-1/", "https://other.vn/x"), _card("c2")]
    assert cited_question_pages(questions, cards) == {"q1": ("c1",)}
    report = Report("test", tuple(Result(q, "correct", "answer", "") for q in questions))
    part = uncited_part(report, cards)
    assert part is not None and [r.question.id for r in part.results] == ["q2"]
    assert "without the 1" in part.split
    assert uncited_part(report, [_card("c2", "https://other.vn/x")]) is None
