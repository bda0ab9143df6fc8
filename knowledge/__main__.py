"""Knowledge base command line.

python -m knowledge ingest PATH...     add or update cards and documents (idempotent)
python -m knowledge sync              the cards folder and the published staff cards (what
                                       the action server does at start-up)
python -m knowledge eval               recall@1/@3 and MRR@10 for bm25, dense, hybrid
python -m knowledge compact            rewrite the meaning index without deleted entries' slots
python -m knowledge figures extract FILE...   propose indicator figures from report text
python -m knowledge indicators ...     indicator data: load-seeds, import, approve, show, chart
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from core.config import KnowledgeSettings


def _settings(threads: int | None = None) -> KnowledgeSettings:
    settings = KnowledgeSettings()
    if threads:
        settings = settings.model_copy(update={"embedding_threads": threads})
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    from knowledge.ingest import ingest
    from knowledge.service import save_lexical_index
    from knowledge.store import open_store

    settings = _settings(threads=os.cpu_count() or 1)  # batch encoding likes threads
    store = open_store(settings)

    def report_skip(name: str, reason: str) -> None:
        print(f"Bỏ qua {name}: {reason}", file=sys.stderr)

    report = ingest(
        store, args.paths, progress=None if args.progress else False, on_skip=report_skip
    )
    print(report.summary())
    save_lexical_index(store, settings)
    return 1 if report.skipped and args.strict else 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Run after an admin publishes a card: the running action servers see the change."""
    from knowledge.service import save_lexical_index, sync_cards
    from knowledge.store import open_store

    settings = _settings(threads=os.cpu_count() or 1)
    store = open_store(settings)
    report = sync_cards(store, settings)
    print(report.summary())
    save_lexical_index(store, settings)
    return 1 if report.skipped else 0


def cmd_compact(args: argparse.Namespace) -> int:
    """Run with the action servers stopped and nothing ingesting: they hold the collection
    that is dropped."""
    from knowledge.service import save_lexical_index
    from knowledge.store import (
        CATALOGUE,
        IndexChangedDuringCompaction,
        InterruptedCompactionConflict,
        folder_bytes,
        open_store,
        reclaim_disk,
    )

    if args.reclaim_only:  # a stopped chroma server's folder: chromadb leaves dropped segments
        folder = Path(args.reclaim_only)
        if not (folder / CATALOGUE).is_file():
            print(f"Không thấy {CATALOGUE} trong {folder}: không thu hồi gì.", file=sys.stderr)
            return 1
        before = folder_bytes(folder)
        reclaim_disk(folder)
        print(f"Đã thu hồi dung lượng: {before / 1e6:.1f} MB → "
              f"{folder_bytes(folder) / 1e6:.1f} MB.")
        return 0
    settings = _settings()
    embedded = not settings.chroma_url  # a chroma server's folder: --reclaim-only, server stopped
    store = open_store(settings)
    before = folder_bytes(settings.chroma_dir) if embedded else 0
    try:
        entries = store.compact()
    except IndexChangedDuringCompaction:
        print("Chỉ mục thay đổi trong lúc sao chép (có tiến trình đang nạp tài liệu?): chưa nén, "
              "chỉ mục giữ nguyên. Hãy chạy lại khi không có gì ghi vào chỉ mục.", file=sys.stderr)
        return 1
    except InterruptedCompactionConflict as exc:
        print("Một lần nén trước bị ngắt giữa chừng và chỉ mục đã bị ghi thêm sau đó; không xoá "
              f"gì. Cần kiểm tra bằng tay trước khi chạy lại ({exc}).", file=sys.stderr)
        return 1
    save_lexical_index(store, settings)
    line = f"Đã nén chỉ mục ngữ nghĩa: giữ đủ {entries} mục"
    if embedded:
        reclaim_disk(settings.chroma_dir)
        after = folder_bytes(settings.chroma_dir)
        line += f"; thư mục chroma {before / 1e6:.1f} MB → {after / 1e6:.1f} MB"
    print(line + ".")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from knowledge.evaluation import (
        below_targets,
        evaluate_all,
        load_questions,
        unanswerable_rate,
    )
    from knowledge.service import build_service

    service = build_service(_settings(threads=os.cpu_count() or 1))
    questions = load_questions()
    print(
        f"Knowledge-base retrieval on {len(questions)} questions "
        f"({service.retriever.store.count_units()} units indexed):"
    )
    results = evaluate_all(service.retriever, questions, service.restored)
    for result in results:
        print("  " + result.row())
    answered, fallback = unanswerable_rate(service, questions)
    print(
        f"  confidence gate: answers {answered:.1%} of answerable questions, "
        f"falls back on {fallback:.1%} of unanswerable ones"
    )
    hybrid = results[-1]
    if args.show_misses:
        for question, ranked in hybrid.misses:
            print(f"  miss: {question!r} -> {ranked}")
    failed = below_targets(hybrid)
    if failed:
        print("eval-kb: hybrid below target: " + "; ".join(failed))
        return 1
    print("eval-kb: hybrid meets the floors (recall@1 >= 0.80, recall@3 >= 0.95)")
    return 0


# sub-commands that have their own command line
DELEGATED = {"figures": "indicators.figures.__main__", "indicators": "indicators.__main__"}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in DELEGATED:
        import importlib

        return importlib.import_module(DELEGATED[args_list[0]]).main(args_list[1:])
    parser = argparse.ArgumentParser(
        prog="python -m knowledge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest", help="ingest cards and documents")
    p_ingest.add_argument("paths", nargs="+")
    p_ingest.add_argument("--strict", action="store_true", help="exit 1 when a file is skipped")
    p_ingest.add_argument("--progress", action="store_true", help="progress bar even when piped")
    p_ingest.set_defaults(func=cmd_ingest)
    p_sync = sub.add_parser("sync", help="cards folder + published staff cards, as at start-up")
    p_sync.set_defaults(func=cmd_sync)
    p_compact = sub.add_parser(
        "compact", help="rewrite the meaning index without deleted entries (stack stopped)"
    )
    p_compact.add_argument(
        "--reclaim-only", metavar="DIR",
        help="only free the disk of a stopped chroma server's data folder after a compaction",
    )
    p_compact.set_defaults(func=cmd_compact)
    p_eval = sub.add_parser("eval", help="retrieval evaluation (make eval-kb)")
    p_eval.add_argument("--show-misses", action="store_true")
    p_eval.set_defaults(func=cmd_eval)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
