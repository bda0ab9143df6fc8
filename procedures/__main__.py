"""Procedure catalogue command line (messages in Vietnamese, for one-stop staff).

python -m procedures import FILE|DIR [--by NAME]   JSON, CSV, YAML file or folder
python -m procedures export --format json|csv [-o FILE]
python -m procedures list
python -m procedures show ID_OR_CODE [--part PART] [--citizen]

The database is ``DatabaseSettings().url`` unless ``--db URL`` is given.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from procedures.catalogue import (
    FORMATS,
    CatalogueImportError,
    export_records,
    get_procedure,
    import_records,
    stored_rows,
)
from procedures.render import PARTS, format_date, render


def _url(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    from core.config import DatabaseSettings

    return DatabaseSettings().url


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "cli"


def cmd_import(args: argparse.Namespace) -> int:
    try:
        report = import_records(_url(args), Path(args.source), by=args.by or _user())
    except CatalogueImportError as exc:
        print(
            f"Không nhập được: {len(exc.errors)} lỗi. Chưa ghi gì vào cơ sở dữ liệu.",
            file=sys.stderr,
        )
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    text = export_records(_url(args), args.format)
    if args.output:
        # CSV with a BOM so that spreadsheet programs read the Vietnamese text as UTF-8
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        Path(args.output).write_text(text, encoding=encoding)
        print(f"Đã xuất danh mục thủ tục ra {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = stored_rows(_url(args))
    if not rows:
        print("Chưa có thủ tục nào trong cơ sở dữ liệu. Dùng lệnh import để nhập danh mục.")
        return 0
    print(f"Có {len(rows)} thủ tục trong cơ sở dữ liệu.")
    print(f"{'Mã':<10}  {'Định danh':<45}  {'Cập nhật':<10}  Tên thủ tục")
    for row in rows:
        updated = format_date(row.imported_at.date())
        print(f"{row.code or '–':<10}  {row.id:<45}  {updated:<10}  {row.name}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    found = get_procedure(_url(args), args.key)
    if found is None:
        print(f"Không tìm thấy thủ tục có định danh hoặc mã {args.key!r}.", file=sys.stderr)
        return 1
    procedure, row = found
    audience = "citizen" if args.citizen else "staff"
    print(render(procedure, args.part, audience))
    if not args.citizen:
        source = f", từ tệp {row.source_file}" if row.source_file else ""
        print(
            f"\nNhập vào cơ sở dữ liệu ngày {format_date(row.imported_at.date())} "
            f"bởi {row.imported_by}{source}."
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m procedures",
        description="Danh mục thủ tục hành chính: nhập, xuất, liệt kê, xem chi tiết.",
    )
    parser.add_argument("--db", help="SQLAlchemy URL (mặc định: theo cấu hình TROLY_)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="nhập tệp JSON, CSV, YAML hoặc thư mục YAML")
    p.add_argument("source", help="tệp .json/.csv/.yml hoặc thư mục bản ghi .yml")
    p.add_argument("--by", help="người nhập (mặc định: tên đăng nhập)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="xuất toàn bộ danh mục")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("-o", "--output", help="tệp đích (mặc định: in ra màn hình)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("list", help="liệt kê các thủ tục đã nhập")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="xem chi tiết một thủ tục")
    p.add_argument("key", metavar="ID_OR_CODE", help="định danh (dang-ky-khai-sinh) hoặc mã")
    p.add_argument("--part", choices=PARTS, default="all")
    p.add_argument("--citizen", action="store_true", help="hiển thị như câu trả lời cho dân")
    p.set_defaults(func=cmd_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
