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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.cards import Card
from procedures.schema import Procedure
from vntext import matching_key, spell_out_ranges

REAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "real"
# conversations an evaluation opens through /api/chat start so: their unanswered questions
# are not users' and are not stored as knowledge gaps
EVALUATION_SENDER_PREFIX = "eval-real-"
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
    choices: tuple[str, ...] = ()  # what a "did you mean" reply offered (button payloads)


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


def is_evaluation_sender(sender_id: str | None) -> bool:
    """Whether a conversation was opened by an evaluation (its sender id, after any channel
    prefix such as "web:", starts with ``EVALUATION_SENDER_PREFIX``)."""
    own = (sender_id or "").rsplit(":", 1)[-1]
    return own.startswith(EVALUATION_SENDER_PREFIX)


_MOBILE_HOSTS = ("www.", "m.", "amp.", "mobile.")


def page_key(url: str) -> str:
    """A page's address without scheme, fragment, a mobile or "www." host prefix, a trailing
    "/amp" or slash: the same page however cited (the query stays: "?p=12" names a page)."""
    address = url.strip().lower().split("://", 1)[-1].split("#", 1)[0]
    for prefix in _MOBILE_HOSTS:
        address = address.removeprefix(prefix)
    address = address.rstrip("/")
    return address.removesuffix("/amp").rstrip("/")


def source_pages(cards: Iterable[Card], procedures: Iterable[Procedure]) -> dict[str, list[str]]:
    """Every page a card or a procedure record cites, with who cites it ("card:…",
    "procedure:…")."""
    citing: dict[str, list[str]] = {}
    owners = [(f"card:{c.id}", c.sources) for c in cards]
    owners += [(f"procedure:{p.id}", p.sources) for p in procedures]
    for owner, sources in owners:
        for source in sources:
            if source.url:
                citing.setdefault(page_key(source.url), []).append(owner)
    return citing


def cited_question_pages(
    questions: Iterable[RealQuestion], citing: dict[str, list[str]]
) -> dict[str, tuple[str, ...]]:
    """Questions whose own page (the asker's letter and its published answer) is cited
    (``citing``: from ``source_pages``), with who cites it: a card or record written from that
    page may carry the very answer, so such a question does not measure an unseen one."""
    return {
        q.id: tuple(sorted(set(citing[page])))
        for q in questions
        if (page := page_key(q.url)) in citing
    }


def repository_source_pages() -> dict[str, list[str]]:
    """``source_pages`` of the configured cards and the procedure records."""
    from core.config import get_settings
    from knowledge.cards import load_cards
    from procedures.schema import load_procedures

    return source_pages(load_cards(get_settings().knowledge.cards_dir), load_procedures())


def once_cited(split: str, directory: Path = REAL_DIR) -> frozenset[str]:
    """Questions of ``split`` whose page a card cited before it was sourced again without it
    (``cited_before.yml``): its facts may still come from there."""
    path = directory / "cited_before.yml"
    if not path.exists():
        return frozenset()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(str(i) for i in data.get(split) or [])


def uncited_part(
    report: Report, citing: dict[str, list[str]], before: Iterable[str] = ()
) -> Report | None:
    """``report`` without the questions whose page is cited now or was ``before``, or None
    when there are none (then ``report`` itself is all questions no source page answers)."""
    cited = set(cited_question_pages([r.question for r in report.results], citing))
    cited |= set(before) & {r.question.id for r in report.results}
    if not cited:
        return None
    return report.without(
        cited, f"{report.label}, without the {len(cited)} whose page a source cites or cited:"
    )


def has_fact(reply_key: str, alternatives: Iterable[str]) -> bool:
    """Whether any phrasing of a fact stands in the reply (whole words, as matching keys)."""
    padded = f" {reply_key} "
    for alternative in alternatives:
        spelt = spell_out_ranges(alternative)
        for expand in (True, False):
            key = matching_key(spelt, expand=expand)
            if key and f" {key} " in padded:
                return True
    return False


def missing_facts(text: str, facts: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """The first phrasing of each fact ``text`` does not state (a range's lower bound is
    stated too: "500.000–1.000.000 đồng" states "500.000 đồng")."""
    text = spell_out_ranges(text)
    keys = {matching_key(text), matching_key(text, expand=False)}
    return tuple(
        fact[0]
        for fact in (tuple(f) for f in facts)
        if not any(has_fact(k, fact) for k in keys)
    )


def judge(
    question: RealQuestion, kind: str, reply: str, choices: Sequence[str] = ()
) -> Result:
    """The outcome of one reply (``choices``: the payloads a "did you mean" reply offered)."""
    if kind in HONEST_KINDS:
        return Result(question, "fallback", kind, reply, choices=tuple(choices))
    missing = missing_facts(reply, question.facts)
    return Result(question, "wrong" if missing else "correct", kind, reply, missing)


@dataclass(frozen=True)
class Report:
    label: str  # the split, or what part of it
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
        return f"{self.label:<5} " + "  ".join(cells)


# A reply as the assistant gives it: (kind, text), or (kind, text, choices offered)
Answerer = Callable[[RealQuestion], tuple]
# The reply when the asker picks one of the choices (a payload) offered for the question
Chooser = Callable[[RealQuestion, str], tuple[str, str]]


def evaluate(split: str, questions: list[RealQuestion], answer: Answerer) -> Report:
    """Scores every question of a split with ``answer``."""
    return Report(split, tuple(judge(q, *answer(q)) for q in questions))


def one_tap(report: Report, choose: Chooser) -> str:
    """How often a "did you mean" reply offered a choice that answers the question correctly,
    each choice tried in a conversation of its own: the honest fallbacks that were one tap
    from a right answer (not counted as correct; a reader of the choices must pick it)."""
    offered = [r for r in report.results if r.kind == "clarify" and r.choices]
    first = anywhere = 0
    for r in offered:
        outcomes = [judge(r.question, *choose(r.question, c)).outcome for c in r.choices]
        first += outcomes[0] == "correct"
        anywhere += "correct" in outcomes
    return (
        f"{report.label:<5} \"did you mean\" replies {len(offered)}: a correct answer one tap away "
        f"in {anywhere} (the first choice in {first})"
    )
