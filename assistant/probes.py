"""Probes of the dev split: how the assistant behaves when it does not hold the answer.

Once the dev split's misses have cards, its own figures stop saying how unseen questions fare
(the test split, and every new wave scored unseen, sit far lower). Two probes take away what
answered each correctly answered question and ask it again — on the dev split only, since the
test split is only ever scored:

- **leave the answer out**: the card or record that answered is hidden — the knowledge base
  lacking the answer, the usual case of an unseen question. An honest assistant then says it
  does not know; a wrong answer here is a neighbouring card presented as the answer.
- **ablate the facts**: the sentences holding the asked facts are removed from the card that
  answered, retrieval unchanged — a card on the right topic without the asked fact, the test
  split's usual wrong answer.

Hiding drops the hidden passages from each index's ranking and fuses the rest again, as if
they were not indexed (the candidates beyond each side's cut are not fetched again: close
enough to compare rules by). A probe's fallbacks are not logged as knowledge gaps.

A third probe measures the **noise floor** of the dev figures: a card that answers no dev
question is taken out of both indexes (the word index rebuilt, so its weights move as with any
content change) and the dev split asked again. The outcomes that move are what a change
elsewhere in the knowledge base does by itself — a dev-side difference smaller than that says
nothing.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from assistant.citizen import answer_question
from assistant.realeval import RealQuestion, Report, judge, missing_facts
from assistant.services import Services
from knowledge.retrieval import Hit, best_first
from procedures.lookup import ProcedureLookup
from vntext import split_sentences

PROBES = ("leave-out", "ablate-facts")
# passages asked for beyond k, so that k remain once the hidden ones are dropped
HIDDEN_MARGIN = 40


def reranked(hits: list[Hit], rrf_k: int) -> list[Hit]:
    """``hits`` with each side's ranks renumbered among themselves and fused again (no topic
    boost: probes ask without an intent)."""
    ranks: dict[str, dict[str, int]] = {}
    for side in ("lexical_rank", "dense_rank"):
        ranked = sorted((h for h in hits if getattr(h, side) is not None),
                        key=lambda h: getattr(h, side))
        ranks[side] = {h.unit.id: r for r, h in enumerate(ranked, 1)}
    out = []
    for hit in hits:
        lexical, dense = ranks["lexical_rank"].get(hit.unit.id), ranks["dense_rank"].get(
            hit.unit.id)
        score = sum(1.0 / (rrf_k + r) for r in (lexical, dense) if r is not None)
        out.append(dataclasses.replace(hit, score=score, lexical_rank=lexical, dense_rank=dense))
    return best_first(out)


@contextmanager
def _overridden(obj: object, name: str, value: object) -> Iterator[None]:
    """``obj.name`` is ``value`` within the block, and what it was after."""
    own = name in vars(obj)
    before = vars(obj).get(name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        if own:
            setattr(obj, name, before)
        else:
            delattr(obj, name)


@contextmanager
def hidden(
    services: Services,
    card_ids: Iterable[str] = (),
    procedure_ids: Iterable[str] = (),
    unit_ids: Iterable[str] = (),
) -> Iterator[None]:
    """Within the block, ``services`` answer as if those cards, records and passages (a
    document's chunks) did not exist."""
    cards, procedures, units = frozenset(card_ids), frozenset(procedure_ids), frozenset(unit_ids)
    retriever = services.knowledge.retriever
    search = retriever.search
    lookup = services.procedures()

    def search_without(query: str, *, k: int = 10, **kwargs: Any) -> list[Hit]:
        hits = search(query, k=k + HIDDEN_MARGIN, **kwargs)
        kept = [h for h in hits if h.unit.card_id not in cards and h.unit.id not in units]
        if kwargs.get("mode", "hybrid") == "hybrid":
            kept = reranked(kept, retriever.rrf_k)
        return kept[:k]

    remaining = ProcedureLookup([p for p in lookup.procedures if p.id not in procedures])
    with _overridden(retriever, "search", search_without), _overridden(
        services, "procedures", lambda: remaining
    ):
        yield


def without_facts(body: str, facts: Iterable[Iterable[str]]) -> str:
    """``body`` without the sentences that state any of ``facts`` (line breaks kept)."""
    facts = [tuple(f) for f in facts]
    lines = []
    for line in body.splitlines():
        sentences = split_sentences(line)
        kept = [s for s in sentences if len(missing_facts(s, facts)) == len(facts)]
        if len(kept) == len(sentences):
            lines.append(line)  # nothing stated there: the line as written
        elif kept:
            lines.append(" ".join(kept))
    return "\n".join(lines)


@contextmanager
def facts_removed(
    services: Services, card_id: str, facts: Iterable[Iterable[str]]
) -> Iterator[None]:
    """Within the block, the card ``card_id`` shows no sentence stating ``facts``."""
    retriever = services.knowledge.retriever
    units = retriever.units
    facts = [tuple(f) for f in facts]
    retriever.units = [
        dataclasses.replace(u, body=without_facts(u.body, facts)) if u.card_id == card_id else u
        for u in units
    ]
    try:
        yield
    finally:
        retriever.units = units


def probe(services: Services, questions: list[RealQuestion], which: str) -> Report:
    """The outcomes, after the probe's change, of the questions answered correctly before
    it (``which``: "leave-out" or "ablate-facts"; the latter only for card answers)."""
    if which not in PROBES:
        raise ValueError(f"probe must be one of {PROBES}")
    results = []
    for question in questions:
        reply = answer_question(services, question.question, None, log_gaps=False)
        if judge(question, reply.kind, reply.text).outcome != "correct":
            continue
        if which == "leave-out":
            # every record a two-procedure answer named, the card, or the document passage
            named = services.procedures().named(question.question)
            procedures = {p.id for p in named} if len(named) >= 2 else set()
            procedures |= {reply.procedure_id} if reply.procedure_id else set()
            passages = {reply.source} if reply.source and not reply.card_id and not (
                procedures) else set()
            if not (reply.card_id or procedures or passages):
                continue
            change = hidden(
                services, [reply.card_id] if reply.card_id else [], procedures, passages
            )
        elif reply.card_id:
            change = facts_removed(services, reply.card_id, question.facts)
        else:
            continue
        with change:
            again = answer_question(services, question.question, None, log_gaps=False)
        results.append(judge(question, again.kind, again.text))
    return Report(f"dev, {which}", tuple(results))


@contextmanager
def without_card(services: Services, card_id: str) -> Iterator[None]:
    """Within the block, the card ``card_id`` is indexed nowhere: out of the units, the word
    index rebuilt without it, and out of the meaning index's hits before they are ranked."""
    retriever = services.knowledge.retriever
    units, lexical, store = retriever.units, retriever.lexical, retriever.store
    gone = frozenset(u.id for u in units if u.card_id == card_id)
    dense_search = store.dense_search

    def dense_without(query: str, k: int = 20) -> list[Any]:
        return [h for h in dense_search(query, k=k + len(gone)) if h.unit_id not in gone][:k]

    retriever.use_units([u for u in units if u.id not in gone])
    try:
        with _overridden(store, "dense_search", dense_without):
            yield
    finally:
        retriever.use_units(units, lexical)


def _outcomes(
    services: Services, questions: list[RealQuestion]
) -> tuple[dict[str, str], set[str], set[str]]:
    """Each question's outcome; the cards that answered; the titles offered as choices."""
    outcomes: dict[str, str] = {}
    answered: set[str] = set()
    offered: set[str] = set()
    for question in questions:
        reply = answer_question(services, question.question, None, log_gaps=False)
        outcomes[question.id] = judge(question, reply.kind, reply.text).outcome
        answered |= {reply.card_id} if reply.card_id else set()
        offered |= {b["payload"] for b in reply.buttons} if reply.kind == "clarify" else set()
    return outcomes, answered, offered


def noise_floor(
    services: Services, questions: list[RealQuestion], draws: int = 6, seed: int = 17
) -> list[tuple[str, tuple[str, ...]]]:
    """For each of ``draws`` cards drawn (``seed``) among those that neither answer nor are
    offered for any of ``questions``, the questions whose outcome moves when that card is
    taken out of both indexes."""
    before, answered, offered = _outcomes(services, questions)
    cards = [u for u in services.knowledge.retriever.units if u.kind == "card" and u.card_id]
    idle = sorted(
        {u.card_id for u in cards} - answered - {u.card_id for u in cards if u.title in offered}
    )
    moved = []
    for card_id in random.Random(seed).sample(idle, min(draws, len(idle))):
        with without_card(services, card_id):
            after, _, _ = _outcomes(services, questions)
        moved.append((card_id, tuple(q for q in before if after[q] != before[q])))
    return moved
