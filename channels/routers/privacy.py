"""The privacy page (GET /privacy, linked from every conversation's notice) and, for admins
acting on a citizen's written request, one conversation's data (GET /api/privacy/…/export)."""

from __future__ import annotations

import asyncio
import html
import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from channels.dependencies import SettingsDep, audit_request
from channels.errors import error_response
from channels.routers.curation import AdminUser
from channels.routers.staff import ERRORS
from channels.routers.widget import PAGE_CSP
from channels.schemas import SENDER_PATTERN
from core.config import Settings
from privacy.export import export_conversation
from privacy.notice import DELETE_COMMAND

router = APIRouter(tags=["privacy"])

PAGE = """<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Dữ liệu cá nhân khi dùng Trợ lý 06</title>
  <link rel="stylesheet" href="/console.css">
</head>
<body>
<main class="privacy">
<h1>Dữ liệu cá nhân khi anh/chị dùng Trợ lý 06</h1>
<p>Trợ lý do {controller} vận hành. Trang này nói trợ lý lưu gì, để làm gì, trong bao lâu, và
anh/chị thực hiện quyền của mình thế nào, theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15
(có hiệu lực từ ngày 01/01/2026).</p>
<h2>Trợ lý lưu gì</h2>
<ul>
  <li>Nội dung cuộc trò chuyện: câu anh/chị hỏi và câu trả lời. Số căn cước/CCCD và số điện
  thoại trong câu hỏi được che bớt trước khi lưu.</li>
  <li>Đánh giá "Hữu ích"/"Chưa đúng" anh/chị bấm cho câu trả lời, kèm câu hỏi (đã che số).</li>
  <li>Khi anh/chị nhờ gặp cán bộ: các tin nhắn trao đổi với cán bộ (đã che số).</li>
  <li>Câu hỏi trợ lý chưa trả lời được (đã che số, không gắn với cuộc trò chuyện), để bổ sung
  kiến thức.</li>
  <li>Thời điểm anh/chị được xem thông báo này.</li>
</ul>
<p>Trợ lý không hỏi và không cần số giấy tờ, số điện thoại, mật khẩu hay mã OTP của anh/chị.
Xin đừng gửi các thông tin đó.</p>
<h2>Để làm gì</h2>
<p>Để trả lời câu hỏi trong cuộc trò chuyện, chuyển anh/chị tới cán bộ khi cần, và để cán bộ
sửa, bổ sung câu trả lời chưa đúng. Số liệu thống kê chỉ dùng số đếm, không dùng nội dung.</p>
<h2>Lưu trong bao lâu</h2>
<p>{days} ngày. Sau thời hạn này dữ liệu được xóa tự động; chỉ còn lại số đếm theo ngày
(bao nhiêu cuộc trò chuyện, câu hỏi, đánh giá), không có nội dung và không gắn với ai.</p>
<h2>Quyền của anh/chị</h2>
<ul>
  <li><strong>Xóa dữ liệu</strong>: nhắn "{command}" trong cuộc trò chuyện (hoặc chọn "Xóa dữ liệu
  của tôi" trong trình đơn của khung chat), rồi xác nhận. Toàn bộ dữ liệu của cuộc trò chuyện đó
  bị xóa ngay; việc xóa được ghi nhận nhưng không ghi lại nội dung.</li>
  <li><strong>Không đồng ý hoặc rút lại đồng ý</strong>: anh/chị có thể ngừng trò chuyện bất cứ
  lúc nào và yêu cầu xóa như trên.</li>
  <li><strong>Xem, nhận bản sao dữ liệu</strong>: gửi yêu cầu bằng văn bản tới {controller}
  {contact}, nêu kênh (trang web hay Zalo) và thời gian trò chuyện.</li>
</ul>
<h2>Khi có sự cố</h2>
<p>Nếu xảy ra lộ lọt dữ liệu, đơn vị vận hành báo cho cơ quan chuyên trách bảo vệ dữ liệu cá
nhân thuộc Bộ Công an theo quy định; quy trình của trợ lý đặt mốc chậm nhất 72 giờ kể từ khi phát
hiện, và báo cho người bị ảnh hưởng khi cần.</p>
</main>
</body>
</html>
"""


def render_page(settings: Settings) -> str:
    privacy = settings.privacy
    contact = f"({privacy.contact})" if privacy.contact else ""
    return PAGE.format(controller=html.escape(privacy.controller),
                       contact=html.escape(contact), days=privacy.retention_days,
                       command=html.escape(DELETE_COMMAND))


@router.get("/privacy", response_class=HTMLResponse, include_in_schema=False)
async def privacy_page(settings: SettingsDep) -> HTMLResponse:
    return HTMLResponse(render_page(settings), headers={
        "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache",
        "Referrer-Policy": "same-origin"})


@router.get("/api/privacy/conversations/{sender_id}/export", responses=ERRORS,
            response_model=None)
async def export(
    sender_id: Annotated[str, Path(pattern=SENDER_PATTERN)],
    request: Request, admin: AdminUser, settings: SettingsDep,
    reference: Annotated[str, Query(min_length=1, max_length=100)],
) -> Response | JSONResponse:
    """One conversation's data as a JSON file, for a written request (its number in
    ``reference``, kept in the audit log with who exported it)."""
    db = settings.database
    body = await asyncio.to_thread(export_conversation, db.url, db.tracker_database_url,
                                   sender_id)
    if not body["messages"] and not body["ratings"] and not body["handoffs"]:
        return error_response(request, 404, "not_found",
                              "Không có dữ liệu nào của cuộc trò chuyện này.", "Nothing stored.")
    await asyncio.to_thread(audit_request, request, settings, actor=admin.username,
                            role=admin.role, action="privacy.export",
                            detail={"reference": reference})
    return Response(json.dumps(body, ensure_ascii=False, indent=2),
                    media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="conversation.json"',
                             "Cache-Control": "no-store"})
