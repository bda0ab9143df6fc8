"""GET /api/charts/{id}.png: chart images produced for officials' answers.

Ids are random 128-bit tokens handed out only in a reply to a verified official, so the URL
itself is the capability (an <img> or Zalo cannot send a bearer token). Files expire after a day.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

from channels.dependencies import SettingsDep
from channels.errors import error_response
from indicators.chart_store import chart_path, charts_dir

router = APIRouter(prefix="/api", tags=["charts"])


@router.get("/charts/{chart_id}.png", response_model=None)
async def chart(
    chart_id: str, request: Request, settings: SettingsDep
) -> FileResponse | JSONResponse:
    """The PNG, or a Vietnamese 404 when the id is unknown or expired."""
    path = chart_path(chart_id, charts_dir(settings.knowledge.data_dir))
    if path is None:
        return error_response(
            request,
            404,
            "chart_not_found",
            "Không tìm thấy biểu đồ (có thể đã hết hạn sau 24 giờ). Anh/chị hãy hỏi lại để "
            "tạo biểu đồ mới.",
            "Chart not found or expired.",
        )
    return FileResponse(
        path,
        media_type="image/png",
        # a capability URL: not kept by browsers or proxies
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
