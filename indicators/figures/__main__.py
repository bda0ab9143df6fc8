"""CLI: ``python -m indicators.figures extract FILE...`` and ``… evaluate --gold G --seeds DIR``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indicators.figures.evaluate import default_seeds_dir, evaluate, format_report
from indicators.figures.extract import ProposedObservation, extract_figures


def _when(o: ProposedObservation) -> str:
    if o.as_of:
        return o.as_of.strftime("%d/%m/%Y")
    if o.period_start and o.period_end:
        return f"{o.period_start:%d/%m/%Y}–{o.period_end:%d/%m/%Y}"
    return "?"


def _table(rows: list[tuple[str, ProposedObservation]]) -> str:
    header = (
        "Tệp",
        "Tỉnh",
        "Chỉ tiêu",
        "Giá trị",
        "Đơn vị",
        "Tử/mẫu",
        "Hạng",
        "Thời điểm",
        "Tin cậy",
        "Trích",
    )
    body = []
    for file, o in rows:
        num = "—" if o.numerator is None else f"{o.numerator:g}"
        den = "—" if o.denominator is None else f"{o.denominator:g}"
        frac = "" if o.numerator is None and o.denominator is None else f"{num}/{den}"
        rank = "" if o.rank is None else f"{o.rank}/{o.rank_out_of or '?'}"
        quote = o.evidence.get("figure", "")
        body.append(
            (
                file,
                o.province or "?",
                o.indicator,
                f"{o.value:g}",
                o.unit,
                frac,
                rank,
                _when(o),
                f"{o.confidence:.2f}",
                quote[:50],
            )
        )
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [header, *body])


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m indicators.figures",
        description="Trích số liệu chỉ tiêu Đề án 06 từ báo cáo.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="đề xuất số liệu từ tệp văn bản (JSON lines)")
    ex.add_argument("files", nargs="+", type=Path)
    ex.add_argument("--table", action="store_true", help="in bảng dễ đọc thay vì JSON lines")
    ex.add_argument("--province", help="tỉnh của báo cáo nếu văn bản không nêu (slug hoặc tên)")
    ex.add_argument("--date", help="ngày đăng báo cáo (YYYY-MM-DD)")
    ex.add_argument("--period", help='kỳ báo cáo, vd. "6 tháng đầu năm 2023"')
    ev = sub.add_parser("evaluate", help="đo precision/recall so với dữ liệu gold")
    ev.add_argument("--gold", type=Path, required=True)
    ev.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="thư mục báo cáo (mặc định $TROLY_SEEDS_DIR hoặc ../shared/seeds)",
    )
    ev.add_argument(
        "--min", type=float, default=0.0, help="exit 1 when precision or recall is below this"
    )
    args = parser.parse_args(argv)

    if args.command == "extract":
        meta = {
            k: v
            for k, v in (("province", args.province), ("date", args.date), ("period", args.period))
            if v
        }
        rows = []
        for path in args.files:
            for obs in extract_figures(path.read_text(encoding="utf-8"), doc_meta=meta):
                rows.append((path.name, obs))
        if args.table:
            print(_table(rows))
        else:
            for file, obs in rows:
                print(json.dumps({"file": file, **obs.model_dump(mode="json")}, ensure_ascii=False))
        return 0

    seeds = args.seeds or default_seeds_dir()
    if not seeds.is_dir():
        print(f"Không thấy thư mục báo cáo: {seeds}", file=sys.stderr)
        return 2
    result = evaluate(args.gold, seeds)
    print(format_report(result))
    if min(result.precision, result.recall) < args.min:
        print(f"Dưới ngưỡng {args.min:.2f} (below the threshold)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
