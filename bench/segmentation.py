"""What word segmentation costs per text: the dev questions (short) and the cards (long).

    .venv-app/bin/python bench/segmentation.py [--passes 5]

Segments every dev question and every card's searchable text (``knowledge.units.card_passage``:
title, example questions, body — what indexing segments, not the file with its front matter)
with ``vntext.segment`` (underthesea plus the realignment onto the original text's
characters) and prints, for each group, the median over the passes of the milliseconds per
text, with min and max. A question is segmented on every turn; a card only when it is indexed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.realeval import load_questions  # noqa: E402
from knowledge.cards import load_cards  # noqa: E402
from knowledge.units import card_passage  # noqa: E402
from vntext.segment import segment  # noqa: E402


def per_text_ms(texts: list[str], passes: int) -> list[float]:
    """Milliseconds per text, one figure per pass over ``texts``."""
    runs = []
    for _ in range(passes):
        start = time.perf_counter()
        for text in texts:
            segment(text)
        runs.append((time.perf_counter() - start) * 1000 / len(texts))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    segment("khởi động")  # underthesea loads its model on first use
    groups = {
        "dev questions": [q.question for q in load_questions("dev")],
        "cards": [card_passage(c) for c in load_cards(ROOT / "knowledge" / "cards")],
    }
    for name, texts in groups.items():
        runs = per_text_ms(texts, args.passes)
        chars = statistics.median(len(t) for t in texts)
        print(f"{name}: {len(texts)} texts (median {chars:.0f} characters), "
              f"{statistics.median(runs):.2f} ms a text (min {min(runs):.2f}, max {max(runs):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
