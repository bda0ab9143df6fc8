"""Probes of the dev split: the answer hidden, or its facts removed, and the question asked
again."""

from __future__ import annotations

import pytest

from assistant.citizen import answer_question
from assistant.probes import facts_removed, hidden, noise_floor, probe, without_card, without_facts
from assistant.realeval import RealQuestion
from vntext import split_sentences


def test_sentences_stating_a_fact_are_removed_and_the_rest_kept() -> None:
    body = "Lệ phí 50.000 đồng. Nộp tại Công an xã.\n\n**Thời hạn**\nKhông quá 7 ngày làm việc."
    out = without_facts(body, [("50.000 đồng",), ("7 ngày làm việc", "bảy ngày")])
    assert "50.000" not in out and "7 ngày" not in out
    assert "Nộp tại Công an xã." in out and "**Thời hạn**" in out


def test_a_hidden_card_is_not_found_and_comes_back_after(offline_services) -> None:
    question = "muốn có chữ ký số cá nhân thì đăng ký ở đâu"
    first = answer_question(offline_services, question, None)
    assert first.card_id == "signature-personal-how-to-register"
    with hidden(offline_services, [first.card_id]):
        again = answer_question(offline_services, question, None)
        assert again.card_id != first.card_id
    assert answer_question(offline_services, question, None).card_id == first.card_id


def test_a_hidden_record_is_not_found_and_comes_back_after(offline_services) -> None:
    question = "thông báo lưu trú nộp ở đâu"
    assert answer_question(offline_services, question, None).procedure_id == "thong-bao-luu-tru"
    with hidden(offline_services, procedure_ids=["thong-bao-luu-tru"]):
        assert answer_question(offline_services, question, None).procedure_id != (
            "thong-bao-luu-tru"
        )
    assert offline_services.procedures().get("thong-bao-luu-tru") is not None


def test_removed_facts_are_not_shown_and_come_back_after(offline_services) -> None:
    question = "muốn có chữ ký số cá nhân thì đăng ký ở đâu"
    card = answer_question(offline_services, question, None).card_id
    units = offline_services.knowledge.retriever.units
    unit = next(u for u in units if u.card_id == card)
    sentence = next(s for s in split_sentences(unit.body) if len(s.split()) >= 4)
    fact = (" ".join(sentence.split()[:4]),)
    with facts_removed(offline_services, card, [fact]):
        changed = next(
            u for u in offline_services.knowledge.retriever.units if u.card_id == card
        )
        assert sentence not in changed.body
        assert len(changed.body) < len(unit.body)
    assert offline_services.knowledge.retriever.units is units


def test_a_card_without_the_facts_keeps_every_other_line_as_written() -> None:
    body = "Được.\n\n- Mang thẻ căn cước.\n- Lệ phí 50.000 đồng."
    assert without_facts(body, []) == body
    assert without_facts(body, [("50.000 đồng",)]) == "Được.\n\n- Mang thẻ căn cước."


def test_hidden_passages_leave_the_others_ranked_as_if_never_indexed() -> None:
    from types import SimpleNamespace

    from assistant.probes import reranked
    from knowledge.retrieval import Hit

    def hit(uid: str, lexical: int | None, dense: int | None) -> Hit:
        return Hit(SimpleNamespace(id=uid), 0.0, 0.5, 0.9, lexical, dense)

    # "b" was second on both sides behind a hidden passage: now it is first on both
    out = reranked([hit("b", 2, 2), hit("c", 3, None)], rrf_k=5)
    assert [(h.unit.id, h.lexical_rank, h.dense_rank) for h in out] == [
        ("b", 1, 1), ("c", 2, None)
    ]
    assert out[0].score == pytest.approx(2 / 6)


def test_a_probe_scores_only_what_was_answered_correctly(offline_services) -> None:
    answered = RealQuestion("a", "s", "u", "thông báo lưu trú nộp ở đâu", (("lưu trú",),))
    unanswered = RealQuestion("b", "s", "u", "công thức nấu phở bò ngon", (("phở",),))
    report = probe(offline_services, [answered, unanswered], "leave-out")
    assert [r.question.id for r in report.results] == ["a"]
    with pytest.raises(ValueError):
        probe(offline_services, [answered], "everything")


def test_a_card_taken_out_is_in_neither_index_and_comes_back_after(offline_services) -> None:
    question = "muốn có chữ ký số cá nhân thì đăng ký ở đâu"
    card = "signature-personal-how-to-register"
    retriever = offline_services.knowledge.retriever
    units, lexical = retriever.units, retriever.lexical
    with without_card(offline_services, card):
        assert all(u.card_id != card for u in retriever.units)
        assert retriever.lexical.size == len(retriever.units) < len(units)
        assert all(h.unit.card_id != card for h in offline_services.knowledge.rank(question))
    assert retriever.units is units and retriever.lexical is lexical
    assert answer_question(offline_services, question, None).card_id == card


def test_the_noise_floor_takes_out_only_cards_no_question_uses(offline_services) -> None:
    question = RealQuestion(
        id="n-1", site="example.vn", url="https://example.vn/n", facts=(("Công an",),),
        question="muốn có chữ ký số cá nhân thì đăng ký ở đâu",
    )
    moved = noise_floor(offline_services, [question], draws=2, seed=1)
    assert len(moved) == 2
    assert all(card != "signature-personal-how-to-register" for card, _ in moved)
    assert all(qs in ((), ("n-1",)) for _, qs in moved)
