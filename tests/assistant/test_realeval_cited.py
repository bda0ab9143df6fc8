"""Questions whose own page a card or record cites are scored apart (assistant.realeval)."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.realeval import (
    RealQuestion,
    Report,
    Result,
    cited_question_pages,
    page_key,
    source_pages,
    uncited_part,
)
from knowledge.cards import Card, Source


def _question(qid: str, url: str) -> RealQuestion:
    return RealQuestion(id=qid, site="x", url=url, question="?", facts=(("a",),))


def _card(cid: str, *urls: str) -> Card:
    return Card(id=cid, title="t", topic="t", body="b",
                sources=tuple(Source(title="s", url=u) for u in urls))


def test_the_same_page_is_found_however_it_is_written() -> None:
    same = {
        page_key(u)
        for u in (
            "https://www.Example.vn/a/b/", "http://example.vn/a/b", "https://m.example.vn/a/b",
            "https://amp.example.vn/a/b/amp", "example.vn/a/b#comments", "WWW.EXAMPLE.VN/a/b",
        )
    }
    assert len(same) == 1
    assert page_key("example.vn/a") != page_key("example.vn/a/c")
    assert page_key("example.vn/?p=1") != page_key("example.vn/?p=2")


def test_questions_whose_page_a_card_or_record_cites_are_scored_apart() -> None:
    questions = [
        _question("q1", "https://site.vn/letter-1"),
        _question("q2", "https://site.vn/2"),
        _question("q3", "https://site.vn/3"),
        _question("q4", "https://site.vn/4"),
    ]
    record = SimpleNamespace(id="p1", sources=[SimpleNamespace(url="site.vn/3")])
    citing = source_pages(
        [_card("c1", "http://www.site.vn/letter-1/", "https://other.vn/x"), _card("c2")],
        [record],
    )
    assert cited_question_pages(questions, citing) == {
        "q1": ("card:c1",), "q3": ("procedure:p1",)
    }
    report = Report("test", tuple(Result(q, "correct", "answer", "") for q in questions))
    part = uncited_part(report, citing, before={"q4", "not-in-this-split"})
    assert part is not None and [r.question.id for r in part.results] == ["q2"]
    assert "without the 3" in part.label
    assert uncited_part(report, source_pages([_card("c2", "https://other.vn/x")], [])) is None
