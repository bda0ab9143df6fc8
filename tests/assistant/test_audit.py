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


def test_another_audit_file_is_answered(tmp_path: Path, monkeypatch) -> None:
    """``--questions`` answers a set not yet read instead of the default one."""
    from types import SimpleNamespace

    import assistant.citizen
    import assistant.services
    from assistant.__main__ import main

    fresh = tmp_path / "fresh.tsv"
    fresh.write_text("# comment\ntax\tBán hàng online có phải nộp thuế không?\thttps://x.vn/a\n")
    asked: list[str] = []

    def fake_answer(services, question, intent, **kwargs):
        asked.append(question)
        return SimpleNamespace(kind="fallback", card_id=None, procedure_id=None, text="Xin lỗi")

    monkeypatch.setattr(assistant.citizen, "answer_question", fake_answer)
    monkeypatch.setattr(assistant.services, "services", lambda: None)
    out = tmp_path / "out.tsv"
    assert main(["audit-real", "--questions", str(fresh), "--out", str(out)]) == 0
    assert asked == ["Bán hàng online có phải nộp thuế không?"]
    assert [r.kind for r in read_rows(out)] == ["fallback"]
