"""What the action server's memory is made of, step by step.

    MALLOC_ARENA_MAX=2 .venv-app/bin/python bench/actions_memory.py [--messages 1000]

Imports and builds each piece in the order ``python -m actions.server`` does — rasa-sdk and
Sanic, the actions package, then (``stores_health`` at start) the knowledge store, the cards
sync, the knowledge service, the procedure catalogue (whose first lookup imports underthesea
and with it torch) and the indicator count; at the first question sentence-transformers, the
e5 model and its first encoding; then different messages (the evaluation questions, then the
NLU examples) through the citizen action as rasa-sdk runs it, 20 at a time on the action
worker threads; then a chart — and prints the resident memory after each step and what the
step added. Reads the configured index (``var/`` by default) like the server and writes
nothing to it unless the cards changed (the start-up sync then ingests them, as the server
does); the database is a scratch copy. Run it with the stack's environment
(``MALLOC_ARENA_MAX=2``, ``TROLY_ACTION_WORKERS``) to compare with the running server.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import gc
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def memory() -> dict[str, float]:
    """VmRSS and its anonymous / file-backed parts (MiB)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile"):
            out[name] = int(value.split()[0]) / 1024
    return out


class Steps:
    """Runs steps, printing RSS after each and the difference it made."""

    def __init__(self) -> None:
        self.last = memory()
        self.rows: list[tuple[str, float, float, float]] = []
        print(f"{'step':<58} {'RSS':>7} {'+RSS':>7} {'anon':>7} {'file':>6} {'s':>6}")
        self._print("Python interpreter", 0.0)

    def _print(self, name: str, seconds: float) -> None:
        now = memory()
        delta = now["VmRSS"] - self.last.get("VmRSS", 0.0) if self.rows else 0.0
        print(
            f"{name:<58} {now['VmRSS']:7.0f} {delta:+7.0f} {now['RssAnon']:7.0f} "
            f"{now['RssFile']:6.0f} {seconds:6.1f}",
            flush=True,
        )
        self.rows.append((name, now["VmRSS"], delta, seconds))
        self.last = now

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = step()
        gc.collect()
        self._print(name, time.perf_counter() - started)
        return result


def distinct_messages(limit: int) -> list[str]:
    """The evaluation questions, then the NLU training examples: different words each."""
    from knowledge.asking import asking_texts
    from knowledge.evaluation import load_questions

    messages = [q.text for q in load_questions()] + asking_texts(ROOT / "nlu_data")
    return list(dict.fromkeys(messages))[:limit]


async def answer_all(executor: Any, messages: list[str], senders: int) -> int:
    """Each message as its own conversation through rasa-sdk's executor (``/webhook``
    without HTTP), ``senders`` at a time: the action answers on the worker threads."""
    gate = asyncio.Semaphore(senders)

    async def one(number: int, text: str) -> None:
        call = {
            "next_action": "action_answer_knowledge",
            "sender_id": f"memory-{number}",
            "version": "3.6.21",
            "domain": {},
            "tracker": {
                "sender_id": f"memory-{number}",
                "slots": {},
                "latest_message": {"text": text, "intent": {"name": "ask_knowledge"}},
                "events": [{"event": "user", "text": text}],
                "latest_input_channel": "rest",
            },
        }
        async with gate:
            await executor.run(call)

    await asyncio.gather(*(one(i, m) for i, m in enumerate(messages)))
    return len(messages)


def scratch_database() -> None:
    """A copy of the configured SQLite database (the action logs unanswered questions and the
    catalogue may import records: none of it goes to the real one)."""
    if os.environ.get("TROLY_DATABASE_URL"):
        return
    source = Path(os.environ.get("TROLY_DATA_DIR", ROOT / "var")) / "troly06.db"
    if not source.is_file():
        return
    folder = tempfile.mkdtemp(prefix="actions-memory-")
    atexit.register(shutil.rmtree, folder, True)
    copy = Path(folder) / "troly06.db"
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    os.environ["TROLY_DATABASE_URL"] = f"sqlite:///{copy}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=20, help="messages in flight at once")
    args = parser.parse_args()
    scratch_database()
    steps = Steps()

    def rasa_sdk() -> None:
        import rasa_sdk.endpoint  # noqa: F401
        import rasa_sdk.executor  # noqa: F401
        import sanic  # noqa: F401

    steps.run("import rasa-sdk, Sanic", rasa_sdk)
    steps.run("import numpy, chromadb", lambda: __import__("chromadb"))

    steps.run("import bm25s", lambda: __import__("bm25s"))
    steps.run("import SQLAlchemy, core.db", lambda: __import__("core.db.engine"))

    def actions() -> Any:
        from rasa_sdk.endpoint import create_app
        from rasa_sdk.executor import ActionExecutor

        executor = ActionExecutor()  # as actions.server.build_app
        executor.register_package("actions")
        create_app(executor, cors_origins=[])
        return executor

    executor = steps.run("register the actions package (project imports)", actions)

    from assistant.services import services
    from core.config import get_settings
    from knowledge.service import sync_cards
    from knowledge.store import open_store

    settings = get_settings()
    store = steps.run("chromadb client and collection", lambda: open_store(settings.knowledge))
    steps.run("cards sync (no-op when unchanged)", lambda: sync_cards(store, settings.knowledge))
    steps.run(
        "knowledge service: units + lexical index (saved or built)",
        lambda: services().knowledge,
    )
    # the catalogue's first lookup segments text: underthesea, which imports torch
    steps.run("import torch", lambda: __import__("torch"))

    def segmentation() -> None:
        from vntext.segment import segment_words

        segment_words("Đăng ký tài khoản định danh điện tử")

    steps.run("underthesea: import (transformers) and first segmentation", segmentation)
    steps.run(
        "procedure catalogue (SQLAlchemy, database)",
        lambda: len(services().procedures().procedures),
    )

    def indicators() -> int:
        from indicators.query import approved_figure_count

        return approved_figure_count(settings.database.url)

    steps.run("indicator figures count", indicators)
    # the first question: the e5 encoding
    steps.run("import sentence-transformers", lambda: __import__("sentence_transformers"))

    from knowledge.embedding.encoder import load_sentence_model

    knowledge = settings.knowledge
    steps.run(
        "e5 model load",
        lambda: load_sentence_model(
            knowledge.model_name, knowledge.embedding_threads, knowledge.max_seq_length
        ),
    )
    steps.run(
        "first query encoding",
        lambda: store.embedding_function.embed_query(["cách kích hoạt tài khoản định danh"]),
    )

    messages = distinct_messages(args.messages)
    steps.run(
        f"{len(messages)} different messages, {args.senders} at a time (the citizen action)",
        lambda: asyncio.run(answer_all(executor, messages, args.senders)),
    )

    def chart() -> int:
        from indicators.charts import NoDataError, chart_provinces
        from indicators.figures.indicators import load_catalogue

        for indicator in load_catalogue().indicators:
            try:
                return len(chart_provinces(settings.database.url, indicator.code))
            except NoDataError:
                continue
        import matplotlib.pyplot as plt  # no figures loaded: draw something of the same kind

        fig, ax = plt.subplots()
        ax.bar(["a", "b"], [1, 2])
        fig.savefig(os.devnull, format="png")
        plt.close(fig)
        return 0

    steps.run("a chart (matplotlib)", chart)
    total = steps.rows[-1][1]
    print(f"total {total:.0f} MiB ({total / 1024:.2f} GiB); e5 models held: "
          f"{load_sentence_model.cache_info().currsize}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
