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

Hiding filters the ranked passages after fusion, so the hidden card still takes its place in
each index's ranks: an approximation of its absence, close enough to compare rules by.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from assistant.citizen import answer_question
from assistant.realeval import RealQuestion, Report, has_fact, judge
from assistant.services import Services
from procedures.lookup import ProcedureLookup
from vntext import matching_key, split_sentences

PROBES = ("leave-out", "ablate-facts")
# passages asked for beyond k, so that k remain once the hidden ones are dropped
HIDDEN_MARGIN = 40


@contextmanager
def hidden(
    services: Services, card_ids: Iterable[str] = (), procedure_ids: Iterable[str] = ()
) -> Iterator[None]:
    """Within the block, ``services`` answer as if those cards and records did not exist."""
    cards, procedures = frozenset(card_ids), frozenset(procedure_ids)
    retriever = services.knowledge.retriever
    search = retriever.search
    lookup = services.procedures()

    def search_without(query: str, *, k: int = 10, **kwargs: Any):
        hits = search(query, k=k + HIDDEN_MARGIN, **kwargs)
        return [h for h in hits if h.unit.card_id not in cards][:k]

    remaining = ProcedureLookup([p for p in lookup.procedures if p.id not in procedures])
    retriever.search = search_without  # type: ignore[method-assign]
    services.procedures = lambda: remaining  # type: ignore[method-assign]
    try:
        yield
    finally:
        del retriever.search
        del services.procedures


def without_facts(body: str, facts: Iterable[Iterable[str]]) -> str:
    """``body`` without the sentences that state any of ``facts`` (line breaks kept)."""
    facts = [tuple(f) for f in facts]
    lines = []
    for line in body.splitlines():
        kept = [
            sentence
            for sentence in split_sentences(line)
            if not any(
                has_fact(key, fact)
                for key in (matching_key(sentence), matching_key(sentence, expand=False))
                for fact in facts
            )
        ]
        if kept or not line.strip():
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
        reply = answer_question(services, question.question, None)
        if judge(question, reply.kind, reply.text).outcome != "correct":
            continue
        if which == "leave-out":
            change = hidden(
                services,
                [reply.card_id] if reply.card_id else [],
                [reply.procedure_id] if reply.procedure_id else [],
            )
        elif reply.card_id:
            change = facts_removed(services, reply.card_id, question.facts)
        else:
            continue
        with change:
            again = answer_question(services, question.question, None)
        results.append(judge(question, again.kind, again.text))
    return Report(f"dev, {which}", tuple(results))
