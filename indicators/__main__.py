"""CLI: ``python -m indicators sync|load-seeds|import FILE|show P I|lookups|chart …``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.config import DatabaseSettings
from indicators.figures.evaluate import default_seeds_dir


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m indicators",
        description="Số liệu chỉ tiêu Đề án 06: đồng bộ danh mục, nạp, nhập, tra cứu, vẽ biểu đồ.",
    )
    parser.add_argument("--db", help="SQLAlchemy URL (mặc định theo cấu hình)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sync", help="đồng bộ danh mục tỉnh/thành và chỉ tiêu vào CSDL")
    seeds = sub.add_parser("load-seeds", help="trích và lưu số liệu từ các báo cáo mẫu")
    seeds.add_argument("--seeds", type=Path, default=None)
    seeds.add_argument("--by", default="system")
    imp = sub.add_parser("import", help="nhập số liệu từ tệp CSV/XLSX theo mẫu")
    imp.add_argument("file", type=Path)
    imp.add_argument("--by", default="cli")
    imp.add_argument("--propose", action="store_true", help="lưu ở trạng thái chờ duyệt")
    for name, text in (("approve", "duyệt một số liệu (theo mã)"),
                       ("reject", "loại một số liệu (theo mã)")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("id", type=int)
        cmd.add_argument("--by", default="cli")
    show = sub.add_parser("show", help="số liệu mới nhất của một tỉnh cho một chỉ tiêu")
    show.add_argument("province")
    show.add_argument("indicator")
    show.add_argument("--period")
    lookups = sub.add_parser("lookups", help="sinh bảng tra cứu NLU (tỉnh, chỉ tiêu)")
    lookups.add_argument("--out", type=Path, default=Path("nlu_data/lookups.yml"))
    chart = sub.add_parser("chart", help="vẽ biểu đồ PNG")
    chart.add_argument("indicator")
    chart.add_argument("provinces", nargs="*", help="các tỉnh (bỏ trống: mọi tỉnh có số liệu)")
    chart.add_argument("--trend", action="store_true", help="biểu đồ theo thời gian (1 tỉnh)")
    chart.add_argument("--period")
    chart.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    url = args.db or DatabaseSettings().url

    from indicators.query import UnknownNameError

    try:
        if args.command == "sync":
            from indicators.reference import sync_reference

            result = sync_reference(url)
            print(f"Đã đồng bộ: {result.provinces} tỉnh/thành, {result.aliases} tên gọi, "
                  f"{result.indicators} chỉ tiêu thay đổi.")
        elif args.command == "load-seeds":
            from indicators.observations import load_seed_figures

            res = load_seed_figures(url, args.seeds or default_seeds_dir(), by=args.by)
            if res.created:
                from core.access.audit import record

                record(DatabaseSettings().audit_url, f"cli:{args.by}", "admin",
                       "indicator_seed_load", {"files": res.files, "created": res.created,
                                               "unchanged": res.unchanged})
            print(f"{res.files} tệp: {res.created} số liệu mới, {res.unchanged} không đổi, "
                  f"{res.skipped} bỏ qua (không rõ tỉnh/thời điểm).")
        elif args.command == "import":
            from indicators.changes import cli_actor, import_figures
            from indicators.importer import ImportValidationError

            try:
                res = import_figures(url, args.file, cli_actor(args.by), approve=not args.propose,
                                     audit_url=DatabaseSettings().audit_url)
            except ImportValidationError as exc:
                print("Không nhập được tệp, chưa lưu dòng nào:", file=sys.stderr)
                for err in exc.errors:
                    print(f"  {err}", file=sys.stderr)
                return 1
            print(f"Đã nhập {res.rows} dòng: {res.created} số liệu mới, "
                  f"{res.unchanged} không đổi.")
        elif args.command in ("approve", "reject"):
            from indicators.changes import cli_actor, set_status

            status = "approved" if args.command == "approve" else "rejected"
            try:
                row = set_status(url, args.id, status, cli_actor(args.by),
                                 audit_url=DatabaseSettings().audit_url)
            except LookupError:
                print(f"Không có số liệu mã {args.id}.", file=sys.stderr)
                return 2
            print(f"Số liệu {row.id} (phiên bản {row.version}): {row.status}.")
        elif args.command == "show":
            from indicators.format import format_answer
            from indicators.query import indicator_of, latest, province_of

            province, indicator = province_of(args.province), indicator_of(args.indicator)
            print(format_answer(latest(url, province, indicator, args.period), province,
                                indicator))
        elif args.command == "lookups":
            from indicators.lookups import lookup_yaml

            args.out.write_text(lookup_yaml(), encoding="utf-8")
            print(f"Đã ghi {args.out}")
        elif args.command == "chart":
            from indicators.charts import NoDataError, chart_provinces, chart_trend

            try:
                if args.trend:
                    if len(args.provinces) != 1:
                        parser.error("--trend cần đúng một tỉnh")
                    png = chart_trend(url, args.provinces[0], args.indicator)
                else:
                    png = chart_provinces(url, args.indicator, args.provinces or None,
                                          args.period)
            except NoDataError as exc:
                print(str(exc), file=sys.stderr)
                return 1
            args.output.write_bytes(png)
            print(f"Đã lưu biểu đồ: {args.output}")
    except UnknownNameError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
