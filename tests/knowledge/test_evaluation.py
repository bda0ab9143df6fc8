"""Retrieval metrics are computed as defined (checked on a hand-made ranking)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from knowledge.evaluation import (
    EvalQuestion,
    ModeResult,
    below_targets,
    evaluate,
    load_questions,
)


@dataclass
class _Unit:
    card_id: str


@dataclass
class _Hit:
    unit: _Unit


class FixedRetriever:
    """Returns a fixed ranking per question."""

    def __init__(self, rankings: dict[str, list[str]]) -> None:
        self.rankings = rankings

    def search(self, query: str, *, mode: str, k: int) -> list[_Hit]:
        return [_Hit(_Unit(c)) for c in self.rankings[query][:k]]


def test_recall_and_mrr() -> None:
    retriever = FixedRetriever(
        {"a": ["x", "y"], "b": ["y", "z", "x"], "c": ["y", "y2", "y3", "x"], "d": ["q"]}
    )
    questions = [EvalQuestion(q, frozenset({"x"})) for q in "abcd"]
    result = evaluate(retriever, questions, "hybrid")  # type: ignore[arg-type]
    assert result.recall_at_1 == pytest.approx(1 / 4)
    assert result.recall_at_3 == pytest.approx(2 / 4)
    assert result.mrr_at_10 == pytest.approx((1 + 1 / 3 + 1 / 4) / 4)
    assert len(result.misses) == 3


def test_targets_are_checked() -> None:
    assert below_targets(ModeResult("hybrid", 0.9, 0.97, 0.9)) == []
    assert below_targets(ModeResult("hybrid", 0.79, 0.97, 0.9)) == ["recall@1 0.790 < 0.80"]
    assert below_targets(ModeResult("hybrid", 0.85, 0.94, 0.9)) == ["recall@3 0.940 < 0.95"]


def test_evaluation_set_is_large_and_refers_to_real_cards() -> None:
    from core.config import REPO_ROOT
    from knowledge.cards import load_cards

    questions = load_questions()
    card_ids = {c.id for c in load_cards(REPO_ROOT / "knowledge" / "cards")}
    assert len(questions) >= 200
    assert all(q.expected <= card_ids for q in questions)
    from vntext import fold_accents, normalize_for_matching

    def key(text: str) -> str:
        return fold_accents(normalize_for_matching(text)).strip(" ?.!")

    cards = load_cards(REPO_ROOT / "knowledge" / "cards")
    card_questions = {key(q) for c in cards for q in c.questions}
    shared = {q.text for q in questions if key(q.text) in card_questions}
    assert not shared, f"eval questions also used as card examples: {sorted(shared)[:5]}"
