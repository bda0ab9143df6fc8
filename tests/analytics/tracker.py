"""Builds a tracker store as Rasa's SQL tracker store writes it (table ``events``, each event's
JSON in ``data``), with known events for the analytics tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import create_engine, insert

from analytics.conversations import EVENTS
from analytics.period import VIETNAM


def at(local: str) -> float:
    """Unix seconds of a Vietnam wall-clock time "YYYY-MM-DD HH:MM[:SS]"."""
    return dt.datetime.fromisoformat(local).replace(tzinfo=VIETNAM).timestamp()


def user(sender: str, when: float, text: str, intent: str) -> dict:
    data = {"event": "user", "timestamp": when, "text": text,
            "parse_data": {"intent": {"name": intent}, "text": text}, "input_channel": "rest"}
    return {"sender_id": sender, "type_name": "user", "timestamp": when, "intent_name": intent,
            "data": json.dumps(data)}


def bot(sender: str, when: float, text: str | None = None, custom: dict | None = None) -> dict:
    data = {"event": "bot", "timestamp": when, "text": text,
            "data": {"elements": None, "buttons": None, "custom": custom}}
    return {"sender_id": sender, "type_name": "bot", "timestamp": when, "intent_name": None,
            "data": json.dumps(data)}


def action(sender: str, when: float, name: str) -> dict:
    return {"sender_id": sender, "type_name": "action", "timestamp": when, "action_name": name,
            "data": json.dumps({"event": "action", "name": name})}


def answered(sender: str, when: float, source: str, kind: str = "answer") -> list[dict]:
    """An answer as the actions give it: its text, then a bot event describing it."""
    return [bot(sender, when, "Câu trả lời."),
            bot(sender, when + 0.001, custom={"kind": kind, "source": source})]


def write_tracker(path: Path, events: list[dict]) -> str:
    """A SQLite tracker store at ``path`` holding ``events``; returns its URL."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(EVENTS), [{"intent_name": None, "action_name": None, **e}
                                      for e in events])
    engine.dispose()
    return url
