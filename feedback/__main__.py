"""Citizens' ratings for staff, until the staff console shows them.

python -m feedback report [--days N]            cards and procedures by how often marked wrong
python -m feedback wrong [--source S] [--limit N]   the latest "Chưa đúng" with question and reason
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from core.config import DatabaseSettings

REASON_TEXT = {
    "wrong_info": "thông tin sai",
    "not_what_i_asked": "không đúng điều hỏi",
    "hard_to_understand": "khó hiểu",
    None: "không nêu lý do",
}


def _since(days: int | None) -> dt.datetime | None:
    return dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days) if days else None


def cmd_report(args: argparse.Namespace) -> int:
    from feedback.ratings import ratings_by_source

    rows = ratings_by_source(DatabaseSettings().url, since=_since(args.days))
    if not rows:
        print("Chưa có đánh giá nào.")
        return 0
    print(f"{'Chưa đúng':>9}  {'Hữu ích':>7}  {'Lần cuối':<16}  Nguồn câu trả lời")
    for row in rows:
        print(f"{row.wrong:>9}  {row.helpful:>7}  {row.last_rated:%d/%m/%Y %H:%M}  {row.source}")
    return 0


def cmd_wrong(args: argparse.Namespace) -> int:
    from feedback.ratings import wrong_answers

    rows = wrong_answers(DatabaseSettings().url, source=args.source, since=_since(args.days),
                         limit=args.limit)
    if not rows:
        print("Chưa có câu trả lời nào bị đánh giá chưa đúng.")
        return 0
    for row in rows:
        print(f"{row.rated_at:%d/%m/%Y %H:%M}  {row.source}  ({REASON_TEXT.get(row.reason)}, "
              f"{row.channel})")
        print(f"  Câu hỏi: {row.question}")
        print(f"  Trả lời: {row.answer_excerpt[:160]}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m feedback", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_report = sub.add_parser("report", help="cards and procedures by ratings")
    p_report.add_argument("--days", type=int, default=None)
    p_report.set_defaults(func=cmd_report)
    p_wrong = sub.add_parser("wrong", help='the latest answers marked "Chưa đúng"')
    p_wrong.add_argument("--source", default=None)
    p_wrong.add_argument("--days", type=int, default=None)
    p_wrong.add_argument("--limit", type=int, default=20)
    p_wrong.set_defaults(func=cmd_wrong)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
