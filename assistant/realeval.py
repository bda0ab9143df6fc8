"""Scoring the assistant on real people's questions (tests/real/{dev,test}.yml).

Each question carries the facts a correct answer must contain, each fact a list of
alternative phrasings. A reply is

- **correct** when it is an answer and contains every fact (compared as matching keys, so
  case, diacritics and punctuation do not matter);
- an **honest fallback** when it says it does not know, asks which topic is meant, or says
  the asked fact is not confirmed (kinds "fallback", "clarify", "partial");
- **wrong** otherwise: an answer that misses a fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.cards import Card
from vntext import matching_key

REAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "real"
OUTCOMES = ("correct", "fallback", "wrong")
HONEST_KINDS = frozenset({"fallback", "clarify", "partial"})


@dataclass(frozen=True)
class RealQuestion:
    id: str
    site: str
    url: str
    question: str
    facts: tuple[tuple[str, ...], ...]
    topic: str = ""
    asks: str = ""


@dataclass(frozen=True)
class Result:
    question: RealQuestion
    outcome: str
    kind: str
    reply: str
    missing: tuple[str, ...] = ()


def load_questions(split: str, directory: Path = REAL_DIR) -> list[RealQuestion]:
    """The questions of ``split`` ("dev" or "test")."""
    data = yaml.safe_load((directory / f"{split}.yml").read_text(encoding="utf-8"))
    return [
        RealQuestion(
            id=str(q["id"]),
            site=str(q["site"]),
            url=str(q["url"]),
            question=str(q["question"]),
            facts=tuple(tuple(str(a) for a in fact) for fact in q["facts"]),
            topic=str(q.get("topic") or ""),
            asks=str(q.get("asks") or ""),
        )
        for q in data["questions"]
    ]


def page_key(url: str) -> str:
    """A page's address without scheme, "www." or trailing slash: the same page however cited."""
    address = url.strip().split("://", 1)[-1].rstrip("/")
    return address.removeprefix("www.").lower()


def cited_question_pages(
    questions: Iterable[RealQuestion], cards: Iterable[Card]
) -> dict[str, tuple[str, ...]]:
    """Questions whose own page (the asker's letter and its published answer) a card cites,
    with the citing cards' ids: a card written from that page may carry the very answer, so
    such a question does not measure an unseen one (the scores are also given without them)."""
    citing: dict[str, list[str]] = {}
    for card in cards:
        for source in card.sources:
            if source.url:
                citing.setdefault(page_key(source.url), []).append(card.id)
    return {
        q.id: tuple(sorted(set(citing[page_key(q.url)])))
        for q in questions
        if page_key(q.url) in citing
    }


def uncited_part(report: Report, cards: Iterable[Card]) -> Report | None:
    """``report`` without the questions whose own page a card cites, or None when no card
    cites any (then ``report`` itself measures unseen questions)."""
    cited = cited_question_pages([r.question for r in report.results], cards)
    if not cited:
        return None
    label = f"{report.split}, without the {len(cited)} whose page a card cites:"
    return report.without(cited, label)


def has_fact(reply_key: str, alternatives: Iterable[str]) -> bool:
    """Whether any phrasing of a fact stands in the reply (whole words, as matching keys)."""
    padded = f" {reply_key} "
    for alternative in alternatives:
        for expand in (True, False):
            key = matching_key(alternative, expand=expand)
            if key and f" {key} " in padded:
                return True
    return False


def missing_facts(text: str, facts: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """The first phrasing of each fact ``text`` does not state."""
    keys = {matching_key(text), matching_key(text, expand=False)}
    return tuple(
        fact[0]
        for fact in (tuple(f) for f in facts)
        if not any(has_fact(k, fact) for k in keys)
    )


def judge(question: RealQuestion, kind: str, reply: str) -> Result:
    """The outcome of one reply."""
    if kind in HONEST_KINDS:
        return Result(question, "fallback", kind, reply)
    missing = missing_facts(reply, question.facts)
    return Result(question, "wrong" if missing else "correct", kind, reply, missing)


@dataclass(frozen=True)
class Report:
    split: str
    results: tuple[Result, ...]

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.results)

    def share(self, outcome: str) -> float:
        return self.counts[outcome] / len(self.results) if self.results else 0.0

    def without(self, question_ids: Iterable[str], label: str) -> Report:
        """The same report without the questions ``question_ids``, named ``label``."""
        left_out = frozenset(question_ids)
        return Report(label, tuple(r for r in self.results if r.question.id not in left_out))

    def summary(self) -> str:
        n = len(self.results)
        cells = [f"{o} {self.counts[o]}/{n} ({self.share(o):.1%})" for o in OUTCOMES]
        return f"{self.split:<5} " + "  ".join(cells)


# A reply as the assistant gives it: (kind, text)
Answerer = Callable[[RealQuestion], tuple[str, str]]


def evaluate(split: str, questions: list[RealQuestion], answer: Answerer) -> Report:
    """Scores every question of a split with ``answer``."""
    return Report(split, tuple(judge(q, *answer(q)) for q in questions))
