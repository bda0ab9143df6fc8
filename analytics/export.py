"""The report's tables as CSV files for staff to open in Excel: Vietnamese headers and labels,
UTF-8 with a byte-order mark (without it Excel reads Vietnamese as mojibake), and text cells
that would start a formula defused."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence

from analytics.period import local_time
from analytics.report import Report

CHANNEL_LABELS = {"web": "Trang web", "zalo": "Zalo", "other": "Khác"}
STATUS_LABELS = {
    "waiting": "Đang chờ cán bộ",
    "held": "Cán bộ đang trao đổi",
    "returned": "Đã trả lại cho trợ lý",
    "closed": "Đã kết thúc",
    "expired": "Quá thời gian chờ",
}
REASON_LABELS = {
    "wrong_info": "Thông tin sai",
    "not_what_i_asked": "Không đúng điều tôi hỏi",
    "hard_to_understand": "Khó hiểu",
    "": "Không nêu lý do",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Rows = tuple[list[str], list[Sequence[object]]]


def reasons_text(reasons: dict[str, int]) -> str:
    """"Thông tin sai: 2; Khó hiểu: 1", most frequent first."""
    ordered = sorted(reasons.items(), key=lambda item: -item[1])
    return "; ".join(f"{REASON_LABELS.get(r, r)}: {n}" for r, n in ordered)


def _daily(report: Report) -> Rows:
    return (["Ngày", "Kênh", "Số cuộc trò chuyện", "Số tin nhắn của người dân"],
            [(r.day.isoformat(), CHANNEL_LABELS.get(r.channel, r.channel), r.conversations,
              r.messages) for r in report.daily])


def _topics(report: Report) -> Rows:
    return ["Chủ đề (ý định)", "Số câu hỏi"], list(report.topics)


def _cards(report: Report) -> Rows:
    return ["Thẻ kiến thức / thủ tục", "Số lần trả lời"], list(report.cards)


def _wrong(report: Report) -> Rows:
    return (["Thẻ kiến thức / thủ tục", "Số lần bị đánh giá chưa đúng", "Số lần hữu ích",
             "Lý do", "Lần gần nhất"],
            [(w.source, w.wrong, w.helpful, reasons_text(w.reasons), _local(w.last_rated))
             for w in report.wrong])


def _unanswered(report: Report) -> Rows:
    return (["Câu hỏi ví dụ (đã che thông tin cá nhân)", "Số lần hỏi", "Lần hỏi gần nhất"],
            [(g.example, g.count, _local(g.last_asked)) for g in report.unanswered])


def _handoffs(report: Report) -> Rows:
    stats = report.handoffs
    rows: list[Sequence[object]] = [
        (STATUS_LABELS.get(s, s), n) for s, n in sorted(stats.by_status.items())]
    rows += [("Tổng số yêu cầu gặp cán bộ", stats.total), ("Số yêu cầu được nhận", stats.taken),
             ("Thời gian chờ trung vị (giây)", _blank(stats.median_wait_seconds)),
             ("Thời gian chờ lâu nhất (giây)", _blank(stats.max_wait_seconds))]
    return ["Chỉ số", "Giá trị"], rows


TABLES: dict[str, Callable[[Report], Rows]] = {
    "daily": _daily, "topics": _topics, "cards": _cards, "wrong": _wrong,
    "unanswered": _unanswered, "handoffs": _handoffs,
}


def _local(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{local_time(moment):%Y-%m-%d %H:%M}"


def _blank(value: object) -> object:
    return "" if value is None else value


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # Excel would run "=…" typed by a citizen as a formula
    return value


def to_csv(report: Report, table: str) -> bytes:
    """One table of the report as CSV bytes; KeyError for an unknown table."""
    header, rows = TABLES[table](report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
