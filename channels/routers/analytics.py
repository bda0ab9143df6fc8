"""/api/analytics: the console's "Thống kê" — conversations, topics, cards, answers marked
wrong, unanswered questions and handoffs over a range of dates, as JSON or one table as CSV.

One-stop staff and admins see it all. An official sees it when their province is one this
deployment serves (``TROLY_SERVED_PROVINCES``): a deployment answers one province's citizens,
so its stored conversations are that province's and nobody else's. Every view, export and
refusal is audited; the database work runs off the event loop.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from analytics.export import TABLES, to_csv
from analytics.period import Period, PeriodError, local_time, parse_period
from analytics.report import Report, build_report
from channels.auth import CurrentUser, Identity
from channels.dependencies import SettingsDep, audit_request
from channels.errors import error_response
from channels.schemas import (
    AnalyticsCount,
    AnalyticsDay,
    AnalyticsHandoffs,
    AnalyticsReport,
    AnalyticsUnanswered,
    AnalyticsWrong,
    ErrorResponse,
)
from core.access.permissions import same_province
from core.config import Settings

router = APIRouter(prefix="/api/analytics", tags=["analytics"])
ALL_PROVINCES_ROLES = ("one_stop_staff", "admin")
ERRORS = {401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
          422: {"model": ErrorResponse}}
CSV_RESPONSE = {200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                      "description": "The table as CSV (UTF-8 with BOM)"}}
PERIOD_ERRORS_VI = {
    "bad_date": "Ngày không hợp lệ. Anh/chị vui lòng nhập ngày theo dạng năm-tháng-ngày, "
                "ví dụ 2025-07-01.",
    "reversed": "Ngày bắt đầu đang sau ngày kết thúc. Anh/chị vui lòng chọn lại khoảng ngày.",
    "too_long": "Khoảng ngày dài quá một năm (366 ngày). Anh/chị vui lòng chọn khoảng ngắn hơn.",
}
NO_TRACKER_VI = (
    "Máy chủ chưa được cấu hình nơi lưu các cuộc trò chuyện (TROLY_TRACKER_DATABASE_URL), nên "
    "chưa có số cuộc trò chuyện, tin nhắn, chủ đề và thẻ đã trả lời; các phần còn lại vẫn đầy đủ."
)
FromParam = Annotated[str | None, Query(alias="from", description="YYYY-MM-DD, Vietnam time")]
ToParam = Annotated[str | None, Query(alias="to", description="YYYY-MM-DD, included")]


def served_provinces(settings: Settings) -> list[str]:
    """The provinces this deployment serves; in dev mode with none set, the demo official's
    (so the demo official sees the console's analytics)."""
    configured = list(settings.gateway.served_provinces)
    if configured or not settings.gateway.dev_mode:
        return configured
    from core.access.accounts import DEMO_ACCOUNTS

    return [account[5] for account in DEMO_ACCOUNTS if account[0] == "official" and account[5]]


def may_see_analytics(identity: Identity, settings: Settings) -> bool:
    if identity.role in ALL_PROVINCES_ROLES:
        return True
    return identity.role == "official" and any(
        same_province(identity.province, p) for p in served_provinces(settings))


async def _audit(request: Request, settings: Settings, identity: Identity, action: str,
                 **detail: str) -> None:
    """The view, export or refusal in the audit log, written off the event loop."""
    await asyncio.to_thread(audit_request, request, settings, actor=identity.username,
                            role=identity.role, action=action, detail=detail)


async def _checked(request: Request, identity: Identity, settings: Settings, start: str | None,
                   end: str | None, **detail: str) -> Period | JSONResponse:
    """The range asked for, or the 403/422 to answer instead."""
    if not may_see_analytics(identity, settings):
        await _audit(request, settings, identity, "analytics.refused", **detail)
        return error_response(
            request, 403, "forbidden",
            "Anh/chị chưa xem được thống kê ở đây: hệ thống này phục vụ người dân của tỉnh/thành "
            "khác, và mỗi cán bộ chỉ xem thống kê các cuộc trò chuyện của tỉnh/thành mình.",
            "Analytics are for one-stop staff, admins and officials of a served province.")
    try:
        return parse_period(start, end)
    except PeriodError as exc:
        return error_response(request, 422, "invalid_period", PERIOD_ERRORS_VI[exc.reason],
                              f"Invalid date range ({exc.reason}).", ["from", "to"])


def _report(settings: Settings, period: Period) -> Report:
    return build_report(settings.database.url, settings.database.tracker_database_url, period)


def _stamp(moment) -> str:
    return local_time(moment).isoformat(timespec="seconds")


def report_out(report: Report) -> AnalyticsReport:
    stats = report.handoffs
    return AnalyticsReport(
        date_from=report.period.start.isoformat(),
        date_to=report.period.end.isoformat(),
        conversations_included=report.conversations_included,
        notes=[] if report.conversations_included else [NO_TRACKER_VI],
        total_conversations=report.total_conversations,
        total_messages=report.total_messages,
        fallbacks=report.fallbacks,
        daily=[AnalyticsDay(day=r.day.isoformat(), channel=r.channel,
                            conversations=r.conversations, messages=r.messages)
               for r in report.daily],
        topics=[AnalyticsCount(name=n, count=c) for n, c in report.topics],
        cards=[AnalyticsCount(name=n, count=c) for n, c in report.cards],
        wrong=[AnalyticsWrong(source=w.source, wrong=w.wrong, helpful=w.helpful,
                              reasons=w.reasons, last_rated=_stamp(w.last_rated))
               for w in report.wrong],
        unanswered=[AnalyticsUnanswered(example=g.example, count=g.count,
                                        last_asked=_stamp(g.last_asked))
                    for g in report.unanswered],
        handoffs=AnalyticsHandoffs(by_status=stats.by_status, total=stats.total,
                                   taken=stats.taken,
                                   median_wait_seconds=stats.median_wait_seconds,
                                   max_wait_seconds=stats.max_wait_seconds),
    )


@router.get("", response_model=AnalyticsReport, responses=ERRORS)
async def analytics(
    request: Request, identity: CurrentUser, settings: SettingsDep,
    date_from: FromParam = None, date_to: ToParam = None,
) -> AnalyticsReport | JSONResponse:
    """The report of the range (default: the last 30 days up to today)."""
    period = await _checked(request, identity, settings, date_from, date_to,
                            **{"from": date_from or "", "to": date_to or ""})
    if isinstance(period, JSONResponse):
        return period
    report = await asyncio.to_thread(_report, settings, period)
    await _audit(request, settings, identity, "analytics.view",
                 **{"from": period.start.isoformat(), "to": period.end.isoformat()})
    return report_out(report)


@router.get("/export.csv", response_class=Response, responses={**CSV_RESPONSE, **ERRORS})
async def export_csv(
    request: Request, identity: CurrentUser, settings: SettingsDep,
    table: Annotated[str | None, Query(description=" | ".join(TABLES))] = None,
    date_from: FromParam = None, date_to: ToParam = None,
) -> Response:
    """One table of the report as a CSV download."""
    period = await _checked(request, identity, settings, date_from, date_to,
                            table=table or "", **{"from": date_from or "", "to": date_to or ""})
    if isinstance(period, JSONResponse):
        return period
    if table not in TABLES:
        return error_response(
            request, 422, "invalid_table",
            "Không có bảng này. Anh/chị chọn một trong các bảng: theo ngày, chủ đề, thẻ, "
            "câu trả lời chưa đúng, câu hỏi chưa có câu trả lời, gặp cán bộ.",
            "table must be one of " + ", ".join(TABLES), ["table"])
    report = await asyncio.to_thread(_report, settings, period)
    await _audit(request, settings, identity, "analytics.export", table=table,
                 **{"from": period.start.isoformat(), "to": period.end.isoformat()})
    name = f"thong-ke-{table}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(to_csv(report, table), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
