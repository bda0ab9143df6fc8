"""python -m assistant eval-real [--split dev|test|both] [--via URL] [--errors] [--min-correct X]
python -m assistant eval-real --split dev --probe leave-out|ablate-facts|noise
python -m assistant audit-real [--out FILE] [--compare FILE]

Scores the assistant on real people's questions. ``--via URL`` sends each question to a
running gateway's ``/api/chat`` (the whole path: NLU, dialogue, actions); without it the
questions are answered in this process by the same answering flow (no NLU: the intent is
left to retrieval). ``--errors`` lists the dev split's misses — never the test split's, which
is only scored. ``--probe`` takes away what answered each correctly answered dev question and
asks again (``assistant.probes``): how the assistant behaves when it does not hold the answer.
``audit-real`` answers the unscored audit questions (``assistant.audit``) and lists those whose
reply changed since an earlier run, to be read by hand.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence

from assistant.realeval import (
    EVALUATION_SENDER_PREFIX,
    Answerer,
    Chooser,
    RealQuestion,
    evaluate,
    load_questions,
    once_cited,
    one_tap,
    repository_source_pages,
    uncited_part,
)


def in_process() -> tuple[Answerer, Chooser]:
    """Answers in this process, as the action does (a choice answers the question it was
    offered for)."""
    from assistant.citizen import answer_question
    from assistant.services import services

    def answer(q: RealQuestion) -> tuple[str, str, tuple[str, ...]]:
        reply = answer_question(services(), q.question, None, log_gaps=False)
        choices = tuple(b["payload"] for b in reply.buttons) if reply.kind == "clarify" else ()
        return reply.kind, reply.text, choices

    def choose(q: RealQuestion, payload: str) -> tuple[str, str]:
        reply = answer_question(services(), payload, None, log_gaps=False, offered_for=q.question)
        return reply.kind, reply.text

    return answer, choose


def over_http(base_url: str, timeout: float = 60.0) -> tuple[Answerer, Chooser]:
    """Answers through a running gateway's /api/chat, each question in a new conversation;
    a choice is tried by asking again in another one and sending the choice's payload."""
    import httpx

    client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)

    def say(sender: str, message: str) -> tuple[str, str, tuple[str, ...]]:
        response = client.post("/api/chat", json={"sender_id": sender, "message": message})
        if response.status_code != 200:
            return "error", f"HTTP {response.status_code}", ()
        messages = response.json().get("messages") or []
        kinds = [m.get("kind") for m in messages if m.get("kind")]
        kind = kinds[0] if kinds else "other"
        text = "\n\n".join(m.get("text") or "" for m in messages)
        choices = tuple(
            b["payload"] for m in messages for b in m.get("buttons") or [] if b.get("payload")
        ) if kind == "clarify" else ()
        return kind, text, choices

    def new_sender() -> str:
        return f"{EVALUATION_SENDER_PREFIX}{uuid.uuid4().hex[:12]}"

    def answer(q: RealQuestion) -> tuple[str, str, tuple[str, ...]]:
        return say(new_sender(), q.question)

    def choose(q: RealQuestion, payload: str) -> tuple[str, str]:
        sender = new_sender()
        say(sender, q.question)
        kind, text, _ = say(sender, payload)
        return kind, text

    return answer, choose


def audit_real(out: str, compare: str | None, questions: str | None = None) -> int:
    from pathlib import Path

    from assistant.audit import changed, load_audit, read_rows, run_audit, summary, write_rows
    from assistant.citizen import answer_question
    from assistant.services import services

    def answer(question: str) -> tuple[str, str, str]:
        reply = answer_question(services(), question, None, log_gaps=False)
        return reply.kind, reply.card_id or reply.procedure_id or "", reply.text

    rows = run_audit(load_audit(Path(questions)) if questions else load_audit(), answer)
    print(summary(rows))
    if compare:
        for before, after in changed(read_rows(Path(compare)), rows):
            print(f"\n{before.kind} {before.source or '-'} -> {after.kind} {after.source or '-'}")
            print(f"  {after.question[:200]}\n  > {after.reply[:200]}")
    write_rows(rows, Path(out))
    print(f"replies written to {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("eval-real", help="score the real-question sets")
    p.add_argument("--split", choices=("dev", "test", "both"), default="both")
    p.add_argument("--via", help="gateway base URL (default: answer in this process)")
    p.add_argument("--errors", action="store_true", help="list the dev split's misses")
    p.add_argument("--min-correct", type=float, default=0.0, help="fail below (test split)")
    p.add_argument("--max-wrong", type=float, default=1.0, help="fail above (test split)")
    p.add_argument(
        "--probe", choices=("leave-out", "ablate-facts", "noise"),
        help="dev split only: hide the answering card or record, or its facts, and ask again;"
        " noise: take out cards that answer no dev question, one at a time",
    )
    a = sub.add_parser("audit-real", help="answer the unscored audit questions, for reading")
    a.add_argument("--out", default="var/log/audit-real.tsv", help="where to write the replies")
    a.add_argument("--compare", help="an earlier --out file: list the replies that changed")
    a.add_argument(
        "--questions", help="another audit file (default tests/real/audit.tsv): a set not yet read"
    )
    args = parser.parse_args(argv)
    if args.command == "audit-real":
        return audit_real(args.out, args.compare, args.questions)
    if args.probe:
        if args.split != "dev" or args.via:
            parser.error("--probe runs in process on the dev split only (--split dev)")
        from assistant.probes import noise_floor, probe
        from assistant.services import services

        if args.probe == "noise":
            moved = noise_floor(services(), load_questions("dev"))
            print("Dev outcomes after taking out one card that answers no dev question:")
            for card_id, questions in moved:
                print(f"  {card_id}: {len(questions)} moved {' '.join(questions)}".rstrip())
            return 0
        report = probe(services(), load_questions("dev"), args.probe)
        print("Dev questions answered correctly, asked again without what answered them:")
        print("  " + report.summary())
        return 0

    answer, choose = over_http(args.via) if args.via else in_process()
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    print("Real people's questions (tests/real; docs/evaluation.md):")
    ok = True
    citing = repository_source_pages()
    for split in splits:
        report = evaluate(split, load_questions(split), answer)
        print("  " + report.summary())
        uncited = uncited_part(report, citing, once_cited(split))
        if uncited is not None:
            print("  " + uncited.summary())
        print("  " + one_tap(report, choose))
        if split == "dev" and args.errors:
            for r in report.results:
                if r.outcome != "correct":
                    print(f"\n[{r.outcome}/{r.kind}] {r.question.id}: {r.question.question[:300]}")
                    print(f"   missing: {r.missing}  facts: {r.question.facts}")
                    print("   reply: " + r.reply[:500].replace("\n", " | "))
        if split == "test":
            correct = report.share("correct")
            if correct < args.min_correct:
                print(f"  FAIL: test correct {correct:.1%} < {args.min_correct:.0%}")
                ok = False
            if report.share("wrong") > args.max_wrong:
                print(f"  FAIL: test wrong {report.share('wrong'):.1%} > {args.max_wrong:.0%}")
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
