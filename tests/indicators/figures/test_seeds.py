"""The extractor against the gold annotation of the real seed reports.

The reports live outside the repository (``$TROLY_SEEDS_DIR``, default ``../shared/seeds``);
CI clones without them skip these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators.figures.evaluate import default_seeds_dir, evaluate, format_report, load_gold

GOLD = Path(__file__).with_name("seeds_gold.yml")
SEEDS = default_seeds_dir()

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed reports not found at {SEEDS} (set TROLY_SEEDS_DIR)"
)


def test_gold_anchors_are_short():
    for doc in load_gold(GOLD):
        for fig in doc.figures:
            assert len(fig.anchor.split()) <= 6, fig.anchor


@needs_seeds
def test_gold_anchors_occur_in_their_report():
    for doc in load_gold(GOLD):
        text = re.sub(r"\s+", " ", (SEEDS / doc.file).read_text(encoding="utf-8"))
        for fig in doc.figures:
            assert fig.anchor in text, (doc.file, fig.anchor)


@needs_seeds
def test_precision_and_recall_on_seed_reports():
    result = evaluate(GOLD, SEEDS)
    assert not result.missing_files
    report = format_report(result)
    assert result.precision >= 0.9, report
    assert result.recall >= 0.9, report
