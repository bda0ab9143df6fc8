"""Real questions without facts, read by hand: what kind of reply each gets and from where.

``tests/real/audit.tsv`` holds questions real people wrote, collected from sites outside both
scored splits and unlike any of their questions. They have no facts to judge by, so nothing is
scored: ``python -m assistant audit-real`` writes each reply's kind, source and opening to a
file, and ``--compare`` lists the questions whose reply changed since an earlier run — the
ones to read after a change to the gate or the cards. ``tests/real/audit-read-*.tsv`` is such
a run with a reading added by hand (right, wrong or unsure for each answer).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.realeval import REAL_DIR

AUDIT_FILE = REAL_DIR / "audit.tsv"
REPLY_CHARS = 300
FIELDS = ("kind", "source", "question", "reply")


@dataclass(frozen=True)
class AuditRow:
    kind: str
    source: str
    question: str
    reply: str


def load_audit(path: Path = AUDIT_FILE) -> list[str]:
    """The questions of an audit file (``#`` lines are comments)."""
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[1].strip():
            raise ValueError(f"{path}: expected topic, question and url: {line[:80]!r}")
        questions.append(fields[1].strip())
    return questions


def run_audit(
    questions: Iterable[str], answer: Callable[[str], tuple[str, str, str]]
) -> list[AuditRow]:
    """Each question's reply: ``answer`` gives (kind, source id, text)."""
    rows = []
    for question in questions:
        kind, source, text = answer(question)
        rows.append(AuditRow(kind, source, question, " ".join(text.split())[:REPLY_CHARS]))
    return rows


def write_rows(rows: list[AuditRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t")
        writer.writerow(FIELDS)
        writer.writerows((r.kind, r.source, r.question, r.reply) for r in rows)


def read_rows(path: Path) -> list[AuditRow]:
    """Rows written by ``write_rows``; other columns (a reading added by hand) are ignored."""
    with path.open(encoding="utf-8", newline="") as source:
        return [
            AuditRow(**{name: row[name] for name in FIELDS})
            for row in csv.DictReader(source, delimiter="\t")
        ]


def changed(before: list[AuditRow], after: list[AuditRow]) -> list[tuple[AuditRow, AuditRow]]:
    """Pairs of replies to the same question whose kind or source differ."""
    earlier = {r.question: r for r in before}
    return [
        (earlier[r.question], r) for r in after
        if r.question in earlier and (earlier[r.question].kind, earlier[r.question].source)
        != (r.kind, r.source)
    ]


def summary(rows: list[AuditRow]) -> str:
    counts = Counter(r.kind for r in rows)
    return f"audit {len(rows)} questions: " + ", ".join(
        f"{kind} {n}" for kind, n in counts.most_common()
    )
