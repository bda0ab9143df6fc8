"""The unscored audit questions: loading, replies written and read back, changes listed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.audit import AUDIT_FILE, changed, load_audit, read_rows, run_audit, write_rows


def test_the_audit_file_loads_real_questions() -> None:
    questions = load_audit(AUDIT_FILE)
    assert len(questions) >= 50
    assert all(len(q.split()) >= 3 for q in questions)


def test_a_malformed_row_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "audit.tsv"
    path.write_text("# comment\nvneid\tno url here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="topic, question and url"):
        load_audit(path)


def test_replies_round_trip_and_changes_are_listed(tmp_path: Path) -> None:
    questions = ["Làm căn cước ở đâu?", "Hộ chiếu mất bao lâu?"]
    before = run_audit(questions, lambda q: ("answer", "card-a", "Tại Công an xã.\n\nNguồn: …"))
    path = tmp_path / "before.tsv"
    write_rows(before, path)
    assert read_rows(path) == before
    assert before[0].reply == "Tại Công an xã. Nguồn: …"
    after = run_audit(
        questions, lambda q: ("clarify", "", "…") if "Hộ chiếu" in q else ("answer", "card-a", "x")
    )
    pairs = changed(read_rows(path), after)
    assert [(b.kind, a.kind) for b, a in pairs] == [("answer", "clarify")]


def test_a_run_read_by_hand_can_be_compared_against() -> None:
    """The stored reading keeps the columns ``--compare`` needs, and judges every answer."""
    readings = sorted(AUDIT_FILE.parent.glob("audit-read-*.tsv"))
    assert readings
    rows = read_rows(readings[-1])
    assert {r.question for r in rows} <= set(load_audit(AUDIT_FILE))

    with readings[-1].open(encoding="utf-8", newline="") as source:
        marks = [(row["kind"], row["reading"]) for row in csv.DictReader(source, delimiter="\t")]
    answers = [reading for kind, reading in marks if kind == "answer"]
    assert answers and all(reading in {"right", "wrong", "unsure"} for reading in answers)
