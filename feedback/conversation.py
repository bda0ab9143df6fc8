"""Finds the answer a rating is about in the conversation Rasa stored (its tracker events), so
that a rating always refers to an answer the assistant really gave in that conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# what may be rated: answers from a card or a procedure record (not "did you mean" or fallbacks)
RATEABLE_KINDS = ("answer", "partial")
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class GivenAnswer:
    """An answer of the conversation: where it came from, the question it answered, its text."""

    source: str
    kind: str
    question: str
    text: str


def answers_in(events: Sequence[dict[str, Any]]) -> list[GivenAnswer]:
    """Every rateable answer of the conversation, oldest first. An action describes its answer
    (kind, source) in a bot event of its own right after the answer's text."""
    found: list[GivenAnswer] = []
    question, text = "", ""
    for event in events:
        kind_of_event = event.get("event")
        if kind_of_event == "user":
            question, text = str(event.get("text") or ""), ""
        elif kind_of_event == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict):
                kind, source = custom.get("kind"), custom.get("source")
                if kind in RATEABLE_KINDS and source:
                    found.append(GivenAnswer(str(source), str(kind), question, text))
            elif event.get("text"):
                text = str(event["text"])
    return found


def find_answer(events: Sequence[dict[str, Any]], source: str) -> GivenAnswer | None:
    """The latest answer from ``source`` in the conversation, if it gave one."""
    return next((a for a in reversed(answers_in(events)) if a.source == source), None)


def last_reply_answer(events: Sequence[dict[str, Any]]) -> GivenAnswer | None:
    """The answer the assistant's latest reply gave, when that reply was a rateable answer
    (a 👍 on Zalo rates what was just said, nothing older)."""
    last_custom = None
    for event in events:
        if event.get("event") == "user":
            last_custom = None
        elif event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict):
                last_custom = custom
    if not last_custom or last_custom.get("kind") not in RATEABLE_KINDS:
        return None
    answers = answers_in(events)
    return answers[-1] if answers else None
