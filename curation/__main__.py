"""Questions the assistant could not answer, for staff (the console shows them too).

python -m curation gaps [--limit N] [--days N]   grouped by wording, most asked first
python -m curation gaps --close KEY              mark a group of questions as answered
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from core.config import DatabaseSettings


def cmd_gaps(args: argparse.Namespace) -> int:
    from curation.gaps import close_gaps, list_gaps

    url = DatabaseSettings().url
    if args.close:
        closed = close_gaps(url, args.close)
        print(f"Đã đánh dấu {closed} câu hỏi là đã bổ sung.")
        return 0
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=args.days) if args.days else None
    gaps = list_gaps(url, since=since, limit=args.limit)
    if not gaps:
        print("Chưa có câu hỏi nào bị bỏ ngỏ.")
        return 0
    print(f"{'Số lần':>6}  {'Lần cuối':<16}  Câu hỏi (đã che số giấy tờ, số điện thoại)")
    for gap in gaps:
        print(f"{gap.count:>6}  {gap.last_asked:%d/%m/%Y %H:%M}  {gap.example}")
        print(f"{'':>6}  {'':<16}  khóa: {gap.normalized}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m curation",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_gaps = sub.add_parser("gaps", help="list unanswered questions")
    p_gaps.add_argument("--limit", type=int, default=50)
    p_gaps.add_argument("--days", type=int, default=0, help="only the last N days")
    p_gaps.add_argument("--close", metavar="KEY", help="mark the questions with this key answered")
    p_gaps.set_defaults(func=cmd_gaps)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
