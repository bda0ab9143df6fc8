"""Citizens' personal data, for the data controller's staff (docs/privacy.md).

python -m privacy purge [--days N] [--dry-run]   delete what is older than the retention period
python -m privacy export SENDER_ID [--out FILE]   one conversation's data as JSON (access right)
python -m privacy erase SENDER_ID                 delete one conversation's records (on request)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from core.config import DatabaseSettings, PrivacySettings


def cmd_purge(args: argparse.Namespace) -> int:
    from core.access.audit import record_safely
    from privacy.retention import cutoff_for, purge, purge_lock

    db = DatabaseSettings()
    days = args.days or PrivacySettings().retention_days
    cutoff = cutoff_for(days)
    with purge_lock(db.url) as mine:
        if not mine:
            print("Một tiến trình khác đang xóa dữ liệu hết hạn; bỏ qua lần này.")
            return 0
        purged = purge(db.url, db.tracker_database_url, cutoff, dry_run=args.dry_run)
    verb = "Sẽ xóa" if args.dry_run else "Đã xóa"
    print(f"{verb} dữ liệu trước {cutoff:%d/%m/%Y %H:%M} UTC ({days} ngày): "
          + ", ".join(f"{k}={v}" for k, v in purged.as_dict().items()))
    if not db.tracker_database_url:
        print("Chưa đặt TROLY_TRACKER_DATABASE_URL: nội dung trò chuyện Rasa lưu chưa được xóa.",
              file=sys.stderr)
    if not args.dry_run:
        record_safely(db.audit_url, "cli", None, "privacy.purge",
                      {"days": days, **purged.as_dict()})
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from core.access.audit import record_safely
    from privacy.export import export_conversation

    db = DatabaseSettings()
    body = json.dumps(export_conversation(db.url, db.tracker_database_url, args.sender_id),
                      ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(body, encoding="utf-8")
    else:
        print(body)
    record_safely(db.audit_url, "cli", None, "privacy.export", {"reference": args.reference})
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from core.access.audit import record_safely
    from privacy.erase import erase_conversation

    db = DatabaseSettings()
    erased = erase_conversation(db.url, db.tracker_database_url, args.sender_id)
    print("Đã xóa: " + ", ".join(f"{k}={v}" for k, v in erased.as_dict().items()))
    record_safely(db.audit_url, "cli", None, "privacy.erase",
                  {"reference": args.reference, **erased.as_dict()})
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m privacy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_purge = sub.add_parser("purge", help="delete records older than the retention period")
    p_purge.add_argument("--days", type=int, default=0, help="instead of TROLY_RETENTION_DAYS")
    p_purge.add_argument("--dry-run", action="store_true", help="count only")
    p_purge.set_defaults(func=cmd_purge)
    for name, func, what in (("export", cmd_export, "one conversation's data as JSON"),
                             ("erase", cmd_erase, "delete one conversation's records")):
        p = sub.add_parser(name, help=what)
        p.add_argument("sender_id")
        p.add_argument("--reference", default="", help="the written request's number")
        if name == "export":
            p.add_argument("--out", help="write to this file instead of the screen")
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    if getattr(args, "days", 0) and args.days < 1:
        parser.error("--days must be at least 1")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
